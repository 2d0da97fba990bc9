/**
 * Packs the provider plugin, the last step of `npm run build` (after `tsc`): the plugin folder
 * `dist/provider-plugin/huaweicloud-medialive/` and its tarball
 * `dist/provider-plugin/pulumi-resource-huaweicloud-medialive-v<version>-linux-amd64.tar.gz`, which
 * `pulumi plugin install resource huaweicloud-medialive <version> --file <tarball>` accepts.
 *
 * The folder mirrors this repository's layout, so the compiled code finds `package.json` and
 * `schema.json` at the same relative place in both:
 *
 *     pulumi-resource-huaweicloud-medialive   the launcher the engine runs (a shell script)
 *     package.json                            name, version, production dependencies
 *     schema.json                             the package schema (GetSchema)
 *     dist/…                                  the compiled files the entry point reaches
 *     node_modules/…                          the installed packages those need
 *
 * `node dist/adapters/providerPlugin/packaging/packagePlugin.js --write-schema` writes the schema
 * to the repository's `schema.json` instead (the SDK generators read that file; a test checks it
 * is current).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_NAME, PLUGIN_EXECUTABLE } from "../names";
import { readSourceDocs, type SourceDocs } from "../resourceDocs";
import { buildSchema, type PackageSpec } from "../schema";
import { productionPackages, requireGraph } from "./dependencyClosure";

/** The repository root, from `dist/adapters/providerPlugin/packaging` or the source folder. */
export const REPOSITORY_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (
      fs.existsSync(path.join(dir, "package.json")) &&
      fs.existsSync(path.join(dir, "tsconfig.json"))
    ) {
      return dir;
    }
  }
  throw new Error(`no repository root (package.json + tsconfig.json) above ${start}`);
}

/** The compiled entry point, relative to a root (the repository or the plugin folder). */
export const ENTRY_POINT = path.join("dist", "adapters", "providerPlugin", "main.js");

/** The platform in the tarball's name: the engine's plugin naming; the content is plain JS. */
const PLATFORM = "linux-amd64";

/** Files of installed packages the plugin never reads at run time. */
const PRUNED_FILE = /(\.d\.[cm]?ts|\.map|\.md|\.markdown)$/i;
/** Kept whatever their extension: licences travel with redistributed code. */
const KEPT_FILE = /^(licen[cs]e|notice|copying)/i;

/** What {@link packagePlugin} produced. */
export interface PluginPackage {
  readonly version: string;
  /** The plugin folder. */
  readonly dir: string;
  /** The tarball. */
  readonly tarball: string;
  readonly tarballBytes: number;
  /** The installed packages copied. */
  readonly packages: number;
}

/**
 * The files whose TSDoc documents the schema: the dynamic resources' classes and `…Args`, and the
 * types their inputs and outputs use.
 */
const DOCUMENTED_SOURCES: readonly (readonly string[])[] = [
  ["resources", "flowActivation", "flowActivation.ts"],
  ["resources", "flow", "flow.ts"],
  ["resources", "flow", "plan.ts"],
  ["client", "flowItems.ts"],
];

/**
 * The package schema as built from this repository's code.
 *
 * @param root - the repository root
 */
export function repositorySchema(root = REPOSITORY_ROOT): PackageSpec {
  return buildSchema({ version: packageVersion(root), docs: repositoryDocs(root) });
}

/**
 * The TSDoc the schema takes its descriptions from, as read from this repository's code.
 *
 * @param root - the repository root
 */
export function repositoryDocs(root = REPOSITORY_ROOT): SourceDocs {
  return readSourceDocs(DOCUMENTED_SOURCES.map((file) => path.join(root, ...file)));
}

function packageVersion(root: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }
  ).version;
}

/**
 * Builds the plugin folder and tarball from the compiled `dist/` (run `tsc` first).
 *
 * @param root - the repository root
 * @param outDir - where to put them; default `<root>/dist/provider-plugin`
 */
