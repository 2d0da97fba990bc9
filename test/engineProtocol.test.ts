/**
 * FlowActivation through Pulumi's real machinery: the packed package installed in a consumer
 * project, the program run by the SDK under mocks (so `__provider` is the real serialized shim),
 * and the SDK's own dynamic-provider host driven over gRPC as the engine drives it. Every scenario
 * counts the requests the simulator received.
 */
import { expect } from "chai";
import { startSimulator, type Simulator } from "../simulator";
import { consumerProject } from "./support/consumer";
import { TestStack, type ActivationSpec, type StackCredentials } from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKENGINEPROTOCOLTEST1",
  secretKey: "SK-engine-protocol-secret-0f9e8d7c6b5a",
};

const activation = (
  name: string,
  flowId: string,
  args: Record<string, unknown> = {},
  options?: Record<string, unknown>,
): ActivationSpec => ({
  name,
  args: { flowId, ...args },
  ...(options ? { options } : {}),
});

describe("FlowActivation through Pulumi's provider host", function () {
  this.timeout(120_000);
  let simulator: Simulator;

  before(async function () {
    this.timeout(300_000);
    consumerProject();
    simulator = await startSimulator({ credentials: [CREDENTIALS] });
  });
  after(() => simulator?.close());
  afterEach(() => simulator.clearFaults());

  const newFlow = (status: "ACTIVE" | "STANDBY" = "STANDBY"): string =>
    simulator.createFlow({ status }).flowId;

  it("previews without a request, starts a STANDBY flow on up, and makes no call on a second up", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);

    const preview = await stack.run("preview");
    expect(preview.errors).to.deep.equal([]);
    expect(preview.steps.map((step) => step.kind)).to.deep.equal(["create"]);
    expect(preview.requests).to.equal(0);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");

    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    expect(up.routes).to.deep.equal(["detail", "start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    expect(up.exports).to.deep.equal({ statuses: { news: "ACTIVE" } });
    const outputs = [...stack.engine.state.values()][0]!.outputs;
    expect(outputs).to.include({
      flowId,
      desiredStatus: "ACTIVE",
      status: "ACTIVE",
      statusBeforeActivation: "STANDBY",
      projectId: simulator.projectId,
      region: "ap-southeast-3",
      endpoint: simulator.url,
      onDelete: "stop",
    });
    expect(outputs.timeouts).to.deep.equal({ create: "5m", update: "5m", delete: "5m" });

    const again = await stack.run("up");
    expect(again.errors).to.deep.equal([]);
    expect(again.steps.map((step) => step.kind)).to.deep.equal(["same"]);
    expect(again.requests).to.equal(0);
  });

  it("adopts a flow that is already ACTIVE without a start call", async () => {
    const flowId = newFlow("ACTIVE");
    const stack = new TestStack(simulator, CREDENTIALS, [activation("adopted", flowId)]);
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    expect(up.routes).to.deep.equal(["detail"]);
    expect([...stack.engine.state.values()][0]!.outputs).to.include({
      status: "ACTIVE",
      statusBeforeActivation: "ACTIVE",
    });
  });

  it("finds an out-of-band stop on refresh, previews the repair, and restarts on up", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    simulator.setFlowStatus(flowId, "STANDBY");

    const refresh = await stack.run("refresh");
    expect(refresh.errors).to.deep.equal([]);
    expect(refresh.routes).to.deep.equal(["detail"]);
    expect(refresh.steps[0]).to.include({ kind: "refresh" });
    expect(refresh.steps[0]!.changed).to.deep.equal(["status"]);
    const refreshed = [...stack.engine.state.values()][0]!;
    expect(refreshed.outputs.status).to.equal("STANDBY");
    expect(refreshed.inputs.desiredStatus).to.equal("STANDBY");

    const preview = await stack.run("preview");
    expect(preview.requests).to.equal(0);
    expect(preview.steps[0]).to.include({ kind: "update" });
    expect(preview.steps[0]!.changed).to.deep.equal(["desiredStatus"]);
    expect(preview.steps[0]!.values).to.deep.equal({
      desiredStatus: { old: "STANDBY", new: "ACTIVE" },
    });

    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    expect(up.routes).to.deep.equal(["start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    expect((await stack.run("up")).requests).to.equal(0);
  });

  it("respects a manual change with ignoreChanges: [desiredStatus]", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("news", flowId, {}, { ignoreChanges: ["desiredStatus"] }),
    ]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    simulator.setFlowStatus(flowId, "STANDBY");
    expect((await stack.run("refresh")).errors).to.deep.equal([]);
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    expect(up.requests).to.equal(0);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    expect([...stack.engine.state.values()][0]!.outputs).to.include({
      status: "STANDBY",
      desiredStatus: "STANDBY",
    });
  });

  it("waits out an undocumented status before acting, and times out naming it", async () => {
    const settling = newFlow();
    simulator.setFlowStatus(settling, "STARTING");
    // Whoever is starting the flow finishes just after our first read.
    const watcher = setInterval(() => {
      if (simulator.requestCount({ route: "detail", flowId: settling }) > 0) {
        clearInterval(watcher);
        simulator.setFlowStatus(settling, "ACTIVE");
      }
    }, 5);
    const stack = new TestStack(simulator, CREDENTIALS, [activation("settling", settling)]);
    const up = await stack.run("up");
    clearInterval(watcher);
    expect(up.errors).to.deep.equal([]);
    // One read, one poll that finds ACTIVE: adopted, no start call.
    expect(up.routes).to.deep.equal(["detail", "detail"]);
    expect([...stack.engine.state.values()][0]!.outputs).to.include({
      status: "ACTIVE",
      statusBeforeActivation: "STARTING",
    });

    const stuck = newFlow();
    simulator.setFlowStatus(stuck, "ERROR");
    const stuckStack = new TestStack(simulator, CREDENTIALS, [
      activation("stuck", stuck, { timeouts: { create: "2s" } }),
    ]);
    const failed = await stuckStack.run("up");
    expect(failed.errors.join("\n")).to.match(
      new RegExp(
        `FlowActivation create of flow ${stuck} timed out after 2s \\(last observed status ERROR\\)`,
      ),
    );
    expect(failed.routes.every((route) => route === "detail")).to.equal(true);
    expect([...stuckStack.engine.state.values()][0]!.outputs.status).to.equal("ERROR");
  });

  it("stops the flow when desiredStatus becomes STANDBY, with one call", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    stack.declare([activation("news", flowId, { desiredStatus: "STANDBY" })]);
    const preview = await stack.run("preview");
    expect(preview.requests).to.equal(0);
    expect(preview.steps[0]!.changed).to.deep.equal(["desiredStatus"]);
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    expect(up.routes).to.deep.equal(["stop"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
  });

  it("changes onDelete or timeouts without any API call", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    stack.declare([activation("news", flowId, { onDelete: "leave", timeouts: { update: "30s" } })]);
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    expect(up.steps[0]).to.include({ kind: "update" });
    expect(up.steps[0]!.changed).to.deep.equal(["onDelete", "timeouts"]);
    expect(up.requests).to.equal(0);
    expect([...stack.engine.state.values()][0]!.outputs).to.include({ onDelete: "leave" });
  });

  it("replaces on a flowId change: the old flow is stopped first, then the new one started", async () => {
    const oldFlow = newFlow();
    const nextFlow = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", oldFlow)]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    stack.declare([activation("news", nextFlow)]);
    const preview = await stack.run("preview");
    expect(preview.requests).to.equal(0);
    expect(preview.steps[0]).to.include({ kind: "replace" });
    expect(preview.steps[0]!.replaces).to.deep.equal(["flowId"]);
    const since = simulator.journal.at(-1)!.sequence;
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    const calls = simulator.journal
      .filter((entry) => entry.sequence > since)
      .map((entry) => `${entry.route} ${entry.flowId === oldFlow ? "old" : "new"}`);
    expect(calls).to.deep.equal(["stop old", "detail new", "start new"]);
    expect(simulator.getFlow(oldFlow)!.status).to.equal("STANDBY");
    expect(simulator.getFlow(nextFlow)!.status).to.equal("ACTIVE");
  });

  it("honours each onDelete mode on destroy", async () => {
    const stopped = newFlow();
    const left = newFlow();
    const restored = newFlow();
    const adoptedRestore = newFlow("ACTIVE");
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("stopped", stopped, { onDelete: "stop" }),
      activation("left", left, { onDelete: "leave" }),
      activation("restored", restored, { onDelete: "restore" }),
      activation("adopted", adoptedRestore, { onDelete: "restore" }),
    ]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    const destroy = await stack.run("destroy");
    expect(destroy.errors).to.deep.equal([]);
    expect(destroy.routes.sort()).to.deep.equal(["stop", "stop"]);
    expect(simulator.getFlow(stopped)!.status).to.equal("STANDBY");
    expect(simulator.getFlow(left)!.status).to.equal("ACTIVE");
    expect(simulator.getFlow(restored)!.status).to.equal("STANDBY");
    expect(simulator.getFlow(adoptedRestore)!.status).to.equal("ACTIVE");
    expect(stack.engine.state.size).to.equal(0);
  });

  it("treats a flow already stopped, or already gone, as deleted", async () => {
    const stoppedElsewhere = newFlow();
    const deletedElsewhere = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("a", stoppedElsewhere),
      activation("b", deletedElsewhere),
    ]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    simulator.setFlowStatus(stoppedElsewhere, "STANDBY");
    simulator.deleteFlow(deletedElsewhere);
    const destroy = await stack.run("destroy");
    expect(destroy.errors).to.deep.equal([]);
    expect(stack.engine.state.size).to.equal(0);
    // Each stop is answered 400 (already standby / not found) and settled by one read.
    expect(destroy.routes.sort()).to.deep.equal(["detail", "detail", "stop", "stop"]);
  });

  it("drops a resource whose flow no longer exists on refresh", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("gone", flowId)]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    simulator.deleteFlow(flowId);
    const refresh = await stack.run("refresh");
    expect(refresh.errors).to.deep.equal([]);
    expect(refresh.steps.map((step) => step.kind)).to.deep.equal(["refresh-gone"]);
    expect(stack.engine.state.size).to.equal(0);
  });

  it("absorbs throttling and 5xx answers during up", async () => {
    const flowId = newFlow();
    simulator.injectFault("detail", { kind: "status", status: 429, retryAfterSeconds: 1 });
    simulator.injectFault("start", { kind: "status", status: 503 }, 2);
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    expect(up.routes).to.deep.equal(["detail", "detail", "start", "start", "start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
  });

  it("records the observed state when a start keeps failing, and converges on the next up", async () => {
    const flowId = newFlow();
    simulator.injectFault(
      "start",
      { kind: "status", status: 500, errorMsg: "backend exploded" },
      6,
    );
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)], {
      extraConfig: { "huaweicloud:maxRetries": "5" },
    });
    const failed = await stack.run("up");
    expect(failed.errors).to.have.length.greaterThan(0);
    expect(failed.errors.join("\n")).to.match(
      /Media Live startFlow for flow .* failed after 6 attempts: HTTP 500 APIG\.9999 "backend exploded" \(request id [0-9a-f]+\)/,
    );
    const recorded = [...stack.engine.state.values()][0]!;
    expect(recorded.outputs).to.include({ status: "STANDBY", statusBeforeActivation: "STANDBY" });
    expect(recorded.outputs.__provider).to.be.a("string");

    const retried = await stack.run("up");
    expect(retried.errors).to.deep.equal([]);
    expect(retried.routes).to.deep.equal(["start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
  });

  it("settles a start whose answer was lost (applied, then the connection reset)", async () => {
    const flowId = newFlow();
    simulator.injectFault("start", { kind: "reset", afterApply: true });
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    // The retried start is answered "flow task is in active status"; one read settles it.
    expect(up.routes).to.deep.equal(["detail", "start", "start", "detail"]);
    expect([...stack.engine.state.values()][0]!.outputs.status).to.equal("ACTIVE");
  });

  it("fails invalid inputs in check, naming the property, with no request", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("bad", flowId, { desiredStatus: "RUNNING", timeouts: { create: "soon" } }),
    ]);
    const preview = await stack.run("preview");
    expect(preview.requests).to.equal(0);
    const text = preview.errors.join("\n");
    expect(text).to.include('desiredStatus: desiredStatus must be "ACTIVE" or "STANDBY"');
    expect(text).to.include('timeouts.create: "soon" is not a duration');
    const up = await stack.run("up");
    expect(up.requests).to.equal(0);
    expect(stack.engine.state.size).to.equal(0);
  });

  it("fails with every key and variable named when no credentials are configured", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, { accessKey: "", secretKey: "" }, [
      activation("news", flowId),
    ]);
    const up = await stack.run("up");
    expect(up.requests).to.equal(0);
    expect(up.errors.join("\n")).to.match(
      /huaweicloud:accessKey.*HW_ACCESS_KEY.*huaweicloud:secretKey.*HW_SECRET_KEY.*huaweicloud:authToken.*HW_AUTH_TOKEN/,
    );
  });

  it("keeps protected resources and leaves retained flows running on destroy", async () => {
    const kept = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("retained", kept, {}, { retainOnDelete: true }),
    ]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    const destroy = await stack.run("destroy");
    expect(destroy.errors).to.deep.equal([]);
    expect(destroy.requests).to.equal(0);
    expect(simulator.getFlow(kept)!.status).to.equal("ACTIVE");

    const guarded = newFlow();
    const protectedStack = new TestStack(simulator, CREDENTIALS, [
      activation("guarded", guarded, {}, { protect: true }),
    ]);
    expect((await protectedStack.run("up")).errors).to.deep.equal([]);
    const refused = await protectedStack.run("destroy");
    expect(refused.errors.join("\n")).to.match(/protected/);
    expect(refused.requests).to.equal(0);
    expect(simulator.getFlow(guarded)!.status).to.equal("ACTIVE");
  });

  it("serializes a small, identical, secret-free __provider that requires the installed package", async () => {
    const flows = [newFlow(), newFlow()];
    const token = "STS-TOKEN-engine-protocol-7a6b5c";
    const temporary = { ...CREDENTIALS, accessKey: "AKTEMPORARYENGINE01", securityToken: token };
    await simulator.close();
    simulator = await startSimulator({ credentials: [CREDENTIALS, temporary] });
    const tempFlows = flows.map(() => simulator.createFlow({}).flowId);
    const stack = new TestStack(
      simulator,
      temporary,
      tempFlows.map((flowId, index) => activation(`flow${index}`, flowId)),
      { env: { HW_LIVE_DEBUG: "1" } },
    );
    const up = await stack.run("up");
    expect(up.errors).to.deep.equal([]);
    const refresh = await stack.run("refresh");
    const destroy = await stack.run("destroy");
    expect(destroy.errors).to.deep.equal([]);

    const providers = up.steps.map((step) => step.outputs!.__provider as string);
    expect(new Set(providers).size).to.equal(1);
    const provider = providers[0]!;
    expect(Buffer.byteLength(provider)).to.be.at.most(4096);
    expect(provider).to.include('require("pulumi-huaweicloud-medialive/dynamic-provider")');

    const everything = JSON.stringify({
      steps: [up.steps, refresh.steps, destroy.steps],
      exports: up.exports,
      errors: [up.errors, refresh.errors, destroy.errors],
      hostOutput: [up.hostOutput, refresh.hostOutput, destroy.hostOutput],
    });
    // The debug log really ran (so the scan covers log lines), and nothing secret is anywhere.
    expect(up.hostOutput).to.include("[medialive] startFlow PUT");
    for (const secret of [temporary.secretKey, temporary.accessKey, token]) {
      expect(everything).not.to.include(secret);
    }
  });
});
