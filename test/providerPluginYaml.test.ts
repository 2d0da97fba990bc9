/**
 * The provider plugin through the real Pulumi CLI with a Pulumi YAML program, as a YAML user runs
 * it: the plugin installed from the tarball `npm run build` makes into a private `PULUMI_HOME`, the
 * project `examples/yaml` copied as it is, stack config set with `pulumi config set`, and `pulumi
 * preview --diff`, `up`, `refresh` and `destroy` against two simulators — one per region, each
 * with its own project and its own credentials, so a request that used the other provider's
 * settings would be refused and show in the journals.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../engine/pulumiCli";
import type { Simulator } from "../simulator";
import { CliProject, type CliRun, type ExportedResource } from "./support/cliProject";
import { pulumiCli } from "./support/consumer";
import {
  BACKUP,
  installPluginAndInitStack,
  PLUGIN_VERSION,
  PRIMARY,
  routesSince,
  sequenceOf,
  startRegionSimulator,
  TOKENS,
  twoRegionConfig,
} from "./support/pluginProject";

const FLOW_ACTIVATION = TOKENS.flowActivation;
const VERSION = PLUGIN_VERSION;

describe("provider plugin huaweicloud-medialive: a YAML program through the real CLI", function () {
  // A cold start may build the YAML language host (about a minute); each command takes seconds.
  this.timeout(600_000);

  let primary: Simulator;
  let backup: Simulator;
  let project: CliProject;
  const stack = "dev";

  /** Runs a CLI command and returns it with the requests each simulator received meanwhile. */
  async function run(
    args: readonly string[],
  ): Promise<CliRun & { primary: string[]; backup: string[] }> {
    const since = { primary: sequenceOf(primary), backup: sequenceOf(backup) };
    const result = await project.run(args);
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
    const cli = pulumiCli({ withYaml: true });
    primary = await startRegionSimulator(PRIMARY);
    backup = await startRegionSimulator(BACKUP);
    project = new CliProject({ cli, sourceDir: path.join(PACKAGE_ROOT, "examples", "yaml") });
    await installPluginAndInitStack(project, stack);
    await project.setConfig(stack, twoRegionConfig(primary, backup));
  });

  after(async () => {
    await primary?.close();
    await backup?.close();
    project?.remove();
  });

  it("the README's YAML program is the example's, word for word", () => {
    const readme = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Provider plugin (YAML)"));
    const snippet = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet, "a yaml snippet in the README's provider plugin section").to.be.a("string");
    const example = fs.readFileSync(
      path.join(PACKAGE_ROOT, "examples", "yaml", "Pulumi.yaml"),
      "utf8",
    );
    expect(example).to.include(snippet!);
  });

  it("installs the plugin from its tarball into PULUMI_HOME", async () => {
    const listed = await project.succeed(["plugin", "ls"]);
    expect(listed.stdout).to.match(new RegExp(`huaweicloud-medialive\\s+resource\\s+${VERSION}`));
  });

  it("preview --diff shows both activations and the explicit provider, and makes no API call", async () => {
    const preview = await run(["preview", "--diff", "--non-interactive", "--stack", stack]);
    expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
    expect(preview.stdout).to.include(`${FLOW_ACTIVATION}::primary`);
    expect(preview.stdout).to.include(`${FLOW_ACTIVATION}::backup`);
    expect(preview.stdout).to.include("pulumi:providers:huaweicloud-medialive::backupProvider");
    expect(preview.stdout).to.match(/\+ 4 to create/);
    // The explicit provider's credentials are shown as secrets.
    expect(preview.stdout).to.match(/accessKey: \[secret\]/);
    expect(preview.stdout).to.match(/secretKey: \[secret\]/);
    expect({ primary: preview.primary, backup: preview.backup }).to.deep.equal({
      primary: [],
      backup: [],
    });
  });

  it("up starts each flow through its own provider: stack config's region, and the second region", async () => {
    const up = await run(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack]);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect({ primary: up.primary, backup: up.backup }).to.deep.equal({
      primary: ["detail", "start"],
      backup: ["detail", "start"],
    });
    // Every request was accepted: signed with that region's own keys, for its own project.
    for (const simulator of [primary, backup]) {
      expect(simulator.journal.map((entry) => entry.status)).to.deep.equal([200, 200]);
    }
    expect(primary.journal.every((entry) => entry.projectId === PRIMARY.projectId)).to.equal(true);
    expect(backup.journal.every((entry) => entry.projectId === BACKUP.projectId)).to.equal(true);
    expect(primary.getFlow(PRIMARY.flowId)?.status).to.equal("ACTIVE");
    expect(backup.getFlow(BACKUP.flowId)?.status).to.equal("ACTIVE");
    expect(up.stdout).to.match(/primaryStatus\s*:\s*"ACTIVE"/);
    expect(up.stdout).to.match(/backupRegion\s*:\s*"ap-southeast-2"/);

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
    const refresh = await run([
      "refresh",
      "--yes",
      "--skip-preview",
      "--non-interactive",
      "--stack",
      stack,
    ]);
    expect(refresh.code, refresh.stdout + refresh.stderr).to.equal(0);
    expect({ primary: refresh.primary, backup: refresh.backup }).to.deep.equal({
      primary: ["detail"],
      backup: ["detail"],
    });
    const state = await activations();
    expect(state.primary?.outputs?.status).to.equal("STANDBY");
    // The refreshed inputs carry the observed status, so the next preview shows the repair.
    expect(state.primary?.inputs?.desiredStatus).to.equal("STANDBY");
    expect(state.backup?.outputs?.status).to.equal("ACTIVE");
  });

  it("preview --diff shows the repair as desiredStatus STANDBY => ACTIVE, and makes no API call", async () => {
    const preview = await run(["preview", "--diff", "--non-interactive", "--stack", stack]);
    expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
    expect(preview.stdout).to.match(/~ desiredStatus: "STANDBY" => "ACTIVE"/);
    expect(preview.stdout).to.match(/~ 1 to update/);
    expect({ primary: preview.primary, backup: preview.backup }).to.deep.equal({
      primary: [],
      backup: [],
    });
  });

  it("a repairing up starts the flow again, and leaves the other region alone", async () => {
    const up = await run(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack]);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect({ primary: up.primary, backup: up.backup }).to.deep.equal({
      primary: ["start"],
      backup: [],
    });
    expect(primary.getFlow(PRIMARY.flowId)?.status).to.equal("ACTIVE");
    expect((await activations()).primary?.outputs?.status).to.equal("ACTIVE");
  });

  it("a bad input fails check, naming the property, before any API call", async () => {
    const badStack = "bad-input";
    await project.succeed(["stack", "init", badStack]);
    await project.setConfig(badStack, {
      "huaweicloud-medialive:endpoint": primary.url,
      "huaweicloud-medialive:projectId": PRIMARY.projectId,
      flowId: "not a flow id",
      backupFlowId: BACKUP.flowId,
      backupRegion: BACKUP.region,
      backupProjectId: BACKUP.projectId,
      backupAccessKey: { value: BACKUP.accessKey, secret: true },
      backupSecretKey: { value: BACKUP.secretKey, secret: true },
    });
    const preview = await run(["preview", "--non-interactive", "--stack", badStack]);
    expect(preview.code).to.not.equal(0);
    const output = preview.stdout + preview.stderr;
    expect(output).to.match(/huaweicloud-medialive:index:FlowActivation resource 'primary'/);
    expect(output).to.include("flowId must be printable ASCII without spaces");
    expect({ primary: preview.primary, backup: preview.backup }).to.deep.equal({
      primary: [],
      backup: [],
    });
  });

  it("a misspelt provider config key fails CheckConfig, naming the key", async () => {
    const badStack = "bad-config";
    await project.succeed(["stack", "init", badStack]);
    await project.setConfig(badStack, {
      "huaweicloud-medialive:regoin": PRIMARY.region,
      flowId: PRIMARY.flowId,
      backupFlowId: BACKUP.flowId,
      backupRegion: BACKUP.region,
      backupProjectId: BACKUP.projectId,
      backupAccessKey: { value: BACKUP.accessKey, secret: true },
      backupSecretKey: { value: BACKUP.secretKey, secret: true },
    });
    const preview = await run(["preview", "--non-interactive", "--stack", badStack]);
    expect(preview.code).to.not.equal(0);
    expect(preview.stdout + preview.stderr).to.include(
      'unknown huaweicloud-medialive provider config "regoin"',
    );
    expect({ primary: preview.primary, backup: preview.backup }).to.deep.equal({
      primary: [],
      backup: [],
    });
  });

  it("destroy applies each onDelete: stop for the primary, restore (STANDBY) for the backup", async () => {
    const destroy = await run([
      "destroy",
      "--yes",
      "--skip-preview",
      "--non-interactive",
      "--stack",
      stack,
    ]);
    expect(destroy.code, destroy.stdout + destroy.stderr).to.equal(0);
    expect({ primary: destroy.primary, backup: destroy.backup }).to.deep.equal({
      primary: ["stop"],
      backup: ["stop"],
    });
    expect(primary.getFlow(PRIMARY.flowId)?.status).to.equal("STANDBY");
    expect(backup.getFlow(BACKUP.flowId)?.status).to.equal("STANDBY");
    expect(await activations()).to.deep.equal({});
  });

  it("keeps every secret out of every backend file and out of all CLI output", () => {
    const secrets = [PRIMARY.secretKey, BACKUP.secretKey, PRIMARY.accessKey, BACKUP.accessKey];
    const files = project.backendFiles();
    expect(files.length).to.be.greaterThan(0);
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const secret of secrets) expect(text, `${file} holds a secret`).to.not.include(secret);
    }
    const transcript = project.transcript();
    expect(transcript).to.include("Resources:");
    for (const secret of secrets) expect(transcript).to.not.include(secret);
    // Every simulator request was accepted: nothing failed over to someone else's credentials.
    for (const simulator of [primary, backup]) {
      expect(simulator.journal.every((entry) => entry.status === 200)).to.equal(true);
    }
  });
});