export function packagePlugin(
  root = REPOSITORY_ROOT,
  outDir = path.join(root, "dist", "provider-plugin"),
): PluginPackage {
  const version = packageVersion(root);
  const dir = path.join(outDir, PACKAGE_NAME);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });

  const graph = requireGraph(path.join(root, ENTRY_POINT));
  for (const file of graph.files) copyInto(root, dir, file);
  const packages = productionPackages(graph.packages, root);
  for (const installed of packages) copyPackage(root, dir, installed.dir);

  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    license?: string;
  };
  // The versions copied (those the tests ran with), for the record.
  const copiedVersion = (name: string): string =>
    (
      JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")) as {
        version: string;
      }
    ).version;
  fs.writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify(
      {
        name: `pulumi-resource-${PACKAGE_NAME}`,
        version,
        private: true,
        description: `The ${PACKAGE_NAME} Pulumi provider plugin.`,
        license: manifest.license,
        engines: { node: ">=22" },
        dependencies: Object.fromEntries(graph.packages.map((name) => [name, copiedVersion(name)])),
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(
    path.join(dir, "schema.json"),
    `${JSON.stringify(repositorySchema(root), null, 2)}\n`,
  );
  const launcher = path.join(dir, PLUGIN_EXECUTABLE);
  fs.writeFileSync(launcher, launcherScript());
  fs.chmodSync(launcher, 0o755);

  const tarball = path.join(outDir, `${PLUGIN_EXECUTABLE}-v${version}-${PLATFORM}.tar.gz`);
  fs.rmSync(tarball, { force: true });
  // Top-level entries by name, so the archive holds `pulumi-resource-…`, not `./pulumi-resource-…`.
  execFileSync(
    "tar",
    [
      "-czf",
      tarball,
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      "-C",
      dir,
      ...fs.readdirSync(dir).sort(),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  return {
    version,
    dir,
    tarball,
    tarballBytes: fs.statSync(tarball).size,
    packages: packages.length,
  };
}

/**
 * The launcher the engine runs as `pulumi-resource-huaweicloud-medialive <engine address>`, with
 * the program's folder as working directory: it finds its own folder (through symlinks too) and
 * replaces itself with Node.js on the entry point, so no shell stays above the provider.
 */
export function launcherScript(): string {
  return [
    "#!/bin/sh",
    `# The ${PACKAGE_NAME} Pulumi provider plugin: runs its compiled entry point with the node on PATH`,
    "# (Node.js 22 or later). The engine starts it with the program's folder as working directory.",
    'here=$(dirname "$(readlink -f "$0")")',
    `exec node "$here/${ENTRY_POINT}" "$@"`,
    "",
  ].join("\n");
}

function copyInto(root: string, dir: string, file: string): void {
  const relative = path.relative(root, file);
  if (relative.startsWith("..")) throw new Error(`${file} is outside ${root}`);
  const target = path.join(dir, relative);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}

/** Copies an installed package without its own `node_modules` (nested packages come on their own). */
function copyPackage(root: string, dir: string, packageDir: string): void {
  const relative = path.relative(root, packageDir);
  if (relative.startsWith("..")) throw new Error(`${packageDir} is outside ${root}`);
  fs.cpSync(packageDir, path.join(dir, relative), {
    recursive: true,
    filter: (source) => {
      const name = path.basename(source);
      if (source !== packageDir && name === "node_modules") return false;
      return KEPT_FILE.test(name) || !PRUNED_FILE.test(name) || fs.statSync(source).isDirectory();
    },
  });
}

/**
 * Writes the repository's `schema.json`, formatted as the repository's formatter wants it.
 *
 * @param root - the repository root
 */
export async function writeRepositorySchema(root = REPOSITORY_ROOT): Promise<string> {
  const file = path.join(root, "schema.json");
  // A development dependency, loaded only here: the build itself does not need it.
  const prettier = (await import("prettier")) as typeof import("prettier");
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(
    file,
    await prettier.format(JSON.stringify(repositorySchema(root)), { ...options, filepath: file }),
  );
  return file;
}

if (require.main === module) {
  if (process.argv.includes("--write-schema")) {
    void writeRepositorySchema().then((file) => console.log(`wrote ${file}`));
  } else {
    const started = Date.now();
    const built = packagePlugin();
    console.log(
      `provider plugin ${PACKAGE_NAME} ${built.version}: ${path.relative(REPOSITORY_ROOT, built.tarball)} (${(built.tarballBytes / 1024 / 1024).toFixed(1)} MiB, ${built.packages} packages) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
