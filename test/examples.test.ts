/**
 * The examples under `examples/`: each is a complete Pulumi project (checked for its files and
 * declarations), each type-checks as a consumer's project against the packed and installed package,
 * and the pure logic they carry (the broadcast schedule, the GitOps flow list) is unit-tested here.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import type { AutomationStack, ConfigEntry } from "../engine/automationStack";
import type { ConsumerProject } from "../engine/consumerProject";
import { writeExampleProgram } from "../engine/mainJob";
import {
  desiredStatusAt,
  localMinuteOfDay,
  parseEvaluationTime,
  parseFlows,
  parseSchedule,
  parseTimeZone,
  ScheduleConfigError,
  type Schedule,
  type ScheduleWindowConfig,
} from "../examples/broadcast-schedule/schedule";
import { FlowConfigError, parseFlowList } from "../examples/gitops/flows";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";
import { consumerProject, newAutomationStack, PACKAGE_ROOT, pulumiCli } from "./support/consumer";
import { FLOW_ACTIVATION_TYPE } from "./support/stack";

const EXAMPLES_DIR = path.join(PACKAGE_ROOT, "examples");
/**
 * The TypeScript examples (the YAML one has a suite of its own, test/providerPluginYaml.test.ts, and
 * the Python and Go ones test/languageExamples.test.ts).
 */
const EXAMPLES = fs
  .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .filter((name) => {
    const project = path.join(EXAMPLES_DIR, name, "Pulumi.yaml");
    return (
      !fs.existsSync(project) ||
      !/^runtime:\s*(yaml|python|go)\s*$/m.test(fs.readFileSync(project, "utf8"))
    );
  })
  .sort();

function readExampleFile(example: string, file: string): string {
  return fs.readFileSync(path.join(EXAMPLES_DIR, example, file), "utf8");
}

