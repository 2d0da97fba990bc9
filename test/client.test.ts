import { expect } from "chai";
/**
 * The Media Live client against the simulator over real HTTP: no stubbed modules, no mocked undici.
 * Transport faults (resets, hangs, delays, malformed bodies) come from the simulator; what travels
 * on the wire is observed through a loopback TCP relay and a loopback forward proxy
 * (`support/loopbackProxies`). Each `describe` starts its own simulator on an ephemeral port.
 *
 * Timing: retries use a fast policy and an injected random source. Only the Retry-After, timeout,
 * deadline and pacing tests wait on the wall clock, and they assert counts and outcomes, plus at most
 * a lower bound that a sleep guarantees. The throttling storm drives the simulator's rate limiter
 * with a stepping clock so exactly which arrivals are throttled does not depend on machine speed.
 *
 * The rate limiter is shared process-wide per endpoint and credential, so every simulator here has
 * its own port (hence its own limiters), and tests that use different rates use different keys.
 */
import { inspect } from "node:util";
import { performance } from "node:perf_hooks";
import { EnvHttpProxyAgent } from "undici";

import {
  MediaLiveClient,
  type MediaLiveClientOptions,
  type RequestLogEvent,
} from "../client/mediaLiveClient";
import { isAlreadyInStatus, isFlowNotFound, MediaLiveError } from "../client/errors";
import {
  SIMULATOR_DEFAULTS,
  startSimulator,
  type JournalEntry,
  type Simulator,
  type SimulatorOptions,
} from "../simulator/index";
import {
  startForwardProxy,
  startTcpRelay,
  type ForwardProxy,
  type TcpRelay,
} from "./support/loopbackProxies";

const PROJECT_ID = SIMULATOR_DEFAULTS.projectId;
const REGION = "ap-southeast-3";
const ACCESS_KEY = SIMULATOR_DEFAULTS.accessKey;
const SECRET_KEY = SIMULATOR_DEFAULTS.secretKey;
const FLOW_ID = "ec897482-d24b-4d64-aa39-407980902b1d";
const INVALID_PARAMETER = "LIVE.100011001";
/** A rate that never holds a test back (the limiter is not under test there). */
const UNTHROTTLED = 1_000;
/** Retries in milliseconds instead of seconds; with `random: () => 0` the waits are 3, 5, 10… ms. */
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50 } as const;
/** The scope every error message ends with, for clients made by {@link clientFor}. */
const SCOPE = `(project ${PROJECT_ID}, region ${REGION})`;

/**
 * A client for `simulator` (or any base URL) with the simulator's default credentials, a fast retry
 * policy, deterministic jitter and no practical rate limit; `options` override any of it.
 */
function clientFor(
  target: Simulator | string,
  options: Partial<MediaLiveClientOptions> = {},
): MediaLiveClient {
  return new MediaLiveClient({
    projectId: PROJECT_ID,
    region: REGION,
    endpoint: typeof target === "string" ? target : target.url,
    credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
    requestsPerSecond: UNTHROTTLED,
    retry: FAST_RETRY,
    random: () => 0,
    ...options,
  });
}

/** The rejection of `promise`; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

/** The {@link MediaLiveError} `promise` rejects with; fails the test on anything else. */
async function failureOf(promise: Promise<unknown>): Promise<MediaLiveError> {
  const error = await rejectionOf(promise);
  if (!MediaLiveError.isInstance(error)) throw error;
  expect(error).to.be.instanceOf(MediaLiveError);
  return error;
}

/** Statuses of the journal, oldest first. */
function statuses(simulator: Simulator): JournalEntry["status"][] {
  return simulator.journal.map((entry) => entry.status);
}

/** The only journal entry; fails when there is not exactly one. */
function onlyEntry(simulator: Simulator): JournalEntry {
  expect(simulator.journal).to.have.length(1);
  return simulator.journal[0]!;
}

/** Waits until `condition` holds (for journal entries of requests the client abandoned). */
async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Every text form of an error a user or a log could see. */
function visibleForms(error: MediaLiveError): Record<string, string> {
  return {
    message: error.message,
    string: String(error),
    stack: error.stack ?? "",
    json: JSON.stringify(error),
    fields: JSON.stringify({ ...error }),
    inspect: inspect(error, { depth: 5 }),
  };
}

/** Fails when `secret` appears in any visible form of `error`. */
function expectNoSecret(error: MediaLiveError, secret: string): void {
  for (const [form, text] of Object.entries(visibleForms(error))) {
    expect(text, `${form} of the error`).to.not.include(secret);
  }
}

/**
 * Starts a simulator for one `describe`, closes it afterwards, and clears its journal and faults
 * before each test. Returns a getter because the simulator exists only once `before` ran.
 */
function useSimulator(options: SimulatorOptions): () => Simulator {
  let simulator: Simulator | undefined;
  before(async () => {
    simulator = await startSimulator({ port: 0, ...options });
  });
  after(async () => {
    await simulator?.close();
  });
  beforeEach(() => {
    simulator!.clearFaults();
    simulator!.clearJournal();
  });
  return () => simulator!;
}

