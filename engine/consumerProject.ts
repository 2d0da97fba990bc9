/**
 * A throw-away Pulumi project that installs this package the way users do: from the tarball that
 * `npm pack` makes, next to `@pulumi/pulumi`, with a real `npm install`. Programs run there, and the
 * engine starts the dynamic-provider host there, so closure serialization, the package's `exports`
 * map and module resolution in the host are all the real ones.
 *
 * Projects are cached per tarball content in the OS temp folder: a second run with an unchanged
 * build reuses the installed project.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

/** An installed consumer project. */
export interface ConsumerProject {
  /** The project folder (the provider host's working directory). */
  readonly dir: string;
  /** The `@pulumi/pulumi` version installed there. */
  readonly pulumiVersion: string;
  /** Size of the packed tarball in bytes. */
  readonly tarballBytes: number;
}

/** Options of {@link prepareConsumerProject}. */
export interface ConsumerProjectOptions {
  /** Root of this package (where package.json is). */
  readonly packageRoot: string;
  /** Progress messages. */
  readonly log?: (line: string) => void;
  /**
   * A tarball to install instead of packing `packageRoot` (e.g. a previous release, for the
   * upgrade test). `packageRoot` still picks the `@pulumi/pulumi` version.
   */
  readonly tarball?: string;
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * Packs the package (its `dist` must be built) and installs it into a cached consumer project.
 *
 * @param options - package root and logger
 */
export function prepareConsumerProject(options: ConsumerProjectOptions): ConsumerProject {
  const log = options.log ?? (() => undefined);
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "medialive-pack-"));
  const tarball = options.tarball ?? packPackage(options.packageRoot, packDir);
  const tarballBytes = fs.statSync(tarball).size;
  // The SDK version the consumer installs: this repository's by default, or another one to check
  // the peer dependency range (e.g. MEDIALIVE_PULUMI_VERSION=3.216.0, its floor; npm refuses a
  // release outside the range unless npm_config_legacy_peer_deps=true, as for measuring one).
  const pulumiVersion =
    process.env.MEDIALIVE_PULUMI_VERSION ??
    (
      JSON.parse(
        fs.readFileSync(
          path.join(options.packageRoot, "node_modules", "@pulumi", "pulumi", "package.json"),
          "utf8",
        ),
      ) as { version: string }
    ).version;
  const digest = createHash("sha256")
    .update(fs.readFileSync(tarball))
    .update(pulumiVersion)
    .digest("hex")
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), `medialive-consumer-${digest}`);
  const ready = path.join(dir, ".installed");
  if (!fs.existsSync(ready)) {
    log(`installing the packed package and @pulumi/pulumi ${pulumiVersion} into ${dir}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(tarball, path.join(dir, "package.tgz"));
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify(
        {
          name: "medialive-consumer",
          private: true,
          dependencies: {
            "@pulumi/pulumi": pulumiVersion,
            "pulumi-huaweicloud-medialive": "file:./package.tgz",
          },
        },
        null,
        2,
      ),
    );
    execFileSync(
      NPM,
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    fs.writeFileSync(ready, new Date().toISOString());
  }
  fs.rmSync(packDir, { recursive: true, force: true });
  return { dir, pulumiVersion, tarballBytes };
}

/** Packs the package at `packageRoot` into `packDir` and returns the tarball's path. */
function packPackage(packageRoot: string, packDir: string): string {
  // The build is the caller's job (npm test and npm start build first); packing again without
  // scripts keeps this step to a second.
  const packed = JSON.parse(
    execFileSync(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir], {
      cwd: packageRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { filename: string }[];
  return path.join(packDir, path.basename(packed[0]!.filename));
}

/**
 * Writes a TypeScript Pulumi program into the project as CommonJS (as `ts-node` would run it under
 * the CLI) and returns the path of the JavaScript file, for an inline program to `require`.
 *
 * @param project - the consumer project
 * @param name - a folder name for the program
 * @param source - the program's TypeScript source
 */
export function writeProgram(project: ConsumerProject, name: string, source: string): string {
  const output = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const file = path.join(project.dir, "programs", name, "index.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, output.outputText);
  return file;
}