/** A top-level scalar of a Pulumi.yaml (flat keys only: no YAML dependency needed). */
function topLevelValue(yaml: string, key: string): string | undefined {
  return new RegExp(`^${key}:[ \\t]*(.+?)[ \\t]*$`, "m")
    .exec(yaml)?.[1]
    ?.replace(/^["']|["']$/g, "");
}

/** The keys declared under `config:` in a Pulumi.yaml. */
function declaredConfigKeys(yaml: string): string[] {
  const block = /^config:[ \t]*\n((?:(?:[ \t]+.*|[ \t]*#.*|)\n?)*)/m.exec(yaml)?.[1] ?? "";
  return [...block.matchAll(/^ {2}([A-Za-z][\w:]*):/gm)].map((match) => match[1]!).sort();
}

/** The project config keys a program reads (`config.get("x")`, `config.requireObject<T>("x")`, …). */
function configKeysRead(source: string): string[] {
  const keys = [...source.matchAll(/\bconfig\.(?:get|require)\w*(?:<[^>]*>)?\("([^"]+)"/g)];
  return [...new Set(keys.map((match) => match[1]!))].sort();
}

/** The `with:` inputs of the workflow step that runs pulumi/actions with `command: <command>`. */
function actionInputs(workflow: string, command: string): Record<string, string> {
  const lines = workflow.split("\n");
  const at = lines.findIndex((line) => line.trim() === `command: ${command}`);
  if (at < 0) throw new Error(`the workflow has no step with command: ${command}`);
  const indent = lines[at]!.search(/\S/);
  let start = at;
  while (start > 0 && lines[start - 1]!.trim() !== "with:") start -= 1;
  const inputs: Record<string, string> = {};
  for (const line of lines.slice(start)) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (line.search(/\S/) < indent) break;
    const [, key, value] = /^\s+([\w-]+):\s*(.*?)\s*$/.exec(line) ?? [];
    if (key && line.search(/\S/) === indent) inputs[key] = value ?? "";
  }
  return inputs;
}

const GITOPS_WORKFLOW = readExampleFile("gitops", ".github/workflows/medialive.yml");
/** The inputs of the workflow's preview step (the one that comments on the PR) and of its up. */
const WORKFLOW_PREVIEW = actionInputs(GITOPS_WORKFLOW, "preview");
const WORKFLOW_UP = actionInputs(GITOPS_WORKFLOW, "up");
/** The stack the workflow's matrix deploys. */
const WORKFLOW_STACK = /^\s+stack: \[(\w[\w-]*)\]$/m.exec(GITOPS_WORKFLOW)?.[1] ?? "";

/**
 * The workflow's `pulumi preview`: pulumi/actions@v6 calls the Automation API's `stack.preview`
 * with its `refresh` and `diff` inputs as options, and comments the stdout.
 */
async function previewAsTheWorkflowDoes(automation: AutomationStack): Promise<CliRun> {
  const stack = await automation.stack();
  const { stdout, stderr } = await stack.preview({
    refresh: WORKFLOW_PREVIEW.refresh === "true",
    diff: WORKFLOW_PREVIEW.diff === "true",
    color: "never",
  });
  return { stdout, stderr };
}

/** The workflow's `pulumi up` on main, with its `refresh` input. */
async function upAsTheWorkflowDoes(automation: AutomationStack): Promise<CliRun> {
  const stack = await automation.stack();
  const { stdout, stderr, outputs } = await stack.up({
    refresh: WORKFLOW_UP.refresh === "true",
    color: "never",
  });
  return {
    stdout,
    stderr,
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([key, output]) => [key, output.value]),
    ),
  };
}

/** What a CLI run gave, for {@link ExampleStack.run}. */
interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
  readonly outputs?: Record<string, unknown>;
}

/** A run with the simulator requests it caused: route names per flow id, in order. */
type ExampleRun<T extends CliRun> = T & { readonly requests: Record<string, string[]> };

/**
 * An example's own program, compiled from its source into the consumer project, as a stack of the
 * real CLI against a simulator: the example's project name (so `new pulumi.Config()` reads its
 * keys), its config values, and the simulator's location and default credentials.
 */
class ExampleStack {
  readonly automation: AutomationStack;

  constructor(
    private readonly simulator: Simulator,
    example: string,
    config: Record<string, unknown>,
    private readonly stackName = "dev",
  ) {
    const projectName = topLevelValue(readExampleFile(example, "Pulumi.yaml"), "name")!;
    const { program } = writeExampleProgram(
      consumerProject(),
      path.join(EXAMPLES_DIR, example),
      `examples-test-${example}`,
    );
    const values: Record<string, ConfigEntry> = {
      "huaweicloud:liveEndpoint": { value: simulator.url },
      "huaweicloud:projectId": { value: simulator.projectId },
      "huaweicloud:region": { value: "ap-southeast-3" },
      "huaweicloud:accessKey": { value: SIMULATOR_DEFAULTS.accessKey, secret: true },
      "huaweicloud:secretKey": { value: SIMULATOR_DEFAULTS.secretKey, secret: true },
    };
    for (const [key, value] of Object.entries(config)) {
      // Structured values as JSON, which the program's `config.requireObject` parses.
      values[`${projectName}:${key}`] = {
        value: typeof value === "string" ? value : JSON.stringify(value),
      };
    }
    this.automation = newAutomationStack({ projectName, stackName, program, config: values });
  }

  /** The stack's `Pulumi.<stack>.yaml` in the workspace. */
  get stackFile(): string {
    return path.join(this.automation.workDir, `Pulumi.${this.stackName}.yaml`);
  }

  /** Changes the stack file, as a pull request would. */
  editStackFile(edit: (text: string) => string): void {
    const before = fs.readFileSync(this.stackFile, "utf8");
    const after = edit(before);
    if (after === before) throw new Error("the edit changed nothing in the stack file");
    fs.writeFileSync(this.stackFile, after);
  }

  /** Runs a CLI operation and adds the requests the simulator received meanwhile. */
  async run<T extends CliRun>(
    operation: (automation: AutomationStack) => Promise<T>,
  ): Promise<ExampleRun<T>> {
    const since = this.simulator.journal.at(-1)?.sequence ?? 0;
    const result = await operation(this.automation);
    const requests: Record<string, string[]> = {};
    for (const entry of this.simulator.journal.filter((item) => item.sequence > since)) {
      (requests[entry.flowId ?? "(no flow)"] ??= []).push(entry.route);
    }
    return { ...result, requests };
  }

  /** Removes the stack, its workspace and its backend. */
  async remove(): Promise<void> {
    await this.automation.remove();
    fs.rmSync(this.automation.backendDir, { recursive: true, force: true });
  }
}

/** The flows of the gitops example's Pulumi.prod.yaml, by entry name: `name` → `flowId`. */
function prodFlowIds(stackFile: string): Record<string, string> {
  return Object.fromEntries(
    [...stackFile.matchAll(/- name: (\S+)\n\s+flowId: (\S+)/g)].map((match) => [
      match[1]!,
      match[2]!,
    ]),
  );
}

/**
 * The gitops example as CI deploys it: the workflow's stack with the repository's own
 * `Pulumi.prod.yaml`, against a simulator holding its three flows (stopped, under their ids).
 */
async function gitopsProd(): Promise<{
  simulator: Simulator;
  ids: Record<string, string>;
  stack: ExampleStack;
}> {
  const stackFile = readExampleFile("gitops", `Pulumi.${WORKFLOW_STACK}.yaml`);
  const ids = prodFlowIds(stackFile);
  const simulator = await startSimulator({
    flows: Object.entries(ids).map(([name, flowId]) => ({ flowId, name, status: "STANDBY" })),
  });
  const stack = new ExampleStack(simulator, "gitops", {}, WORKFLOW_STACK);
  // Before the stack is created, so that the CLI reads the flow list from the file CI uses.
  fs.writeFileSync(stack.stackFile, stackFile);
  return { simulator, ids, stack };
}

interface PackageJson {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
}

describe("examples", () => {
  it("finds the TypeScript examples", () => {
    expect(EXAMPLES).to.include.members([
      "broadcast",
      "broadcast-schedule",
      "gitops",
      "quickstart",
    ]);
  });

  describe("each example is a complete Pulumi project", () => {
    for (const example of EXAMPLES) {
      it(`${example}: has Pulumi.yaml, package.json, tsconfig.json, index.ts and README.md`, () => {
        for (const file of [
          "Pulumi.yaml",
          "package.json",
          "tsconfig.json",
          "index.ts",
          "README.md",
        ]) {
          expect(
            fs.existsSync(path.join(EXAMPLES_DIR, example, file)),
            `${example}/${file}`,
          ).to.equal(true);
        }
      });

      it(`${example}: Pulumi.yaml names a TypeScript nodejs project with a description and config`, () => {
        const yaml = readExampleFile(example, "Pulumi.yaml");
        const packageJson = JSON.parse(readExampleFile(example, "package.json")) as PackageJson;
        expect(topLevelValue(yaml, "name")).to.equal(packageJson.name);
        expect(topLevelValue(yaml, "description")).to.be.a("string").and.not.equal("");
        expect(yaml).to.match(
          /^runtime:[ \t]*\n[ \t]+name:[ \t]*nodejs[ \t]*\n[ \t]+options:[ \t]*\n[ \t]+typescript:[ \t]*true[ \t]*$/m,
        );
        expect(declaredConfigKeys(yaml).length).to.be.greaterThan(0);
      });

      it(`${example}: declares in Pulumi.yaml exactly the config keys index.ts reads`, () => {
        const declared = declaredConfigKeys(readExampleFile(example, "Pulumi.yaml"));
        expect(configKeysRead(readExampleFile(example, "index.ts"))).to.deep.equal(declared);
      });

      it(`${example}: package.json depends on this checkout and @pulumi/pulumi ^3.216.0`, () => {
        const packageJson = JSON.parse(readExampleFile(example, "package.json")) as PackageJson;
        expect(packageJson.main).to.equal("index.ts");
        expect(packageJson.dependencies).to.deep.equal({
          "@pulumi/pulumi": "^3.216.0",
          "pulumi-huaweicloud-medialive": "file:../..",
        });
      });

      it(`${example}: its stack files hold no secrets`, () => {
        const stackFiles = fs
          .readdirSync(path.join(EXAMPLES_DIR, example))
          .filter((file) => /^Pulumi\..+\.yaml$/.test(file));
        for (const file of stackFiles) {
          const settings = readExampleFile(example, file).replace(/^\s*#.*$/gm, "");
          expect(settings, file).to.not.match(
            /secure:|accessKey|secretKey|securityToken|authToken/,
          );
        }
      });
    }

    it("the root Pulumi.yaml runs an existing example, under that example's project name", () => {
      const root = fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.yaml"), "utf8");
      const main = topLevelValue(root, "main");
      expect(main).to.be.a("string");
      const exampleDir = path.resolve(PACKAGE_ROOT, main!);
      expect(path.dirname(exampleDir)).to.equal(EXAMPLES_DIR);
      expect(EXAMPLES).to.include(path.basename(exampleDir));
      expect(fs.existsSync(path.join(exampleDir, "index.ts"))).to.equal(true);
      // Stack config keys are namespaced by project name, so the two names must agree.
      const example = fs.readFileSync(path.join(exampleDir, "Pulumi.yaml"), "utf8");
      expect(topLevelValue(root, "name")).to.equal(topLevelValue(example, "name"));
    });

    it("gitops: the workflow previews PRs with a comment, a refresh and the diff, and runs up on main", () => {
      const workflow = readExampleFile("gitops", ".github/workflows/medialive.yml");
      expect(workflow).to.match(
        /^on:\n {2}pull_request:\n {4}branches: \[main\]\n {2}push:\n {4}branches: \[main\]$/m,
      );
      expect(workflow).to.match(/^permissions:\n {2}contents: read\n {2}pull-requests: write\n\n/m);
      const previewStep =
        /uses: pulumi\/actions@v6\n\s+with:\n\s+command: preview\n(?:\s+.*\n)*?\s+comment-on-pr: true\n\s+github-token: \$\{\{ secrets\.GITHUB_TOKEN \}\}\n(?:\s+#.*\n)*\s+refresh: true\n/;
      expect(workflow).to.match(previewStep);
      // Without `diff`, the comment would name the resources to update but not what changes.
      expect(WORKFLOW_PREVIEW).to.include({
        command: "preview",
        "comment-on-pr": "true",
        refresh: "true",
        diff: "true",
      });
      expect(workflow).to.match(/uses: pulumi\/actions@v6\n\s+with:\n\s+command: up\n/);
      expect(WORKFLOW_UP).to.include({ command: "up", refresh: "true" });
      expect(WORKFLOW_STACK).to.equal("prod");
      expect(
        workflow.match(/group: medialive-\$\{\{ matrix\.stack \}\}\n\s+cancel-in-progress: false/g),
      ).to.have.length(2);
      expect(
        workflow.match(/uses: actions\/setup-node@v4\n\s+with:\n\s+node-version: 20\n/g),
      ).to.have.length(2);
      expect(workflow.match(/- run: npm ci\n/g)).to.have.length(2);
    });

    it("gitops: credentials reach the workflow's Pulumi steps only as env vars from secrets", () => {
      const lines = readExampleFile("gitops", ".github/workflows/medialive.yml").split("\n");
      const secretLines = lines
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => /secrets\.(HW_|PULUMI_ACCESS_TOKEN)/.test(line));
      expect(secretLines).to.have.length(10);
      for (const { line, index } of secretLines) {
        const [, name, secret] = /^\s+([A-Z_]+): \$\{\{ secrets\.([A-Z_]+) \}\}$/.exec(line) ?? [];
        expect(name, line).to.be.a("string");
        expect(name, line).to.equal(secret);
        // The enclosing block (the nearest line indented less) is `env:`, not `with:`.
        const indent = line.search(/\S/);
        const parent = lines
          .slice(0, index)
          .reverse()
          .find((candidate) => candidate.trim() !== "" && candidate.search(/\S/) < indent);
        expect(parent?.trim(), line).to.equal("env:");
      }
    });
  });

  describe("each example type-checks as a consumer's project", () => {
    let consumer: ConsumerProject;

    before(function () {
      // The first call packs the package and npm-installs it with @pulumi/pulumi (cached after).
      this.timeout(180_000);
      consumer = consumerProject();
    });

    for (const example of EXAMPLES) {
      it(`${example}: its .ts files compile with its own tsconfig, against the installed package`, () => {
        const sourceDir = path.join(EXAMPLES_DIR, example);
        const targetDir = path.join(consumer.dir, "typecheck", example);
        fs.rmSync(targetDir, { recursive: true, force: true });
        fs.mkdirSync(targetDir, { recursive: true });
        const files = fs
          .readdirSync(sourceDir)
          .filter((file) => file.endsWith(".ts"))
          .sort();
        for (const file of files) {
          fs.copyFileSync(path.join(sourceDir, file), path.join(targetDir, file));
        }

        const configFile = ts.readConfigFile(
          path.join(sourceDir, "tsconfig.json"),
          ts.sys.readFile,
        );
        expect(configFile.error, "tsconfig.json").to.equal(undefined);
        const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, targetDir);
        // The example's own `tsc` must see every file too.
        expect(parsed.fileNames.map((file) => path.basename(file)).sort()).to.deep.equal(files);
        const options: ts.CompilerOptions = {
          ...parsed.options,
          noEmit: true,
          typeRoots: [path.join(PACKAGE_ROOT, "node_modules", "@types")],
          types: ["node"],
        };
        const program = ts.createProgram({
          rootNames: files.map((file) => path.join(targetDir, file)),
          options,
        });
        const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
        const report = ts.formatDiagnostics(diagnostics, {
          getCanonicalFileName: (file) => file,
          getCurrentDirectory: () => targetDir,
          getNewLine: () => "\n",
        });
        expect(diagnostics.length, report).to.equal(0);
        expect(options.strict).to.equal(true);

        // The imports resolved to the installed tarball's declarations, not to this checkout.
        const loaded = program.getSourceFiles().map((file) => path.resolve(file.fileName));
        const installed = path.join(consumer.dir, "node_modules");
        expect(loaded).to.include(
          path.join(installed, "pulumi-huaweicloud-medialive", "dist", "index.d.ts"),
        );
        expect(
          loaded.some((file) => file.startsWith(path.join(installed, "@pulumi", "pulumi"))),
        ).to.equal(true);
      });
    }
  });

  describe("each example runs through the real Pulumi CLI against the simulator", function () {
    // Every CLI operation starts the engine, the program and the provider host: seconds each, more
    // on a loaded machine.
    this.timeout(300_000);

    before(function () {
      // The first calls build or find the CLI and pack and install the package (cached after).
      this.timeout(900_000);
      pulumiCli();
      consumerProject();
    });

    it("quickstart: previews with no call, starts the flow on up, and stops it on destroy (onDelete: stop)", async () => {
      const simulator = await startSimulator({ flows: [{ name: "news-desk", status: "STANDBY" }] });
      const flowId = simulator.listFlows()[0]!.flowId;
      const stack = new ExampleStack(simulator, "quickstart", { flowId });
      try {
        const preview = await stack.run((automation) => automation.preview());
        expect(preview.error).to.equal(undefined);
        expect(preview.steps.map((step) => `${step.op} ${step.name}`)).to.deep.equal([
          "create news",
        ]);
        expect(preview.requests).to.deep.equal({});

        const up = await stack.run((automation) => automation.up());
        expect(up.error).to.equal(undefined);
        expect(up.requests).to.deep.equal({ [flowId]: ["detail", "start"] });
        expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
        expect(up.outputs).to.deep.equal({
          flowName: "news-desk",
          status: "ACTIVE",
          statusBeforeActivation: "STANDBY",
        });
        expect((await stack.run((automation) => automation.up())).requests).to.deep.equal({});

        const destroy = await stack.run((automation) => automation.destroy());
        expect(destroy.error).to.equal(undefined);
        expect(destroy.requests).to.deep.equal({ [flowId]: ["stop"] });
        expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
      } finally {
        await stack.remove();
        await simulator.close();
      }
    });

    it("broadcast: creates the flow with its outputs and starts it; a port change is one modify call; destroy stops, then deletes", async () => {
      const simulator = await startSimulator();
      const passphrase = "studio-feed-passphrase-31";
      const stack = new ExampleStack(simulator, "broadcast", {
        srtPassphrase: passphrase,
        cdnHost: "cdn.example.com",
      });
      try {
        const preview = await stack.run((automation) => automation.preview());
        expect(preview.error).to.equal(undefined);
        expect(preview.steps.map((step) => `${step.op} ${step.name}`)).to.deep.equal([
          "create channel",
          "create on-air",
        ]);
        expect(preview.requests).to.deep.equal({});

        const up = await stack.run((automation) => automation.up());
        expect(up.error).to.equal(undefined);
        const flowId = up.outputs.flowId as string;
        expect(up.requests).to.deep.equal({
          [flowId]: ["create", "createOutputs", "detail", "start"],
        });
        expect(simulator.getFlow(flowId)).to.include({ name: "evening-news", status: "ACTIVE" });
        const sources = simulator.getFlowSources(flowId)!;
        expect(sources.map((source) => source.name).sort()).to.deep.equal(["studio", "truck"]);
        expect(sources.find((source) => source.name === "studio")!.decryption).to.deep.include({
          passphrase,
          algorithm: "aes256",
        });
        expect(Object.keys(up.outputs.outputs as object).sort()).to.deep.equal([
          "cdn",
          "monitoring",
        ]);
        expect(up.stdout).not.to.contain(passphrase);

        await stack.automation.setConfig({ "medialive-broadcast:cdnPort": { value: "9001" } });
        const change = await stack.run((automation) => automation.up());
        expect(change.error).to.equal(undefined);
        expect(change.requests).to.deep.equal({ [flowId]: ["modifyOutput"] });
        expect(
          simulator.getFlowOutputs(flowId)!.find((output) => output.name === "cdn")!.port,
        ).to.equal(9001);

        const destroy = await stack.run((automation) => automation.destroy());
        expect(destroy.error).to.equal(undefined);
        expect(destroy.requests).to.deep.equal({ [flowId]: ["stop", "detail", "delete"] });
        expect(simulator.getFlow(flowId)).to.equal(undefined);
      } finally {
        await stack.remove();
        await simulator.close();
      }
    });

    it("broadcast-schedule: each up follows the schedule at `at`, and destroy restores each flow (onDelete: restore)", async () => {
      const simulator = await startSimulator({
        flows: [
          { name: "news", status: "STANDBY" },
          // Left running from a rehearsal: the schedule stops it.
          { name: "sport", status: "ACTIVE" },
          { name: "overnight", status: "STANDBY" },
        ],
      });
      const ids = Object.fromEntries(simulator.listFlows().map((flow) => [flow.name, flow.flowId]));
      const statuses = (): Record<string, string> =>
        Object.fromEntries(simulator.listFlows().map((flow) => [flow.name, flow.status]));
      const config = {
        flows: { news: ids.news, sport: ids.sport, overnight: ids.overnight },
        // The windows of Pulumi.example.yaml.
        schedule: [
          { flow: "news", from: "06:00", to: "09:00" },
          { flow: "news", from: "18:00", to: "20:30" },
          { flow: "sport", from: "13:00", to: "17:00" },
          { flow: "overnight", from: "23:00", to: "05:00" },
        ],
        timeZone: "+08:00",
        at: "2025-06-01T07:30:00+08:00",
        onDelete: "restore",
      };
      const stack = new ExampleStack(simulator, "broadcast-schedule", config);
      try {
        const preview = await stack.run((automation) => automation.preview());
        expect(preview.error).to.equal(undefined);
        expect(preview.steps.map((step) => `${step.op} ${step.name}`).sort()).to.deep.equal([
          "create news",
          "create overnight",
          "create sport",
        ]);
        expect(preview.requests).to.deep.equal({});

        // 07:30 in UTC+8: the morning news is on air, nothing else.
        const morning = await stack.run((automation) => automation.up());
        expect(morning.error).to.equal(undefined);
        expect(morning.requests).to.deep.equal({
          [ids.news!]: ["detail", "start"],
          [ids.sport!]: ["detail", "stop"],
          [ids.overnight!]: ["detail"],
        });
        expect(statuses()).to.deep.equal({
          news: "ACTIVE",
          sport: "STANDBY",
          overnight: "STANDBY",
        });
        expect(morning.outputs).to.deep.equal({
          evaluatedAt: "2025-05-31T23:30:00.000Z",
          desiredStatuses: { news: "ACTIVE", sport: "STANDBY", overnight: "STANDBY" },
          statuses: { news: "ACTIVE", sport: "STANDBY", overnight: "STANDBY" },
        });

        // The next scheduled run, at 23:30: the news goes off air and the overnight flow on.
        await stack.automation.setConfig({
          "medialive-broadcast-schedule:at": { value: "2025-06-01T23:30:00+08:00" },
        });
        const lateEvening = await stack.run((automation) => automation.preview());
        expect(lateEvening.error).to.equal(undefined);
        expect(
          lateEvening.steps.filter((step) => step.op === "update").map((step) => step.name),
        ).to.have.members(["news", "overnight"]);
        expect(lateEvening.requests).to.deep.equal({});
        const night = await stack.run((automation) => automation.up());
        expect(night.error).to.equal(undefined);
        expect(night.requests).to.deep.equal({
          [ids.news!]: ["stop"],
          [ids.overnight!]: ["start"],
        });
        expect(statuses()).to.deep.equal({
          news: "STANDBY",
          sport: "STANDBY",
          overnight: "ACTIVE",
        });

        // restore: each flow goes back to the status it had before the stack first touched it.
        const destroy = await stack.run((automation) => automation.destroy());
        expect(destroy.error).to.equal(undefined);
        expect(statuses()).to.deep.equal({
          news: "STANDBY",
          sport: "ACTIVE",
          overnight: "STANDBY",
        });
        expect(destroy.requests).to.deep.equal({
          [ids.sport!]: ["start"],
          [ids.overnight!]: ["stop"],
        });
      } finally {
        await stack.remove();
        await simulator.close();
      }
    });

    it("gitops: deploys Pulumi.prod.yaml as the workflow's up does; protect keeps news through a destroy, studio-b keeps its console changes, and destroy stops the flows (onDelete: stop)", async () => {
      const { simulator, ids, stack } = await gitopsProd();
      const statuses = (): Record<string, string> =>
        Object.fromEntries(simulator.listFlows().map((flow) => [flow.name, flow.status]));
      const inState = async (): Promise<string[]> =>
        (await stack.automation.resourcesOfType(FLOW_ACTIVATION_TYPE))
          .map((resource) => resource.urn.split("::").at(-1)!)
          .sort();
      try {
        const preview = await stack.run((automation) => automation.preview());
        expect(preview.error).to.equal(undefined);
        expect(preview.steps.map((step) => `${step.op} ${step.name}`).sort()).to.deep.equal([
          "create news",
          "create sport",
          "create studio-b",
        ]);
        expect(preview.requests).to.deep.equal({});

        const merged = await stack.run(upAsTheWorkflowDoes);
        expect(merged.requests).to.deep.equal({
          [ids.news!]: ["detail", "start"],
          [ids.sport!]: ["detail"],
          [ids["studio-b"]!]: ["detail", "start"],
        });
        expect(statuses()).to.deep.equal({
          news: "ACTIVE",
          sport: "STANDBY",
          "studio-b": "ACTIVE",
        });
        expect(merged.outputs).to.deep.equal({
          statuses: { news: "ACTIVE", sport: "STANDBY", "studio-b": "ACTIVE" },
          flowNames: { news: "news", sport: "sport", "studio-b": "studio-b" },
        });

        // protect: true guards news alone: the engine still destroys the other flows (studio-b is
        // stopped) and then fails on news, which stays in the stack and on air.
        const refused = await stack.run((automation) => automation.destroy());
        expect(refused.error).to.match(
          /FlowActivation::news" cannot be deleted\s+because it is protected/,
        );
        expect(refused.requests).to.deep.equal({ [ids["studio-b"]!]: ["stop"] });
        expect(await inState()).to.deep.equal(["news"]);
        expect(statuses()).to.deep.equal({
          news: "ACTIVE",
          sport: "STANDBY",
          "studio-b": "STANDBY",
        });

        // The next up puts back what the stack file still lists.
        const restored = await stack.run(upAsTheWorkflowDoes);
        expect(restored.requests).to.deep.equal({
          [ids.news!]: ["detail"],
          [ids.sport!]: ["detail"],
          [ids["studio-b"]!]: ["detail", "start"],
        });
        expect(await inState()).to.deep.equal(["news", "sport", "studio-b"]);

        // respectConsoleChanges: the studio team stops studio-b, and the next up leaves it stopped.
        simulator.setFlowStatus(ids["studio-b"]!, "STANDBY");
        const next = await stack.run(upAsTheWorkflowDoes);
        expect(next.requests).to.deep.equal({
          [ids.news!]: ["detail"],
          [ids.sport!]: ["detail"],
          [ids["studio-b"]!]: ["detail"],
        });
        expect(statuses()).to.deep.equal({
          news: "ACTIVE",
          sport: "STANDBY",
          "studio-b": "STANDBY",
        });

        // A PR lifts the protection; once it is applied, destroy runs onDelete: stop on every flow
        // (only news is still running).
        stack.editStackFile((text) => text.replace("protect: true", "protect: false"));
        expect((await stack.run(upAsTheWorkflowDoes)).error).to.equal(undefined);
        const destroy = await stack.run((automation) => automation.destroy());
        expect(destroy.error).to.equal(undefined);
        expect(destroy.requests).to.deep.equal({ [ids.news!]: ["stop"] });
        expect(await inState()).to.deep.equal([]);
        expect(statuses()).to.deep.equal({
          news: "STANDBY",
          sport: "STANDBY",
          "studio-b": "STANDBY",
        });
      } finally {
        await stack.remove();
        await simulator.close();
      }
    });

    it("gitops: the PR comment's report is the workflow's real `pulumi preview --refresh --diff`, showing each planned desiredStatus change", async () => {
      const { simulator, ids, stack } = await gitopsProd();
      try {
        expect((await stack.run(upAsTheWorkflowDoes)).error).to.equal(undefined);

        // The pull request starts sport; meanwhile someone stopped news in the console.
        stack.editStackFile((text) =>
          text.replace(/(- name: sport\n\s+flowId: \S+\n\s+desiredStatus:) STANDBY/, "$1 ACTIVE"),
        );
        simulator.setFlowStatus(ids.news!, "STANDBY");

        // The workflow's preview step, with the inputs it is given there.
        const preview = await stack.run(previewAsTheWorkflowDoes);
        // The refresh reads each flow; the preview itself starts and stops nothing.
        expect(preview.requests).to.deep.equal({
          [ids.news!]: ["detail"],
          [ids.sport!]: ["detail"],
          [ids["studio-b"]!]: ["detail"],
        });
        expect(simulator.getFlow(ids.news!)!.status).to.equal("STANDBY");
        expect(simulator.getFlow(ids.sport!)!.status).to.equal("STANDBY");

        // pulumi/actions posts this stdout, as it is, as the pull request comment's report.
        const report = preview.stdout;
        // What the reviewer reads: each flow that will change, and its desiredStatus old => new.
        for (const name of ["sport", "news"]) {
          expect(report, name).to.match(
            new RegExp(
              `~ pulumi-nodejs:dynamic/medialive:FlowActivation: \\(update\\)(?: 🔒)?\\n\\s+\\[id=${ids[name]}\\]\\n\\s+\\[urn=[^\\]]+::${name}\\]\\n\\s+~ desiredStatus: "STANDBY" => "ACTIVE"\\n`,
            ),
          );
        }
        expect(report).to.match(/~ 2 to update/);
        expect(report).to.not.match(/studio-b\]\n\s+~ desiredStatus/);

        // Merging applies exactly what the comment showed.
        const merged = await stack.run(upAsTheWorkflowDoes);
        expect(merged.requests).to.deep.equal({
          [ids.news!]: ["detail", "start"],
          [ids.sport!]: ["detail", "start"],
          [ids["studio-b"]!]: ["detail"],
        });
        expect(simulator.getFlow(ids.news!)!.status).to.equal("ACTIVE");
        expect(simulator.getFlow(ids.sport!)!.status).to.equal("ACTIVE");
      } finally {
        await stack.remove();
        await simulator.close();
      }
    });
  });

  describe("broadcast-schedule: schedule.ts", () => {
    const FLOWS = ["news", "sport", "overnight", "allday", "late"];

    function schedule(windows: ScheduleWindowConfig[], timeZone = "UTC"): Schedule {
      return parseSchedule(windows, FLOWS, timeZone);
    }

    function statusAt(parsed: Schedule, flow: string, isoTime: string): string {
      return desiredStatusAt(parsed, flow, new Date(isoTime));
    }

    const day = schedule([
      { flow: "news", from: "06:00", to: "09:00" },
      { flow: "news", from: "18:00", to: "20:30" },
      { flow: "sport", from: "13:00", to: "17:00" },
      { flow: "overnight", from: "23:00", to: "05:00" },
      { flow: "allday", from: "00:00", to: "24:00" },
      { flow: "late", from: "22:00", to: "24:00" },
    ]);

    const table: [flow: string, time: string, expected: "ACTIVE" | "STANDBY"][] = [
      ["news", "2025-06-01T05:59:59Z", "STANDBY"],
      ["news", "2025-06-01T06:00:00Z", "ACTIVE"],
      ["news", "2025-06-01T08:59:59Z", "ACTIVE"],
      ["news", "2025-06-01T09:00:00Z", "STANDBY"],
      ["news", "2025-06-01T12:00:00Z", "STANDBY"],
      ["news", "2025-06-01T18:00:00Z", "ACTIVE"],
      ["news", "2025-06-01T20:29:00Z", "ACTIVE"],
      ["news", "2025-06-01T20:30:00Z", "STANDBY"],
      ["sport", "2025-06-01T07:00:00Z", "STANDBY"],
      ["sport", "2025-06-01T13:00:00Z", "ACTIVE"],
      ["overnight", "2025-06-01T22:59:00Z", "STANDBY"],
      ["overnight", "2025-06-01T23:00:00Z", "ACTIVE"],
      ["overnight", "2025-06-01T23:59:59Z", "ACTIVE"],
      ["overnight", "2025-06-02T00:00:00Z", "ACTIVE"],
      ["overnight", "2025-06-02T04:59:00Z", "ACTIVE"],
      ["overnight", "2025-06-02T05:00:00Z", "STANDBY"],
      ["overnight", "2025-06-02T12:00:00Z", "STANDBY"],
      ["allday", "2025-06-01T00:00:00Z", "ACTIVE"],
      ["allday", "2025-06-01T12:34:00Z", "ACTIVE"],
      ["allday", "2025-06-01T23:59:59Z", "ACTIVE"],
      ["late", "2025-06-01T21:59:00Z", "STANDBY"],
      ["late", "2025-06-01T23:59:00Z", "ACTIVE"],
      ["late", "2025-06-02T00:00:00Z", "STANDBY"],
    ];
    for (const [flow, time, expected] of table) {
      it(`${flow} at ${time} is ${expected}`, () => {
        expect(statusAt(day, flow, time)).to.equal(expected);
      });
    }

    it("keeps a channel without windows stopped, and ignores other channels' windows", () => {
      const onlySport = schedule([{ flow: "sport", from: "00:00", to: "24:00" }]);
      expect(statusAt(onlySport, "news", "2025-06-01T12:00:00Z")).to.equal("STANDBY");
      expect(statusAt(onlySport, "sport", "2025-06-01T12:00:00Z")).to.equal("ACTIVE");
      expect(statusAt(onlySport, "unlisted", "2025-06-01T12:00:00Z")).to.equal("STANDBY");
    });

    it("evaluates windows in the configured UTC offset", () => {
      const beijing = schedule([{ flow: "news", from: "06:00", to: "09:00" }], "+08:00");
      // 06:00 in UTC+8 is 22:00 UTC the day before.
      expect(statusAt(beijing, "news", "2025-05-31T21:59:00Z")).to.equal("STANDBY");
      expect(statusAt(beijing, "news", "2025-05-31T22:00:00Z")).to.equal("ACTIVE");
      expect(statusAt(beijing, "news", "2025-06-01T00:59:00Z")).to.equal("ACTIVE");
      expect(statusAt(beijing, "news", "2025-06-01T01:00:00Z")).to.equal("STANDBY");
      expect(statusAt(beijing, "news", "2025-06-01T06:00:00Z")).to.equal("STANDBY");

      const newYork = schedule([{ flow: "overnight", from: "23:00", to: "01:00" }], "-05:00");
      // 23:00-01:00 in UTC-5 is 04:00-06:00 UTC.
      expect(statusAt(newYork, "overnight", "2025-06-01T03:59:00Z")).to.equal("STANDBY");
      expect(statusAt(newYork, "overnight", "2025-06-01T04:00:00Z")).to.equal("ACTIVE");
      expect(statusAt(newYork, "overnight", "2025-06-01T05:59:00Z")).to.equal("ACTIVE");
      expect(statusAt(newYork, "overnight", "2025-06-01T06:00:00Z")).to.equal("STANDBY");

      const mumbai = schedule([{ flow: "news", from: "09:30", to: "10:00" }], "+05:30");
      expect(statusAt(mumbai, "news", "2025-06-01T04:00:00Z")).to.equal("ACTIVE");
      expect(statusAt(mumbai, "news", "2025-06-01T04:30:00Z")).to.equal("STANDBY");
    });

    it("reads time zones as UTC or a fixed offset", () => {
      expect(parseTimeZone("UTC")).to.equal(0);
      expect(parseTimeZone("Z")).to.equal(0);
      expect(parseTimeZone("+08:00")).to.equal(480);
      expect(parseTimeZone("-05:30")).to.equal(-330);
      expect(parseTimeZone("+14:00")).to.equal(840);
      expect(parseTimeZone("-12:00")).to.equal(-720);
      expect(localMinuteOfDay(new Date("2025-06-01T23:30:00Z"), 480)).to.equal(7 * 60 + 30);
      for (const bad of ["CET", "Europe/Paris", "+8", "+0800", "+15:00", "-12:30", "+08:60", ""]) {
        expect(() => parseTimeZone(bad), bad)
          .to.throw(ScheduleConfigError)
          .with.property("message")
          .that.matches(/^timeZone must be "UTC" or a UTC offset/)
          .and.include(JSON.stringify(bad));
      }
    });

    const invalidWindows: [what: string, entry: unknown, message: string][] = [
      [
        "not an object",
        "news 06:00-09:00",
        'schedule[1] "news 06:00-09:00": each window must be an object { flow, from, to }',
      ],
      [
        "a typo in a key",
        { flow: "news", form: "06:00", to: "09:00" },
        'schedule[1] {"flow":"news","form":"06:00","to":"09:00"}: unknown key "form"; a window has only flow, from and to',
      ],
      [
        "a channel not in flows",
        { flow: "sprot", from: "13:00", to: "17:00" },
        'schedule[1] {"flow":"sprot","from":"13:00","to":"17:00"}: flow must be one of the channels in flows (news, sport, overnight, allday, late), got "sprot"',
      ],
      [
        "a missing flow",
        { from: "13:00", to: "17:00" },
        "flow must be one of the channels in flows (news, sport, overnight, allday, late), got nothing",
      ],
      [
        "an hour past 23",
        { flow: "news", from: "25:00", to: "09:00" },
        'from must be a time of day "HH:MM" from 00:00 to 23:59, got "25:00"',
      ],
      [
        "a single-digit hour",
        { flow: "news", from: "6:00", to: "09:00" },
        'from must be a time of day "HH:MM" from 00:00 to 23:59, got "6:00"',
      ],
      ["minutes past 59", { flow: "news", from: "06:60", to: "09:00" }, 'got "06:60"'],
      [
        "a number (an unquoted YAML time)",
        { flow: "news", from: 360, to: "09:00" },
        'from must be a time of day "HH:MM" from 00:00 to 23:59, got 360',
      ],
      [
        "from at 24:00",
        { flow: "news", from: "24:00", to: "09:00" },
        'from must be a time of day "HH:MM" from 00:00 to 23:59, got "24:00"',
      ],
      [
        "to past 24:00",
        { flow: "news", from: "06:00", to: "24:30" },
        'to must be a time of day "HH:MM" from 00:00 to 24:00, got "24:30"',
      ],
      [
        "from equal to to",
        { flow: "news", from: "06:00", to: "06:00" },
        'from and to are the same time, so the window is empty or the whole day; write "00:00" to "24:00" for the whole day',
      ],
      [
        "00:00 to 00:00",
        { flow: "news", from: "00:00", to: "00:00" },
        "from and to are the same time",
      ],
    ];
    for (const [what, entry, message] of invalidWindows) {
      it(`rejects a window with ${what}, naming the entry`, () => {
        const windows = [{ flow: "news", from: "06:00", to: "09:00" }, entry];
        expect(() => parseSchedule(windows, FLOWS, "UTC"))
          .to.throw(ScheduleConfigError)
          .with.property("message")
          .that.includes(`schedule[1] ${JSON.stringify(entry)}: `)
          .and.includes(message);
      });
    }

    it("rejects a schedule that is not a list", () => {
      expect(() => parseSchedule({ news: "06:00-09:00" }, FLOWS, "UTC")).to.throw(
        ScheduleConfigError,
        'schedule must be a list of windows { flow, from, to }, got {"news":"06:00-09:00"}',
      );
    });

    it("reads flows as channel → flow id, in order", () => {
      const flows = parseFlows({ news: "flow-1", sport: "flow-2" });
      expect([...flows]).to.deep.equal([
        ["news", "flow-1"],
        ["sport", "flow-2"],
      ]);
    });

    const invalidFlows: [what: string, flows: unknown, message: string][] = [
      ["absent", undefined, "flows must be an object mapping each channel name to its flow id"],
      ["a list", ["flow-1"], "flows must be an object mapping each channel name to its flow id"],
      ["empty", {}, "flows must be an object mapping each channel name to its flow id"],
      [
        "a bad channel name",
        { "news desk": "flow-1" },
        "flows.news desk: a channel name must be 1-64 letters",
      ],
      [
        "a flow id that is not a string",
        { news: 42 },
        "flows.news: the flow id must be a non-empty string of at most 64 characters, got 42",
      ],
      [
        "an empty flow id",
        { news: " " },
        'flows.news: the flow id must be a non-empty string of at most 64 characters, got " "',
      ],
      [
        "one flow for two channels",
        { news: "flow-1", sport: "flow-1" },
        "flows.sport: flow flow-1 is already the flow of channel news; give each channel its own flow",
      ],
    ];
    for (const [what, flows, message] of invalidFlows) {
      it(`rejects flows that are ${what}, naming the entry`, () => {
        expect(() => parseFlows(flows))
          .to.throw(ScheduleConfigError)
          .with.property("message")
          .that.includes(message);
      });
    }

    it("evaluates at `at` when set, otherwise now", () => {
      const now = new Date("2025-06-01T12:00:00Z");
      expect(parseEvaluationTime(undefined, now)).to.equal(now);
      expect(parseEvaluationTime("", now)).to.equal(now);
      expect(parseEvaluationTime("2025-06-01T18:30:00Z", now).toISOString()).to.equal(
        "2025-06-01T18:30:00.000Z",
      );
      expect(parseEvaluationTime("2025-06-01T20:30+02:00", now).toISOString()).to.equal(
        "2025-06-01T18:30:00.000Z",
      );
      for (const bad of [
        "2025-06-01 18:30",
        "2025-06-01T18:30:00",
        "tomorrow",
        "2025-13-01T00:00:00Z",
      ]) {
        expect(() => parseEvaluationTime(bad, now), bad)
          .to.throw(ScheduleConfigError)
          .with.property("message")
          .that.matches(/^at must be an ISO 8601 time with a zone/)
          .and.includes(JSON.stringify(bad));
      }
    });

    it("gives the error the README shows for a misspelt channel", () => {
      const readme = readExampleFile("broadcast-schedule", "README.md").replace(/\s+/g, " ");
      const entries = [
        { flow: "news", from: "06:00", to: "09:00" },
        { flow: "news", from: "18:00", to: "20:30" },
        { flow: "sport", from: "13:00", to: "17:00" },
        { flow: "sprot", from: "13:00", to: "17:00" },
      ];
      let message = "";
      try {
        parseSchedule(entries, ["news", "sport", "overnight"], "UTC");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.not.equal("");
      expect(readme).to.include(message);
    });
  });

  describe("gitops: flows.ts", () => {
    it("fills in defaults and keeps the options", () => {
      expect(
        parseFlowList([
          { name: "news", flowId: "flow-1" },
          {
            name: "sport",
            flowId: "flow-2",
            desiredStatus: "STANDBY",
            protect: true,
            respectConsoleChanges: true,
            retainOnDelete: true,
          },
        ]),
      ).to.deep.equal([
        {
          name: "news",
          flowId: "flow-1",
          desiredStatus: "ACTIVE",
          protect: false,
          respectConsoleChanges: false,
          retainOnDelete: false,
        },
        {
          name: "sport",
          flowId: "flow-2",
          desiredStatus: "STANDBY",
          protect: true,
          respectConsoleChanges: true,
          retainOnDelete: true,
        },
      ]);
    });

    const invalid: [what: string, entry: unknown, message: string][] = [
      ["not an object", "news", "each entry must be an object { name, flowId, … }"],
      [
        "a typo in a key",
        { name: "sport", flowId: "flow-2", protected: true },
        'unknown key "protected"',
      ],
      ["no name", { flowId: "flow-2" }, "name must be 1-64 letters"],
      ["a repeated name", { name: "news", flowId: "flow-2" }, "name news is used twice"],
      [
        "no flow id",
        { name: "sport" },
        "flowId must be a non-empty string of at most 64 characters",
      ],
      ["a repeated flow", { name: "sport", flowId: "flow-1" }, "flow flow-1 is listed twice"],
      [
        "an unknown status",
        { name: "sport", flowId: "flow-2", desiredStatus: "RUNNING" },
        'desiredStatus must be "ACTIVE" or "STANDBY", got "RUNNING"',
      ],
      [
        "a string for a boolean",
        { name: "sport", flowId: "flow-2", protect: "yes" },
        'protect must be true or false, got "yes"',
      ],
    ];
    for (const [what, entry, message] of invalid) {
      it(`rejects an entry with ${what}, naming the entry`, () => {
        expect(() => parseFlowList([{ name: "news", flowId: "flow-1" }, entry]))
          .to.throw(FlowConfigError)
          .with.property("message")
          .that.includes(`flows[1] ${JSON.stringify(entry)}: `)
          .and.includes(message);
      });
    }

    it("rejects a list that is absent or empty", () => {
      expect(() => parseFlowList(undefined)).to.throw(FlowConfigError, "got nothing");
      expect(() => parseFlowList([])).to.throw(FlowConfigError, "flows must be a non-empty list");
    });
  });
});
