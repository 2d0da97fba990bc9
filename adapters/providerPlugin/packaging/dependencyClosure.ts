/**
 * What the plugin folder must hold to run offline: the compiled files its entry point reaches,
 * found by following `require` calls in the compiled CommonJS, and the installed packages those
 * files and their dependencies need, taken from this repository's `node_modules` (the versions the
 * tests ran with) rather than installed again from a registry.
 */
import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import * as path from "node:path";

/** The compiled files an entry point reaches and the packages they require. */
export interface RequireGraph {
  /** Absolute paths of the compiled files, the entry first. */
  readonly files: readonly string[];
  /** Names of the installed packages required (`@pulumi/pulumi`, `undici`, …). */
  readonly packages: readonly string[];
}

const REQUIRE_CALL = /\brequire\(\s*"([^"]+)"\s*\)/g;

/**
 * Follows the `require("…")` calls of compiled CommonJS files from `entry`.
 *
 * @param entry - a compiled `.js` file
 * @throws Error when a relative require resolves to no file
 */
export function requireGraph(entry: string): RequireGraph {
  const files: string[] = [];
  const packages = new Set<string>();
  const queue = [path.resolve(entry)];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const file = queue.shift()!;
    files.push(file);
    for (const [, specifier] of fs.readFileSync(file, "utf8").matchAll(REQUIRE_CALL)) {
      if (specifier!.startsWith(".")) {
        const target = resolveRelative(path.dirname(file), specifier!);
        if (!target) throw new Error(`${file}: require("${specifier}") resolves to no file`);
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      } else if (!isBuiltin(specifier!)) {
        packages.add(packageName(specifier!));
      }
    }
  }
  return { files, packages: [...packages].sort() };
}

function resolveRelative(dir: string, specifier: string): string | undefined {
  const base = path.resolve(dir, specifier);
  return [base, `${base}.js`, path.join(base, "index.js")].find(
    (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
  );
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** An installed package of the closure. */
export interface InstalledPackage {
  readonly name: string;
  /** Its folder, absolute. */
  readonly dir: string;
}

interface PackageManifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * The installed packages `names` need at run time, resolved as Node does (the nearest
 * `node_modules` folder upwards from the requiring package): their `dependencies`, the
 * `optionalDependencies` that are installed and the required `peerDependencies`, transitively.
 *
 * @param names - the packages required directly
 * @param fromDir - the folder they are required from (the repository root)
 * @throws Error naming the package and who needs it when one is not installed
 */
export function productionPackages(names: readonly string[], fromDir: string): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const queue = names.map((name) => ({
    name,
    from: fromDir,
    optional: false,
    neededBy: "the plugin",
  }));
  while (queue.length > 0) {
    const { name, from, optional, neededBy } = queue.shift()!;
    const dir = locatePackage(name, from);
    if (!dir) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${neededBy}) is not installed below ${from}; run npm ci`);
    }
    if (found.has(dir)) continue;
    found.set(dir, { name, dir });
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, "package.json"), "utf8"),
    ) as PackageManifest;
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      queue.push({ name: dependency, from: dir, optional: false, neededBy: name });
    }
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) {
      queue.push({ name: dependency, from: dir, optional: true, neededBy: name });
    }
    for (const dependency of Object.keys(manifest.peerDependencies ?? {})) {
      if (manifest.peerDependenciesMeta?.[dependency]?.optional) continue;
      queue.push({ name: dependency, from: dir, optional: false, neededBy: name });
    }
  }
  return [...found.values()].sort((left, right) => left.dir.localeCompare(right.dir));
}

function locatePackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    if (dir === path.dirname(dir)) return undefined;
  }
}
