/**
 * `Flow` from the provider plugin, through the real Pulumi CLI with the Pulumi YAML program
 * `examples/yaml/broadcast` as a YAML user runs it: the plugin installed from the tarball
 * `npm run build` makes, stack config set with `pulumi config set` (the studio feed's passphrase
 * as a secret), and `pulumi preview --diff`, `up`, an edit of the program, drift and `refresh`,
 * a repairing `up` and `destroy` against the simulator. The plugin serves Flow with the very
 * lifecycle the dynamic resource uses (`resources/flow/lifecycle.ts`).
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { MediaLiveClient } from "../client/mediaLiveClient";
import { PACKAGE_ROOT } from "../engine/pulumiCli";
import { startSimulator, type Simulator } from "../simulator";
import { CliProject, type CliRun, type ExportedResource } from "./support/cliProject";
import { pulumiCli } from "./support/consumer";
import { installPluginAndInitStack, TOKENS } from "./support/pluginProject";

const EXAMPLE = path.join(PACKAGE_ROOT, "examples", "yaml", "broadcast");
const FLOW = TOKENS.flow;
const FLOW_ACTIVATION = TOKENS.flowActivation;

/** Distinctive values, to be searched for in everything Pulumi wrote. */
const ACCOUNT = {
  region: "ap-southeast-3",
  projectId: "0a1b2c3d4e5f67890a1b2c3d4e5fflow",
  accessKey: "FLOWYAMLACCESSKEY0001",
  secretKey: "flow-yaml-secret-key-5c1d7a9e",
};
const PASSPHRASE = "studio-feed-passphrase-8e2f4a";
/** A passphrase a program writes as plain text (YAML marks no nested property secret). */
const PLAIN_TEXT_PASSPHRASE = "monitoring-wall-passphrase-3b7d";

/** Pulumi's marker of a secret value in a state file (`ciphertext` beside it). */
const SECRET_SIGNATURE = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
};