describe("MediaLiveClient against the simulator", () => {
  describe("operations", () => {
    const sim = useSimulator({ flows: [{ flowId: FLOW_ID, name: "news", region: "cn-north-4" }] });
    let relay: TcpRelay;
    before(async () => {
      relay = await startTcpRelay(sim().port);
    });
    after(async () => {
      await relay.close();
    });
    beforeEach(() => {
      sim().setFlowStatus(FLOW_ID, "STANDBY");
      relay.clear();
    });

    it("startFlow turns a STANDBY flow ACTIVE in one request", async () => {
      const result = await clientFor(sim()).startFlow(FLOW_ID);
      const entry = onlyEntry(sim());
      expect(result).to.deep.equal({
        flowId: FLOW_ID,
        status: "ACTIVE",
        reportedStatus: "ACTIVE",
        requestId: entry.requestId,
      });
      expect(entry).to.include({ method: "PUT", route: "start", status: 200, flowId: FLOW_ID });
      expect(sim().getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
    });

    it("stopFlow turns an ACTIVE flow STANDBY in one request", async () => {
      sim().setFlowStatus(FLOW_ID, "ACTIVE");
      const result = await clientFor(sim()).stopFlow(FLOW_ID);
      const entry = onlyEntry(sim());
      expect(result).to.deep.equal({
        flowId: FLOW_ID,
        status: "STANDBY",
        reportedStatus: "STANDBY",
        requestId: entry.requestId,
      });
      expect(entry).to.include({ method: "PUT", route: "stop", status: 200 });
      expect(sim().getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("showFlowDetail returns name, region, sources and outputs", async () => {
      const detail = await clientFor(sim()).showFlowDetail(FLOW_ID);
      const entry = onlyEntry(sim());
      expect(detail).to.deep.equal({
        flowId: FLOW_ID,
        status: "STANDBY",
        reportedStatus: "STANDBY",
        name: "news",
        region: "cn-north-4",
        sources: [
          {
            name: "source-1",
            protocol: "srt-listener",
            minLatency: 2000,
            // The simulator gives a listener source its flow's address and a port.
            listenerAddress: "192.0.2.1",
            listenerPort: 20000,
            healthStatus: "DISCONNECTED",
          },
        ],
        outputs: [],
        requestId: entry.requestId,
      });
      expect(entry).to.include({ method: "GET", route: "detail", status: 200 });
    });

    it("sends flow_id in the query, no body, and a signature over host and X-Sdk-Date", async () => {
      await clientFor(relay.url).startFlow(FLOW_ID);

      // What the simulator understood.
      const entry = onlyEntry(sim());
      expect(entry.path).to.equal(`/v1/${PROJECT_ID}/flows/start`);
      expect(entry.query).to.deep.equal({ flow_id: FLOW_ID });
      expect(entry).to.include({ auth: "aksk", status: 200 });
      expect(entry.headers["x-project-id"]).to.equal(PROJECT_ID);
      expect(entry.headers["x-sdk-date"]).to.match(/^\d{8}T\d{6}Z$/);
      expect(entry.headers["host"]).to.equal(relay.authority);
      expect(entry.headers["authorization"]).to.equal("[REDACTED]");

      // What was on the wire (the journal redacts Authorization, the relay does not).
      expect(relay.received).to.have.length(1);
      const raw = relay.received[0]!.toString("latin1");
      const headEnd = raw.indexOf("\r\n\r\n");
      const [requestLine, ...headerLines] = raw.slice(0, headEnd).split("\r\n");
      const headers = new Map(
        headerLines.map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
        }),
      );
      expect(requestLine).to.equal(`PUT /v1/${PROJECT_ID}/flows/start?flow_id=${FLOW_ID} HTTP/1.1`);
      expect(headers.get("authorization")).to.match(
        new RegExp(
          `^SDK-HMAC-SHA256 Access=${ACCESS_KEY}, ` +
            "SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$",
        ),
      );
      expect(headers.get("host")).to.equal(relay.authority);
      expect(headers.get("x-project-id")).to.equal(PROJECT_ID);
      expect(headers.has("transfer-encoding")).to.equal(false);
      expect(headers.get("content-length") ?? "0").to.equal("0");
      expect(raw.slice(headEnd + 4)).to.equal("");
    });

    it("signs a flow id that needs percent-encoding so the API accepts it", async () => {
      const flowId = "a b/c~d+é";
      const error = await failureOf(clientFor(sim()).showFlowDetail(flowId));
      // A 400 for the unknown id, not a 401: the signature over the encoded query matched.
      expect(error).to.include({ httpStatus: 400, errorCode: INVALID_PARAMETER, attempts: 1 });
      expect(error.errorMessage).to.equal("Invalid request parameter.");
      expect(onlyEntry(sim()).query).to.deep.equal({ flow_id: flowId });
    });

    it("surfaces starting an ACTIVE flow as the documented 400, without retrying", async () => {
      sim().setFlowStatus(FLOW_ID, "ACTIVE");
      const error = await failureOf(clientFor(sim()).startFlow(FLOW_ID));
      const entry = onlyEntry(sim());
      expect(error).to.include({
        name: "MediaLiveError",
        operation: "startFlow",
        kind: "http",
        httpStatus: 400,
        errorCode: INVALID_PARAMETER,
        errorMessage: "flow task is in active status",
        requestId: entry.requestId,
        flowId: FLOW_ID,
        projectId: PROJECT_ID,
        region: REGION,
        attempts: 1,
      });
      expect(error.message).to.equal(
        `Media Live startFlow for flow ${FLOW_ID} failed: HTTP 400 ${INVALID_PARAMETER} ` +
          `"flow task is in active status" (request id ${entry.requestId}); ` +
          "check the request parameters.",
      );
      expect(isAlreadyInStatus(error)).to.equal(true);
      expect(isFlowNotFound(error)).to.equal(false);
      expect(sim().requestCount({ route: "start" })).to.equal(1);
    });

    it("surfaces stopping a STANDBY flow as the generic 400 (Huawei documents no text), without retrying", async () => {
      const error = await failureOf(clientFor(sim()).stopFlow(FLOW_ID));
      expect(error).to.include({
        operation: "stopFlow",
        httpStatus: 400,
        errorCode: INVALID_PARAMETER,
        errorMessage: "Invalid request parameter.",
        attempts: 1,
      });
      // Only the documented start text is recognised; callers settle any 400 with a read.
      expect(isAlreadyInStatus(error)).to.equal(false);
      expect(sim().requestCount({ route: "stop" })).to.equal(1);
    });

    it("reports an unknown flow as the generic 400 on every operation, without retrying", async () => {
      const client = clientFor(sim());
      for (const call of [
        () => client.showFlowDetail("missing-flow"),
        () => client.startFlow("missing-flow"),
        () => client.stopFlow("missing-flow"),
      ]) {
        const error = await failureOf(call());
        expect(error).to.include({ httpStatus: 400, errorCode: INVALID_PARAMETER, attempts: 1 });
        expect(error.errorMessage).to.equal("Invalid request parameter.");
        // The answer alone cannot tell an unknown flow from another bad parameter: the provider
        // confirms with a list (see flowActivationProvider's flowIsGone).
        expect(isFlowNotFound(error), error.operation).to.equal(false);
        expect(isAlreadyInStatus(error), error.operation).to.equal(false);
      }
      expect(statuses(sim())).to.deep.equal([400, 400, 400]);
    });
  });

  describe("listing", () => {
    const seeds = Array.from({ length: 25 }, (_, index) => {
      const number = String(index + 1).padStart(2, "0");
      return {
        flowId: `flow-${number}`,
        name: `name-${number}`,
        status: index % 2 === 0 ? "ACTIVE" : "STANDBY",
        protocol: index % 3 === 0 ? ("srt-caller" as const) : ("srt-listener" as const),
      };
    });
    const sim = useSimulator({ flows: seeds });

    it("lists one page with limit and offset, and the project's total", async () => {
      const page = await clientFor(sim()).listFlows({ limit: 10, offset: 20 });
      expect(page.total).to.equal(25);
      expect(page.flows.map((flow) => flow.flowId)).to.deep.equal(
        seeds.slice(20).map((seed) => seed.flowId),
      );
      expect(page.flows[0]).to.deep.equal({
        flowId: "flow-21",
        status: "ACTIVE",
        reportedStatus: "ACTIVE",
        name: "name-21",
        region: REGION,
        protocol: "srt-listener",
        description: undefined,
      });
      expect(page.flows[1]).to.include({ flowId: "flow-22", status: "STANDBY" });
      expect(onlyEntry(sim()).query).to.deep.equal({ limit: "10", offset: "20" });
    });

    it("asks for limit 10 from offset 0 by default", async () => {
      const page = await clientFor(sim()).listFlows();
      expect(page.flows.map((flow) => flow.flowId)).to.deep.equal(
        seeds.slice(0, 10).map((seed) => seed.flowId),
      );
      expect(onlyEntry(sim()).query).to.deep.equal({ limit: "10", offset: "0" });
    });

    it("listAllFlows pages through 25 flows in 3 requests of 10", async () => {
      const flows = await clientFor(sim()).listAllFlows(10);
      expect(flows.map((flow) => flow.flowId)).to.deep.equal(seeds.map((seed) => seed.flowId));
      expect(sim().requestCount({ route: "list" })).to.equal(3);
      expect(sim().journal.map((entry) => entry.query)).to.deep.equal([
        { limit: "10", offset: "0" },
        { limit: "10", offset: "10" },
        { limit: "10", offset: "20" },
      ]);
    });

    it("listAllFlows needs one request with the default page size of 100", async () => {
      const flows = await clientFor(sim()).listAllFlows();
      expect(flows).to.have.length(25);
      expect(onlyEntry(sim()).query).to.deep.equal({ limit: "100", offset: "0" });
    });

    it("rejects a limit outside 1-100 or a negative offset before any request", async () => {
      const client = clientFor(sim());
      const cases: [Promise<unknown>, string][] = [
        [client.listFlows({ limit: 0 }), "limit must be an integer from 1 to 100"],
        [client.listFlows({ limit: 101 }), "limit must be an integer from 1 to 100"],
        [client.listFlows({ limit: 2.5 }), "limit must be an integer from 1 to 100"],
        [client.listFlows({ offset: -1 }), "offset must be a non-negative integer"],
        [client.listFlows({ offset: 0.5 }), "offset must be a non-negative integer"],
        [client.listAllFlows(0), "limit must be an integer from 1 to 100"],
      ];
      for (const [call, message] of cases) {
        const error = await rejectionOf(call);
        expect(error).to.be.instanceOf(RangeError);
        expect((error as RangeError).message).to.equal(message);
      }
      expect(sim().requestCount()).to.equal(0);
    });
  });

  describe("faults", () => {
    const sim = useSimulator({ flows: [{ flowId: FLOW_ID }] });
    beforeEach(() => sim().setFlowStatus(FLOW_ID, "STANDBY"));

    it("waits for Retry-After after a 429, then succeeds", async () => {
      sim().injectFault("detail", { kind: "status", status: 429, retryAfterSeconds: 1 });
      const detail = await clientFor(sim()).showFlowDetail(FLOW_ID);
      expect(detail.status).to.equal("STANDBY");
      expect(statuses(sim())).to.deep.equal([429, 200]);
      const [throttled, retried] = sim().journal;
      // The client's own backoff is 3 ms here; only the 1 s Retry-After explains this gap.
      expect(Date.parse(retried!.at) - Date.parse(throttled!.at)).to.be.at.least(900);
    });

    it("retries a 429 without Retry-After on its own backoff", async () => {
      sim().injectFault("start", { kind: "status", status: 429 });
      const result = await clientFor(sim()).startFlow(FLOW_ID);
      expect(result.status).to.equal("ACTIVE");
      expect(statuses(sim())).to.deep.equal([429, 200]);
    });

    for (const [status, errorCode] of [
      [500, "APIG.9999"],
      [502, "APIG.0202"],
      [503, "APIG.0202"],
      [504, "APIG.0203"],
    ] as const) {
      it(`retries ${status} (${errorCode}) and succeeds: faults + 1 requests`, async () => {
        sim().injectFault("start", { kind: "status", status }, 2);
        const result = await clientFor(sim()).startFlow(FLOW_ID);
        expect(result.status).to.equal("ACTIVE");
        expect(statuses(sim())).to.deep.equal([status, status, 200]);
        expect(
          sim()
            .journal.slice(0, 2)
            .map((entry) => entry.errorCode),
        ).to.deep.equal([errorCode, errorCode]);
      });
    }

    it("retries a connection reset before the change and succeeds", async () => {
      sim().injectFault("start", { kind: "reset" });
      const result = await clientFor(sim()).startFlow(FLOW_ID);
      expect(result).to.include({ status: "ACTIVE", reportedStatus: "ACTIVE" });
      expect(statuses(sim())).to.deep.equal(["reset", 200]);
      expect(sim().getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
    });

    it("gives up on persistent resets with a network error after maxAttempts", async () => {
      sim().injectFault("detail", { kind: "reset" }, 3);
      const client = clientFor(sim(), { retry: { ...FAST_RETRY, maxAttempts: 3 } });
      const error = await failureOf(client.showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "network", httpStatus: undefined, attempts: 3 });
      expect(error.message).to.include(
        `Media Live showFlowDetail for flow ${FLOW_ID} failed after 3 attempts:`,
      );
      expect(error.message).to.include("check the endpoint URL, DNS, proxy settings");
      expect(error.cause).to.be.instanceOf(Error);
      expect(statuses(sim())).to.deep.equal(["reset", "reset", "reset"]);
    });

    it("surfaces the 400 'active status' when a start's answer was lost and the retry finds it ACTIVE", async () => {
      sim().injectFault("start", { kind: "reset", afterApply: true });
      const error = await failureOf(clientFor(sim()).startFlow(FLOW_ID));
      // Documented behaviour the provider settles: the client reports what the API said …
      expect(error).to.include({
        httpStatus: 400,
        errorCode: INVALID_PARAMETER,
        errorMessage: "flow task is in active status",
        attempts: 2,
      });
      expect(error.message).to.include("failed after 2 attempts: HTTP 400 LIVE.100011001");
      expect(isAlreadyInStatus(error)).to.equal(true);
      // … and the flow really is running.
      expect(sim().getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
      expect(statuses(sim())).to.deep.equal(["reset", 400]);
    });

    it("abandons an answer slower than timeoutMs and succeeds on the retry", async () => {
      // The retry must answer within timeoutMs on a loaded machine too: 1 s, not a few hundred ms.
      sim().injectFault("start", { kind: "delay", ms: 2500 });
      const result = await clientFor(sim(), { timeoutMs: 1000 }).startFlow(FLOW_ID);
      expect(result.status).to.equal("ACTIVE");
      await eventually(() => sim().requestCount() === 2, 5000);
      expect(sim().requestCount({ status: 200 })).to.equal(1);
      expect(sim().journal.filter((entry) => entry.status === "dropped")).to.have.length(1);
    });

    it("fails with kind 'timeout' when every attempt hangs", async () => {
      sim().injectFault("detail", { kind: "hang" }, 3);
      const client = clientFor(sim(), {
        timeoutMs: 300,
        retry: { ...FAST_RETRY, maxAttempts: 3 },
      });
      const error = await failureOf(client.showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "timeout", httpStatus: undefined, attempts: 3 });
      expect(error.message).to.include("failed after 3 attempts");
      expect(error.message).to.include("the API did not answer in time");
      expect(statuses(sim())).to.deep.equal(["dropped", "dropped", "dropped"]);
    });

    it("retries a malformed JSON answer and succeeds", async () => {
      sim().injectFault("detail", { kind: "malformed" });
      const detail = await clientFor(sim()).showFlowDetail(FLOW_ID);
      expect(detail.flowId).to.equal(FLOW_ID);
      expect(statuses(sim())).to.deep.equal([200, 200]);
      expect(sim().journal[0]!.fault).to.equal("malformed");
    });

    it("fails with kind 'invalid-response' when the answer stays malformed", async () => {
      sim().injectFault("detail", { kind: "malformed" }, 3);
      const client = clientFor(sim(), { retry: { ...FAST_RETRY, maxAttempts: 3 } });
      const error = await failureOf(client.showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "invalid-response", httpStatus: 200, attempts: 3 });
      expect(error.errorMessage).to.match(/^unexpected response body \(body: /);
      expect(error.message).to.include(
        "the API answered with a body this package does not understand",
      );
      expect(sim().requestCount()).to.equal(3);
    });

    it("tolerates an undocumented status string as UNKNOWN, keeping the reported value", async () => {
      const starting = { flow_id: FLOW_ID, status: "STARTING" };
      sim().injectFault("start", { kind: "body", body: starting });
      sim().injectFault("detail", { kind: "body", body: starting });
      const client = clientFor(sim());
      const started = await client.startFlow(FLOW_ID);
      const detail = await client.showFlowDetail(FLOW_ID);
      expect(started).to.deep.equal({
        flowId: FLOW_ID,
        status: "UNKNOWN",
        reportedStatus: "STARTING",
        requestId: sim().journal[0]!.requestId,
      });
      expect(detail).to.include({ status: "UNKNOWN", reportedStatus: "STARTING" });
      expect(detail.sources).to.deep.equal([]);
      expect(statuses(sim())).to.deep.equal([200, 200]);
    });

    it("fails with kind 'invalid-response' naming flow_id when a 200 body lacks it", async () => {
      sim().injectFault("start", { kind: "body", body: { status: "ACTIVE" } }, 3);
      const client = clientFor(sim(), { retry: { ...FAST_RETRY, maxAttempts: 3 } });
      const error = await failureOf(client.startFlow(FLOW_ID));
      expect(error).to.include({ kind: "invalid-response", httpStatus: 200, attempts: 3 });
      expect(error.errorMessage).to.match(/^unexpected response body \(flow_id: /);
      expect(sim().requestCount({ route: "start" })).to.equal(3);
      expect(sim().getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    for (const [status, errorCode, errorMessage, remedy] of [
      [400, "APIG.0201", "API request error.", "check the request parameters."],
      [
        401,
        "APIG.0301",
        "Incorrect IAM authentication information: verify aksk signature fail",
        "check the access key and secret key (or the auth token and its expiry), the machine " +
          `clock, and that the project id belongs to the region ${SCOPE}.`,
      ],
      [
        403,
        "APIG.0302",
        "The IAM user is not authorized to access the API.",
        `check that the IAM user may perform live:ott:getFlowDetail ${SCOPE}.`,
      ],
      [
        404,
        "APIG.0101",
        "The API does not exist or has not been published in the environment.",
        "check the endpoint, region and project id.",
      ],
    ] as const) {
      it(`does not retry a ${status} and reports ${errorCode}`, async () => {
        sim().injectFault("detail", { kind: "status", status });
        const error = await failureOf(clientFor(sim()).showFlowDetail(FLOW_ID));
        const entry = onlyEntry(sim());
        expect(error).to.include({
          kind: "http",
          httpStatus: status,
          errorCode,
          errorMessage,
          requestId: entry.requestId,
          attempts: 1,
        });
        expect(error.message).to.equal(
          `Media Live showFlowDetail for flow ${FLOW_ID} failed: HTTP ${status} ${errorCode} ` +
            `${JSON.stringify(errorMessage)} (request id ${entry.requestId}); ${remedy}`,
        );
        // A gateway 404 (unknown API) is not a missing flow.
        expect(isFlowNotFound(error)).to.equal(false);
      });
    }
  });

  describe("deadline", () => {
    const sim = useSimulator({ flows: [{ flowId: FLOW_ID }] });

    it("stops retrying persistent 503s at the deadline, before maxAttempts", async () => {
      sim().injectFault("detail", { kind: "status", status: 503 }, 10);
      // The deadline clock advances 250 ms per reading (one at the start, one after each attempt)
      // and every wait is 400 ms (random ~1): after attempt 2 the clock says 500 ms (500 + 400 fits
      // in the 1 s deadline), after attempt 3 it says 750 ms (750 + 400 does not), so the client
      // gives up after 3 of its 10 allowed attempts however fast or slow the machine is.
      let readings = 0;
      const client = clientFor(sim(), {
        retry: { maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 400, deadlineMs: 1000 },
        random: () => 0.999,
        monotonicNow: () => readings++ * 250,
      });
      const error = await failureOf(client.showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "http", httpStatus: 503, errorCode: "APIG.0202" });
      expect(error.attempts).to.equal(3);
      expect(error.message).to.include(
        `failed after 3 attempts: HTTP 503 APIG.0202 "Backend unavailable."`,
      );
      expect(sim().requestCount({ route: "detail", status: 503 })).to.equal(3);
    });

    it("reports kind 'deadline' when the deadline ends the retries of a timeout", async () => {
      sim().injectFault("detail", { kind: "hang" }, 5);
      const client = clientFor(sim(), {
        timeoutMs: 300,
        retry: { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 400, deadlineMs: 500 },
        random: () => 0.999,
      });
      const error = await failureOf(client.showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "deadline", attempts: 1 });
      expect(error.message).to.include("the API kept failing until the deadline");
      expect(sim().requestCount()).to.equal(1);
    });
  });

  describe("authentication", () => {
    const TEMPORARY = {
      accessKey: "TEMPORARYACCESSKEY01",
      secretKey: "temporary-secret-key-0123456789",
      securityToken: "security-token-abcdefghijklmnop",
    };
    const AUTH_TOKEN = "MIIauth-token-0123456789abcdef";
    const sim = useSimulator({
      flows: [{ flowId: FLOW_ID }],
      credentials: [{ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, TEMPORARY],
      authTokens: [AUTH_TOKEN],
    });

    it("reports a wrong secret key as 401 APIG.0301 without retrying or revealing it", async () => {
      const wrongSecret = "WRONG-secret-key-that-must-never-be-shown";
      const client = clientFor(sim(), {
        credentials: { accessKey: ACCESS_KEY, secretKey: wrongSecret },
      });
      const error = await failureOf(client.showFlowDetail(FLOW_ID));
      const entry = onlyEntry(sim());
      expect(entry).to.include({ auth: "aksk", status: 401, errorCode: "APIG.0301" });
      expect(error).to.include({ httpStatus: 401, errorCode: "APIG.0301", attempts: 1 });
      expect(error.message).to.equal(
        `Media Live showFlowDetail for flow ${FLOW_ID} failed: HTTP 401 APIG.0301 ` +
          `"Incorrect IAM authentication information: verify aksk signature fail" ` +
          `(request id ${entry.requestId}); check the access key and secret key (or the auth ` +
          `token and its expiry), the machine clock, and that the project id belongs to the ` +
          `region ${SCOPE}.`,
      );
      expectNoSecret(error, wrongSecret);
    });

    it("redacts every credential an error answer echoes back", async () => {
      const cases: [Partial<MediaLiveClientOptions>, string[]][] = [
        [{}, [ACCESS_KEY, SECRET_KEY]],
        [
          { credentials: TEMPORARY },
          [TEMPORARY.accessKey, TEMPORARY.secretKey, TEMPORARY.securityToken],
        ],
        [{ credentials: { authToken: AUTH_TOKEN } }, [AUTH_TOKEN]],
      ];
      for (const [options, secrets] of cases) {
        // A gateway or proxy that quotes what it got: the client must not pass it on.
        sim().injectFault("detail", {
          kind: "body",
          status: 401,
          body: { error_code: "APIG.0301", error_msg: `rejected: ${secrets.join(" / ")}` },
        });
        const error = await failureOf(clientFor(sim(), options).showFlowDetail(FLOW_ID));
        expect(error).to.include({ httpStatus: 401, errorCode: "APIG.0301", attempts: 1 });
        expect(error.errorMessage).to.equal(
          `rejected: ${secrets.map(() => "[REDACTED]").join(" / ")}`,
        );
        for (const secret of secrets) expectNoSecret(error, secret);
      }
    });

    it("reports a clock 20 minutes off as 401 (X-Sdk-Date out of range)", async () => {
      for (const offsetMs of [-20 * 60_000, 20 * 60_000]) {
        const client = clientFor(sim(), { clock: () => new Date(Date.now() + offsetMs) });
        const error = await failureOf(client.startFlow(FLOW_ID));
        expect(error).to.include({ httpStatus: 401, errorCode: "APIG.0301", attempts: 1 });
        expect(error.errorMessage).to.equal("Incorrect IAM authentication information.");
        expect(error.message).to.include("the machine clock");
      }
      expect(statuses(sim())).to.deep.equal([401, 401]);
      expect(sim().getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("authenticates with an IAM token, and reports a wrong one as 401", async () => {
      const good = clientFor(sim(), { credentials: { authToken: AUTH_TOKEN } });
      const detail = await good.showFlowDetail(FLOW_ID);
      expect(detail.flowId).to.equal(FLOW_ID);
      expect(onlyEntry(sim())).to.include({ auth: "token", status: 200 });
      expect(onlyEntry(sim()).headers["x-auth-token"]).to.equal("[REDACTED]");

      const wrongToken = "MIIwrong-token-that-must-never-be-shown";
      const bad = clientFor(sim(), { credentials: { authToken: wrongToken } });
      const error = await failureOf(bad.showFlowDetail(FLOW_ID));
      expect(error).to.include({ httpStatus: 401, errorCode: "APIG.0301", attempts: 1 });
      expect(error.errorMessage).to.equal(
        "Incorrect IAM authentication information: decrypt token fail",
      );
      expect(error.message).to.include("(or the auth token and its expiry)");
      expectNoSecret(error, wrongToken);
      expect(statuses(sim())).to.deep.equal([200, 401]);
    });

    it("authenticates temporary credentials with their security token", async () => {
      const client = clientFor(sim(), { credentials: TEMPORARY });
      const result = await client.startFlow(FLOW_ID);
      expect(result.status).to.equal("ACTIVE");
      const entry = onlyEntry(sim());
      expect(entry).to.include({ auth: "aksk", status: 200 });
      expect(entry.headers["x-security-token"]).to.equal("[REDACTED]");
    });

    it("reports a wrong security token as 401 without revealing any credential", async () => {
      const credentials = { ...TEMPORARY, securityToken: "security-token-WRONG-zyxwvu" };
      const error = await failureOf(clientFor(sim(), { credentials }).showFlowDetail(FLOW_ID));
      expect(error).to.include({ httpStatus: 401, errorCode: "APIG.0301", attempts: 1 });
      expect(error.errorMessage).to.equal("Incorrect IAM authentication information.");
      expectNoSecret(error, credentials.securityToken);
      expectNoSecret(error, credentials.secretKey);
    });

    for (const [operation, iamAction] of [
      ["startFlow", "live:ott:updateFlowStatusStart"],
      ["stopFlow", "live:ott:updateFlowStatusStop"],
      ["showFlowDetail", "live:ott:getFlowDetail"],
    ] as const) {
      it(`names the IAM action ${iamAction} on a 403 from ${operation}`, async () => {
        sim().setFlowStatus(FLOW_ID, operation === "stopFlow" ? "ACTIVE" : "STANDBY");
        sim().injectFault("*", { kind: "status", status: 403 });
        const error = await failureOf(clientFor(sim())[operation](FLOW_ID));
        expect(error).to.include({ httpStatus: 403, errorCode: "APIG.0302", attempts: 1 });
        expect(error.message).to.match(
          new RegExp(`; check that the IAM user may perform ${iamAction} \\(project .+\\)\\.$`),
        );
        expect(sim().requestCount()).to.equal(1);
      });
    }

    it("reports a project the credentials may not access as 403", async () => {
      const error = await failureOf(
        clientFor(sim(), { projectId: "another-project" }).showFlowDetail(FLOW_ID),
      );
      expect(error).to.include({ httpStatus: 403, errorCode: "APIG.0302", attempts: 1 });
      expect(error.errorMessage).to.equal("The IAM user is not authorized to access the API.");
    });
  });

  describe("throttling, paced by the process-wide limiter", () => {
    const PACED = { accessKey: "PACEDACCESSKEY000001", secretKey: "paced-secret-key-000001" };
    const sim = useSimulator({
      flows: [{ flowId: FLOW_ID }],
      credentials: [PACED],
      retryAfterSeconds: 0,
    });

    it("spaces 15 concurrent calls from two clients so the gateway never throttles", async () => {
      // The gateway allows 6 in any sliding second; both clients share one 5/s limiter (same
      // endpoint and credential). Unpaced, this burst would collect nine 429s.
      sim().setRateLimit(6);
      const first = clientFor(sim(), { credentials: PACED, requestsPerSecond: 5 });
      const second = clientFor(sim(), { credentials: PACED, requestsPerSecond: 5 });
      const startedAt = performance.now();
      const details = await Promise.all(
        Array.from({ length: 15 }, (_, index) =>
          (index % 2 === 0 ? first : second).showFlowDetail(FLOW_ID),
        ),
      );
      expect(details.every((detail) => detail.flowId === FLOW_ID)).to.equal(true);
      expect(sim().requestCount({ status: 429 })).to.equal(0);
      expect(sim().requestCount({ route: "detail", status: 200 })).to.equal(15);
      // Five per window: the 11th call cannot start before two windows have passed.
      expect(performance.now() - startedAt).to.be.at.least(2000);
    });
  });

  describe("throttling, client and gateway at the same limit", () => {
    // A simulator of its own: the gateway's window is per API, so calls from other tests must not
    // share it.
    const EQUAL = { accessKey: "EQUALACCESSKEY000001", secretKey: "equal-secret-key-000001" };
    const sim = useSimulator({
      flows: [{ flowId: FLOW_ID }],
      credentials: [EQUAL],
      retryAfterSeconds: 0,
    });

    it("never draws a 429 when client and gateway limits are equal", async () => {
      // A request counts against the budget from its start until a window after its completion, so
      // no sliding window on the server can see more than five, however late a request leaves
      // (a new connection, a busy event loop).
      sim().setRateLimit(5);
      const client = clientFor(sim(), { credentials: EQUAL, requestsPerSecond: 5 });
      const details = await Promise.all(
        Array.from({ length: 15 }, () => client.showFlowDetail(FLOW_ID)),
      );
      expect(details).to.have.length(15);
      expect(sim().requestCount({ status: 429 })).to.equal(0);
      expect(sim().requestCount({ route: "detail", status: 200 })).to.equal(15);
    });
  });

  describe("throttling, a burst far above the gateway's limit", () => {
    const STORM = { accessKey: "STORMACCESSKEY000001", secretKey: "storm-secret-key-000001" };
    // Each admission reads a clock 250 ms later than the previous one: arrivals at 4/s against a
    // limit of 3/s, so arrivals 4, 8, 12, … are throttled whatever the order or machine speed.
    let reads = 0;
    const sim = useSimulator({
      flows: [{ flowId: FLOW_ID }],
      credentials: [STORM],
      requestsPerSecond: 3,
      retryAfterSeconds: 0,
      rateLimitClock: () => reads++ * 250,
    });

    it("collects 429s and absorbs them with retries: every call succeeds", async () => {
      const client = clientFor(sim(), { credentials: STORM, requestsPerSecond: 10_000 });
      const details = await Promise.all(
        Array.from({ length: 9 }, () => client.showFlowDetail(FLOW_ID)),
      );
      expect(details.every((detail) => detail.status === "STANDBY")).to.equal(true);
      // Nine successes need arrivals 1-3, 5-7 and 9-11: eleven requests, two throttled.
      expect(sim().requestCount({ status: 429 })).to.equal(2);
      expect(sim().requestCount({ status: 200 })).to.equal(9);
      expect(sim().requestCount()).to.equal(11);
      expect(
        sim()
          .journal.filter((entry) => entry.status === 429)
          .map((entry) => entry.errorCode),
      ).to.deep.equal(["APIG.0308", "APIG.0308"]);
    });
  });

  describe("endpoint rules", () => {
    const credentials = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };

    it("refuses plain http:// to a non-loopback host at construction", () => {
      expect(
        () =>
          new MediaLiveClient({
            projectId: PROJECT_ID,
            endpoint: "http://live.ap-southeast-3.myhuaweicloud.com",
            credentials,
          }),
      ).to.throw(
        TypeError,
        "plain http:// is only allowed for a loopback host such as the local simulator; " +
          "use https:// for live.ap-southeast-3.myhuaweicloud.com",
      );
    });

    it("accepts plain http:// on loopback and strips a trailing slash", () => {
      const client = new MediaLiveClient({
        projectId: PROJECT_ID,
        endpoint: "http://127.0.0.1:8787/",
        credentials,
      });
      expect(client.endpoint).to.equal("http://127.0.0.1:8787");
    });

    it("derives https://live.<region>.myhuaweicloud.com from the region", () => {
      const client = new MediaLiveClient({ projectId: PROJECT_ID, region: REGION, credentials });
      expect(client.endpoint).to.equal("https://live.ap-southeast-3.myhuaweicloud.com");
      expect(client.region).to.equal(REGION);
    });

    it("refuses a bad project id, a bad region, and neither endpoint nor region", () => {
      for (const projectId of ["", "a/b", "project id", "x".repeat(65)]) {
        expect(
          () => new MediaLiveClient({ projectId, region: REGION, credentials }),
          projectId,
        ).to.throw(TypeError, "projectId must be 1-64 letters, digits, '-' or '_'");
      }
      expect(
        () => new MediaLiveClient({ projectId: PROJECT_ID, region: "Singapore", credentials }),
      ).to.throw(TypeError, '"Singapore" is not a region id');
      expect(() => new MediaLiveClient({ projectId: PROJECT_ID, credentials })).to.throw(
        TypeError,
        "either an endpoint or a region is required",
      );
    });
  });

  describe("connections", () => {
    const sim = useSimulator({ flows: [{ flowId: FLOW_ID }] });
    let relay: TcpRelay;
    before(async () => {
      relay = await startTcpRelay(sim().port);
    });
    after(async () => {
      await relay.close();
    });

    it("reuses one kept-alive connection for sequential calls (default dispatcher)", async () => {
      const client = clientFor(relay.url);
      for (let call = 0; call < 5; call++) {
        await client.showFlowDetail(FLOW_ID);
        // One turn of the event loop between calls, as between real calls: undici frees a
        // connection for the next request only after the response's end has been processed.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await clientFor(relay.url).listFlows();
      expect(sim().requestCount({ status: 200 })).to.equal(6);
      expect(relay.connections).to.equal(1);
      const requestLines = relay.received[0]!.toString("latin1").match(/^GET \/v1\/\S+/gm);
      expect(requestLines).to.have.length(6);
    });

    it("keeps connections for calls issued back to back as well", async () => {
      relay.clear();
      const client = clientFor(relay.url);
      for (let call = 0; call < 6; call++) await client.showFlowDetail(FLOW_ID);
      // Without a pause undici may open a second connection while the first is being released,
      // then alternates between the two: never one connection per call.
      expect(relay.connections).to.be.at.most(2);
      expect(sim().requestCount({ status: 200 })).to.equal(6);
    });
  });

  describe("debug output", () => {
    const TEMPORARY = {
      accessKey: "DEBUGACCESSKEY000001",
      secretKey: "debug-secret-key-0123456789",
      securityToken: "debug-security-token-0123456789",
    };
    const AUTH_TOKEN = "MIIdebug-auth-token-0123456789";
    const sim = useSimulator({
      flows: [{ flowId: FLOW_ID }],
      credentials: [{ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, TEMPORARY],
      authTokens: [AUTH_TOKEN],
    });

    it("emits one redacted event per attempt", async () => {
      const events: RequestLogEvent[] = [];
      sim().injectFault("start", { kind: "status", status: 503 });
      const client = clientFor(sim(), { onRequest: (event) => events.push(event) });
      await client.startFlow(FLOW_ID);
      const [failed, succeeded] = sim().journal;
      expect(
        events.map(({ attempt, outcome, requestId }) => ({ attempt, outcome, requestId })),
      ).to.deep.equal([
        { attempt: 1, outcome: 503, requestId: failed!.requestId },
        { attempt: 2, outcome: 200, requestId: succeeded!.requestId },
      ]);
      for (const event of events) {
        expect(event).to.include({
          operation: "startFlow",
          method: "PUT",
          url: `${sim().url}/v1/${PROJECT_ID}/flows/start?flow_id=${FLOW_ID}`,
        });
        expect(event.headers["Authorization"]).to.equal("[REDACTED]");
        expect(event.headers["X-Project-Id"]).to.equal(PROJECT_ID);
        expect(event.headers["X-Sdk-Date"]).to.match(/^\d{8}T\d{6}Z$/);
        expect(event.elapsedMs).to.be.a("number");
      }
      expect(JSON.stringify(events)).to.not.include(SECRET_KEY);
    });

    it("reports attempts without an answer by their failure kind", async () => {
      const events: RequestLogEvent[] = [];
      sim().injectFault("detail", { kind: "reset" });
      sim().injectFault("detail", { kind: "hang" });
      // The third attempt must answer within timeoutMs on a loaded machine too: 1 s.
      const client = clientFor(sim(), {
        timeoutMs: 1000,
        onRequest: (event) => events.push(event),
      });
      await client.showFlowDetail(FLOW_ID);
      expect(events.map((event) => event.outcome)).to.deep.equal(["network", "timeout", 200]);
      expect(events.map((event) => event.attempt)).to.deep.equal([1, 2, 3]);
    });

    it("redacts X-Security-Token and X-Auth-Token too", async () => {
      const events: RequestLogEvent[] = [];
      const onRequest = (event: RequestLogEvent): number => events.push(event);
      await clientFor(sim(), { credentials: TEMPORARY, onRequest }).showFlowDetail(FLOW_ID);
      await clientFor(sim(), { credentials: { authToken: AUTH_TOKEN }, onRequest }).showFlowDetail(
        FLOW_ID,
      );
      expect(events).to.have.length(2);
      expect(events[0]!.headers["X-Security-Token"]).to.equal("[REDACTED]");
      expect(events[0]!.headers["Authorization"]).to.equal("[REDACTED]");
      expect(events[1]!.headers["X-Auth-Token"]).to.equal("[REDACTED]");
      const text = JSON.stringify(events);
      for (const secret of [TEMPORARY.secretKey, TEMPORARY.securityToken, AUTH_TOKEN]) {
        expect(text).to.not.include(secret);
      }
    });
  });

  describe("proxies", () => {
    const sim = useSimulator({ flows: [{ flowId: FLOW_ID }] });
    let proxy: ForwardProxy;
    const agents: EnvHttpProxyAgent[] = [];
    /** An `EnvHttpProxyAgent` as the client's default one, but with explicit settings. */
    function proxyAgent(options: EnvHttpProxyAgent.Options): EnvHttpProxyAgent {
      const agent = new EnvHttpProxyAgent(options);
      agents.push(agent);
      return agent;
    }
    before(async () => {
      proxy = await startForwardProxy();
    });
    beforeEach(() => proxy.clear());
    after(async () => {
      await Promise.all(agents.map((agent) => agent.destroy()));
      await proxy.close();
    });

    it("tunnels through HTTP_PROXY (CONNECT) and the request still verifies", async () => {
      const dispatcher = proxyAgent({ httpProxy: proxy.url, noProxy: "" });
      const detail = await clientFor(sim(), { dispatcher }).showFlowDetail(FLOW_ID);
      expect(detail.flowId).to.equal(FLOW_ID);
      expect(proxy.tunnels).to.deep.equal([`127.0.0.1:${sim().port}`]);
      expect(onlyEntry(sim())).to.include({ status: 200, auth: "aksk" });
    });

    it("forwards absolute-form requests through HTTP_PROXY when not tunnelling", async () => {
      const dispatcher = proxyAgent({ httpProxy: proxy.url, noProxy: "", proxyTunnel: false });
      const client = clientFor(sim(), { dispatcher });
      await client.startFlow(FLOW_ID);
      await client.showFlowDetail(FLOW_ID);
      expect(proxy.forwarded).to.deep.equal([
        `${sim().url}/v1/${PROJECT_ID}/flows/start?flow_id=${FLOW_ID}`,
        `${sim().url}/v1/${PROJECT_ID}/flows/detail?flow_id=${FLOW_ID}`,
      ]);
      expect(statuses(sim())).to.deep.equal([200, 200]);
    });

    it("bypasses the proxy for a NO_PROXY host", async () => {
      const dispatcher = proxyAgent({ httpProxy: proxy.url, noProxy: "127.0.0.1" });
      await clientFor(sim(), { dispatcher }).showFlowDetail(FLOW_ID);
      expect(proxy.tunnels).to.deep.equal([]);
      expect(proxy.forwarded).to.deep.equal([]);
      expect(onlyEntry(sim()).status).to.equal(200);
    });

    it("sends https:// endpoints to HTTPS_PROXY (refused here, so no traffic leaves the host)", async () => {
      const dispatcher = proxyAgent({ httpsProxy: proxy.url, noProxy: "" });
      const client = new MediaLiveClient({
        projectId: PROJECT_ID,
        region: REGION,
        credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
        dispatcher,
        retry: { ...FAST_RETRY, maxAttempts: 2 },
        random: () => 0,
      });
      const error = await failureOf(client.showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "network", attempts: 2 });
      expect(error.message).to.include("proxy settings (HTTPS_PROXY/NO_PROXY)");
      expect(proxy.tunnels).to.deep.equal([
        "live.ap-southeast-3.myhuaweicloud.com:443",
        "live.ap-southeast-3.myhuaweicloud.com:443",
      ]);
    });
  });

  describe("request headers, deletions and the smallest page", () => {
    const sim = useSimulator({ flows: [{ flowId: FLOW_ID }] });

    it("sends the package's user agent, accept and content type", async () => {
      await clientFor(sim()).showFlowDetail(FLOW_ID);
      expect(onlyEntry(sim()).headers).to.include({
        "user-agent": "pulumi-huaweicloud-medialive",
        accept: "application/json",
        "content-type": "application/json",
      });
    });

    it("accepts a page of one flow", async () => {
      const page = await clientFor(sim()).listFlows({ limit: 1 });
      expect(page.flows.map((flow) => flow.flowId)).to.deep.equal([FLOW_ID]);
      expect(onlyEntry(sim()).query).to.deep.equal({ limit: "1", offset: "0" });
    });

    it("adds, reads, changes and deletes an output, naming flow and output in each query", async () => {
      const client = clientFor(sim());
      const added = await client.createFlowOutputs(FLOW_ID, [
        { name: "out-a", protocol: "srt-listener", description: "first" },
      ]);
      expect(
        added.map((output) => [output.name, output.protocol, output.description]),
      ).to.deep.equal([["out-a", "srt-listener", "first"]]);
      const shown = await client.showFlowOutput(FLOW_ID, "out-a");
      expect(shown).to.include({ name: "out-a", protocol: "srt-listener", description: "first" });
      const changed = await client.modifyFlowOutput(FLOW_ID, "out-a", { description: "second" });
      expect(changed).to.include({ name: "out-a", description: "second" });
      const deletion = await client.deleteFlowOutput(FLOW_ID, "out-a");
      const journal = sim().journal;
      expect(deletion).to.deep.equal({ flowId: FLOW_ID, requestId: journal[3]!.requestId });
      expect(journal.map((entry) => [entry.route, entry.status, entry.query])).to.deep.equal([
        ["createOutputs", 200, { flow_id: FLOW_ID }],
        ["showOutput", 200, { flow_id: FLOW_ID, output_name: "out-a" }],
        ["modifyOutput", 200, { flow_id: FLOW_ID, output_name: "out-a" }],
        ["deleteOutput", 200, { flow_id: FLOW_ID, output_name: "out-a" }],
      ]);
      expect(sim().getFlowOutputs(FLOW_ID)).to.deep.equal([]);
    });

    it("modifyFlowSource replaces the named source and returns it as the API reports it", async () => {
      const source = await clientFor(sim()).modifyFlowSource(FLOW_ID, {
        name: "source-1",
        protocol: "srt-listener",
        minLatency: 700,
      });
      expect(source).to.include({ name: "source-1", protocol: "srt-listener", minLatency: 700 });
      expect(onlyEntry(sim())).to.deep.include({
        route: "modifySources",
        status: 200,
        query: { flow_id: FLOW_ID, source_name: "source-1" },
      });
      expect(sim().getFlowSources(FLOW_ID)?.[0]).to.include({ min_latency: 700 });
    });

    it("deleteFlow returns the deleted flow's id and the request id", async () => {
      const deletion = await clientFor(sim()).deleteFlow(FLOW_ID);
      expect(deletion).to.deep.equal({ flowId: FLOW_ID, requestId: onlyEntry(sim()).requestId });
      expect(sim().getFlow(FLOW_ID)).to.equal(undefined);
    });
  });
});
