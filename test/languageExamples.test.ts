/**
 * The provider plugin from Python and Go, through the real Pulumi CLI, as a user of those languages
 * runs it: the plugin installed from the tarball `npm run build` makes into a private
 * `PULUMI_HOME`, the project folder `examples/python` or `examples/go` copied as it is, stack config
 * set with `pulumi config set`, and the example's own commands (`preview`, `up`, `refresh`,
 * `destroy`) run against two simulators — one per region, each with its own project and
 * credentials, so a request that used the other provider's settings would be refused and show in
 * the journals.
 *
 * Neither language host can be installed here (reference/pulumi-cli.md), so each example is an
 * Automation API inline program: the Python one runs in a venv with Pulumi's Python SDK and the
 * generated sdk/python, the Go one is compiled against the generated sdk/go. Both are made once by
 * `scripts/example-runtimes.sh`, which `npm test` runs first; here it only prints their paths.
 */
import { expect } from "chai";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../engine/pulumiCli";
import type { Simulator } from "../simulator";
import { CliProject, type CliRun, type ExportedResource } from "./support/cliProject";
import { pulumiCli } from "./support/consumer";
import {
  BACKUP,
  installPluginAndInitStack,
  PRIMARY,
  routesSince,
  sequenceOf,
  startRegionSimulator,
  TOKENS,
  twoRegionConfig,
} from "./support/pluginProject";

const FLOW_ACTIVATION = TOKENS.flowActivation;
const FLOW = TOKENS.flow;
const PROVIDER = TOKENS.provider;
const SECRETS = [PRIMARY.secretKey, BACKUP.secretKey, PRIMARY.accessKey, BACKUP.accessKey];

/** What `scripts/example-runtimes.sh` made: the venv's python and the compiled Go example. */
interface Runtimes {
  readonly python: string;
  readonly go: string;
}

let runtimes: Runtimes | undefined;

/** The runtimes, made on first use (`npm test` has made them before mocha starts). */
function exampleRuntimes(): Runtimes {
  if (!runtimes) {
    const printed = execFileSync(
      "bash",
      [path.join(PACKAGE_ROOT, "scripts", "example-runtimes.sh")],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const paths = Object.fromEntries(
      printed
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)]),
    ) as Partial<Runtimes>;
    if (!paths.python || !paths.go) {
      throw new Error(`scripts/example-runtimes.sh printed no python and go paths:\n${printed}`);
    }
    runtimes = { python: paths.python, go: paths.go };
  }
  return runtimes;
}

/** One example: its folder, and how its program is started for a command. */
interface LanguageExample {
  readonly language: string;
  readonly folder: string;
  /** Its files that the README's section for the language quotes. */
  readonly quotedFiles: readonly string[];
  /** The executable and arguments of `command` on `stack`, run in the project folder. */
  readonly commandLine: (
    runtimes: Runtimes,
    projectDir: string,
    stack: string,
    command: string,
  ) => readonly [string, string[]];
}

const EXAMPLES: readonly LanguageExample[] = [
  {
    language: "Python",
    folder: "python",
    quotedFiles: ["__main__.py"],
    commandLine: (found, projectDir, stack, command) => [
      found.python,
      [path.join(projectDir, "__main__.py"), command, "--stack", stack],
    ],
  },
  {
    language: "Go",
    folder: "go",
    quotedFiles: ["main.go", "go.mod"],
    commandLine: (found, _projectDir, stack, command) => [found.go, ["-stack", stack, command]],
  },
];

