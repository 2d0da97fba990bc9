import { expect } from "chai";
/**
 * The operation table (`client/operations.ts`) as the simulator sees it, for each of the eleven
 * operations: the method and path that reach the API, the IAM action a 403 names, and whether a
 * lost answer (a 503 from the backend) is retried. Real HTTP to a simulator on an ephemeral port;
 * every count and status comes from the simulator's journal.
 *
 * The expected methods, paths and IAM actions are the Media Live API reference's
 * (https://support.huaweicloud.com/intl/en-us/api-medialive/live_26_0007.html); the simulator
 * resolves a request to an operation only from its method and path, so a wrong one shows up as a
 * different (or `unknown`) route in the journal.
 */
import { MediaLiveClient } from "../client/mediaLiveClient";
import { MediaLiveError } from "../client/errors";
import type { MediaLiveOperation } from "../client/operations";
import {
  SIMULATOR_DEFAULTS,
  startSimulator,
  type RouteName,
  type Simulator,
} from "../simulator/index";

const PROJECT_ID = SIMULATOR_DEFAULTS.projectId;
const REGION = "ap-southeast-3";
const OUTPUT_NAME = "out-1";
const SOURCE_NAME = "source-1";

/** One operation: how to call it on a flow, and what the API reference says about it. */
interface OperationCase {
  readonly operation: MediaLiveOperation;
  readonly route: RouteName;
  readonly method: string;
  /** Below `/v1/{project_id}`. */
  readonly path: string;
  readonly iamAction: string;
  /** Whether a 503 (the request may have landed) is retried. */
  readonly idempotent: boolean;
  /** The status the flow needs for the call to succeed. */
  readonly flowStatus: "STANDBY" | "ACTIVE";
  readonly call: (client: MediaLiveClient, flowId: string) => Promise<unknown>;
}

const CASES: readonly OperationCase[] = [
  {
    operation: "startFlow",
    route: "start",
    method: "PUT",
    path: "/flows/start",
    iamAction: "live:ott:updateFlowStatusStart",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client, flowId) => client.startFlow(flowId),
  },
  {
    operation: "stopFlow",
    route: "stop",
    method: "PUT",
    path: "/flows/stop",
    iamAction: "live:ott:updateFlowStatusStop",
    idempotent: true,
    flowStatus: "ACTIVE",
    call: (client, flowId) => client.stopFlow(flowId),
  },
  {
    operation: "showFlowDetail",
    route: "detail",
    method: "GET",
    path: "/flows/detail",
    iamAction: "live:ott:getFlowDetail",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client, flowId) => client.showFlowDetail(flowId),
  },
  {
    operation: "listFlows",
    route: "list",
    method: "GET",
    path: "/flows",
    iamAction: "live:ott:listFlow",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client) => client.listFlows(),
  },
  {
    operation: "createFlow",
    route: "create",
    method: "POST",
    path: "/flows",
    iamAction: "live:ott:createFlow",
    idempotent: false,
    flowStatus: "STANDBY",
    call: (client, flowId) =>
      client.createFlow({
        name: `created-${flowId.slice(0, 8)}`,
        region: REGION,
        sources: [{ name: "main", protocol: "srt-listener" }],
      }),
  },
  {
    operation: "deleteFlow",
    route: "delete",
    method: "DELETE",
    path: "/flows",
    iamAction: "live:ott:deleteFlow",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client, flowId) => client.deleteFlow(flowId),
  },
  {
    operation: "modifyFlowSource",
    route: "modifySources",
    method: "PUT",
    path: "/flows/sources",
    iamAction: "live:ott:updateFlowSource",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client, flowId) =>
      client.modifyFlowSource(flowId, {
        name: SOURCE_NAME,
        protocol: "srt-listener",
        minLatency: 700,
      }),
  },
  {
    operation: "createFlowOutputs",
    route: "createOutputs",
    method: "POST",
    path: "/flows/outputs",
    iamAction: "live:ott:createFlowOutput",
    idempotent: false,
    flowStatus: "STANDBY",
    call: (client, flowId) =>
      client.createFlowOutputs(flowId, [{ name: "out-2", protocol: "srt-listener" }]),
  },
  {
    operation: "showFlowOutput",
    route: "showOutput",
    method: "GET",
    path: "/flows/outputs",
    iamAction: "live:ott:showFlowOutput",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client, flowId) => client.showFlowOutput(flowId, OUTPUT_NAME),
  },
  {
    operation: "modifyFlowOutput",
    route: "modifyOutput",
    method: "PUT",
    path: "/flows/outputs",
    iamAction: "live:ott:updateFlowOutput",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client, flowId) =>
      client.modifyFlowOutput(flowId, OUTPUT_NAME, { description: "changed" }),
  },
  {
    operation: "deleteFlowOutput",
    route: "deleteOutput",
    method: "DELETE",
    path: "/flows/outputs",
    iamAction: "live:ott:deleteFlowOutput",
    idempotent: true,
    flowStatus: "STANDBY",
    call: (client, flowId) => client.deleteFlowOutput(flowId, OUTPUT_NAME),
  },
];

