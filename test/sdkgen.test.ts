/**
 * The generated SDKs in `sdk/` are current: `sdkgen` (Pulumi's Node.js, Python and Go code
 * generators, run from `sdkgen/`) regenerates them from `schema.json` into a temporary folder,
 * formatted as `npm run sdkgen` formats them, and every file must match the checked-in one. Needs
 * Go; the first run compiles the generators (about two minutes cold on two cores), later runs take
 * seconds. The Go modules come from the module cache (the Pulumi CLI's build fills it with the
 * same `pkg/v3` release) or, when missing there, from the Go module proxy.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as prettier from "prettier";
import { PACKAGE_ROOT } from "../engine/pulumiCli";

const run = promisify(execFile);
const SDK_DIR = path.join(PACKAGE_ROOT, "sdk");
const LANGUAGES = ["go", "nodejs", "python"] as const;

/** Every file below `dir`, as sorted paths relative to it. */
function filesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Formats generated files as `prettier --write sdk` does in the repository: each with the options
 * and parser of the checked-in file it stands for; files prettier does not handle stay as they are.
 */
async function formatAsCheckedIn(generatedDir: string): Promise<void> {
  for (const relative of filesBelow(generatedDir)) {
    const standsFor = path.join(SDK_DIR, relative);
    const info = await prettier.getFileInfo(standsFor, { resolveConfig: true });
    if (info.ignored || !info.inferredParser) continue;
    const options = (await prettier.resolveConfig(standsFor)) ?? {};
    const file = path.join(generatedDir, relative);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, await prettier.format(text, { ...options, filepath: standsFor }));
  }
}

describe("generated SDKs (sdk/)", function () {
  // A cold build of Pulumi's code generators takes about two minutes on two cores.
  this.timeout(900_000);
  let generatedDir: string;

  before(async () => {
    generatedDir = fs.mkdtempSync(path.join(os.tmpdir(), "medialive-sdkgen-"));
    try {
      await run("go", ["version"]);
    } catch {
      throw new Error("Go (1.26.6 or later) is needed to regenerate the SDKs: see sdkgen/");
    }
    await run(
      "go",
      ["run", ".", "-schema", path.join(PACKAGE_ROOT, "schema.json"), "-out", generatedDir],
      {
        cwd: path.join(PACKAGE_ROOT, "sdkgen"),
        // go.mod and go.sum are checked in: a build must not change them.
        env: { ...process.env, GOFLAGS: "-mod=readonly" },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    await formatAsCheckedIn(generatedDir);
  });

  after(() => {
    if (generatedDir) fs.rmSync(generatedDir, { recursive: true, force: true });
  });

  for (const language of LANGUAGES) {
    it(`sdk/${language} is what sdkgen generates from schema.json (else: npm run sdkgen)`, () => {
      const generated = path.join(generatedDir, language);
      const checkedIn = path.join(SDK_DIR, language);
      const files = filesBelow(generated);
      expect(files.length).to.be.greaterThan(5);
      expect(filesBelow(checkedIn)).to.deep.equal(files);
      for (const file of files) {
        expect(
          fs.readFileSync(path.join(checkedIn, file), "utf8"),
          `sdk/${language}/${file}`,
        ).to.equal(fs.readFileSync(path.join(generated, file), "utf8"));
      }
    });
  }

  it("each SDK carries the schema's version and names the plugin huaweicloud-medialive", () => {
    const { version } = JSON.parse(
      fs.readFileSync(path.join(PACKAGE_ROOT, "schema.json"), "utf8"),
    ) as { version: string };
    const nodejs = JSON.parse(
      fs.readFileSync(path.join(SDK_DIR, "nodejs", "package.json"), "utf8"),
    ) as {
      version: string;
      pulumi: { name: string; version: string };
    };
    expect(nodejs.version).to.equal(version);
    expect(nodejs.pulumi).to.deep.include({ name: "huaweicloud-medialive", version });
    expect(fs.readFileSync(path.join(SDK_DIR, "python", "pyproject.toml"), "utf8")).to.include(
      `version = "${version}"`,
    );
    for (const plugin of [
      path.join(SDK_DIR, "python", "pulumi_huaweicloud_medialive", "pulumi-plugin.json"),
      path.join(SDK_DIR, "go", "huaweicloudmedialive", "pulumi-plugin.json"),
    ]) {
      expect(JSON.parse(fs.readFileSync(plugin, "utf8"))).to.deep.include({
        resource: true,
        name: "huaweicloud-medialive",
        version,
      });
    }
  });
});