describe("provider plugin huaweicloud-medialive: Flow from a YAML program through the real CLI", function () {
  // A cold start may build the YAML language host (about a minute); each command takes seconds.
  this.timeout(600_000);

  let simulator: Simulator;
  let project: CliProject;
  const stack = "dev";

  /** Runs a CLI command and returns it with the simulator routes it called, in order. */
  async function run(args: readonly string[]): Promise<CliRun & { routes: string[] }> {
    const since = simulator.journal.at(-1)?.sequence ?? 0;
    const result = await project.run(args);
    const routes = simulator.journal
      .filter((entry) => entry.sequence > since)
      .map((entry) => entry.route);
    return { ...result, routes };
  }

  const command = (verb: string, ...extra: string[]): string[] => [
    verb,
    ...extra,
    "--non-interactive",
    "--stack",
    stack,
  ];

  /** The stack's resources by type: the Flow and the FlowActivation. */
  async function deployed(): Promise<{ flow?: ExportedResource; activation?: ExportedResource }> {
    const resources = await project.exportResources(stack);
    return {
      flow: resources.find((resource) => resource.type === FLOW),
      activation: resources.find((resource) => resource.type === FLOW_ACTIVATION),
    };
  }

  function flowIdOf(resource: ExportedResource | undefined): string {
    const flowId = resource?.outputs?.flowId;
    expect(flowId, "the Flow's flowId output").to.be.a("string");
    return flowId as string;
  }

  before(async function () {
    const cli = pulumiCli({ withYaml: true });
    simulator = await startSimulator({
      projectId: ACCOUNT.projectId,
      credentials: [{ accessKey: ACCOUNT.accessKey, secretKey: ACCOUNT.secretKey }],
      region: ACCOUNT.region,
    });
    project = new CliProject({ cli, sourceDir: EXAMPLE });
    await installPluginAndInitStack(project, stack);
    await project.setConfig(stack, {
      "huaweicloud-medialive:region": ACCOUNT.region,
      "huaweicloud-medialive:projectId": ACCOUNT.projectId,
      "huaweicloud-medialive:endpoint": simulator.url,
      "huaweicloud-medialive:accessKey": { value: ACCOUNT.accessKey, secret: true },
      "huaweicloud-medialive:secretKey": { value: ACCOUNT.secretKey, secret: true },
      srtPassphrase: { value: PASSPHRASE, secret: true },
      cdnHost: "cdn.example.com",
    });
  });

  after(async () => {
    await simulator?.close();
    project?.remove();
  });

  it("the README's Flow snippet is the example's, word for word", () => {
    const readme = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Provider plugin (YAML)"));
    const snippet = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((match) => match[1]!)
      .find((text) => text.includes(`type: ${FLOW}\n`));
    expect(snippet, "a yaml snippet with a Flow in the README's provider plugin section").to.be.a(
      "string",
    );
    expect(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8")).to.include(snippet!);
  });

  it("preview --diff shows the Flow and its activation, the passphrase as a secret, and makes no API call", async () => {
    const preview = await run(command("preview", "--diff"));
    expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
    expect(preview.stdout).to.include(`${FLOW}::channel`);
    expect(preview.stdout).to.include(`${FLOW_ACTIVATION}::onAir`);
    expect(preview.stdout).to.match(/\+ 3 to create/);
    expect(preview.stdout).to.match(/passphrase\s*:\s*\[secret\]/);
    expect(preview.stdout).to.match(/algorithm\s*:\s*"aes256"/);
    expect(preview.routes).to.deep.equal([]);
  });

  it("up creates the flow with its outputs, then starts it", async () => {
    const up = await run(command("up", "--yes", "--skip-preview"));
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect(up.routes).to.deep.equal(["create", "createOutputs", "detail", "start"]);
    expect(simulator.journal.every((entry) => entry.status === 200)).to.equal(true);

    const { flow, activation } = await deployed();
    const flowId = flowIdOf(flow);
    expect(flow?.id).to.equal(flowId);
    expect(activation?.inputs?.flowId).to.equal(flowId);
    expect(simulator.getFlow(flowId)).to.include({ name: "evening-news", status: "ACTIVE" });
    const sources = simulator.getFlowSources(flowId)!;
    expect(sources.map((source) => source.name).sort()).to.deep.equal(["studio", "truck"]);
    expect(sources.find((source) => source.name === "studio")!.decryption).to.deep.include({
      passphrase: PASSPHRASE,
      algorithm: "aes256",
    });
    expect(simulator.getFlowOutputs(flowId)!.map((output) => output.name)).to.deep.equal([
      "cdn",
      "monitoring",
    ]);

    // The Flow's status is the one observed when it was created; the activation then started it.
    expect(flow?.outputs).to.deep.include({ status: "STANDBY", name: "evening-news" });
    expect(activation?.outputs?.status).to.equal("ACTIVE");
    expect(Object.keys(flow?.outputs?.sourceEndpoints as object).sort()).to.deep.equal([
      "studio",
      "truck",
    ]);
    expect(flow?.outputs?.outputEndpoints).to.have.nested.property("monitoring.address");
    expect(up.stdout).to.match(/status\s*:\s*"ACTIVE"/);
    expect(up.stdout).to.match(new RegExp(`flowId\\s*:\\s*"${flowId}"`));
  });

  it("keeps the passphrase a secret at its own leaf in state, inputs and outputs alike", async () => {
    const { flow } = await deployed();
    for (const [where, values] of [
      ["inputs", flow?.inputs],
      ["outputs", flow?.outputs],
    ] as const) {
      const studio = (values?.sources as Record<string, Record<string, unknown>>).studio!;
      const decryption = studio.decryption as Record<string, unknown>;
      expect(decryption.passphrase, `${where}: the passphrase`).to.deep.include(SECRET_SIGNATURE);
      expect(decryption.passphrase, `${where}: the passphrase`).to.have.property("ciphertext");
      // Only the passphrase is encrypted; its siblings stay readable.
      expect(decryption.algorithm, where).to.equal("aes256");
      expect(studio.minLatency, where).to.equal(1200);
    }
  });

  it("an output changed in the YAML: preview --diff names just that output, and up makes one modifyOutput call", async () => {
    const file = path.join(project.projectDir, "Pulumi.yaml");
    const program = fs.readFileSync(file, "utf8");
    const edited = program.replace(
      "          protocol: srt-listener\n          minLatency: 500\n",
      "          protocol: srt-listener\n          minLatency: 800\n",
    );
    expect(edited, "the monitoring output's minLatency in the program").to.not.equal(program);
    fs.writeFileSync(file, edited);

    const preview = await run(command("preview", "--diff"));
    expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
    expect(preview.routes).to.deep.equal([]);
    expect(preview.stdout).to.match(/~ monitoring\s*:\s*\{[^}]*minLatency\s*:\s*500 => 800/);
    // Only the changed output carries the change marker; its sibling and the sources do not.
    expect(preview.stdout).not.to.match(/~ (cdn|sources|studio|truck)\b/);
    // The activation's flowId stays known (the plugin answers the preview itself): no change.
    expect(preview.stdout).to.match(/~ 1 to update/);
    expect(preview.stdout).not.to.match(/to replace|\+- /);
    expect(preview.stdout).not.to.match(new RegExp(`~ .*${FLOW_ACTIVATION}`));

    const up = await run(command("up", "--yes", "--skip-preview"));
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect(up.routes).to.deep.equal(["modifyOutput"]);
    const flowId = flowIdOf((await deployed()).flow);
    expect(
      simulator.getFlowOutputs(flowId)!.find((output) => output.name === "monitoring")!.min_latency,
    ).to.equal(800);
  });

  it("refresh records a flow stopped and an output changed outside Pulumi; the next up repairs both", async () => {
    const flowId = flowIdOf((await deployed()).flow);
    simulator.setFlowStatus(flowId, "STANDBY");
    const operator = new MediaLiveClient({
      projectId: ACCOUNT.projectId,
      endpoint: simulator.url,
      credentials: { accessKey: ACCOUNT.accessKey, secretKey: ACCOUNT.secretKey },
    });
    await operator.modifyFlowOutput(flowId, "cdn", { port: 9100 });

    const refresh = await run(command("refresh", "--yes", "--skip-preview"));
    expect(refresh.code, refresh.stdout + refresh.stderr).to.equal(0);
    // The Flow reads its detail and each output; the activation reads the detail.
    expect([...refresh.routes].sort()).to.deep.equal(
      ["detail", "detail", "showOutput", "showOutput"].sort(),
    );
    const { flow, activation } = await deployed();
    expect(flow?.outputs).to.have.nested.property("outputs.cdn.port", 9100);
    expect(flow?.inputs).to.have.nested.property("outputs.cdn.port", 9100);
    expect(flow?.outputs?.status).to.equal("STANDBY");
    expect(activation?.outputs?.status).to.equal("STANDBY");

    const preview = await run(command("preview", "--diff"));
    expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
    expect(preview.routes).to.deep.equal([]);
    expect(preview.stdout).to.match(/~ cdn\s*:\s*\{[^}]*port\s*:\s*9100 => 9000/);
    expect(preview.stdout).to.match(/~ desiredStatus\s*:\s*"STANDBY" => "ACTIVE"/);

    const up = await run(command("up", "--yes", "--skip-preview"));
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect([...up.routes].sort()).to.deep.equal(["modifyOutput", "start"]);
    expect(simulator.getFlow(flowId)?.status).to.equal("ACTIVE");
    expect(
      simulator.getFlowOutputs(flowId)!.find((output) => output.name === "cdn")!.port,
    ).to.equal(9000);
  });

  it("a bad Flow input fails check, naming the property, before any API call", async () => {
    const badStack = "bad-input";
    await project.succeed(["stack", "init", badStack]);
    await project.setConfig(badStack, {
      "huaweicloud-medialive:region": ACCOUNT.region,
      "huaweicloud-medialive:projectId": ACCOUNT.projectId,
      "huaweicloud-medialive:endpoint": simulator.url,
      srtPassphrase: { value: PASSPHRASE, secret: true },
      cdnHost: "cdn.example.com",
      cdnPort: "70000",
    });
    const preview = await run(["preview", "--non-interactive", "--stack", badStack]);
    expect(preview.code).to.not.equal(0);
    const output = preview.stdout + preview.stderr;
    expect(output).to.match(/huaweicloud-medialive:index:Flow resource 'channel'/);
    expect(output).to.match(/outputs\.cdn\.port.*must be 1-65535/);
    expect(preview.routes).to.deep.equal([]);
  });

  it("destroy stops the flow (the activation's onDelete), then deletes it", async () => {
    const flowId = flowIdOf((await deployed()).flow);
    const destroy = await run(command("destroy", "--yes", "--skip-preview"));
    expect(destroy.code, destroy.stdout + destroy.stderr).to.equal(0);
    expect(destroy.routes).to.deep.equal(["stop", "detail", "delete"]);
    expect(simulator.getFlow(flowId)).to.equal(undefined);
    expect(await deployed()).to.deep.equal({ flow: undefined, activation: undefined });
  });

  it("a passphrase written as plain text in the program is stored as a secret all the same", async () => {
    // Pulumi YAML honours `secret: true` only on a resource's top-level properties; the plugin
    // marks SrtEncryption.passphrase itself.
    const file = path.join(project.projectDir, "Pulumi.yaml");
    const program = fs.readFileSync(file, "utf8");
    const edited = program.replace(
      "          cidrWhitelist: [10.20.0.0/16]\n",
      `          cidrWhitelist: [10.20.0.0/16]\n          encryption:\n            passphrase: ${PLAIN_TEXT_PASSPHRASE}\n`,
    );
    expect(edited, "the monitoring output in the program").to.not.equal(program);
    fs.writeFileSync(file, edited);
    const plainStack = "plain-text";
    await project.succeed(["stack", "init", plainStack]);
    await project.setConfig(plainStack, {
      "huaweicloud-medialive:region": ACCOUNT.region,
      "huaweicloud-medialive:projectId": ACCOUNT.projectId,
      "huaweicloud-medialive:endpoint": simulator.url,
      "huaweicloud-medialive:accessKey": { value: ACCOUNT.accessKey, secret: true },
      "huaweicloud-medialive:secretKey": { value: ACCOUNT.secretKey, secret: true },
      srtPassphrase: { value: PASSPHRASE, secret: true },
      cdnHost: "cdn.example.com",
    });
    const stackArgs = ["--non-interactive", "--stack", plainStack];
    const up = await run(["up", "--yes", "--skip-preview", ...stackArgs]);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    const flow = (await project.exportResources(plainStack)).find(
      (resource) => resource.type === FLOW,
    );
    const flowId = flowIdOf(flow);
    expect(
      simulator.getFlowOutputs(flowId)!.find((output) => output.name === "monitoring")!.encryption,
    ).to.deep.include({ passphrase: PLAIN_TEXT_PASSPHRASE });
    for (const values of [flow?.inputs, flow?.outputs]) {
      expect(values).to.have.nested.property("outputs.monitoring.encryption.passphrase.ciphertext");
      expect(values).to.have.deep.nested.property(
        "outputs.monitoring.encryption.keyType",
        "srt-password",
      );
    }
    const destroy = await run(["destroy", "--yes", "--skip-preview", ...stackArgs]);
    expect(destroy.code, destroy.stdout + destroy.stderr).to.equal(0);
    expect(destroy.routes).to.deep.equal(["stop", "detail", "delete"]);
  });

  it("keeps the passphrases and the credentials out of every backend file and all CLI output", () => {
    const secrets = [PASSPHRASE, PLAIN_TEXT_PASSPHRASE, ACCOUNT.accessKey, ACCOUNT.secretKey];
    const files = project.backendFiles();
    expect(files.length).to.be.greaterThan(0);
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const secret of secrets) expect(text, `${file} holds a secret`).to.not.include(secret);
    }
    const transcript = project.transcript();
    expect(transcript).to.include("Resources:");
    for (const secret of secrets) expect(transcript).to.not.include(secret);
  });
});
