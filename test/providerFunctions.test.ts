/**
 * The FlowActivation provider's functions called directly against the simulator over HTTP: what
 * each lifecycle method sends and what it returns for the state, with the flow's status changing.
 * The same functions run in Pulumi's provider host in the real-engine suites; here they run in
 * this process so that each decision is cheap to pin (and mutation testing can reach them).
 */
import { expect } from "chai";
import * as provider from "../resources/flowActivation/lifecycle";
import { STORED_CONFIG_HINT } from "../resources/flowActivation/lifecycle";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";
import { checkedBy, PROVIDER_TEXT, rejection } from "./support/lifecycleCalls";

/** Checked inputs, as the engine passes them to create and update. */
const checked = (args: Record<string, unknown>): Promise<Record<string, unknown>> =>
  checkedBy(provider.check, args);

describe("FlowActivation provider functions against the simulator", function () {
  this.timeout(20_000);
  let simulator: Simulator;
  const routes = (since: number): string[] =>
    simulator.journal.filter((entry) => entry.sequence > since).map((entry) => entry.route);
  const mark = (): number => simulator.journal.at(-1)?.sequence ?? 0;

  const stackConfig = (): Record<string, string> => ({
    "huaweicloud:liveEndpoint": simulator.url,
    "huaweicloud:projectId": simulator.projectId,
    "huaweicloud:region": "ap-southeast-3",
    "huaweicloud:accessKey": SIMULATOR_DEFAULTS.accessKey,
    "huaweicloud:secretKey": SIMULATOR_DEFAULTS.secretKey,
    "huaweicloud:liveRequestTimeout": "500ms",
    "huaweicloud:maxRetries": "2",
    "huaweicloud:liveRequestsPerSecond": "1000",
  });

  before(async () => {
    simulator = await startSimulator({});
    await provider.configure({ config: { get: (key) => stackConfig()[key] } });
  });
  after(() => simulator.close());
  afterEach(() => simulator.clearFaults());

  describe("create", () => {
    it("starts a STANDBY flow with one read and one start, recording the status before", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY", name: "news" }).flowId;
      const since = mark();
      const created = await provider.create(await checked({ flowId }));
      expect(routes(since)).to.deep.equal(["detail", "start"]);
      expect(created.id).to.equal(flowId);
      expect(created.outs).to.include({
        flowId,
        status: "ACTIVE",
        desiredStatus: "ACTIVE",
        statusBeforeActivation: "STANDBY",
        flowName: "news",
        endpoint: simulator.url,
        projectId: simulator.projectId,
        region: "ap-southeast-3",
      });
      expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    });

    it("adopts a flow already at the desired status with one read and no change", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const since = mark();
      const created = await provider.create(await checked({ flowId, desiredStatus: "STANDBY" }));
      expect(routes(since)).to.deep.equal(["detail"]);
      expect(created.outs).to.include({ status: "STANDBY", statusBeforeActivation: "STANDBY" });
    });

    it("records the status read back when the start landed but its answer was lost", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      simulator.injectFault("start", { kind: "reset", afterApply: true }, 1, flowId);
      const since = mark();
      const created = await provider.create(await checked({ flowId }));
      // The retried start is refused (already active) and one read settles it.
      expect(routes(since)).to.deep.equal(["detail", "start", "start", "detail"]);
      expect(created.outs.status).to.equal("ACTIVE");
      expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    });

    it("fails as a partial result holding the status observed after a start that kept failing", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      simulator.injectFault("start", { kind: "status", status: 503 }, 3, flowId);
      const error = await rejection(provider.create(await checked({ flowId })));
      expect(error.message).to.match(
        new RegExp(`Media Live startFlow for flow ${flowId} failed after 3 attempts: HTTP 503`),
      );
      expect(error.id).to.equal(flowId);
      expect(error.properties).to.include({
        status: "STANDBY",
        statusBeforeActivation: "STANDBY",
        __provider: PROVIDER_TEXT,
      });
      expect(error.reasons).to.deep.equal([error.message]);
    });

    it("names flow, project and endpoint for a flow that does not exist, with no change", async () => {
      const since = mark();
      const error = await rejection(provider.create(await checked({ flowId: "missing-flow" })));
      expect(error.message).to.equal(
        `FlowActivation: flow missing-flow does not exist in project ${simulator.projectId} at ${simulator.url}; check flowId, projectId and region.`,
      );
      expect(error.id).to.equal(undefined);
      expect((error.cause as Error).message).to.match(
        /^Media Live showFlowDetail for flow missing-flow/,
      );
      expect(routes(since)).to.deep.equal(["detail", "list"]);
    });

    it("refuses unchecked invalid inputs naming every property, before any call", async () => {
      const since = mark();
      const error = await rejection(
        provider.create({ flowId: "", desiredStatus: "RUNNING", __provider: PROVIDER_TEXT }),
      );
      expect(error.message).to.equal(
        'FlowActivation inputs are invalid: flowId: flowId must not be empty; desiredStatus: desiredStatus must be "ACTIVE" or "STANDBY"',
      );
      expect(routes(since)).to.deep.equal([]);
    });

    it("records the status read back after a start whose every attempt landed but lost its answer", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      simulator.injectFault("start", { kind: "reset", afterApply: true }, 3, flowId);
      const since = mark();
      const error = await rejection(provider.create(await checked({ flowId })));
      expect(routes(since)).to.deep.equal(["detail", "start", "start", "start", "detail"]);
      expect(error.properties).to.include({ status: "ACTIVE", statusBeforeActivation: "STANDBY" });
    });
  });

  describe("check and diff", () => {
    it("check reports a failure by property and calls nothing", async () => {
      const since = mark();
      const result = await provider.check({}, { flowId: "", __provider: PROVIDER_TEXT });
      expect(result.failures).to.deep.equal([
        { property: "flowId", reason: "flowId must not be empty" },
      ]);
      expect(routes(since)).to.deep.equal([]);
    });

    it("diff replaces the activation, offline, when the projectId input names another project", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      const since = mark();
      const decision = await provider.diff(
        flowId,
        created.outs as unknown as Record<string, unknown>,
        await checked({ flowId, projectId: "another-project" }),
      );
      expect(decision).to.deep.equal({
        changes: true,
        replaces: ["projectId"],
        deleteBeforeReplace: true,
      });
      expect(routes(since)).to.deep.equal([]);
    });
  });

  describe("update", () => {
    it("stops the flow when desiredStatus becomes STANDBY, keeping the status first seen", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE" }).flowId;
      const created = await provider.create(await checked({ flowId, onDelete: "restore" }));
      const since = mark();
      const updated = await provider.update(
        flowId,
        created.outs as unknown as Record<string, unknown>,
        await checked({ flowId, desiredStatus: "STANDBY", onDelete: "restore" }),
      );
      expect(routes(since)).to.deep.equal(["stop"]);
      expect(updated.outs).to.include({
        status: "STANDBY",
        desiredStatus: "STANDBY",
        statusBeforeActivation: "ACTIVE",
      });
    });

    it("makes no call when only onDelete or timeouts change", async () => {
      const flowId = simulator.createFlow({ status: "ACTIVE" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      const since = mark();
      const updated = await provider.update(
        flowId,
        created.outs as unknown as Record<string, unknown>,
        await checked({ flowId, onDelete: "leave", timeouts: { update: "30s" } }),
      );
      expect(routes(since)).to.deep.equal([]);
      expect(updated.outs).to.include({ status: "ACTIVE", onDelete: "leave" });
      expect(updated.outs.timeouts).to.deep.equal({ create: "5m", update: "30s", delete: "5m" });
    });

    it("polls once when the start answer reports a status in progress, recording the status read", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId, desiredStatus: "STANDBY" }));
      simulator.injectFault("start", {
        kind: "body",
        body: { flow_id: flowId, status: "STARTING" },
      });
      simulator.injectFault("detail", {
        kind: "body",
        body: { flow_id: flowId, status: "ACTIVE", sources: [], outputs: [] },
      });
      const since = mark();
      const updated = await provider.update(
        flowId,
        created.outs as unknown as Record<string, unknown>,
        await checked({ flowId, timeouts: { update: "3s" } }),
      );
      expect(routes(since)).to.deep.equal(["start", "detail"]);
      expect(updated.outs.status).to.equal("ACTIVE");
    });
  });

  describe("read", () => {
    it("keeps a resource whose read is refused while a list still shows the flow", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      simulator.injectFault(
        "detail",
        { kind: "status", status: 400, errorCode: "LIVE.100011001" },
        1,
        flowId,
      );
      const since = mark();
      const error = await rejection(
        provider.read(flowId, created.outs as unknown as Record<string, unknown>),
      );
      expect(error.message).to.match(/HTTP 400 LIVE\.100011001/);
      expect(routes(since)).to.deep.equal(["detail", "list"]);
    });

    it("reports the live status and the matching desiredStatus as refreshed input", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY", name: "before" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      simulator.setFlowStatus(flowId, "STANDBY");
      const since = mark();
      const read = await provider.read(flowId, created.outs as unknown as Record<string, unknown>);
      expect(routes(since)).to.deep.equal(["detail"]);
      expect(read.id).to.equal(flowId);
      expect(read.props).to.include({ status: "STANDBY", flowName: "before" });
      expect(read.inputs).to.include({ flowId, desiredStatus: "STANDBY" });
    });

    it("drops a resource whose flow is gone, confirmed by a list", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      simulator.deleteFlow(flowId);
      const since = mark();
      expect(
        await provider.read(flowId, created.outs as unknown as Record<string, unknown>),
      ).to.deep.equal({});
      expect(routes(since)).to.deep.equal(["detail", "list"]);
    });

    it("adds the stored-config remedy to a 401, the usual cause after a key rotation", async () => {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId }));
      simulator.injectFault("detail", { kind: "status", status: 401 }, 1, flowId);
      const error = await rejection(
        provider.read(flowId, created.outs as unknown as Record<string, unknown>),
      );
      expect(error.message).to.match(/HTTP 401 APIG\.0301/);
      expect(error.message.endsWith(STORED_CONFIG_HINT)).to.equal(true);
    });
  });

  describe("delete", () => {
    for (const [mode, start, calls, after] of [
      ["stop", "STANDBY", ["stop"], "STANDBY"],
      ["leave", "STANDBY", [], "ACTIVE"],
      ["restore", "STANDBY", ["stop"], "STANDBY"],
      ["restore", "ACTIVE", [], "ACTIVE"],
    ] as const) {
      it(`onDelete ${mode} of a flow first seen ${start}: ${calls.join(", ") || "no call"}`, async () => {
        const flowId = simulator.createFlow({ status: start }).flowId;
        const created = await provider.create(await checked({ flowId, onDelete: mode }));
        const since = mark();
        await provider.delete(flowId, created.outs as unknown as Record<string, unknown>);
        expect(routes(since)).to.deep.equal([...calls]);
        expect(simulator.getFlow(flowId)!.status).to.equal(after);
      });
    }

    it("succeeds for a flow already gone, and names the stored-config remedy on a 401", async () => {
      const gone = simulator.createFlow({ status: "STANDBY" }).flowId;
      const created = await provider.create(await checked({ flowId: gone }));
      simulator.deleteFlow(gone);
      await provider.delete(gone, created.outs as unknown as Record<string, unknown>);

      const rotated = simulator.createFlow({ status: "STANDBY" }).flowId;
      const state = (await provider.create(await checked({ flowId: rotated }))).outs;
      simulator.injectFault("stop", { kind: "status", status: 401 }, 1, rotated);
      const error = await rejection(
        provider.delete(rotated, state as unknown as Record<string, unknown>),
      );
      expect(error.message.endsWith(STORED_CONFIG_HINT)).to.equal(true);
      expect(simulator.getFlow(rotated)!.status).to.equal("ACTIVE");
    });
  });
});
