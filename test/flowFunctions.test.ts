/**
 * The Flow provider's functions called directly against the simulator over HTTP: what each
 * lifecycle method sends (the journal's routes, in order), what the simulator holds afterwards and
 * what the method returns for the state. The same functions run in Pulumi's provider host in the
 * real-engine suites; here they run in this process so that each decision is cheap to pin (and
 * mutation testing can reach them).
 */
import { expect } from "chai";
import { MediaLiveClient } from "../client/mediaLiveClient";
import * as provider from "../resources/flow/lifecycle";
import { PASSPHRASE_SET_ELSEWHERE } from "../resources/flow/plan";
import {
  Operation,
  OperationTimeoutError,
  STORED_CONFIG_HINT,
} from "../resources/shared/operation";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";
import { checkedBy, PROVIDER_TEXT, rejection, stored } from "./support/lifecycleCalls";

const REGION = "ap-southeast-3";
const PASSPHRASE = "srt-passphrase-3f9b";

const main = { protocol: "srt-listener", decryption: { passphrase: PASSPHRASE } };
const backup = { protocol: "srt-caller", address: "203.0.113.7", port: 9000 };
const cdn = { protocol: "srt-caller", destination: "cdn.example.com", port: 9001 };
const monitor = { protocol: "srt-listener", minLatency: 500 };

const DEFAULT_TIMEOUTS = { create: "5m", update: "5m", delete: "5m" };

let flowCount = 0;

/** A flow name no other test uses (names are unique in the simulator's project). */
function uniqueName(prefix: string): string {
  flowCount += 1;
  return `${prefix}-${flowCount}`;
}

/** Checked inputs, as the engine passes them to create and update. */
const checked = (args: Record<string, unknown>): Promise<Record<string, unknown>> =>
  checkedBy(provider.check, args);