/** The rejection of `promise` as a {@link MediaLiveError}; fails the test otherwise. */
async function failureOf(promise: Promise<unknown>): Promise<MediaLiveError> {
  try {
    await promise;
  } catch (error) {
    if (!MediaLiveError.isInstance(error)) throw error;
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("client operations table", () => {
  let simulator: Simulator;
  let client: MediaLiveClient;

  before(async () => {
    simulator = await startSimulator({ region: REGION });
    client = new MediaLiveClient({
      projectId: PROJECT_ID,
      region: REGION,
      endpoint: simulator.url,
      credentials: {
        accessKey: SIMULATOR_DEFAULTS.accessKey,
        secretKey: SIMULATOR_DEFAULTS.secretKey,
      },
      requestsPerSecond: 1_000,
      // Retries in milliseconds, with no jitter: the waits are 3, 5, 10… ms.
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      random: () => 0,
    });
  });

  after(async () => {
    await simulator.close();
  });

  /** A new flow in `status` with one listener source and one listener output; the journal cleared. */
  function freshFlow(status: OperationCase["flowStatus"]): string {
    const { flowId } = simulator.createFlow({
      status,
      outputs: [{ name: OUTPUT_NAME, protocol: "srt-listener" }],
    });
    simulator.clearFaults();
    simulator.clearJournal();
    return flowId;
  }

  /** Method, path and route of every request the simulator settled, oldest first. */
  function requests(): { method: string; path: string; route: string; status: unknown }[] {
    return simulator.journal.map(({ method, path, route, status }) => ({
      method,
      path,
      route,
      status,
    }));
  }

  for (const spec of CASES) {
    describe(spec.operation, () => {
      it(`sends ${spec.method} /v1/{project_id}${spec.path}`, async () => {
        const flowId = freshFlow(spec.flowStatus);
        await spec.call(client, flowId);
        const [only, ...rest] = requests();
        expect(rest).to.deep.equal([]);
        expect(only).to.include({
          method: spec.method,
          path: `/v1/${PROJECT_ID}${spec.path}`,
          route: spec.route,
        });
        expect(only!.status).to.be.within(200, 299);
      });

      it(`names the IAM action ${spec.iamAction} on a 403`, async () => {
        const flowId = freshFlow(spec.flowStatus);
        simulator.injectFault(spec.route, { kind: "status", status: 403 });
        const error = await failureOf(spec.call(client, flowId));
        expect(error).to.include({
          operation: spec.operation,
          httpStatus: 403,
          errorCode: "APIG.0302",
          attempts: 1,
        });
        expect(error.message).to.match(
          new RegExp(
            `; check that the IAM user may perform ${spec.iamAction} \\(project ${PROJECT_ID}, region ${REGION}\\)\\.$`,
          ),
        );
        expect(simulator.requestCount()).to.equal(1);
      });

      if (spec.idempotent) {
        it("retries after a 503 and succeeds", async () => {
          const flowId = freshFlow(spec.flowStatus);
          simulator.injectFault(spec.route, { kind: "status", status: 503 });
          await spec.call(client, flowId);
          const sent = requests();
          expect(sent.map(({ route }) => route)).to.deep.equal([spec.route, spec.route]);
          expect(sent[0]!.status).to.equal(503);
          expect(sent[1]!.status).to.be.within(200, 299);
        });
      } else {
        it("does not retry after a 503: the request may have landed", async () => {
          const flowId = freshFlow(spec.flowStatus);
          simulator.injectFault(spec.route, { kind: "status", status: 503 });
          const error = await failureOf(spec.call(client, flowId));
          expect(error).to.include({ operation: spec.operation, httpStatus: 503, attempts: 1 });
          expect(requests()).to.deep.equal([
            {
              method: spec.method,
              path: `/v1/${PROJECT_ID}${spec.path}`,
              route: spec.route,
              status: 503,
            },
          ]);
        });

        it("retries after a 429: the gateway refused it before the service saw it", async () => {
          const flowId = freshFlow(spec.flowStatus);
          simulator.injectFault(spec.route, { kind: "status", status: 429 });
          await spec.call(client, flowId);
          const sent = requests();
          expect(sent.map(({ route }) => route)).to.deep.equal([spec.route, spec.route]);
          expect(sent[0]!.status).to.equal(429);
          expect(sent[1]!.status).to.be.within(200, 299);
        });
      }
    });
  }
});
