/**
 * FlowActivation's lifecycle functions against the simulator over HTTP, for the decisions the main
 * provider-function suite leaves open: flows whose detail omits name or region, statuses the API
 * does not document (waited out, or still there at the deadline), a start refused with a 400 that
 * stands, state recorded at another project and endpoint than the one configured now, and calls
 * that must not need credentials at all.
 */
import { expect } from "chai";
import * as provider from "../resources/flowActivation/lifecycle";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";
import { checkedBy, PROVIDER_TEXT, rejection, stored } from "./support/lifecycleCalls";

/** Checked inputs, as the engine passes them to create and update. */
const checked = (args: Record<string, unknown>): Promise<Record<string, unknown>> =>
  checkedBy(provider.check, args);

describe("FlowActivation lifecycle edges against the simulator", function () {
  this.timeout(30_000);
  let simulator: Simulator;
  const routes = (since: number): string[] =>
    simulator.journal.filter((entry) => entry.sequence > since).map((entry) => entry.route);
  const mark = (): number => simulator.journal.at(-1)?.sequence ?? 0;

  const stackConfig = (): Record<string, string | undefined> => ({
    "huaweicloud:liveEndpoint": simulator.url,
    "huaweicloud:projectId": simulator.projectId,
    "huaweicloud:region": "ap-southeast-3",
    "huaweicloud:accessKey": SIMULATOR_DEFAULTS.accessKey,
    "huaweicloud:secretKey": SIMULATOR_DEFAULTS.secretKey,
    "huaweicloud:liveRequestTimeout": "10s",
    "huaweicloud:maxRetries": "2",
    "huaweicloud:liveRequestsPerSecond": "1000",
  });
  const configureWith = (config: Record<string, string | undefined>): Promise<void> =>
    provider.configure({ config: { get: (key) => config[key] } });

  before(async () => {
    simulator = await startSimulator({});
  });
  beforeEach(() => configureWith(stackConfig()));
  after(() => simulator.close());
  afterEach(() => simulator.clearFaults());

  /** A detail answer with exactly these fields (the simulator's flow is left as it is). */
  const detailAnswer = (flowId: string, fields: Record<string, unknown>, count = 1): void =>
    simulator.injectFault(
      "detail",
      { kind: "body", body: { flow_id: flowId, sources: [], outputs: [], ...fields } },
      count,
      flowId,
    );

  describe("what the flow's detail leaves out", () => {
    it("create records an empty flowName when the detail names no flow", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE", name: "named" }).flowId;
      detailAnswer(flowId, { status: "ACTIVE", region: "ap-southeast-3" });
      const since = mark();
      const created = await provider.create(await checked({ flowId }));
      expect(routes(since)).to.deep.equal(["detail"]);
      expect(created.outs.flowName).to.equal("");
      expect(created.outs.status).to.equal("ACTIVE");
    });

    it("refresh keeps the recorded flowName when the detail names no flow", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE", name: "news" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      detailAnswer(flowId, { status: "STANDBY" });
      const read = await provider.read(flowId, stored(created.outs));
      expect(read.props).to.include({ flowName: "news", status: "STANDBY" });
    });

    it("with no region configured, records the flow's own region as coming from the flow", async () => {
      await configureWith({ ...stackConfig(), "huaweicloud:region": undefined });
      const flowId = simulator.createFlow({ status: "ACTIVE", region: "eu-west-101" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      expect(created.outs.region).to.equal("eu-west-101");
      expect(created.outs.settingSources).to.deep.equal({
        projectId: "config",
        region: "flow",
        endpoint: "config",
      });
    });

    it("with no region configured and none in the detail, records an empty region", async () => {
      await configureWith({ ...stackConfig(), "huaweicloud:region": undefined });
      const flowId = simulator.createFlow({ status: "ACTIVE" }).flowId;
      detailAnswer(flowId, { status: "ACTIVE", name: "news" });
      const created = await provider.create(await checked({ flowId }));
      expect(created.outs.region).to.equal("");
      expect(created.outs.flowName).to.equal("news");
    });

    it("a configured region wins over the flow's own, and is recorded as from config", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE", region: "eu-west-101" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      expect(created.outs.region).to.equal("ap-southeast-3");
      expect(created.outs.settingSources).to.deep.equal({
        projectId: "config",
        region: "config",
        endpoint: "config",
      });
    });
  });

  describe("statuses the API does not document", () => {
    it("create waits out an undocumented status before starting, recording it as the status before", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      detailAnswer(flowId, { status: "STARTING" });
      // A second undocumented status read while waiting is waited out too.
      detailAnswer(flowId, { status: "STOPPING" });
      const since = mark();
      const created = await provider.create(await checked({ flowId, timeouts: { create: "10s" } }));
      expect(routes(since)).to.deep.equal(["detail", "detail", "detail", "start"]);
      expect(created.outs).to.include({ status: "ACTIVE", statusBeforeActivation: "STARTING" });
      expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    });

    it("update from a recorded undocumented status reads first and makes no call once it settled at the target", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      const since = mark();
      const updated = await provider.update(
        flowId,
        stored({ ...created.outs, status: "STARTING" }),
        await checked({ flowId, timeouts: { update: "10s" } }),
      );
      expect(routes(since)).to.deep.equal(["detail"]);
      expect(updated.outs.status).to.equal("ACTIVE");
    });

    it("a start answered with a status that never settles times out during the poll pause, naming the last status read", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId, desiredStatus: "STANDBY" }));
      simulator.injectFault("start", {
        kind: "body",
        body: { flow_id: flowId, status: "STARTING" },
      });
      detailAnswer(flowId, { status: "STOPPING" }, 2);
      detailAnswer(flowId, { status: "RECOVERING" }, 10);
      const since = mark();
      // Polls read at about 1 s and 3 s (1 s doubling); the 5.5 s deadline falls in the 4 s pause.
      const error = await rejection(
        provider.update(
          flowId,
          stored(created.outs),
          await checked({ flowId, timeouts: { update: "5.5s" } }),
        ),
      );
      expect(error.message).to.equal(
        `FlowActivation update of flow ${flowId} timed out after 5.5s (last observed status STOPPING); raise timeouts.update or retry.`,
      );
      expect(error.name).to.equal("OperationTimeoutError");
      expect(routes(since)).to.deep.equal(["start", "detail", "detail", "detail"]);
      expect(error.id).to.equal(flowId);
      expect(error.properties).to.include({ status: "RECOVERING", __provider: PROVIDER_TEXT });
      expect(error.reasons).to.deep.equal([error.message]);
    });
  });

  describe("a refused start", () => {
    it("a 400 while the flow is not at the target stands, after one read, with the status read", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      simulator.injectFault(
        "start",
        {
          kind: "status",
          status: 400,
          errorCode: "LIVE.100011001",
          errorMsg: "Invalid request parameter.",
        },
        1,
        flowId,
      );
      const since = mark();
      const error = await rejection(provider.create(await checked({ flowId })));
      expect(routes(since)).to.deep.equal(["detail", "start", "detail", "detail"]);
      expect(error.message).to.match(
        new RegExp(
          `^Media Live startFlow for flow ${flowId} failed: HTTP 400 LIVE\\.100011001 "Invalid request parameter\\.".* The flow is STANDBY\\.$`,
        ),
      );
      expect((error.cause as Error).message).to.equal(
        error.message.slice(0, -" The flow is STANDBY.".length),
      );
      expect(error.properties).to.include({ status: "STANDBY" });
      expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    });

    it("a refusal other than 400 surfaces as it is, with no read to settle it", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      simulator.injectFault("start", { kind: "status", status: 403 }, 1, flowId);
      const since = mark();
      const error = await rejection(provider.create(await checked({ flowId })));
      // The last read is the best-effort one that records the status after the failure.
      expect(routes(since)).to.deep.equal(["detail", "start", "detail"]);
      expect(error.message).to.match(new RegExp(`^Media Live startFlow for flow ${flowId} failed`));
      expect(error.message).to.match(/HTTP 403/);
      expect(error.message).not.to.match(/The flow is/);
      expect(error.properties).to.include({ status: "STANDBY" });
    });
  });

  describe("failures around the change", () => {
    it("create surfaces a refused first read as it is, with no list and no change", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      simulator.injectFault("detail", { kind: "status", status: 403 }, 1, flowId);
      const since = mark();
      const error = await rejection(provider.create(await checked({ flowId })));
      expect(routes(since)).to.deep.equal(["detail"]);
      expect(error.message).to.match(
        new RegExp(`^Media Live showFlowDetail for flow ${flowId} failed: HTTP 403`),
      );
      expect(error.id).to.equal(undefined);
      expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    });

    it("records the status last observed when the read after a failed start fails too", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId, desiredStatus: "STANDBY" }));
      simulator.injectFault("start", { kind: "status", status: 503 }, 3, flowId);
      simulator.injectFault("detail", { kind: "status", status: 503 }, 3, flowId);
      const since = mark();
      const error = await rejection(
        provider.update(flowId, stored(created.outs), await checked({ flowId })),
      );
      expect(routes(since)).to.deep.equal([
        "start",
        "start",
        "start",
        "detail",
        "detail",
        "detail",
      ]);
      expect(error.message).to.match(
        new RegExp(`^Media Live startFlow for flow ${flowId} failed after 3 attempts: HTTP 503`),
      );
      expect(error.properties).to.include({
        status: "STANDBY",
        desiredStatus: "ACTIVE",
        __provider: PROVIDER_TEXT,
      });
    });
  });

  describe("operation budgets", () => {
    it("refresh gives up at once on a Retry-After beyond its two-minute budget", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      // 3 minutes: within the 5-minute fallback budget, so only the 2-minute one refuses to wait.
      simulator.injectFault(
        "detail",
        { kind: "status", status: 429, retryAfterSeconds: 180 },
        1,
        flowId,
      );
      const since = mark();
      const error = await rejection(provider.read(flowId, stored(created.outs)));
      expect(routes(since)).to.deep.equal(["detail"]);
      expect(error.message).to.match(
        new RegExp(`^Media Live showFlowDetail for flow ${flowId} failed: HTTP 429`),
      );
    });

    it("delete polls within timeouts.delete and times out naming the operation and the last status", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(
        await checked({ flowId, onDelete: "stop", timeouts: { delete: "2.9s" } }),
      );
      simulator.injectFault("stop", {
        kind: "body",
        body: { flow_id: flowId, status: "STOPPING" },
      });
      detailAnswer(flowId, { status: "STOPPING" }, 10);
      const since = mark();
      // One read at about 1 s; the 2.9 s deadline falls in the following 2 s pause.
      const error = await rejection(provider.delete(flowId, stored(created.outs)));
      expect(error.message).to.equal(
        `FlowActivation delete of flow ${flowId} timed out after 2.9s (last observed status STOPPING); raise timeouts.delete or retry.`,
      );
      expect(routes(since)).to.deep.equal(["stop", "detail"]);
      expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    });
  });

  describe("state recorded at another location", () => {
    let elsewhere: Simulator;
    before(async () => {
      elsewhere = await startSimulator({ projectId: "other-project", region: "eu-west-101" });
    });
    after(() => elsewhere.close());

    /** A flow activated in `elsewhere`, while the stack config still points at `simulator`. */
    async function recordedElsewhere(onDelete: string): Promise<Record<string, unknown>> {
      const flowId = elsewhere.createFlow({ status: "STANDBY", name: "remote" }).flowId;
      const created = await provider.create(
        await checked({
          flowId,
          onDelete,
          projectId: elsewhere.projectId,
          region: "eu-west-101",
          endpoint: elsewhere.url,
        }),
      );
      expect(created.outs).to.include({
        projectId: "other-project",
        region: "eu-west-101",
        endpoint: elsewhere.url,
      });
      return stored(created.outs);
    }

    it("refresh reads the flow at the recorded project and endpoint, not the configured ones", async () => {
      const state = await recordedElsewhere("stop");
      const flowId = state.flowId as string;
      elsewhere.setFlowStatus(flowId, "STANDBY");
      const here = mark();
      const read = await provider.read(flowId, state);
      expect(read.props).to.include({ status: "STANDBY", projectId: "other-project" });
      expect(routes(here)).to.deep.equal([]);
      expect(elsewhere.journal.filter((entry) => entry.route === "detail").at(-1)?.flowId).to.equal(
        flowId,
      );
    });

    it("delete stops the flow at the recorded location, and names the recorded region in a 401", async () => {
      const state = await recordedElsewhere("stop");
      const flowId = state.flowId as string;
      elsewhere.injectFault("stop", { kind: "status", status: 401 }, 1, flowId);
      const error = await rejection(provider.delete(flowId, state));
      expect(error.message).to.include("(project other-project, region eu-west-101)");
      const here = mark();
      await provider.delete(flowId, state);
      expect(routes(here)).to.deep.equal([]);
      expect(elsewhere.getFlow(flowId)!.status).to.equal("STANDBY");
    });
  });

  describe("delete", () => {
    it("of state from a release that recorded no timeouts uses the default budget", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId, onDelete: "stop" }));
      const withoutTimeouts: Record<string, unknown> = { ...created.outs };
      delete withoutTimeouts.timeouts;
      const since = mark();
      await provider.delete(flowId, stored(withoutTimeouts));
      expect(routes(since)).to.deep.equal(["stop"]);
      expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    });

    it("of a flow already at the target needs neither credentials nor a call", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE" }).flowId;
      const created = await provider.create(await checked({ flowId, onDelete: "stop" }));
      await configureWith({});
      const since = mark();
      await provider.delete(flowId, stored({ ...created.outs, status: "STANDBY" }));
      expect(routes(since)).to.deep.equal([]);
      // Without credentials anything that does reach for the API fails outright.
      const error = await rejection(provider.delete(flowId, stored(created.outs)));
      expect(error.message).to.match(/access ?key/i);
      expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    });
  });
});
