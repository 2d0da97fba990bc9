/**
 * Lifecycle edges through the real Pulumi engine, each with the flow's state changing and the
 * request sequence asserted: refresh and destroy after the endpoint, project and region changed in
 * stack config (they address the flow where it was created); a create for a flow that does not
 * exist; and the region the API reports for a flow beside the region configured.
 */
import { expect } from "chai";
import { startSimulator, type Simulator } from "../simulator";
import { consumerProject, pulumiCli } from "./support/consumer";
import { TestStack, type StackCredentials } from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKLIFECYCLEEDGES0001",
  secretKey: "SK-lifecycle-edges-6f5e4d3c2b1a",
};

describe("lifecycle edges through the real Pulumi engine", function () {
  this.timeout(120_000);
  let home: Simulator;
  let elsewhere: Simulator;

  before(async function () {
    this.timeout(900_000);
    pulumiCli();
    consumerProject();
    home = await startSimulator({ credentials: [CREDENTIALS] });
    elsewhere = await startSimulator({
      credentials: [CREDENTIALS],
      projectId: "ffeeddccbbaa99887766554433221100",
      region: "cn-north-4",
    });
  });
  after(async () => {
    await home?.close();
    await elsewhere?.close();
  });

  it("refreshes and destroys the flow where it was created after endpoint, project and region change in config", async () => {
    const flowId = home.createFlow({ status: "STANDBY" }).flowId;
    // The same flow id exists at the new location too, so a request sent there would succeed.
    elsewhere.createFlow({ flowId, status: "STANDBY" });
    const stack = new TestStack(home, CREDENTIALS, [{ name: "news", args: { flowId } }]);
    expect((await stack.run("up")).error).to.equal(undefined);
    expect(home.getFlow(flowId)!.status).to.equal("ACTIVE");

    await stack.automation.setConfig({
      "huaweicloud:liveEndpoint": { value: elsewhere.url },
      "huaweicloud:projectId": { value: elsewhere.projectId },
      "huaweicloud:region": { value: "cn-north-4" },
    });
    home.setFlowStatus(flowId, "STANDBY");
    const elsewhereBefore = elsewhere.journal.length;

    // With --run-program the provider is configured from the new config; refresh still reads the
    // flow at the endpoint and project the state recorded.
    const refresh = await stack.run("refresh", { runProgram: true });
    expect(refresh.error, refresh.error).to.equal(undefined);
    expect(refresh.routes).to.deep.equal(["detail"]);
    expect(home.journal.at(-1)!.projectId).to.equal(home.projectId);
    expect(await stack.outputsOf("news")).to.include({
      status: "STANDBY",
      endpoint: home.url,
      projectId: home.projectId,
    });

    // A preview with the new config plans a replacement: the flow would now resolve elsewhere.
    const preview = await stack.run("preview", { diff: true });
    expect(preview.stdout).to.match(
      /\+-pulumi-nodejs:dynamic\/medialive:FlowActivation: \(replace\)/,
    );

    // Someone starts it again; a second refresh records that, still at the recorded location.
    home.setFlowStatus(flowId, "ACTIVE");
    expect((await stack.run("refresh", { runProgram: true })).routes).to.deep.equal(["detail"]);
    expect((await stack.outputsOf("news")).status).to.equal("ACTIVE");
    const destroy = await stack.run("destroy", { runProgram: true });
    expect(destroy.error, destroy.error).to.equal(undefined);
    expect(destroy.routes).to.deep.equal(["stop"]);
    expect(home.getFlow(flowId)!.status).to.equal("STANDBY");
    expect(elsewhere.journal.length, "nothing was sent to the new location").to.equal(
      elsewhereBefore,
    );
    expect(elsewhere.getFlow(flowId)!.status).to.equal("STANDBY");
  });

  it("waits for an asynchronous start: the answer says STARTING, polls see it become ACTIVE", async () => {
    const flowId = home.createFlow({ status: "STANDBY" }).flowId;
    // The start is accepted but the flow is still starting when the API answers.
    home.injectFault(
      "start",
      { kind: "body", body: { flow_id: flowId, status: "STARTING" } },
      1,
      flowId,
    );
    const journaled = (route: string): number =>
      home.requestCount({ route: route as "detail", flowId });
    const transition = setInterval(() => {
      if (journaled("start") === 1 && home.getFlow(flowId)!.status === "STANDBY")
        home.setFlowStatus(flowId, "STARTING");
      // The first poll after the start still reads STARTING; the flow is up just after it.
      if (journaled("detail") === 2) {
        home.setFlowStatus(flowId, "ACTIVE");
        clearInterval(transition);
      }
    }, 2);
    try {
      const stack = new TestStack(home, CREDENTIALS, [{ name: "news", args: { flowId } }]);
      const up = await stack.run("up");
      expect(up.error, up.error).to.equal(undefined);
      expect(up.routes).to.deep.equal(["detail", "start", "detail", "detail"]);
      expect(await stack.outputsOf("news")).to.include({
        status: "ACTIVE",
        statusBeforeActivation: "STANDBY",
      });
    } finally {
      clearInterval(transition);
    }
  });

  it("fails a create for a flow that does not exist with one clear line, recording nothing", async () => {
    const missing = "0badf10w-0000-4000-8000-000000000000";
    const stack = new TestStack(home, CREDENTIALS, [{ name: "ghost", args: { flowId: missing } }]);
    const up = await stack.run("up");
    const message = up.errors.find((error) => error.includes(missing)) ?? "";
    expect(message).to.include(
      `FlowActivation: flow ${missing} does not exist in project ${home.projectId} at ${home.url}; check flowId, projectId and region.`,
    );
    // The read is refused with the generic 400; a list of the project's flows confirms it is absent.
    expect(up.routes, "no start or stop").to.deep.equal(["detail", "list"]);
    expect(await stack.activations()).to.deep.equal([]);
  });

  it("reports the flow's own region when only an endpoint is configured, and the configured one otherwise", async () => {
    const flowId = elsewhere.createFlow({ status: "STANDBY", region: "cn-north-4" }).flowId;
    const endpointOnly = new TestStack(
      elsewhere,
      CREDENTIALS,
      [{ name: "news", args: { flowId } }],
      {},
    );
    await endpointOnly.automation.setConfig({ "huaweicloud:region": undefined });
    expect((await endpointOnly.run("up")).error).to.equal(undefined);
    const reported = await endpointOnly.outputsOf("news");
    expect(reported.region).to.equal("cn-north-4");
    expect(reported.settingSources).to.deep.equal({
      projectId: "config",
      region: "flow",
      endpoint: "config",
    });
    expect((await endpointOnly.run("destroy")).error).to.equal(undefined);

    // Configured explicitly, the region stays what the stack says, whatever the flow reports.
    const configured = new TestStack(elsewhere, CREDENTIALS, [{ name: "news", args: { flowId } }]);
    expect((await configured.run("up")).error).to.equal(undefined);
    const declared = await configured.outputsOf("news");
    expect(declared.region).to.equal("ap-southeast-3");
    expect((declared.settingSources as Record<string, string>).region).to.equal("config");
    // No replacement on the next run: the recorded region is the configured one.
    const again = await configured.run("preview");
    expect(again.steps.map((step) => step.op)).to.deep.equal(["same"]);
  });
});
