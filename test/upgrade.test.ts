/**
 * Upgrades never break existing stacks. A stack's state holds the serialized `__provider`, and the
 * engine runs the stored one for refresh and destroy, so the subpath it requires and the shape of
 * stored inputs and outputs are a contract with every stack ever deployed. As Pulumi's own
 * providers do, this deploys a stack with the previous release (0.1.0, `npm pack`ed from its commit
 * f926d9a and kept in `test/fixtures`), upgrades the project to this build, and checks through the
 * real CLI that preview shows no change, and that refresh, up and destroy work with the same flow.
 */
import { expect } from "chai";
import * as path from "node:path";
import { AutomationStack, type ConfigEntry } from "../engine/automationStack";
import { prepareConsumerProject } from "../engine/consumerProject";
import type { Simulator } from "../simulator";
import { consumerProject, PACKAGE_ROOT, pulumiCli } from "./support/consumer";
import { useEngineSimulator } from "./support/engineSuite";
import { FLOW_ACTIVATION_TYPE } from "./support/stack";

const PREVIOUS_RELEASE = path.join(__dirname, "fixtures", "pulumi-huaweicloud-medialive-0.1.0.tgz");
const CREDENTIALS = { accessKey: "AKUPGRADETEST0000001", secretKey: "SK-upgrade-test-3c2b1a09" };

describe("upgrading from the previous release (0.1.0) through the real Pulumi engine", function () {
  this.timeout(300_000);
  let simulator: Simulator;
  useEngineSimulator({ credentials: [CREDENTIALS] }, (started) => (simulator = started));

  it("keeps a 0.1.0 stack: no change in preview, and refresh, up and destroy work after the upgrade", async () => {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const config: Record<string, ConfigEntry> = {
      "huaweicloud:liveEndpoint": { value: simulator.url },
      "huaweicloud:projectId": { value: simulator.projectId },
      "huaweicloud:region": { value: "ap-southeast-3" },
      "huaweicloud:accessKey": { value: CREDENTIALS.accessKey, secret: true },
      "huaweicloud:secretKey": { value: CREDENTIALS.secretKey, secret: true },
    };
    const common = {
      cli: pulumiCli(),
      projectName: "medialive-upgrade",
      stackName: "prod",
      program: async ({ medialive }: { medialive: typeof import("../index") }) => {
        const news = new medialive.FlowActivation("news", { flowId, onDelete: "stop" });
        return { status: news.status };
      },
    };
    const before = new AutomationStack({
      ...common,
      project: prepareConsumerProject({ packageRoot: PACKAGE_ROOT, tarball: PREVIOUS_RELEASE }),
      config,
    });
    const since = (): number => simulator.journal.at(-1)?.sequence ?? 0;
    const routesAfter = (mark: number): string[] =>
      simulator.journal.filter((entry) => entry.sequence > mark).map((entry) => entry.route);

    const deployed = await before.up();
    expect(deployed.error, deployed.error).to.equal(undefined);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    const [old] = await before.resourcesOfType(FLOW_ACTIVATION_TYPE);
    // 0.1.0 stored its 2.5 kB shim; the upgrade must keep working with it in the state.
    expect(old!.outputs.__provider as string).to.include(
      'require("pulumi-huaweicloud-medialive/dynamic-provider").create(inputs)',
    );

    // The same stack, backend and workspace, now with this build installed.
    const after = new AutomationStack({
      ...common,
      project: consumerProject(),
      backendDir: before.backendDir,
      workDir: before.workDir,
    });
    let mark = since();
    const preview = await after.preview({ diff: true });
    expect(preview.error, preview.error).to.equal(undefined);
    expect(preview.steps.map((step) => step.op)).to.deep.equal(["same"]);
    expect(routesAfter(mark)).to.deep.equal([]);

    // Refresh runs the stored 0.1.0 provider text, which requires the installed (new) code.
    simulator.setFlowStatus(flowId, "STANDBY");
    mark = since();
    const refresh = await after.refresh();
    expect(refresh.error, refresh.error).to.equal(undefined);
    expect(routesAfter(mark)).to.deep.equal(["detail"]);
    const [refreshed] = await after.resourcesOfType(FLOW_ACTIVATION_TYPE);
    expect(refreshed!.outputs.status).to.equal("STANDBY");

    mark = since();
    const repaired = await after.up();
    expect(repaired.error, repaired.error).to.equal(undefined);
    expect(routesAfter(mark)).to.deep.equal(["start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");

    mark = since();
    const destroyed = await after.destroy();
    expect(destroyed.error, destroyed.error).to.equal(undefined);
    expect(routesAfter(mark)).to.deep.equal(["stop"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    expect(await after.resourcesOfType(FLOW_ACTIVATION_TYPE)).to.deep.equal([]);
  });
});
