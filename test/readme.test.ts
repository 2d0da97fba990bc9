/**
 * The README's TypeScript snippets, as a user would paste them: each type-checks strictly against
 * the installed package in the consumer project, and the simulator snippet runs and prints what its
 * comments say.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as ts from "typescript";
import { writeProgram, type ConsumerProject } from "../engine/consumerProject";
import { consumerProject, PACKAGE_ROOT } from "./support/consumer";

const README = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8");
const SNIPPETS = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe("README snippets", function () {
  this.timeout(60_000);
  let consumer: ConsumerProject;

  before(function () {
    this.timeout(300_000);
    consumer = consumerProject();
  });

  it("has the snippets this suite checks", () => {
    expect(SNIPPETS.length).to.be.at.least(4);
  });

  SNIPPETS.forEach((snippet, index) => {
    const firstLine = snippet.split("\n").find((line) => line.trim() !== "") ?? "";
    it(`snippet ${index + 1} type-checks against the installed package (${firstLine.slice(0, 60)})`, () => {
      const file = path.join(consumer.dir, "readme", `snippet${index + 1}.ts`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, snippet);
      const program = ts.createProgram({
        rootNames: [file],
        options: {
          strict: true,
          noEmit: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.CommonJS,
          moduleResolution: ts.ModuleResolutionKind.Node10,
          esModuleInterop: true,
          skipLibCheck: true,
          typeRoots: [path.join(PACKAGE_ROOT, "node_modules", "@types")],
          types: ["node"],
        },
      });
      const diagnostics = ts.getPreEmitDiagnostics(program);
      const report = ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (name) => name,
        getCurrentDirectory: () => consumer.dir,
        getNewLine: () => "\n",
      });
      expect(diagnostics.length, report).to.equal(0);
    });
  });

  it("the simulator snippet runs and prints what its comments say", () => {
    const snippet = SNIPPETS.find((text) => text.includes("startSimulator"));
    expect(snippet, "a snippet that starts the simulator").to.be.a("string");
    const file = writeProgram(consumer, "readme-simulator", snippet!);
    const output = execFileSync(process.execPath, [file], {
      cwd: consumer.dir,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(output.trim()).to.equal("3 STANDBY");
  });
});