describe("Flow provider functions against the simulator", function () {
  this.timeout(20_000);
  let simulator: Simulator;
  const routes = (since: number): string[] =>
    simulator.journal.filter((entry) => entry.sequence > since).map((entry) => entry.route);
  const mark = (): number => simulator.journal.at(-1)?.sequence ?? 0;

  const stackConfig = (): Record<string, string> => ({
    "huaweicloud:liveEndpoint": simulator.url,
    "huaweicloud:projectId": simulator.projectId,
    "huaweicloud:region": REGION,
    "huaweicloud:accessKey": SIMULATOR_DEFAULTS.accessKey,
    "huaweicloud:secretKey": SIMULATOR_DEFAULTS.secretKey,
    "huaweicloud:liveRequestTimeout": "500ms",
    "huaweicloud:maxRetries": "2",
    "huaweicloud:liveRequestsPerSecond": "1000",
  });
  const configureWith = (config: Record<string, string>): Promise<void> =>
    provider.configure({ config: { get: (key) => config[key] } });

  /** A client of someone working outside Pulumi (the console, a script). */
  const outsider = (): MediaLiveClient =>
    new MediaLiveClient({
      projectId: simulator.projectId,
      region: REGION,
      endpoint: simulator.url,
      credentials: {
        accessKey: SIMULATOR_DEFAULTS.accessKey,
        secretKey: SIMULATOR_DEFAULTS.secretKey,
      },
      requestsPerSecond: 1000,
    });

  /** The flows the simulator holds with this name. */
  const flowsNamed = (name: string): string[] =>
    simulator
      .listFlows()
      .filter((flow) => flow.name === name)
      .map((flow) => flow.flowId);

  /** Where the simulator says each source is reached, as state should record it. */
  const sourceEndpointsOf = (flowId: string): Record<string, unknown> =>
    Object.fromEntries(
      simulator.getFlowSources(flowId)!.map((source) => [
        source.name,
        {
          protocol: source.protocol,
          address: source.source_listener_address,
          port: source.source_listener_port,
          healthStatus:
            simulator.getFlow(flowId)!.status === "ACTIVE" ? "CONNECTED" : "DISCONNECTED",
        },
      ]),
    );

  /** Where the simulator says each output is reached, as state should record it. */
  const outputEndpointsOf = (flowId: string): Record<string, unknown> =>
    Object.fromEntries(
      simulator.getFlowOutputs(flowId)!.map((output) => [
        output.name,
        {
          protocol: output.protocol,
          address: output.listener_address ?? output.destination,
          port: output.port,
          healthStatus: "DISCONNECTED",
        },
      ]),
    );

  const outputNamesOf = (flowId: string): string[] =>
    simulator.getFlowOutputs(flowId)!.map((output) => output.name);

  /** Creates a flow through the lifecycle and returns what create returned. */
  const createFlow = async (
    args: Record<string, unknown>,
  ): Promise<{ id: string; outs: Record<string, unknown> }> => {
    const created = await provider.create(await checked(args));
    return { id: created.id, outs: stored(created.outs) };
  };

  before(async () => {
    simulator = await startSimulator({});
    await configureWith(stackConfig());
  });
  after(() => simulator.close());
  afterEach(() => simulator.clearFaults());

  describe("check and diff", () => {
    it("check reports every failure by property and calls nothing", async () => {
      const since = mark();
      const result = await provider.check(
        {},
        { name: "1news", sources: { main: { protocol: "srt-listener", port: 2077 } } },
      );
      expect(result.failures).to.deep.equal([
        {
          property: "name",
          reason: "name must start with a letter and hold at most 64 letters, digits, '-' or '_'",
        },
        { property: "sources.main.port", reason: "2077 and 2088 are reserved" },
      ]);
      expect(routes(since)).to.deep.equal([]);
    });

    it("diff reports a changed output as an in-place update, offline", async () => {
      const { id, outs } = await createFlow({
        name: uniqueName("diff"),
        sources: { main },
        outputs: { cdn },
      });
      const since = mark();
      const decision = await provider.diff(
        id,
        outs,
        await checked({
          name: outs.name,
          sources: { main },
          outputs: { cdn: { ...cdn, port: 9002 } },
        }),
      );
      expect(decision).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
      const unchanged = await provider.diff(
        id,
        outs,
        await checked({ name: outs.name, sources: { main }, outputs: { cdn } }),
      );
      expect(unchanged).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
      expect(routes(since)).to.deep.equal([]);
    });

    it("diff replaces the flow, deleting it first, for a new name, offline", async () => {
      const { id, outs } = await createFlow({ name: uniqueName("diff"), sources: { main } });
      const since = mark();
      const decision = await provider.diff(
        id,
        outs,
        await checked({ name: uniqueName("renamed"), sources: { main } }),
      );
      expect(decision).to.deep.equal({
        changes: true,
        replaces: ["name"],
        deleteBeforeReplace: true,
      });
      expect(routes(since)).to.deep.equal([]);
    });

    it("diff keeps the flow when existingFlowId names the flow it already manages", async () => {
      const { id, outs } = await createFlow({ name: uniqueName("diff"), sources: { main } });
      const since = mark();
      // Replacing would delete this very flow first, and the adoption after it would find nothing.
      const decision = await provider.diff(
        id,
        outs,
        await checked({ name: outs.name, sources: { main }, existingFlowId: id }),
      );
      expect(decision).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
      const other = await provider.diff(
        id,
        outs,
        await checked({ name: outs.name, sources: { main }, existingFlowId: "another-flow" }),
      );
      expect(other.replaces).to.deep.equal(["existingFlowId"]);
      expect(routes(since)).to.deep.equal([]);
    });

    it("diff replaces the flow for a region, project or endpoint input of its own", async () => {
      const { id, outs } = await createFlow({ name: uniqueName("diff"), sources: { main } });
      const replaces = async (extra: Record<string, unknown>): Promise<string[]> =>
        (
          await provider.diff(
            id,
            outs,
            await checked({ name: outs.name, sources: { main }, ...extra }),
          )
        ).replaces;
      expect(await replaces({ region: "ap-southeast-1" })).to.deep.equal(["region"]);
      expect(await replaces({ projectId: "another-project" })).to.deep.equal(["projectId"]);
      expect(await replaces({ endpoint: "http://127.0.0.1:1" })).to.deep.equal(["endpoint"]);
      expect(await replaces({ region: REGION, projectId: simulator.projectId })).to.deep.equal([]);
    });
  });

  describe("create", () => {
    it("creates a flow without outputs with one call, recording where its sources listen", async () => {
      const name = uniqueName("news");
      const since = mark();
      const created = await createFlow({ name, sources: { main, backup } });
      expect(routes(since)).to.deep.equal(["create"]);
      expect(flowsNamed(name)).to.deep.equal([created.id]);
      expect(created.outs).to.deep.equal({
        flowId: created.id,
        status: "STANDBY",
        name,
        region: REGION,
        projectId: simulator.projectId,
        endpoint: simulator.url,
        sources: {
          main: { ...main, decryption: { passphrase: PASSPHRASE, keyType: "srt-password" } },
          backup,
        },
        outputs: {},
        timeouts: DEFAULT_TIMEOUTS,
        sourceEndpoints: sourceEndpointsOf(created.id),
        outputEndpoints: {},
        settingSources: { projectId: "config", region: "config", endpoint: "config" },
      });
      expect(created.outs.sourceEndpoints).to.have.nested.property("backup.address", "203.0.113.7");
      expect(simulator.getFlowSources(created.id)![0]!.decryption).to.deep.equal({
        key_type: "srt-password",
        passphrase: PASSPHRASE,
      });
    });

    it("creates the outputs in one more call, recording where each is reached", async () => {
      const name = uniqueName("news");
      const since = mark();
      const created = await createFlow({
        name,
        region: REGION,
        sources: { main },
        outputs: { cdn, monitor },
      });
      expect(routes(since)).to.deep.equal(["create", "createOutputs"]);
      expect(outputNamesOf(created.id)).to.deep.equal(["cdn", "monitor"]);
      expect(created.outs.outputs).to.deep.equal({
        cdn: { ...cdn, enabled: true },
        monitor: { ...monitor, enabled: true },
      });
      expect(created.outs.outputEndpoints).to.deep.equal(outputEndpointsOf(created.id));
      expect(created.outs.outputEndpoints).to.have.nested.property(
        "cdn.address",
        "cdn.example.com",
      );
      expect(created.outs.sourceEndpoints).to.deep.equal(sourceEndpointsOf(created.id));
      expect(created.outs.settingSources).to.deep.equal({
        projectId: "config",
        region: "input",
        endpoint: "config",
      });
      expect(simulator.getFlow(created.id)!.region).to.equal(REGION);
    });

    it("finds a flow whose create landed but whose answer was lost, by its name", async () => {
      const name = uniqueName("lost");
      simulator.injectFault("create", { kind: "reset", afterApply: true }, 1);
      const since = mark();
      const created = await createFlow({ name, sources: { main } });
      expect(routes(since)).to.deep.equal(["create", "list", "detail"]);
      expect(flowsNamed(name)).to.deep.equal([created.id]);
      expect(created.outs).to.include({ flowId: created.id, name, status: "STANDBY" });
      expect(created.outs.sourceEndpoints).to.deep.equal(sourceEndpointsOf(created.id));
    });

    for (const status of [500, 503]) {
      it(`creates once more when the create failed with a ${status} before it landed`, async () => {
        const name = uniqueName("refused");
        simulator.injectFault("create", { kind: "status", status }, 1);
        const since = mark();
        const created = await createFlow({ name, sources: { main } });
        // The client never repeats a create itself: the lifecycle lists, finds nothing, sends it again.
        expect(routes(since)).to.deep.equal(["create", "list", "create"]);
        expect(flowsNamed(name)).to.deep.equal([created.id]);
      });
    }

    it("leaves alone a same-named flow with other sources found after a 503, naming it", async () => {
      const name = uniqueName("someone-elses");
      const existing = simulator.createFlow({ name }).flowId;
      simulator.injectFault("create", { kind: "status", status: 503 }, 1);
      const since = mark();
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.equal(
        `Flow create: the create failed and a flow named ${name} found afterwards (flow id ${existing}) has region ${REGION} and sources source-1, not the region ${REGION} and sources main this create sent, so it was not created by this create and is left alone. Choose another name, or adopt that flow with existingFlowId: "${existing}".`,
      );
      expect(error.id).to.equal(undefined);
      expect(error.cause).to.have.property("httpStatus", 503);
      expect(routes(since)).to.deep.equal(["create", "list", "detail"]);
      expect(flowsNamed(name)).to.deep.equal([existing]);
    });

    it("leaves alone a same-named flow with the declared sources in another region", async () => {
      const name = uniqueName("other-region");
      const existing = simulator.createFlow({
        name,
        region: "cn-north-4",
        sources: [{ name: "main", protocol: "srt-listener" }],
      }).flowId;
      simulator.injectFault("create", { kind: "status", status: 500 }, 1);
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.contain(
        `(flow id ${existing}) has region cn-north-4 and sources main, not the region ${REGION} and sources main this create sent`,
      );
      expect(error.id).to.equal(undefined);
      expect(simulator.getFlow(existing)!.status).to.equal("STANDBY");
    });

    it("names both flows' sources sorted when a same-named flow in another region has them in another order", async () => {
      const name = uniqueName("other-region-two");
      const existing = simulator.createFlow({
        name,
        region: "cn-north-4",
        sources: [
          { name: "main", protocol: "srt-listener" },
          { name: "backup", protocol: "srt-listener" },
        ],
      }).flowId;
      simulator.injectFault("create", { kind: "status", status: 500 }, 1);
      const since = mark();
      const error = await rejection(createFlow({ name, sources: { main, backup } }));
      expect(error.message).to.equal(
        `Flow create: the create failed and a flow named ${name} found afterwards (flow id ${existing}) has region cn-north-4 and sources backup, main, not the region ${REGION} and sources backup, main this create sent, so it was not created by this create and is left alone. Choose another name, or adopt that flow with existingFlowId: "${existing}".`,
      );
      expect(routes(since)).to.deep.equal(["create", "list", "detail"]);
      expect(flowsNamed(name)).to.deep.equal([existing]);
    });

    it("says the region was not reported when the same-named flow's detail has none", async () => {
      const name = uniqueName("no-region");
      const existing = simulator.createFlow({ name }).flowId;
      simulator.injectFault("create", { kind: "status", status: 503 }, 1);
      simulator.injectFault(
        "detail",
        {
          kind: "body",
          body: {
            flow_id: existing,
            name,
            status: "STANDBY",
            sources: [{ name: "other", protocol: "srt-listener" }],
            outputs: [],
          },
        },
        1,
        existing,
      );
      const since = mark();
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.equal(
        `Flow create: the create failed and a flow named ${name} found afterwards (flow id ${existing}) has region (not reported) and sources other, not the region ${REGION} and sources main this create sent, so it was not created by this create and is left alone. Choose another name, or adopt that flow with existingFlowId: "${existing}".`,
      );
      expect(error.cause).to.have.property("httpStatus", 503);
      expect(routes(since)).to.deep.equal(["create", "list", "detail"]);
      expect(flowsNamed(name)).to.deep.equal([existing]);
    });

    it("takes a same-named flow with the declared sources, listed in another order, as the one the create made", async () => {
      const name = uniqueName("two-sources");
      // As if the create had landed before its 500: the API may list the sources in any order.
      const landed = simulator.createFlow({
        name,
        sources: [
          {
            name: "backup",
            protocol: "srt-caller",
            source_listener_address: "203.0.113.7",
            source_listener_port: 9000,
          },
          { name: "main", protocol: "srt-listener" },
        ],
      }).flowId;
      simulator.injectFault("create", { kind: "status", status: 500 }, 1);
      const since = mark();
      const created = await createFlow({ name, sources: { main, backup } });
      expect(created.id).to.equal(landed);
      expect(routes(since).slice(0, 3)).to.deep.equal(["create", "list", "detail"]);
      expect(flowsNamed(name)).to.deep.equal([landed]);
    });

    it("fails naming the list when the flows cannot be listed after a lost create", async () => {
      const name = uniqueName("unlisted");
      simulator.injectFault("create", { kind: "status", status: 503 }, 1);
      simulator.injectFault("list", { kind: "status", status: 403 }, 1);
      const since = mark();
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.match(/^Media Live listFlows failed: HTTP 403 APIG\.0302/);
      expect(error.message).to.contain("live:ott:listFlow");
      expect(routes(since)).to.deep.equal(["create", "list"]);
    });

    it("fails when the create after a 503 fails too, creating nothing", async () => {
      const name = uniqueName("refused");
      simulator.injectFault("create", { kind: "status", status: 503 }, 2);
      const since = mark();
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.match(/^Media Live createFlow failed: HTTP 503 APIG\.0202/);
      expect(error.id).to.equal(undefined);
      expect(routes(since)).to.deep.equal(["create", "list", "create"]);
      expect(flowsNamed(name)).to.deep.equal([]);
    });

    it("fails at once, with no list, when the create is refused with a 403", async () => {
      const name = uniqueName("forbidden");
      simulator.injectFault("create", { kind: "status", status: 403 }, 1);
      const since = mark();
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.contain("live:ott:createFlow");
      expect(routes(since)).to.deep.equal(["create"]);
      expect(flowsNamed(name)).to.deep.equal([]);
    });

    it("fails at once on a 401, without the refresh and destroy remedy", async () => {
      const name = uniqueName("unsigned");
      simulator.injectFault("create", { kind: "status", status: 401 }, 1);
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.match(/^Media Live createFlow failed: HTTP 401 APIG\.0301/);
      expect(error.message).not.to.contain("--run-program");
    });

    it("names the flow that already holds the name and how to adopt it, creating nothing", async () => {
      const name = uniqueName("taken");
      const existing = simulator.createFlow({ name }).flowId;
      const since = mark();
      const error = await rejection(createFlow({ name, sources: { main } }));
      expect(error.message).to.equal(
        `Flow create: a flow named ${name} already exists in project ${simulator.projectId} (flow id ${existing}). Choose another name, or adopt that flow with existingFlowId: "${existing}" (also the way back after a create interrupted before Pulumi recorded it).`,
      );
      expect(error.id).to.equal(undefined);
      expect(error.cause).to.have.property("errorCode", "LIVE.103011018");
      expect(routes(since)).to.deep.equal(["create", "list"]);
      expect(flowsNamed(name)).to.deep.equal([existing]);
    });

    it("brings each landed output to its declared form when the createOutputs answer was lost", async () => {
      const name = uniqueName("outputs-lost");
      simulator.injectFault("createOutputs", { kind: "reset", afterApply: true }, 1);
      const since = mark();
      const created = await createFlow({ name, sources: { main }, outputs: { cdn, monitor } });
      expect(routes(since)).to.deep.equal([
        "create",
        "createOutputs",
        "detail",
        "modifyOutput",
        "modifyOutput",
      ]);
      expect(outputNamesOf(created.id)).to.deep.equal(["cdn", "monitor"]);
      expect(created.outs.outputs).to.deep.equal({
        cdn: { ...cdn, enabled: true },
        monitor: { ...monitor, enabled: true },
      });
      expect(created.outs.outputEndpoints).to.deep.equal(outputEndpointsOf(created.id));
    });

    it("records the flow when its outputs are refused, and the next update makes only that call", async () => {
      const name = uniqueName("partial");
      simulator.injectFault("createOutputs", { kind: "status", status: 403 }, 1);
      const since = mark();
      const news = await checked({ name, sources: { main }, outputs: { cdn } });
      const error = await rejection(provider.create(news));
      expect(routes(since)).to.deep.equal(["create", "createOutputs"]);
      const [flowId] = flowsNamed(name);
      expect(error.message).to.equal(
        `Media Live createFlowOutputs for flow ${flowId} failed: HTTP 403 APIG.0302 "The IAM user is not authorized to access the API." (request id ${simulator.journal.at(-1)!.requestId}); check that the IAM user may perform live:ott:createFlowOutput (project ${simulator.projectId}, region ${REGION}).`,
      );
      expect(error.id).to.equal(flowId);
      expect(error.reasons).to.deep.equal([error.message]);
      const properties = error.properties as Record<string, unknown>;
      expect(properties).to.include({ flowId, name, status: "STANDBY", __provider: PROVIDER_TEXT });
      expect(properties.outputs).to.deep.equal({});
      expect(properties.outputEndpoints).to.deep.equal({});
      expect(properties.sourceEndpoints).to.deep.equal(sourceEndpointsOf(flowId!));
      expect(outputNamesOf(flowId!)).to.deep.equal([]);

      const next = mark();
      const updated = await provider.update(flowId!, properties, news);
      expect(routes(next)).to.deep.equal(["createOutputs"]);
      expect(updated.outs.outputs).to.deep.equal({ cdn: { ...cdn, enabled: true } });
      expect(outputNamesOf(flowId!)).to.deep.equal(["cdn"]);
    });

    it("refuses inputs that did not pass check, naming each property", async () => {
      const since = mark();
      const error = await rejection(provider.create({ name: "1news", sources: {} }));
      expect(error.message).to.equal(
        "Flow inputs are invalid: name: name must start with a letter and hold at most 64 letters, digits, '-' or '_'; sources: a flow has one or two sources",
      );
      expect(routes(since)).to.deep.equal([]);
    });

    it("records only the declared sources when the create answer reports another", async () => {
      const name = uniqueName("ghost");
      const listening = (sourceName: string, port: number): Record<string, unknown> => ({
        name: sourceName,
        protocol: "srt-listener",
        source_listener_address: "192.0.2.200",
        source_listener_port: port,
        health_status: "DISCONNECTED",
      });
      simulator.injectFault(
        "create",
        {
          kind: "body",
          body: {
            flow: {
              flow_id: "ghost-flow",
              name,
              status: "STANDBY",
              sources: [listening("main", 21_000), listening("ghost", 21_001)],
              outputs: [],
            },
          },
        },
        1,
      );
      const created = await createFlow({ name, sources: { main } });
      expect(created.id).to.equal("ghost-flow");
      expect(created.outs.sources).to.deep.equal({
        main: { ...main, decryption: { passphrase: PASSPHRASE, keyType: "srt-password" } },
      });
      expect(Object.keys(created.outs.sourceEndpoints as object)).to.deep.equal(["main", "ghost"]);
    });

    it("fails naming region before any request when no region is set anywhere", async () => {
      const withoutRegion = stackConfig();
      delete withoutRegion["huaweicloud:region"];
      const environmentRegion = process.env.HW_REGION_NAME;
      delete process.env.HW_REGION_NAME;
      await configureWith(withoutRegion);
      try {
        const since = mark();
        const error = await rejection(
          createFlow({ name: uniqueName("nowhere"), sources: { main } }),
        );
        expect(error.message).to.equal(
          "Flow: the flow's region is not set: set the region input, stack config huaweicloud:region or HW_REGION_NAME.",
        );
        expect(routes(since)).to.deep.equal([]);

        process.env.HW_REGION_NAME = REGION;
        const created = await createFlow({ name: uniqueName("environment"), sources: { main } });
        expect(created.outs).to.include({ region: REGION });
        expect(created.outs.settingSources).to.deep.equal({
          projectId: "config",
          region: "environment",
          endpoint: "config",
        });
      } finally {
        delete process.env.HW_REGION_NAME;
        if (environmentRegion !== undefined) process.env.HW_REGION_NAME = environmentRegion;
        await configureWith(stackConfig());
      }
    });
  });

  describe("adopt (existingFlowId)", () => {
    it("reads the flow and its outputs, then calls only for the items that differ", async () => {
      const name = uniqueName("adopted");
      const flowId = simulator.createFlow({
        name,
        status: "ACTIVE",
        sources: [
          { name: "main", protocol: "srt-listener" },
          {
            name: "backup",
            protocol: "srt-caller",
            source_listener_address: "203.0.113.7",
            source_listener_port: 9000,
          },
        ],
        outputs: [
          { name: "cdn", protocol: "srt-caller", destination: "cdn.example.com", port: 9001 },
          { name: "feed", protocol: "srt-caller", destination: "feed.example.com", port: 9100 },
          { name: "old", protocol: "srt-listener" },
        ],
      }).flowId;
      const feed = { protocol: "srt-caller", destination: "feed.example.com", port: 9200 };
      const since = mark();
      const created = await createFlow({
        name,
        existingFlowId: flowId,
        sources: { main: { protocol: "srt-listener" }, backup },
        outputs: { cdn, feed, monitor },
      });
      expect(routes(since)).to.deep.equal([
        "detail",
        "showOutput",
        "showOutput",
        "showOutput",
        "deleteOutput",
        "modifyOutput",
        "createOutputs",
      ]);
      expect(created.id).to.equal(flowId);
      expect(flowsNamed(name)).to.deep.equal([flowId]);
      expect(outputNamesOf(flowId)).to.deep.equal(["cdn", "feed", "monitor"]);
      expect(simulator.getFlowOutputs(flowId)![1]!.port).to.equal(9200);
      expect(created.outs).to.include({ flowId, existingFlowId: flowId, status: "ACTIVE", name });
      expect(created.outs.sources).to.deep.equal({ main: { protocol: "srt-listener" }, backup });
      expect(created.outs.outputs).to.deep.equal({
        cdn: { ...cdn, enabled: true },
        feed: { ...feed, enabled: true },
        monitor: { ...monitor, enabled: true },
      });
      expect(Object.keys(created.outs.outputEndpoints as object)).to.have.members([
        "cdn",
        "feed",
        "monitor",
      ]);
    });

    it("sends a declared passphrase, which the API never reveals, to an encrypted source", async () => {
      const name = uniqueName("adopted");
      const flowId = simulator.createFlow({
        name,
        sources: [
          {
            name: "main",
            protocol: "srt-listener",
            decryption: { key_type: "srt-password", passphrase: "someone-elses-secret" },
          },
        ],
      }).flowId;
      const since = mark();
      const created = await createFlow({ name, existingFlowId: flowId, sources: { main } });
      expect(routes(since)).to.deep.equal(["detail", "modifySources"]);
      expect(simulator.getFlowSources(flowId)![0]!.decryption!.passphrase).to.equal(PASSPHRASE);
      expect(created.outs.sources).to.deep.equal({
        main: { ...main, decryption: { passphrase: PASSPHRASE, keyType: "srt-password" } },
      });
    });

    it("sends a declared output passphrase too, as the API never reveals it either", async () => {
      const name = uniqueName("adopted");
      const encryption = { passphrase: PASSPHRASE };
      const flowId = simulator.createFlow({
        name,
        sources: [{ name: "main", protocol: "srt-listener" }],
        outputs: [
          {
            name: "cdn",
            protocol: "srt-caller",
            destination: "cdn.example.com",
            port: 9001,
            encryption: { key_type: "srt-password", passphrase: "someone-elses-secret" },
          },
        ],
      }).flowId;
      const since = mark();
      const created = await createFlow({
        name,
        existingFlowId: flowId,
        sources: { main: { protocol: "srt-listener" } },
        outputs: { cdn: { ...cdn, encryption } },
      });
      expect(routes(since)).to.deep.equal(["detail", "showOutput", "modifyOutput"]);
      expect(simulator.getFlowOutputs(flowId)![0]!.encryption!.passphrase).to.equal(PASSPHRASE);
      expect(created.outs.outputs).to.deep.equal({
        cdn: { ...cdn, enabled: true, encryption: { ...encryption, keyType: "srt-password" } },
      });
    });

    it("refuses a flow of another name, region and sources in one error, changing nothing", async () => {
      const name = uniqueName("adopted");
      const flowId = simulator.createFlow({
        name: "someone-elses",
        region: "eu-west-101",
        sources: [{ name: "primary", protocol: "srt-listener" }],
        outputs: [{ name: "cdn", protocol: "srt-listener" }],
      }).flowId;
      const since = mark();
      const error = await rejection(
        createFlow({ name, existingFlowId: flowId, sources: { main, backup }, outputs: {} }),
      );
      expect(error.message).to.equal(
        `Flow create: cannot adopt flow ${flowId}: its name is someone-elses, not ${name} (a flow cannot be renamed); its region is eu-west-101, not ${REGION}; its sources are primary, not backup, main (sources cannot be added or removed). Declare it as it is, or let Pulumi create a new flow.`,
      );
      expect(routes(since)).to.deep.equal(["detail", "showOutput"]);
      expect(outputNamesOf(flowId)).to.deep.equal(["cdn"]);
    });

    it("refuses a flow whose sources alone differ", async () => {
      const name = uniqueName("adopted");
      const flowId = simulator.createFlow({
        name,
        sources: [
          { name: "backup", protocol: "srt-listener" },
          { name: "main", protocol: "srt-listener" },
        ],
      }).flowId;
      const error = await rejection(
        createFlow({ name, existingFlowId: flowId, sources: { main } }),
      );
      expect(error.message).to.equal(
        `Flow create: cannot adopt flow ${flowId}: its sources are backup, main, not main (sources cannot be added or removed). Declare it as it is, or let Pulumi create a new flow.`,
      );
    });

    it("judges only what the detail reports: no name, no region, no sources, an output without a name", async () => {
      const flowId = simulator.createFlow({ name: uniqueName("adopted") }).flowId;
      simulator.injectFault(
        "detail",
        {
          kind: "body",
          body: { flow_id: flowId, status: "STANDBY", outputs: [{ type: "srt-listener" }] },
        },
        1,
        flowId,
      );
      const since = mark();
      const error = await rejection(
        createFlow({ name: "declared", existingFlowId: flowId, sources: { main } }),
      );
      expect(error.message).to.equal(
        `Flow create: cannot adopt flow ${flowId}: its sources are none, not main (sources cannot be added or removed). Declare it as it is, or let Pulumi create a new flow.`,
      );
      expect(routes(since)).to.deep.equal(["detail"]);
    });

    it("names existingFlowId when it names no flow", async () => {
      const since = mark();
      const error = await rejection(
        createFlow({
          name: uniqueName("adopted"),
          existingFlowId: "no-such-flow",
          sources: { main },
        }),
      );
      expect(error.message).to.equal(
        `Flow create: existingFlowId no-such-flow names no flow in project ${simulator.projectId} at ${simulator.url}; check existingFlowId, projectId and region.`,
      );
      expect(error.cause).to.have.property("operation", "showFlowDetail");
      expect(routes(since)).to.deep.equal(["detail", "list"]);
    });

    it("keeps the original error when reading the flow to adopt fails otherwise", async () => {
      const flowId = simulator.createFlow({ name: uniqueName("adopted") }).flowId;
      simulator.injectFault("detail", { kind: "status", status: 403 }, 1, flowId);
      const since = mark();
      const error = await rejection(
        createFlow({ name: "x", existingFlowId: flowId, sources: { main } }),
      );
      expect(error.message).to.match(/^Media Live showFlowDetail for flow .* HTTP 403 APIG\.0302/);
      expect(routes(since)).to.deep.equal(["detail"]);
    });
  });

  describe("update", () => {
    it("makes one call per changed item: delete, then modify sources and outputs, then create", async () => {
      const name = uniqueName("update");
      const created = await createFlow({
        name,
        sources: { main, backup },
        outputs: { cdn, monitor, old: { protocol: "srt-listener" } },
      });
      const extra = { protocol: "srt-caller", destination: "extra.example.com", port: 9300 };
      const since = mark();
      const updated = await provider.update(
        created.id,
        created.outs,
        await checked({
          name,
          sources: { main: { ...main, minLatency: 300 }, backup },
          outputs: { cdn: { ...cdn, port: 9002 }, monitor, extra },
        }),
      );
      expect(routes(since)).to.deep.equal([
        "deleteOutput",
        "modifySources",
        "modifyOutput",
        "createOutputs",
      ]);
      expect(outputNamesOf(created.id)).to.deep.equal(["cdn", "monitor", "extra"]);
      expect(simulator.getFlowOutputs(created.id)![0]!.port).to.equal(9002);
      expect(simulator.getFlowSources(created.id)![0]).to.include({ min_latency: 300 });
      expect(updated.outs.sources).to.deep.equal({
        main: {
          ...main,
          minLatency: 300,
          decryption: { passphrase: PASSPHRASE, keyType: "srt-password" },
        },
        backup,
      });
      expect(updated.outs.outputs).to.deep.equal({
        cdn: { ...cdn, port: 9002, enabled: true },
        monitor: { ...monitor, enabled: true },
        extra: { ...extra, enabled: true },
      });
      expect(updated.outs.outputEndpoints).to.deep.equal(outputEndpointsOf(created.id));
      expect(updated.outs.sourceEndpoints).to.deep.equal(sourceEndpointsOf(created.id));
      expect(updated.outs).to.include({ flowId: created.id, name, status: "STANDBY" });
    });

    it("records only what it changed: an untouched output keeps its endpoint until a refresh", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn } });
      simulator.setFlowStatus(created.id, "ACTIVE");
      const updated = await provider.update(
        created.id,
        created.outs,
        await checked({ name, sources: { main }, outputs: { cdn, monitor } }),
      );
      const outputEndpoints = updated.outs.outputEndpoints as Record<
        string,
        { healthStatus: string }
      >;
      // As the update's preview promised (previewUpdate keeps untouched endpoints as stored).
      expect(outputEndpoints.cdn).to.deep.equal(
        (created.outs.outputEndpoints as Record<string, unknown>).cdn,
      );
      expect(outputEndpoints.monitor!.healthStatus).to.equal("CONNECTED");
    });

    it("records an existingFlowId the inputs now give", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main } });
      const updated = await provider.update(
        created.id,
        created.outs,
        await checked({ name, sources: { main }, existingFlowId: created.id }),
      );
      expect(updated.outs.existingFlowId).to.equal(created.id);
    });

    it("makes no call when only timeouts change", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn } });
      const since = mark();
      const updated = await provider.update(
        created.id,
        created.outs,
        await checked({ name, sources: { main }, outputs: { cdn }, timeouts: { update: "30s" } }),
      );
      expect(routes(since)).to.deep.equal([]);
      expect(updated.outs).to.deep.equal({
        ...created.outs,
        timeouts: { create: "5m", update: "30s", delete: "5m" },
      });
    });

    it("modifies a declared output someone created meanwhile and creates the rest", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn } });
      await outsider().createFlowOutputs(created.id, [
        { name: "monitor", protocol: "srt-listener", minLatency: 900 },
        { name: "rogue", protocol: "srt-listener" },
      ]);
      const extra = { protocol: "srt-caller", destination: "extra.example.com", port: 9300 };
      const since = mark();
      const updated = await provider.update(
        created.id,
        created.outs,
        await checked({ name, sources: { main }, outputs: { cdn, monitor, extra } }),
      );
      // The create of both is refused (monitor's name is taken): the detail says which exists.
      expect(routes(since)).to.deep.equal([
        "createOutputs",
        "detail",
        "modifyOutput",
        "createOutputs",
      ]);
      expect(outputNamesOf(created.id)).to.deep.equal(["cdn", "monitor", "rogue", "extra"]);
      expect(simulator.getFlowOutputs(created.id)![1]!.min_latency).to.equal(500);
      expect(updated.outs.outputs).to.deep.equal({
        cdn: { ...cdn, enabled: true },
        monitor: { ...monitor, enabled: true },
        extra: { ...extra, enabled: true },
      });
      // The rogue output is not recorded until a refresh finds it (and the next up deletes it).
      expect(Object.keys(updated.outs.outputEndpoints)).to.deep.equal(["cdn", "monitor", "extra"]);
    });

    it("counts the deletion of an output already gone as done", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn, monitor } });
      await outsider().deleteFlowOutput(created.id, "monitor");
      const since = mark();
      const updated = await provider.update(
        created.id,
        created.outs,
        await checked({ name, sources: { main }, outputs: { cdn } }),
      );
      expect(routes(since)).to.deep.equal(["deleteOutput", "detail"]);
      expect(updated.outs.outputs).to.deep.equal({ cdn: { ...cdn, enabled: true } });
      expect(Object.keys(updated.outs.outputEndpoints)).to.deep.equal(["cdn"]);
      expect(outputNamesOf(created.id)).to.deep.equal(["cdn"]);
    });

    it("fails at once when a deletion is refused with a 403", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn, monitor } });
      simulator.injectFault("deleteOutput", { kind: "status", status: 403 }, 1, created.id);
      const since = mark();
      const error = await rejection(
        provider.update(
          created.id,
          created.outs,
          await checked({ name, sources: { main }, outputs: { cdn } }),
        ),
      );
      expect(error.message).to.contain("live:ott:deleteFlowOutput");
      expect(routes(since)).to.deep.equal(["deleteOutput"]);
    });

    it("updates a state recorded before endpoints were kept", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn } });
      const older = { ...created.outs };
      delete older.sourceEndpoints;
      delete older.outputEndpoints;
      const since = mark();
      const updated = await provider.update(
        created.id,
        older,
        await checked({ name, sources: { main }, outputs: { cdn: { ...cdn, port: 9002 } } }),
      );
      expect(routes(since)).to.deep.equal(["modifyOutput"]);
      expect(updated.outs.sourceEndpoints).to.deep.equal({});
      expect(updated.outs.outputEndpoints).to.deep.equal(outputEndpointsOf(created.id));
    });

    it("needs no settings at all when only timeouts change", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main } });
      await configureWith({});
      try {
        const updated = await provider.update(
          created.id,
          created.outs,
          await checked({ name, sources: { main }, timeouts: { delete: "1m" } }),
        );
        expect(updated.outs.timeouts).to.deep.equal({ create: "5m", update: "5m", delete: "1m" });
      } finally {
        await configureWith(stackConfig());
      }
    });

    it("records the items done so far when a later call fails, keeping the stored provider", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn, monitor } });
      simulator.injectFault("modifyOutput", { kind: "status", status: 403 }, 1, created.id);
      const since = mark();
      const error = await rejection(
        provider.update(
          created.id,
          { ...created.outs, __provider: "stored-provider" },
          await checked({
            name,
            sources: { main },
            outputs: { cdn: { ...cdn, port: 9002 }, extra: monitor },
          }),
        ),
      );
      expect(routes(since)).to.deep.equal(["deleteOutput", "modifyOutput"]);
      expect(error.message).to.contain("live:ott:updateFlowOutput");
      expect(error.id).to.equal(created.id);
      expect(error.reasons).to.deep.equal([error.message]);
      const properties = error.properties as Record<string, unknown>;
      expect(properties.__provider).to.equal("stored-provider");
      expect(properties.outputs).to.deep.equal({ cdn: { ...cdn, enabled: true } });
      expect(Object.keys(properties.outputEndpoints as object)).to.deep.equal(["cdn"]);
    });

    it("fails, naming the output, when a deletion is refused while the output still exists", async () => {
      const name = uniqueName("update");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn, monitor } });
      simulator.injectFault("deleteOutput", { kind: "status", status: 400 }, 1, created.id);
      const since = mark();
      const error = await rejection(
        provider.update(
          created.id,
          created.outs,
          await checked({ name, sources: { main }, outputs: { cdn } }),
        ),
      );
      expect(routes(since)).to.deep.equal(["deleteOutput", "detail"]);
      expect(error.message).to.match(/^Media Live deleteFlowOutput .*HTTP 400/);
      expect((error.properties as Record<string, unknown>).outputs).to.deep.equal(
        created.outs.outputs,
      );
      expect(outputNamesOf(created.id)).to.deep.equal(["cdn", "monitor"]);
    });
  });

  describe("read", () => {
    it("shows a declared field changed outside Pulumi as drift, in state and in inputs", async () => {
      const name = uniqueName("read");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn } });
      await outsider().modifyFlowOutput(created.id, "cdn", { port: 9555 });
      const since = mark();
      const read = await provider.read(created.id, created.outs);
      expect(routes(since)).to.deep.equal(["detail", "showOutput"]);
      expect(read.id).to.equal(created.id);
      expect(read.props!.outputs).to.deep.equal({ cdn: { ...cdn, port: 9555, enabled: true } });
      expect(read.props!.outputEndpoints).to.deep.equal(outputEndpointsOf(created.id));
      expect(read.inputs).to.deep.equal({
        name,
        sources: created.outs.sources,
        outputs: { cdn: { ...cdn, port: 9555, enabled: true } },
        timeouts: DEFAULT_TIMEOUTS,
      });
    });

    it("records an output created outside Pulumi and the live status", async () => {
      const name = uniqueName("read");
      const created = await createFlow({ name, region: REGION, sources: { main } });
      await outsider().createFlowOutputs(created.id, [{ name: "rogue", protocol: "srt-listener" }]);
      simulator.setFlowStatus(created.id, "ACTIVE");
      const since = mark();
      const read = await provider.read(created.id, created.outs);
      expect(routes(since)).to.deep.equal(["detail", "showOutput"]);
      const rogue = simulator.getFlowOutputs(created.id)![0]!;
      const refreshed = {
        rogue: { protocol: "srt-listener", enabled: true, port: rogue.port, minLatency: 2000 },
      };
      expect(read.props).to.deep.include({ status: "ACTIVE", outputs: refreshed });
      expect(read.props!.outputEndpoints).to.deep.equal({
        rogue: {
          protocol: "srt-listener",
          address: rogue.listener_address,
          port: rogue.port,
          healthStatus: "CONNECTED",
        },
      });
      expect(read.props!.sourceEndpoints).to.deep.equal(sourceEndpointsOf(created.id));
      expect(read.inputs).to.deep.equal({
        name,
        region: REGION,
        sources: created.outs.sources,
        outputs: refreshed,
        timeouts: DEFAULT_TIMEOUTS,
      });
    });

    it("mirrors a source changed outside Pulumi and keeps the stored passphrase", async () => {
      const name = uniqueName("read");
      const created = await createFlow({ name, sources: { main: { ...main, minLatency: 500 } } });
      const [source] = simulator.getFlowSources(created.id)!;
      await outsider().modifyFlowSource(created.id, {
        name: "main",
        protocol: "srt-listener",
        minLatency: 700,
        decryption: { keyType: "srt-password", passphrase: "changed-elsewhere" },
        listenerPort: source!.source_listener_port,
      });
      const read = await provider.read(created.id, created.outs);
      const refreshedMain = {
        ...main,
        minLatency: 700,
        decryption: { passphrase: PASSPHRASE, keyType: "srt-password" },
      };
      expect(read.props!.sources).to.deep.equal({ main: refreshedMain });
      expect(read.inputs!.sources).to.deep.equal({ main: refreshedMain });
    });

    it("records an output encryption added outside Pulumi, and the next update removes it", async () => {
      const name = uniqueName("read");
      const created = await createFlow({ name, sources: { main }, outputs: { cdn } });
      await outsider().modifyFlowOutput(created.id, "cdn", {
        encryption: { keyType: "srt-password", passphrase: "added-in-the-console" },
      });
      const read = await provider.read(created.id, created.outs);
      const drifted = {
        ...cdn,
        enabled: true,
        encryption: { keyType: "srt-password", passphrase: PASSPHRASE_SET_ELSEWHERE },
      };
      expect(read.props!.outputs).to.deep.equal({ cdn: drifted });
      expect(read.inputs!.outputs).to.deep.equal({ cdn: drifted });

      const since = mark();
      const updated = await provider.update(
        created.id,
        read.props!,
        await checked({ name, sources: { main }, outputs: { cdn } }),
      );
      // A modify cannot clear a field: the output is deleted and created as declared.
      expect(routes(since)).to.deep.equal(["deleteOutput", "createOutputs"]);
      expect(simulator.getFlowOutputs(created.id)![0]!.encryption).to.equal(undefined);
      expect(updated.outs.outputs).to.deep.equal({ cdn: { ...cdn, enabled: true } });
    });

    it("reports a source the state does not hold in sourceEndpoints only", async () => {
      const created = await createFlow({ name: uniqueName("read"), sources: { main, backup } });
      const sources = created.outs.sources as Record<string, unknown>;
      const read = await provider.read(created.id, {
        ...created.outs,
        sources: { main: sources.main },
      });
      expect(read.props!.sources).to.deep.equal({ main: sources.main });
      expect(read.props!.sourceEndpoints).to.deep.equal(sourceEndpointsOf(created.id));
    });

    it("drops a flow the API answers 404 for, without a list", async () => {
      const created = await createFlow({ name: uniqueName("read"), sources: { main } });
      simulator.injectFault(
        "detail",
        { kind: "status", status: 404, errorCode: "LIVE.100011404", errorMsg: "flow not found" },
        1,
        created.id,
      );
      const since = mark();
      expect(await provider.read(created.id, created.outs)).to.deep.equal({});
      expect(routes(since)).to.deep.equal(["detail"]);
    });

    it("keeps the read's error when the list that should settle a 400 fails too", async () => {
      const created = await createFlow({ name: uniqueName("read"), sources: { main } });
      simulator.injectFault("detail", { kind: "status", status: 400 }, 1, created.id);
      simulator.injectFault("list", { kind: "status", status: 403 }, 1);
      const since = mark();
      const error = await rejection(provider.read(created.id, created.outs));
      expect(error.message).to.match(/^Media Live showFlowDetail .*HTTP 400 APIG\.0201/);
      expect(routes(since)).to.deep.equal(["detail", "list"]);
    });

    it("gives up at once on a Retry-After longer than the refresh's 2-minute budget", async () => {
      const created = await createFlow({ name: uniqueName("read"), sources: { main } });
      simulator.injectFault(
        "detail",
        { kind: "status", status: 503, retryAfterSeconds: 150 },
        1,
        created.id,
      );
      const since = mark();
      const started = Date.now();
      const error = await rejection(provider.read(created.id, created.outs));
      expect(error.message).to.match(/^Media Live showFlowDetail .*HTTP 503/);
      expect(Date.now() - started).to.be.below(5_000);
      expect(routes(since)).to.deep.equal(["detail"]);
    });

    it("drops a flow deleted outside Pulumi, confirmed by a list", async () => {
      const created = await createFlow({ name: uniqueName("read"), sources: { main } });
      simulator.deleteFlow(created.id);
      const since = mark();
      expect(await provider.read(created.id, created.outs)).to.deep.equal({});
      expect(routes(since)).to.deep.equal(["detail", "list"]);
    });

    it("adds the stored-config remedy to a 401", async () => {
      const created = await createFlow({ name: uniqueName("read"), sources: { main } });
      simulator.injectFault("detail", { kind: "status", status: 401 }, 1, created.id);
      const error = await rejection(provider.read(created.id, created.outs));
      expect(error.message).to.match(/^Media Live showFlowDetail .*HTTP 401 APIG\.0301/);
      expect(error.message.endsWith(` ${STORED_CONFIG_HINT}`)).to.equal(true);
      expect(error.message).to.contain("`pulumi refresh --run-program`");
      expect(error.cause).to.have.property("httpStatus", 401);
    });
  });

  describe("delete", () => {
    it("stops an ACTIVE flow, then deletes it", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      simulator.setFlowStatus(created.id, "ACTIVE");
      const since = mark();
      await provider.delete(created.id, created.outs);
      expect(routes(since)).to.deep.equal(["detail", "stop", "delete"]);
      expect(simulator.getFlow(created.id)).to.equal(undefined);
    });

    it("deletes a STANDBY flow without stopping it", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      const since = mark();
      await provider.delete(created.id, created.outs);
      expect(routes(since)).to.deep.equal(["detail", "delete"]);
      expect(simulator.getFlow(created.id)).to.equal(undefined);
    });

    it("deletes a flow that turns out to be stopped when its stop is refused", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      // The first read still sees it running; by the stop, someone has stopped it.
      simulator.injectFault(
        "detail",
        { kind: "body", body: { flow_id: created.id, status: "ACTIVE", sources: [], outputs: [] } },
        1,
        created.id,
      );
      const since = mark();
      await provider.delete(created.id, created.outs);
      expect(routes(since)).to.deep.equal(["detail", "stop", "detail", "delete"]);
      expect(simulator.getFlow(created.id)).to.equal(undefined);
    });

    it("fails when a refused stop leaves the flow running", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      simulator.setFlowStatus(created.id, "ACTIVE");
      simulator.injectFault("stop", { kind: "status", status: 400 }, 1, created.id);
      const since = mark();
      const error = await rejection(provider.delete(created.id, created.outs));
      expect(error.message).to.match(/^Media Live stopFlow .*HTTP 400/);
      expect(routes(since)).to.deep.equal(["detail", "stop", "detail", "list"]);
      expect(simulator.getFlow(created.id)!.status).to.equal("ACTIVE");
    });

    it("fails at once when the stop is refused with a 403", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      simulator.setFlowStatus(created.id, "ACTIVE");
      simulator.injectFault("stop", { kind: "status", status: 403 }, 1, created.id);
      const since = mark();
      const error = await rejection(provider.delete(created.id, created.outs));
      expect(error.message).to.contain("live:ott:updateFlowStatusStop");
      expect(routes(since)).to.deep.equal(["detail", "stop"]);
    });

    it("names the IAM action of a 403 on delete, without the stored-config remedy", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      simulator.injectFault("delete", { kind: "status", status: 403 }, 1, created.id);
      const error = await rejection(provider.delete(created.id, created.outs));
      expect(error.message).to.match(/live:ott:deleteFlow \(project /);
      expect(error.message).not.to.contain("--run-program");
    });

    it("deletes a flow recorded without timeouts (an older state)", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      const older = { ...created.outs };
      delete older.timeouts;
      const since = mark();
      await provider.delete(created.id, older);
      expect(routes(since)).to.deep.equal(["detail", "delete"]);
    });

    it("stops at timeouts.delete with the remedy, when the API does not answer", async () => {
      const created = await createFlow({
        name: uniqueName("delete"),
        sources: { main },
        timeouts: { delete: "1s" },
      });
      // One attempt outlasts the operation, so the operation's own budget ends it.
      await configureWith({ ...stackConfig(), "huaweicloud:liveRequestTimeout": "5s" });
      try {
        simulator.injectFault("detail", { kind: "hang" }, 1, created.id);
        const error = await rejection(provider.delete(created.id, created.outs));
        expect(error).to.be.instanceOf(OperationTimeoutError);
        expect(error.name).to.equal("OperationTimeoutError");
        expect(error.message).to.equal(
          `Flow delete of flow ${created.id} timed out after 1s; raise timeouts.delete or retry.`,
        );
        expect(simulator.getFlow(created.id)).not.to.equal(undefined);
      } finally {
        await configureWith(stackConfig());
      }
    });

    it("succeeds for a flow already gone, with only the reads", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      simulator.deleteFlow(created.id);
      const since = mark();
      await provider.delete(created.id, created.outs);
      expect(routes(since)).to.deep.equal(["detail", "list"]);
    });

    it("adds the stored-config remedy to a 401 and leaves the flow", async () => {
      const created = await createFlow({ name: uniqueName("delete"), sources: { main } });
      simulator.injectFault("delete", { kind: "status", status: 401 }, 1, created.id);
      const since = mark();
      const error = await rejection(provider.delete(created.id, created.outs));
      expect(error.message).to.match(/^Media Live deleteFlow .*HTTP 401 APIG\.0301/);
      expect(error.message.endsWith(` ${STORED_CONFIG_HINT}`)).to.equal(true);
      expect(error.cause).to.have.property("httpStatus", 401);
      expect(routes(since)).to.deep.equal(["detail", "delete"]);
      expect(simulator.getFlow(created.id)!.status).to.equal("STANDBY");
    });
  });

  describe("a flow created elsewhere than stack config says", () => {
    let elsewhere: Simulator;
    const ELSEWHERE_PROJECT = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    before(async () => {
      elsewhere = await startSimulator({ projectId: ELSEWHERE_PROJECT });
    });
    after(() => elsewhere.close());

    it("is refreshed and deleted where it was created: its project, region and endpoint", async () => {
      const name = uniqueName("elsewhere");
      const location = {
        projectId: ELSEWHERE_PROJECT,
        region: "ap-southeast-1",
        endpoint: elsewhere.url,
      };
      const created = await createFlow({ name, sources: { main }, ...location });
      expect(created.outs).to.include(location);
      expect(created.outs.settingSources).to.deep.equal({
        projectId: "input",
        region: "input",
        endpoint: "input",
      });
      expect(elsewhere.getFlow(created.id)).to.include({ name, region: "ap-southeast-1" });
      expect(flowsNamed(name)).to.deep.equal([]);

      const read = await provider.read(created.id, created.outs);
      expect(read.props).to.include({ flowId: created.id, status: "STANDBY" });
      expect(read.inputs).to.include(location);

      elsewhere.injectFault("detail", { kind: "status", status: 403 }, 1, created.id);
      const error = await rejection(provider.read(created.id, created.outs));
      expect(error.message).to.contain(`(project ${ELSEWHERE_PROJECT}, region ap-southeast-1)`);

      await provider.delete(created.id, created.outs);
      expect(elsewhere.getFlow(created.id)).to.equal(undefined);
      const routesThere = elsewhere.journal
        .filter((entry) => entry.flowId === created.id)
        .map((entry) => entry.route);
      expect(routesThere).to.deep.equal(["create", "detail", "detail", "detail", "delete"]);
      expect(simulator.requestCount({ flowId: created.id })).to.equal(0);
    });
  });

  describe("debug output (HW_LIVE_DEBUG)", () => {
    it("writes one redacted line per HTTP attempt to stderr", async () => {
      const created = await createFlow({ name: uniqueName("debug"), sources: { main } });
      const lines: string[] = [];
      const original = console.error;
      const previous = process.env.HW_LIVE_DEBUG;
      process.env.HW_LIVE_DEBUG = "1";
      console.error = (...parts: unknown[]) => void lines.push(parts.join(" "));
      try {
        simulator.injectFault("detail", { kind: "reset" }, 1, created.id);
        await provider.read(created.id, created.outs);
      } finally {
        console.error = original;
        if (previous === undefined) delete process.env.HW_LIVE_DEBUG;
        else process.env.HW_LIVE_DEBUG = previous;
      }
      const url = `${simulator.url}/v1/${simulator.projectId}/flows/detail?flow_id=${created.id}`;
      expect(lines).to.have.lengthOf(2);
      expect(lines[0]).to.match(
        new RegExp(
          `^\\[medialive\\] showFlowDetail GET ${escape(url)} attempt 1 -> network in \\d+ms$`,
        ),
      );
      expect(lines[1]).to.match(
        new RegExp(
          `^\\[medialive\\] showFlowDetail GET ${escape(url)} attempt 2 -> 200 in \\d+ms request id [0-9a-f]{32}$`,
        ),
      );
      expect(lines.join("\n")).not.to.contain(SIMULATOR_DEFAULTS.secretKey);
    });
  });

  describe("the operation every lifecycle call runs in", () => {
    it("passes other errors through, as errors", () => {
      const operation = new Operation("Flow", "create", "5m");
      const failure = new Error("boom");
      expect(operation.explain(failure, "f-1")).to.equal(failure);
      expect(operation.explain("text", "f-1")).to.deep.equal(new Error("text"));
    });

    it("names the last observed status and the refresh remedy once its budget is spent", async () => {
      const operation = new Operation("Flow", "refresh", "1s");
      await new Promise((resolve) => operation.signal.addEventListener("abort", resolve));
      const timedOut = operation.explain(new Error("aborted"), "f-1", "ACTIVE");
      expect(timedOut.message).to.equal(
        "Flow refresh of flow f-1 timed out after 1s (last observed status ACTIVE); retry later.",
      );
      expect(operation.explain(timedOut, "f-2")).to.equal(timedOut);
    });
  });
});

/** A string as a regular expression that matches exactly it. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
