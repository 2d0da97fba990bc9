/**
 * Finds the real Pulumi CLI for `npm start`, the tests and the benchmark: `scripts/pulumi-cli.sh`
 * decides (an explicit path, `pulumi` on PATH when recent enough, or a build from Pulumi's Go module
 * into a cache outside the repository) and this module turns its answer into what the Automation
 * API needs.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Root of this package (where `package.json` is), from `dist/engine` or `engine`. */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

function findPackageRoot(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "scripts", "pulumi-cli.sh"))) return dir;
  }
  throw new Error(`no scripts/pulumi-cli.sh above ${start}`);
}

/** A located Pulumi CLI. */
export interface PulumiCli {
  /** The `pulumi` executable. */
  readonly binary: string;
  /**
   * A folder whose `bin/pulumi` is that executable, as `PulumiCommand.get({ root })` expects (the
   * binary's own parent when it sits in a `bin` folder, otherwise a folder with a link to it).
   */
  readonly root: string;
  /** `pulumi version`, without the leading `v`. */
  readonly version: string;
}

const located = new Map<boolean, PulumiCli>();

/**
 * Locates (or builds, once) the Pulumi CLI. Build progress goes to this process's stderr.
 *
 * @param options - `withYaml` also requires the YAML language host beside the CLI
 * @throws Error with the script's one-line reason (e.g. Go missing) when no CLI can be had
 */
export function locatePulumiCli(options: { withYaml?: boolean } = {}): PulumiCli {
  const withYaml = options.withYaml ?? false;
  const cached = located.get(withYaml);
  if (cached) return cached;
  let binary: string;
  try {
    binary = execFileSync(
      "bash",
      [path.join(PACKAGE_ROOT, "scripts", "pulumi-cli.sh"), ...(withYaml ? ["--with-yaml"] : [])],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    ).trim();
  } catch {
    // The script has already said why on stderr, in one line.
    throw new Error("no Pulumi CLI: see the pulumi-cli line above (npm run pulumi-cli)");
  }
  const version = execFileSync(binary, ["version"], { encoding: "utf8" }).trim().replace(/^v/, "");
  const cli = { binary, root: rootFor(binary), version };
  located.set(withYaml, cli);
  return cli;
}

function rootFor(binary: string): string {
  const parent = path.dirname(binary);
  if (path.basename(parent) === "bin" && path.basename(binary) === "pulumi") {
    return path.dirname(parent);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "medialive-pulumi-root-"));
  fs.mkdirSync(path.join(root, "bin"));
  fs.symlinkSync(binary, path.join(root, "bin", "pulumi"));
  return root;
}