describe("README: the Python and Go sections", () => {
  const readme = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8");
  for (const example of EXAMPLES) {
    it(`the ${example.language} section's code is the example's, word for word`, () => {
      const heading = `## Provider plugin (${example.language})`;
      const start = readme.indexOf(heading);
      expect(start, heading).to.be.greaterThan(-1);
      const section = readme.slice(start, readme.indexOf("\n## ", start + heading.length));
      // Every fenced block but the shell commands.
      const quoted = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)]
        .filter((match) => match[1] !== "sh")
        .map((match) => match[2]!);
      expect(quoted.length).to.be.greaterThanOrEqual(2);
      const sources = example.quotedFiles
        .map((file) =>
          fs.readFileSync(path.join(PACKAGE_ROOT, "examples", example.folder, file), "utf8"),
        )
        .join("\n");
      for (const code of quoted) expect(sources).to.include(code);
    });
  }
});

for (const example of EXAMPLES) {
  describe(`provider plugin huaweicloud-medialive: the ${example.language} example through the real CLI`, function () {
    // The runtimes are made before mocha starts; each command takes seconds.
    this.timeout(300_000);

    let primary: Simulator;
    let backup: Simulator;
    let project: CliProject;
    /** Every run of the example's program, for the secret scan. */
    const programRuns: CliRun[] = [];
    const stack = "dev";

    /** Runs the example's program and returns it with the requests each simulator received meanwhile. */
    async function runProgram(
      command: string,
      stackName = stack,
    ): Promise<CliRun & { primary: string[]; backup: string[] }> {
      const since = { primary: sequenceOf(primary), backup: sequenceOf(backup) };
      const [file, args] = example.commandLine(
        exampleRuntimes(),
        project.projectDir,
        stackName,
        command,
      );
      const started = Date.now();
      const result = await new Promise<CliRun>((resolve) => {
        execFile(
          file,
          args,
          {
            cwd: project.projectDir,
            env: { ...process.env, ...project.environment },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
          },
          (error, stdout, stderr) =>
            resolve({
              args: [command, stackName],
              stdout,
              stderr,
              code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
              elapsedMs: Date.now() - started,
            }),
        );
      });
      programRuns.push(result);
      return {
        ...result,
        primary: routesSince(primary, since.primary),
        backup: routesSince(backup, since.backup),
      };
    }

    async function activations(): Promise<Record<string, ExportedResource>> {
      const resources = await project.exportResources(stack);
      return Object.fromEntries(
        resources
          .filter((resource) => resource.type === FLOW_ACTIVATION)
          .map((resource) => [resource.urn.split("::").at(-1)!, resource]),
      );
    }

    before(async function () {
      exampleRuntimes();
      const cli = pulumiCli();
      primary = await startRegionSimulator(PRIMARY);
      backup = await startRegionSimulator(BACKUP);
      project = new CliProject({
        cli,
        sourceDir: path.join(PACKAGE_ROOT, "examples", example.folder),
        // The Automation API runs the `pulumi` it finds on PATH.
        env: { PATH: `${path.dirname(cli.binary)}${path.delimiter}${process.env.PATH ?? ""}` },
      });
      await installPluginAndInitStack(project, stack);
      await project.setConfig(stack, twoRegionConfig(primary, backup));
    });

    after(async () => {
      await primary?.close();
      await backup?.close();
      project?.remove();
    });

    it("preview shows both activations, the explicit provider and the new flow, and makes no API call", async () => {
      const preview = await runProgram("preview");
      expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
      expect(preview.stdout).to.include(`${FLOW_ACTIVATION}::primary`);
      expect(preview.stdout).to.include(`${FLOW_ACTIVATION}::backup`);
      expect(preview.stdout).to.include(`${PROVIDER}::backupProvider`);
      expect(preview.stdout).to.include(`${FLOW}::channel`);
      expect(preview.stdout).to.match(/\+ 5 to create/);
      expect(preview.stdout).to.match(/accessKey\s*: \[secret\]/);
      expect({ primary: preview.primary, backup: preview.backup }).to.deep.equal({
        primary: [],
        backup: [],
      });
    });

    it("up starts each flow through its own provider (stack config's region, and the second region) and creates the new flow", async () => {
      const up = await runProgram("up");
      expect(up.code, up.stdout + up.stderr).to.equal(0);
      // The activation and the new flow run at the same time: their calls interleave.
      expect({ primary: [...up.primary].sort(), backup: up.backup }).to.deep.equal({
        primary: ["create", "createOutputs", "detail", "start"],
        backup: ["detail", "start"],
      });
      // Every request was accepted: signed with that region's own keys, for its own project.
      for (const simulator of [primary, backup]) {
        expect(simulator.journal.every((entry) => entry.status === 200)).to.equal(true);
      }
      expect(primary.journal.every((entry) => entry.projectId === PRIMARY.projectId)).to.equal(
        true,
      );
      expect(backup.journal.every((entry) => entry.projectId === BACKUP.projectId)).to.equal(true);
      expect(primary.getFlow(PRIMARY.flowId)?.status).to.equal("ACTIVE");
      expect(backup.getFlow(BACKUP.flowId)?.status).to.equal("ACTIVE");
      // The program's own summary of the stack outputs.
      expect(up.stdout).to.include("output primaryStatus: ACTIVE");
      expect(up.stdout).to.include(`output backupRegion: ${BACKUP.region}`);

      // The new flow, in the stack config's region, with its one output at the address assigned.
      const created = primary.listFlows().find((flow) => flow.name === `channel-${stack}`);
      expect(created, "a flow named channel-dev").to.not.equal(undefined);
      expect(created!.status).to.equal("STANDBY");
      const sources = primary.getFlowSources(created!.flowId)!;
      expect(sources.map((source) => [source.name, source.protocol])).to.deep.equal([
        ["studio", "srt-listener"],
      ]);
      const outputs = primary.getFlowOutputs(created!.flowId)!;
      expect(outputs.map((output) => [output.name, output.protocol])).to.deep.equal([
        ["monitoring", "srt-listener"],
      ]);
      expect(up.stdout).to.include(`output channelFlowId: ${created!.flowId}`);
      expect(up.stdout).to.include(
        `output monitoringAddress: ${outputs[0]!.listener_address}:${outputs[0]!.port}`,
      );
      const channel = (await project.exportResources(stack)).find(
        (resource) => resource.type === FLOW,
      );
      expect(channel?.id).to.equal(created!.flowId);

      const state = await activations();
      expect(state.primary?.outputs).to.deep.include({
        status: "ACTIVE",
        region: PRIMARY.region,
        projectId: PRIMARY.projectId,
        endpoint: primary.url,
        settingSources: { projectId: "config", region: "config", endpoint: "config" },
      });
      expect(state.backup?.outputs).to.deep.include({
        status: "ACTIVE",
        region: BACKUP.region,
        projectId: BACKUP.projectId,
        endpoint: backup.url,
        onDelete: "restore",
        statusBeforeActivation: "STANDBY",
      });
      expect(state.backup?.provider).to.match(/::backupProvider::/);
    });

    it("refresh records a flow stopped outside Pulumi", async () => {
      primary.setFlowStatus(PRIMARY.flowId, "STANDBY");
      const refresh = await runProgram("refresh");
      expect(refresh.code, refresh.stdout + refresh.stderr).to.equal(0);
      // One read per resource (the new flow: its detail and its output's): the Automation API's
      // refresh skips the preview.
      expect({ primary: [...refresh.primary].sort(), backup: refresh.backup }).to.deep.equal({
        primary: ["detail", "detail", "showOutput"],
        backup: ["detail"],
      });
      const state = await activations();
      expect(state.primary?.outputs?.status).to.equal("STANDBY");
      // The refreshed inputs carry the observed status, so the next preview shows the repair.
      expect(state.primary?.inputs?.desiredStatus).to.equal("STANDBY");
      expect(state.backup?.outputs?.status).to.equal("ACTIVE");
    });

    it("preview shows the repair as desiredStatus STANDBY => ACTIVE, and makes no API call", async () => {
      const preview = await runProgram("preview");
      expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
      expect(preview.stdout).to.match(/~ desiredStatus\s*: "STANDBY" => "ACTIVE"/);
      expect(preview.stdout).to.match(/~ 1 to update/);
      expect({ primary: preview.primary, backup: preview.backup }).to.deep.equal({
        primary: [],
        backup: [],
      });
    });

    it("a repairing up starts the flow again, and leaves the other region alone", async () => {
      const up = await runProgram("up");
      expect(up.code, up.stdout + up.stderr).to.equal(0);
      expect({ primary: up.primary, backup: up.backup }).to.deep.equal({
        primary: ["start"],
        backup: [],
      });
      expect(primary.getFlow(PRIMARY.flowId)?.status).to.equal("ACTIVE");
      expect((await activations()).primary?.outputs?.status).to.equal("ACTIVE");
    });

    it(`a bad desiredStatus fails check, named in the ${example.language} program's output, before any API call`, async () => {
      const badStack = "bad-input";
      await project.succeed(["stack", "init", badStack]);
      await project.setConfig(badStack, {
        "huaweicloud-medialive:endpoint": primary.url,
        "huaweicloud-medialive:projectId": PRIMARY.projectId,
        flowId: PRIMARY.flowId,
        desiredStatus: "RUNNING",
        backupFlowId: BACKUP.flowId,
        backupRegion: BACKUP.region,
        backupProjectId: BACKUP.projectId,
        backupAccessKey: { value: BACKUP.accessKey, secret: true },
        backupSecretKey: { value: BACKUP.secretKey, secret: true },
      });
      const preview = await runProgram("preview", badStack);
      expect(preview.code).to.equal(1);
      const output = preview.stdout + preview.stderr;
      expect(output).to.match(/huaweicloud-medialive:index:FlowActivation resource 'primary'/);
      expect(output).to.include("property desiredStatus");
      expect(output).to.include('desiredStatus must be "ACTIVE" or "STANDBY"');
      // The program's own last word, after the CLI's error.
      expect(preview.stderr).to.match(
        /medialive-(python|go): preview failed \(see the error above\)/,
      );
      expect({ primary: preview.primary, backup: preview.backup }).to.deep.equal({
        primary: [],
        backup: [],
      });
    });

    it("destroy applies each onDelete (stop for the primary, restore (STANDBY) for the backup) and deletes the new flow", async () => {
      const destroy = await runProgram("destroy");
      expect(destroy.code, destroy.stdout + destroy.stderr).to.equal(0);
      expect({ primary: [...destroy.primary].sort(), backup: destroy.backup }).to.deep.equal({
        primary: ["delete", "detail", "stop"],
        backup: ["stop"],
      });
      expect(primary.getFlow(PRIMARY.flowId)?.status).to.equal("STANDBY");
      expect(backup.getFlow(BACKUP.flowId)?.status).to.equal("STANDBY");
      expect(primary.listFlows().map((flow) => flow.flowId)).to.deep.equal([PRIMARY.flowId]);
      expect(await project.exportResources(stack)).to.deep.equal([]);
    });

    it("keeps every secret out of every backend file and out of all output", () => {
      const files = project.backendFiles();
      expect(files.length).to.be.greaterThan(0);
      for (const file of files) {
        const text = fs.readFileSync(file, "utf8");
        for (const secret of SECRETS) expect(text, `${file} holds a secret`).to.not.include(secret);
      }
      const transcript = [
        project.transcript(),
        ...programRuns.map((run) => `${run.stdout}\n${run.stderr}`),
      ].join("\n");
      expect(transcript).to.include("Resources:");
      for (const secret of SECRETS) expect(transcript).to.not.include(secret);
      // Every simulator request was accepted: nothing failed over to someone else's credentials.
      for (const simulator of [primary, backup]) {
        expect(simulator.journal.every((entry) => entry.status === 200)).to.equal(true);
      }
    });
  });
}
