import { expect } from "chai";
/**
 * The Media Live simulator over real HTTP: requests are signed with the provider's `signRequest`
 * and sent with undici, exactly as the client will send them. Each test starts its own simulator
 * on an ephemeral port and closes it afterwards.
 *
 * Timing: only the latency and delay tests wait on the wall clock, with generous margins; the rate
 * limiter is driven through `rateLimitClock` and the date check through `now`.
 */
import { performance } from "node:perf_hooks";
import { request, type Dispatcher } from "undici";

import { signRequest, type SigningCredentials } from "../client/signer";
import { CliUsageError, formatBanner, parseCliArguments } from "../simulator/cli";
import { CLI_DEFAULTS } from "../simulator/constants";
import { defaultFaultError } from "../simulator/faults";
import {
  SIMULATOR_DEFAULTS,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from "../simulator/index";

const DEFAULT_CREDENTIALS: SigningCredentials = {
  accessKey: SIMULATOR_DEFAULTS.accessKey,
  secretKey: SIMULATOR_DEFAULTS.secretKey,
  projectId: SIMULATOR_DEFAULTS.projectId,
};
const FLOW_ID = "ec897482-d24b-4d64-aa39-407980902b1d";
const INVALID_PARAMETER = "LIVE.100011001";
/** The Media Live error-code table's text for LIVE.100011001, sent where no other is documented. */
const GENERIC_INVALID = '{"error_code":"LIVE.100011001","error_msg":"Invalid request parameter."}';

/** How a test request authenticates. */
type Authentication =
  | { kind: "aksk"; credentials?: SigningCredentials; date?: Date }
  | { kind: "token"; token: string }
  | { kind: "none" };

interface CallOptions {
  /** JSON value sent as the body (and hashed into the signature). */
  body?: unknown;
  /** Default: AK/SK with the simulator's default credentials, signed now. */
  auth?: Authentication;
  /** Extra headers, signed with the rest. */
  headers?: Record<string, string>;
  /** Changes the signed headers before sending (to tamper with or drop them). */
  afterSigning?: (headers: Record<string, string>) => Record<string, string>;
  /** A different path + query to send than the one signed. */
  sendPath?: string;
  /** A different body to send than the one signed. */
  sendBody?: unknown;
  /** Project in the path; default the simulator's. */
  projectId?: string;
  /** Client gives up when no response headers arrive within this many ms. */
  headersTimeout?: number;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON. */
  json: () => unknown;
}

/**
 * Sends one request to `/v1/{project}{relativePath}`, signed like the provider signs it.
 *
 * @param simulator - target
 * @param method - HTTP method
 * @param relativePath - path after the project, with query, e.g. `/flows/start?flow_id=x`
 * @param options - body, authentication and tampering
 */
async function call(
  simulator: Simulator,
  method: string,
  relativePath: string,
  options: CallOptions = {},
): Promise<Answer> {
  const path = `/v1/${options.projectId ?? simulator.projectId}${relativePath}`;
  const url = simulator.url + path;
  const bodyText = options.body === undefined ? undefined : JSON.stringify(options.body);
  const auth = options.auth ?? { kind: "aksk" };
  let headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (auth.kind === "aksk") {
    headers = signRequest(
      { method, url, headers, body: bodyText },
      auth.credentials ?? DEFAULT_CREDENTIALS,
      auth.date ?? new Date(),
    );
  } else if (auth.kind === "token") {
    headers = { ...headers, "X-Auth-Token": auth.token };
  }
  if (options.afterSigning) headers = options.afterSigning(headers);
  const response = await request(simulator.url + (options.sendPath ?? path), {
    method: method as Dispatcher.HttpMethod,
    headers,
    body: options.sendBody === undefined ? bodyText : JSON.stringify(options.sendBody),
    ...(options.headersTimeout === undefined ? {} : { headersTimeout: options.headersTimeout }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

/** Waits until `condition` holds, failing after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The rejection of a promise (fails if it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the request to fail");
}

const running: Simulator[] = [];

async function launch(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = await startSimulator(options);
  running.push(simulator);
  return simulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
});

describe("simulator", () => {
  describe("flow operations", () => {
    let simulator: Simulator;
    beforeEach(async () => {
      simulator = await launch({
        flows: [{ flowId: FLOW_ID, name: "news", region: "cn-north-4" }],
      });
    });

    it("starts a STANDBY flow and answers {flow_id, status: ACTIVE}", async () => {
      const answer = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      expect(answer.status).to.equal(200);
      expect(answer.json()).to.deep.equal({ flow_id: FLOW_ID, status: "ACTIVE" });
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
    });

    it("rejects starting an ACTIVE flow with the documented 400", async () => {
      simulator.setFlowStatus(FLOW_ID, "ACTIVE");
      const answer = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      expect(answer.status).to.equal(400);
      expect(answer.text).to.equal(
        '{"error_code":"LIVE.100011001","error_msg":"flow task is in active status"}',
      );
    });

    it("stops an ACTIVE flow and answers {flow_id, status: STANDBY}", async () => {
      simulator.setFlowStatus(FLOW_ID, "ACTIVE");
      const answer = await call(simulator, "PUT", `/flows/stop?flow_id=${FLOW_ID}`);
      expect(answer.status).to.equal(200);
      expect(answer.json()).to.deep.equal({ flow_id: FLOW_ID, status: "STANDBY" });
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("rejects stopping a STANDBY flow with the generic 400 (Huawei documents no answer)", async () => {
      const answer = await call(simulator, "PUT", `/flows/stop?flow_id=${FLOW_ID}`);
      expect(answer.status).to.equal(400);
      expect(answer.text).to.equal(GENERIC_INVALID);
      expect(simulator.journal.at(-1)).to.include({
        errorCode: INVALID_PARAMETER,
        reason: "stop of a STANDBY flow",
      });
    });

    it("moves a flow with an unknown status to the target on start and stop", async () => {
      simulator.setFlowStatus(FLOW_ID, "STARTING");
      const started = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      expect(started.json()).to.deep.equal({ flow_id: FLOW_ID, status: "ACTIVE" });
      simulator.setFlowStatus(FLOW_ID, "ERROR");
      const stopped = await call(simulator, "PUT", `/flows/stop?flow_id=${FLOW_ID}`);
      expect(stopped.json()).to.deep.equal({ flow_id: FLOW_ID, status: "STANDBY" });
    });

    it("answers the flow detail with one source and no outputs", async () => {
      const answer = await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`);
      expect(answer.status).to.equal(200);
      expect(answer.json()).to.deep.equal({
        name: "news",
        region: "cn-north-4",
        // The seeded listener source is given the flow's address and the first port; a STANDBY
        // flow's source is DISCONNECTED.
        sources: [
          {
            name: "source-1",
            protocol: "srt-listener",
            min_latency: 2000,
            source_listener_address: "192.0.2.1",
            source_listener_port: 20000,
            health_status: "DISCONNECTED",
          },
        ],
        status: "STANDBY",
        flow_id: FLOW_ID,
        outputs: [],
      });
    });

    it("answers an unknown flow with the generic 400 LIVE.100011001, naming it only in the journal", async () => {
      for (const [method, suffix] of [
        ["PUT", "/flows/start"],
        ["PUT", "/flows/stop"],
        ["GET", "/flows/detail"],
        ["DELETE", "/flows"],
      ] as const) {
        const answer = await call(simulator, method, `${suffix}?flow_id=nope`);
        expect(answer.status, suffix).to.equal(400);
        expect(answer.text, suffix).to.equal(GENERIC_INVALID);
        expect(simulator.journal.at(-1), suffix).to.include({
          flowId: "nope",
          reason: "unknown flow_id",
        });
      }
    });

    it("answers the generic 400 when flow_id is missing or empty", async () => {
      for (const path of ["/flows/start", "/flows/stop?flow_id=", "/flows/detail?other=1"]) {
        const method = path.includes("detail") ? "GET" : "PUT";
        const answer = await call(simulator, method, path);
        expect(answer.status, path).to.equal(400);
        expect(answer.text, path).to.equal(GENERIC_INVALID);
        expect(simulator.journal.at(-1)?.reason, path).to.equal("flow_id missing or empty");
      }
    });

    it("creates a STANDBY flow from a POST body and serves it afterwards", async () => {
      const sources = [{ name: "camera", protocol: "srt-caller", stream_id: "cam-1" }];
      const answer = await call(simulator, "POST", "/flows", {
        body: { name: "sports", region: "ap-southeast-1", sources },
      });
      expect(answer.status).to.equal(200);
      const { flow } = answer.json() as { flow: { flow_id: string } };
      expect(flow).to.deep.equal({
        name: "sports",
        region: "ap-southeast-1",
        sources: [{ ...sources[0], health_status: "DISCONNECTED" }],
        status: "STANDBY",
        flow_id: flow.flow_id,
        outputs: [],
      });
      expect(simulator.getFlow(flow.flow_id)).to.include({
        name: "sports",
        status: "STANDBY",
        protocol: "srt-caller",
      });
      const detail = await call(simulator, "GET", `/flows/detail?flow_id=${flow.flow_id}`);
      expect(detail.json()).to.deep.equal(flow);
      expect(simulator.journal.at(-1)?.flowId).to.equal(flow.flow_id);
    });

    it("rejects a create without name or sources with the generic 400 LIVE.100011001", async () => {
      const cases: [unknown, string][] = [
        [
          { region: "r", sources: [{ name: "s", protocol: "srt-listener" }] },
          "name missing or empty",
        ],
        [
          { name: "x", region: 3, sources: [{ name: "s", protocol: "srt-listener" }] },
          "region is not a string",
        ],
        [{ name: "x" }, "sources missing or empty"],
        [{ name: "x", sources: [] }, "sources missing or empty"],
        [
          { name: "x", sources: [{ name: "s", protocol: "rtmp" }] },
          "sources[0] lacks a name or a protocol of srt-listener or srt-caller",
        ],
        [[], "body is not a JSON object"],
      ];
      for (const [body, reason] of cases) {
        const answer = await call(simulator, "POST", "/flows", { body });
        expect(answer.status, reason).to.equal(400);
        expect(answer.text, reason).to.equal(GENERIC_INVALID);
        expect(simulator.journal.at(-1)?.reason).to.equal(reason);
      }
      const notJson = await call(simulator, "POST", "/flows");
      expect([notJson.status, notJson.text]).to.deep.equal([400, GENERIC_INVALID]);
      expect(simulator.journal.at(-1)?.reason).to.equal("body is not JSON");
      expect(simulator.listFlows()).to.have.length(1);
    });

    it("deletes a flow and answers its last status", async () => {
      // An ACTIVE flow is refused (test/simulatorFlowItems.test.ts); an undocumented status is not.
      simulator.setFlowStatus(FLOW_ID, "ERROR");
      const answer = await call(simulator, "DELETE", `/flows?flow_id=${FLOW_ID}`);
      expect(answer.status).to.equal(200);
      expect(answer.json()).to.deep.equal({ flow_id: FLOW_ID, status: "ERROR" });
      expect(simulator.getFlow(FLOW_ID)).to.equal(undefined);
      const again = await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`);
      expect(again.status).to.equal(400);
    });

    it("sends X-Request-Id (32 hex) and the JSON content type on every answer", async () => {
      const answers = [
        await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`),
        await call(simulator, "GET", "/flows/detail"),
        await call(simulator, "GET", "/nothing"),
        await call(simulator, "GET", "/flows", { auth: { kind: "none" } }),
      ];
      for (const answer of answers) {
        expect(answer.headers["x-request-id"]).to.match(/^[0-9a-f]{32}$/);
        expect(answer.headers["content-type"]).to.equal("application/json;charset=UTF-8");
      }
      const ids = simulator.journal.map((entry) => entry.requestId);
      expect(ids).to.deep.equal(answers.map((answer) => answer.headers["x-request-id"]));
    });
  });

  describe("listing flows", () => {
    let simulator: Simulator;
    let ids: string[];
    beforeEach(async () => {
      simulator = await launch();
      ids = Array.from(
        { length: 25 },
        (_, index) => simulator.createFlow({ flowId: `f-${index}` }).flowId,
      );
    });

    it("pages in creation order with limit 10 and offset 0 by default", async () => {
      const answer = await call(simulator, "GET", "/flows");
      const body = answer.json() as { total: number; flows: { flow_id: string }[] };
      expect(body.total).to.equal(25);
      expect(body.flows.map((flow) => flow.flow_id)).to.deep.equal(ids.slice(0, 10));
      expect(body.flows[0]).to.deep.equal({
        name: "flow-1",
        region: "ap-southeast-3",
        flow_id: "f-0",
        status: "STANDBY",
        protocol: "srt-listener",
      });
    });

    it("honours limit and offset, including the 1 and 100 bounds and offsets past the end", async () => {
      const page = async (query: string): Promise<string[]> => {
        const answer = await call(simulator, "GET", `/flows?${query}`);
        const body = answer.json() as { total: number; flows: { flow_id: string }[] };
        expect(body.total).to.equal(25);
        return body.flows.map((flow) => flow.flow_id);
      };
      expect(await page("limit=5&offset=20")).to.deep.equal(ids.slice(20, 25));
      expect(await page("limit=1&offset=3")).to.deep.equal(["f-3"]);
      expect(await page("limit=100")).to.deep.equal(ids);
      expect(await page("offset=24&limit=100")).to.deep.equal(["f-24"]);
      expect(await page("offset=25")).to.deep.equal([]);
    });

    it("rejects an invalid limit or offset with the generic 400, the journal naming the parameter", async () => {
      const limitReason = "limit not an integer from 1 to 100";
      const offsetReason = "offset not an integer of 0 or more";
      for (const [query, reason] of [
        ["limit=0", limitReason],
        ["limit=101", limitReason],
        ["limit=abc", limitReason],
        ["limit=1.5", limitReason],
        ["offset=-1", offsetReason],
        ["offset=x", offsetReason],
      ]) {
        const answer = await call(simulator, "GET", `/flows?${query}`);
        expect(answer.status, query).to.equal(400);
        expect(answer.text, query).to.equal(GENERIC_INVALID);
        expect(simulator.journal.at(-1)?.reason, query).to.equal(reason);
      }
    });
  });

  describe("routing", () => {
    it("answers 404 APIG.0101 with the request id for unknown paths and methods", async () => {
      const simulator = await launch();
      for (const [method, path] of [
        ["GET", "/flows/unknown"],
        ["PATCH", "/flows"],
        ["GET", "/flows/start"],
        ["POST", "/flows/detail"],
      ]) {
        const answer = await call(simulator, method!, path!);
        expect(answer.status, path).to.equal(404);
        expect(answer.json(), path).to.deep.equal({
          error_code: "APIG.0101",
          error_msg: "The API does not exist or has not been published in the environment.",
          request_id: answer.headers["x-request-id"],
        });
      }
      const outside = await request(`${simulator.url}/health`);
      expect(outside.statusCode).to.equal(404);
      await outside.body.text();
      expect(simulator.requestCount({ route: "unknown", status: 404 })).to.equal(5);
    });
  });

  describe("gateway request checks", () => {
    it("answers 400 APIG.0201 for a query that is not valid percent-encoding", async () => {
      const simulator = await launch();
      const answer = await call(simulator, "GET", "/flows?limit=%ZZ", { auth: { kind: "none" } });
      expect(answer.status).to.equal(400);
      expect(answer.json()).to.deep.equal({
        error_code: "APIG.0201",
        error_msg: "API request error.",
        request_id: answer.headers["x-request-id"],
      });
      expect(simulator.journal[0]?.reason).to.equal("query is not valid percent-encoding");
    });

    it("answers 413 APIG.0201 for a body over 12 MB", async () => {
      const simulator = await launch();
      const answer = await call(simulator, "POST", "/flows", {
        auth: { kind: "none" },
        body: { name: "x".repeat(12 * 1024 * 1024) },
      });
      expect(answer.status).to.equal(413);
      expect(answer.json()).to.include({
        error_code: "APIG.0201",
        error_msg: "Request entity too large.",
      });
      expect(simulator.listFlows()).to.have.length(0);
    });
  });

  describe("authentication", () => {
    const IAM = "Incorrect IAM authentication information: ";
    let simulator: Simulator;
    beforeEach(async () => {
      simulator = await launch({ flows: [{ flowId: FLOW_ID }], authTokens: ["valid-token"] });
    });

    async function expectUnauthorized(answer: Answer, message: string): Promise<void> {
      expect(answer.status).to.equal(401);
      expect(answer.json()).to.deep.equal({
        error_code: "APIG.0301",
        error_msg: IAM + message,
        request_id: answer.headers["x-request-id"],
      });
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    }

    /**
     * A 401 for a case Huawei documents no detail for: the table's bare text, with the case only in
     * the journal entry of that request.
     */
    function expectBareUnauthorized(target: Simulator, answer: Answer, reason: string): void {
      expect(answer.status).to.equal(401);
      expect(answer.json()).to.deep.equal({
        error_code: "APIG.0301",
        error_msg: "Incorrect IAM authentication information.",
        request_id: answer.headers["x-request-id"],
      });
      const entry = target.journal.find(
        (candidate) => candidate.requestId === answer.headers["x-request-id"],
      );
      expect(entry?.reason).to.equal(reason);
    }

    it("rejects a signature made with the wrong secret key or an unknown access key", async () => {
      const wrongSecret = { ...DEFAULT_CREDENTIALS, secretKey: "not-the-secret" };
      await expectUnauthorized(
        await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
          auth: { kind: "aksk", credentials: wrongSecret },
        }),
        "verify aksk signature fail",
      );
      const unknownKey = { ...DEFAULT_CREDENTIALS, accessKey: "UNKNOWNACCESSKEY0001" };
      await expectUnauthorized(
        await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
          auth: { kind: "aksk", credentials: unknownKey },
        }),
        "verify aksk signature fail",
      );
    });

    it("rejects a request whose query was changed after signing", async () => {
      simulator.createFlow({ flowId: "other" });
      const answer = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
        sendPath: `/v1/${simulator.projectId}/flows/start?flow_id=other`,
      });
      await expectUnauthorized(answer, "verify aksk signature fail");
      expect(simulator.getFlow("other")?.status).to.equal("STANDBY");
    });

    it("rejects a body changed after signing, and a signed header that was not sent", async () => {
      const sources = [{ name: "s", protocol: "srt-listener" }];
      const answer = await call(simulator, "POST", "/flows", {
        body: { name: "signed", sources },
        sendBody: { name: "swapped", sources },
      });
      await expectUnauthorized(answer, "verify aksk signature fail");

      const dropped = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
        afterSigning: ({ "X-Project-Id": _projectId, ...rest }) => rest,
      });
      await expectUnauthorized(dropped, "verify aksk signature fail");
      expect(simulator.listFlows()).to.have.length(1);
    });

    it("rejects an X-Sdk-Date more than 15 minutes away and accepts one at the limit", async () => {
      const now = new Date("2026-03-01T12:00:00Z");
      const fixed = await launch({ flows: [{ flowId: FLOW_ID }], now: () => now });
      const at = (offsetMs: number) => ({
        auth: { kind: "aksk" as const, date: new Date(now.getTime() + offsetMs) },
      });
      const outOfRange = "X-Sdk-Date missing, malformed or outside the allowed skew";
      const tooOld = await call(fixed, "GET", `/flows/detail?flow_id=${FLOW_ID}`, at(-901_000));
      expectBareUnauthorized(fixed, tooOld, outOfRange);
      const tooNew = await call(fixed, "GET", `/flows/detail?flow_id=${FLOW_ID}`, at(901_000));
      expectBareUnauthorized(fixed, tooNew, outOfRange);
      const atLimit = await call(fixed, "GET", `/flows/detail?flow_id=${FLOW_ID}`, at(-900_000));
      expect(atLimit.status).to.equal(200);
    });

    it("rejects a request signed 16 minutes ago against the real clock", async () => {
      const answer = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
        auth: { kind: "aksk", date: new Date(Date.now() - 16 * 60_000) },
      });
      expectBareUnauthorized(
        simulator,
        answer,
        "X-Sdk-Date missing, malformed or outside the allowed skew",
      );
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("rejects a missing or different X-Project-Id", async () => {
      const reason = "X-Project-Id differs from the project in the path";
      const withoutProject = { ...DEFAULT_CREDENTIALS, projectId: undefined };
      expectBareUnauthorized(
        simulator,
        await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
          auth: { kind: "aksk", credentials: withoutProject },
        }),
        reason,
      );
      const otherProject = {
        ...DEFAULT_CREDENTIALS,
        projectId: "ffffffffffffffffffffffffffffffff",
      };
      expectBareUnauthorized(
        simulator,
        await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
          auth: { kind: "aksk", credentials: otherProject },
        }),
        reason,
      );
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("answers 403 APIG.0302 for a project other than the simulator's", async () => {
      const project = "ffffffffffffffffffffffffffffffff";
      const signed = await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`, {
        projectId: project,
        auth: { kind: "aksk", credentials: { ...DEFAULT_CREDENTIALS, projectId: project } },
      });
      const token = await call(simulator, "GET", "/flows", {
        projectId: project,
        auth: { kind: "token", token: "valid-token" },
      });
      for (const answer of [signed, token]) {
        expect(answer.status).to.equal(403);
        expect(answer.json()).to.deep.equal({
          error_code: "APIG.0302",
          error_msg: "The IAM user is not authorized to access the API.",
          request_id: answer.headers["x-request-id"],
        });
      }
      expect(simulator.journal.map((entry) => entry.reason)).to.deep.equal([
        "a project other than the simulator's",
        "a project other than the simulator's",
      ]);
    });

    it("rejects a request with no credentials at all", async () => {
      const answer = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
        auth: { kind: "none" },
      });
      await expectUnauthorized(answer, "x-auth-token not found");
      expect(simulator.journal[0]).to.include({
        auth: "none",
        status: 401,
        errorCode: "APIG.0301",
      });
    });

    it("accepts a listed X-Auth-Token and rejects any other", async () => {
      const accepted = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
        auth: { kind: "token", token: "valid-token" },
      });
      expect(accepted.status).to.equal(200);
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
      simulator.setFlowStatus(FLOW_ID, "STANDBY");
      await expectUnauthorized(
        await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
          auth: { kind: "token", token: "forged-token" },
        }),
        "decrypt token fail",
      );
      expect(simulator.journal.map((entry) => entry.auth)).to.deep.equal(["token", "token"]);
    });

    it("requires the signed security token of temporary credentials", async () => {
      const temporary = { accessKey: "TEMPORARYACCESSKEY01", secretKey: "temporary-secret" };
      const secured = await launch({
        flows: [{ flowId: FLOW_ID }],
        credentials: [{ ...temporary, securityToken: "sts-token-value" }],
      });
      const attempt = (credentials: SigningCredentials, options: CallOptions = {}) =>
        call(secured, "GET", `/flows/detail?flow_id=${FLOW_ID}`, {
          ...options,
          auth: { kind: "aksk", credentials: { ...credentials, projectId: secured.projectId } },
        });
      const reason = "X-Security-Token missing, unsigned or wrong for the access key";

      const ok = await attempt({ ...temporary, securityToken: "sts-token-value" });
      expect(ok.status).to.equal(200);
      expectBareUnauthorized(secured, await attempt(temporary), reason);
      expectBareUnauthorized(
        secured,
        await attempt({ ...temporary, securityToken: "another-token" }),
        reason,
      );
      const unsigned = await attempt(temporary, {
        afterSigning: (headers) => ({ ...headers, "X-Security-Token": "sts-token-value" }),
      });
      expectBareUnauthorized(secured, unsigned, reason);
    });
  });

  describe("rate limit", () => {
    it("throttles the request over the limit with 429 and Retry-After, and recovers when the window slides", async () => {
      let clock = 10_000;
      const simulator = await launch({
        flows: [{ flowId: FLOW_ID }],
        requestsPerSecond: 3,
        retryAfterSeconds: 2,
        rateLimitClock: () => clock,
      });
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`)),
      );
      const throttled = answers.filter((answer) => answer.status === 429);
      expect(answers.map((answer) => answer.status).sort()).to.deep.equal([200, 200, 200, 429]);
      expect(throttled[0]!.headers["retry-after"]).to.equal("2");
      expect(throttled[0]!.json()).to.deep.equal({
        error_code: "APIG.0308",
        error_msg:
          "The throttling threshold has been reached: policy user over ratelimit,limit:3,time:1 second",
        request_id: throttled[0]!.headers["x-request-id"],
      });

      clock += 999;
      const stillThrottled = await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`);
      expect(stillThrottled.status).to.equal(429);
      clock += 1;
      const recovered = await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`);
      expect(recovered.status).to.equal(200);
      expect(simulator.requestCount({ status: 429 })).to.equal(2);
    });

    it("does not count unauthenticated requests, and can be changed or lifted at run time", async () => {
      const clock = 0;
      const simulator = await launch({ flows: [{ flowId: FLOW_ID }], rateLimitClock: () => clock });
      simulator.setRateLimit(1);
      const unauthenticated = await call(simulator, "GET", "/flows", { auth: { kind: "none" } });
      expect(unauthenticated.status).to.equal(401);
      expect((await call(simulator, "GET", "/flows")).status).to.equal(200);
      expect((await call(simulator, "GET", "/flows")).status).to.equal(429);
      simulator.setRateLimit(undefined);
      expect((await call(simulator, "GET", "/flows")).status).to.equal(200);
      expect(() => simulator.setRateLimit(0)).to.throw(RangeError);
    });
  });

  describe("faults", () => {
    let simulator: Simulator;
    beforeEach(async () => {
      simulator = await launch({ flows: [{ flowId: FLOW_ID }] });
    });
    const start = (options?: CallOptions) =>
      call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, options);

    it("status: answers a gateway error with default code and message, without Retry-After", async () => {
      simulator.injectFault("start", { kind: "status", status: 503 });
      const answer = await start();
      expect(answer.status).to.equal(503);
      expect(answer.json()).to.deep.equal({
        error_code: "APIG.0202",
        error_msg: "Backend unavailable.",
        request_id: answer.headers["x-request-id"],
      });
      expect(answer.headers["retry-after"]).to.equal(undefined);
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
      expect(simulator.journal[0]).to.include({
        fault: "status",
        status: 503,
        errorCode: "APIG.0202",
      });
    });

    it("status: sends Retry-After when given, and the chosen code and message", async () => {
      simulator.injectFault("start", { kind: "status", status: 429, retryAfterSeconds: 7 });
      simulator.injectFault("start", {
        kind: "status",
        status: 500,
        errorCode: "LIVE.103011021",
        errorMsg: "Failed to access the database",
      });
      const throttled = await start();
      expect(throttled.status).to.equal(429);
      expect(throttled.headers["retry-after"]).to.equal("7");
      expect((throttled.json() as { error_code: string }).error_code).to.equal("APIG.0308");
      const custom = await start();
      expect(custom.status).to.equal(500);
      expect(custom.json()).to.deep.equal({
        error_code: "LIVE.103011021",
        error_msg: "Failed to access the database",
        request_id: custom.headers["x-request-id"],
      });
      expect((await start()).status).to.equal(200);
    });

    it("reset: drops the connection without an answer or a state change", async () => {
      simulator.injectFault("start", { kind: "reset" });
      const error = await rejectionOf(start());
      expect(error).to.be.instanceOf(Error);
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
      expect(simulator.journal[0]).to.include({ status: "reset", fault: "reset", route: "start" });
      expect((await start()).status).to.equal(200);
    });

    it("reset with afterApply: the state changes but the answer is lost", async () => {
      simulator.injectFault("start", { kind: "reset", afterApply: true });
      await rejectionOf(start());
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
      const retry = await start();
      expect(retry.status).to.equal(400);
      expect((retry.json() as { error_msg: string }).error_msg).to.equal(
        "flow task is in active status",
      );
    });

    it("delay: a client that times out first is dropped with no state change", async () => {
      simulator.injectFault("start", { kind: "delay", ms: 2000 });
      const error = await rejectionOf(start({ headersTimeout: 100 }));
      expect((error as Error & { code?: string }).code).to.equal("UND_ERR_HEADERS_TIMEOUT");
      await eventually(() => simulator.journal.length === 1);
      expect(simulator.journal[0]).to.include({ status: "dropped", fault: "delay" });
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("delay: a patient client gets the normal answer after the delay", async () => {
      simulator.injectFault("start", { kind: "delay", ms: 200 });
      const began = performance.now();
      const answer = await start();
      expect(performance.now() - began).to.be.at.least(190);
      expect(answer.status).to.equal(200);
      expect(simulator.journal[0]).to.include({ status: 200, fault: "delay" });
    });

    it("hang: never answers, and close() ends the hanging request promptly", async () => {
      simulator.injectFault("start", { kind: "hang" });
      const pending = rejectionOf(start());
      await eventually(() => simulator.journal.length === 1);
      expect(simulator.journal[0]).to.include({ status: "dropped", fault: "hang" });
      // No timer needed: a close that waited for the hanging request would never resolve, and the
      // test would fail by its timeout.
      await simulator.close();
      expect(await pending).to.be.instanceOf(Error);
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("hang with afterApply: the state changes and the client times out", async () => {
      simulator.injectFault("start", { kind: "hang", afterApply: true });
      await rejectionOf(start({ headersTimeout: 100 }));
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
    });

    it("malformed: answers 200 with a JSON content type and a body that is not JSON", async () => {
      simulator.injectFault("start", { kind: "malformed" });
      const answer = await start();
      expect(answer.status).to.equal(200);
      expect(answer.headers["content-type"]).to.equal("application/json;charset=UTF-8");
      expect(() => answer.json()).to.throw(SyntaxError);
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("body: answers exactly the given body and status, without a state change", async () => {
      simulator.injectFault("start", {
        kind: "body",
        body: { flow_id: FLOW_ID, status: "PAUSED" },
      });
      simulator.injectFault("start", { kind: "body", status: 202, body: { accepted: true } });
      const first = await start();
      expect([first.status, first.text]).to.deep.equal([
        200,
        `{"flow_id":"${FLOW_ID}","status":"PAUSED"}`,
      ]);
      const second = await start();
      expect([second.status, second.json()]).to.deep.equal([202, { accepted: true }]);
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
    });

    it("applies a fault to exactly `count` requests of its route", async () => {
      simulator.injectFault("detail", { kind: "status", status: 500 }, 2);
      const detail = () => call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`);
      expect((await start()).status).to.equal(200);
      const statuses = [(await detail()).status, (await detail()).status, (await detail()).status];
      expect(statuses).to.deep.equal([500, 500, 200]);
      const body = (await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`)).json();
      expect(body).to.include({ status: "ACTIVE" });
    });

    it('takes faults first in, first out, "*" matching any operation', async () => {
      simulator.injectFault("*", { kind: "status", status: 502 });
      simulator.injectFault("list", { kind: "status", status: 504 });
      simulator.injectFault("*", { kind: "status", status: 500 });
      expect((await call(simulator, "GET", "/flows")).status).to.equal(502);
      expect((await call(simulator, "GET", "/flows")).status).to.equal(504);
      expect((await start()).status).to.equal(500);
      expect((await start()).status).to.equal(200);
    });

    it("is not consumed by requests rejected before the fault step, and can be cleared", async () => {
      simulator.injectFault("start", { kind: "status", status: 503 });
      expect((await start({ auth: { kind: "none" } })).status).to.equal(401);
      expect((await call(simulator, "GET", "/flows/bogus")).status).to.equal(404);
      expect((await start()).status).to.equal(503);
      simulator.injectFault("*", { kind: "status", status: 503 }, 5);
      simulator.clearFaults();
      expect((await start()).status).to.equal(200);
    });

    it("defaults a status fault's code and text to Huawei's published gateway answers", () => {
      const defaults = [401, 403, 404, 413, 429, 502, 503, 504, 400, 418, 500, 507].map(
        (status) => [status, defaultFaultError(status, 7)],
      );
      expect(defaults).to.deep.equal([
        [
          401,
          {
            errorCode: "APIG.0301",
            errorMsg: "Incorrect IAM authentication information: verify aksk signature fail",
          },
        ],
        [
          403,
          { errorCode: "APIG.0302", errorMsg: "The IAM user is not authorized to access the API." },
        ],
        [
          404,
          {
            errorCode: "APIG.0101",
            errorMsg: "The API does not exist or has not been published in the environment.",
          },
        ],
        [413, { errorCode: "APIG.0201", errorMsg: "Request entity too large." }],
        [
          429,
          {
            errorCode: "APIG.0308",
            errorMsg:
              "The throttling threshold has been reached: policy user over ratelimit,limit:7,time:1 second",
          },
        ],
        [502, { errorCode: "APIG.0202", errorMsg: "Backend unavailable." }],
        [503, { errorCode: "APIG.0202", errorMsg: "Backend unavailable." }],
        [504, { errorCode: "APIG.0203", errorMsg: "Backend timeout." }],
        [400, { errorCode: "APIG.0201", errorMsg: "API request error." }],
        [418, { errorCode: "APIG.0201", errorMsg: "API request error." }],
        [500, { errorCode: "APIG.9999", errorMsg: "System error" }],
        [507, { errorCode: "APIG.9999", errorMsg: "System error" }],
      ]);
    });

    it("rejects unusable faults at injection", () => {
      expect(() => simulator.injectFault("start", { kind: "status", status: 200 })).to.throw(
        RangeError,
      );
      expect(() => simulator.injectFault("start", { kind: "delay", ms: -1 })).to.throw(RangeError);
      expect(() => simulator.injectFault("start", { kind: "malformed" }, 0)).to.throw(RangeError);
    });
  });

  describe("latency", () => {
    it("adds the configured latency before every answer, changeable at run time", async () => {
      // Lower bounds are exact (timers never fire early by more than a millisecond); the one upper
      // bound leaves a local request hundreds of milliseconds to spare.
      const latencyMs = 400;
      const simulator = await launch({ latencyMs });
      const elapsed = async (options?: CallOptions): Promise<number> => {
        const began = performance.now();
        await call(simulator, "GET", "/flows", options);
        return performance.now() - began;
      };
      expect(await elapsed()).to.be.at.least(latencyMs - 10);
      expect(await elapsed({ auth: { kind: "none" } })).to.be.at.least(latencyMs - 10);
      simulator.setLatency(0);
      expect(await elapsed()).to.be.below(latencyMs - 10);
      expect(() => simulator.setLatency(-5)).to.throw(RangeError);
    });
  });

  describe("control surface", () => {
    it("creates flows with defaults and hands out copies", async () => {
      const simulator = await launch({ region: "cn-east-3" });
      const first = simulator.createFlow();
      const second = simulator.createFlow({
        name: "named",
        status: "ACTIVE",
        protocol: "srt-caller",
      });
      expect(first.flowId).to.match(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(first).to.include({
        name: "flow-1",
        region: "cn-east-3",
        status: "STANDBY",
        protocol: "srt-listener",
      });
      expect(new Date(first.createdAt).toISOString()).to.equal(first.createdAt);
      expect(second).to.include({ name: "named", status: "ACTIVE", protocol: "srt-caller" });
      first.status = "ACTIVE";
      expect(simulator.getFlow(first.flowId)?.status).to.equal("STANDBY");
      expect(simulator.listFlows().map((flow) => flow.flowId)).to.deep.equal([
        first.flowId,
        second.flowId,
      ]);
      expect(() => simulator.createFlow({ flowId: first.flowId })).to.throw(/already exists/);
      expect(simulator.deleteFlow(first.flowId)).to.equal(true);
      expect(simulator.deleteFlow(first.flowId)).to.equal(false);
      expect(simulator.projectId).to.equal(SIMULATOR_DEFAULTS.projectId);
      expect(simulator.url).to.equal(`http://127.0.0.1:${simulator.port}`);
    });

    it("setFlowStatus changes a flow out of band and throws for an unknown flow", async () => {
      const simulator = await launch({ flows: [{ flowId: FLOW_ID }] });
      simulator.setFlowStatus(FLOW_ID, "ACTIVE");
      const detail = await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}`);
      expect(detail.json()).to.include({ status: "ACTIVE" });
      expect(() => simulator.setFlowStatus("missing", "ACTIVE")).to.throw(/missing/);
    });
  });

  describe("journal", () => {
    it("records each request with redacted credentials", async () => {
      const simulator = await launch({
        flows: [{ flowId: FLOW_ID }],
        authTokens: ["token-secret-1"],
      });
      const signedAnswer = await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`, {
        auth: {
          kind: "aksk",
          credentials: { ...DEFAULT_CREDENTIALS },
        },
      });
      await call(simulator, "GET", "/flows?limit=5", {
        auth: { kind: "token", token: "token-secret-1" },
      });
      await call(simulator, "GET", "/flows", { auth: { kind: "token", token: "token-guess-2" } });

      const [signed, token, rejected] = simulator.journal;
      expect(signed).to.deep.include({
        sequence: 1,
        method: "PUT",
        path: `/v1/${simulator.projectId}/flows/start`,
        route: "start",
        query: { flow_id: FLOW_ID },
        flowId: FLOW_ID,
        projectId: simulator.projectId,
        auth: "aksk",
        status: 200,
        requestId: signedAnswer.headers["x-request-id"],
      });
      expect(JSON.stringify(signed)).not.to.include(SIMULATOR_DEFAULTS.accessKey);
      expect(signed!.errorCode).to.equal(undefined);
      expect(signed!.headers["authorization"]).to.equal("[REDACTED]");
      expect(signed!.headers["x-project-id"]).to.equal(simulator.projectId);
      expect(Date.parse(signed!.at)).to.be.closeTo(Date.now(), 60_000);
      expect(token).to.deep.include({ route: "list", auth: "token", query: { limit: "5" } });
      expect(token!.headers["x-auth-token"]).to.equal("[REDACTED]");
      expect(rejected).to.include({ status: 401, errorCode: "APIG.0301", auth: "token" });

      const text = JSON.stringify(simulator.journal);
      expect(text).not.to.include(SIMULATOR_DEFAULTS.secretKey);
      expect(text).not.to.include("token-secret-1");
      expect(text).not.to.include("token-guess-2");
      expect(text).not.to.include("Signature=");
    });

    it("redacts the security token of temporary credentials", async () => {
      const credentials = {
        accessKey: "TEMPORARYACCESSKEY01",
        secretKey: "temporary-secret-key",
        securityToken: "sts-security-token",
      };
      const simulator = await launch({ credentials: [credentials] });
      const answer = await call(simulator, "GET", "/flows", {
        auth: { kind: "aksk", credentials: { ...credentials, projectId: simulator.projectId } },
      });
      expect(answer.status).to.equal(200);
      expect(simulator.journal[0]!.headers["x-security-token"]).to.equal("[REDACTED]");
      const text = JSON.stringify(simulator.journal);
      for (const secret of ["temporary-secret-key", "sts-security-token"]) {
        expect(text).not.to.include(secret);
      }
    });

    it("counts requests by route, flow, method and status, and can be cleared", async () => {
      const simulator = await launch({ flows: [{ flowId: FLOW_ID }, { flowId: "second" }] });
      await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      await call(simulator, "GET", `/flows/detail?flow_id=second`);
      await call(simulator, "GET", "/flows");
      await call(simulator, "GET", "/nope");

      expect(simulator.requestCount()).to.equal(5);
      expect(simulator.requestCount({ route: "start" })).to.equal(2);
      expect(simulator.requestCount({ route: "start", status: 200 })).to.equal(1);
      expect(simulator.requestCount({ route: "start", status: 400 })).to.equal(1);
      expect(simulator.requestCount({ flowId: FLOW_ID })).to.equal(2);
      expect(simulator.requestCount({ flowId: "second", method: "GET" })).to.equal(1);
      expect(simulator.requestCount({ method: "get" })).to.equal(3);
      expect(simulator.requestCount({ route: "unknown" })).to.equal(1);
      expect(simulator.journal.map((entry) => entry.sequence)).to.deep.equal([1, 2, 3, 4, 5]);

      simulator.clearJournal();
      expect(simulator.requestCount()).to.equal(0);
      await call(simulator, "GET", "/flows");
      expect(simulator.journal[0]!.sequence).to.equal(6);
    });
  });

  describe("close", () => {
    it("closes promptly with idle kept-alive connections and is idempotent", async () => {
      const simulator = await launch();
      await call(simulator, "GET", "/flows");
      await call(simulator, "GET", "/flows");
      const began = performance.now();
      await simulator.close();
      await simulator.close();
      expect(performance.now() - began).to.be.below(1000);
      const error = await rejectionOf(request(`${simulator.url}/v1/x/flows`));
      expect(error).to.be.instanceOf(Error);
    });
  });

  describe("command line", () => {
    it("parses defaults", () => {
      const command = parseCliArguments([]);
      expect(command.kind).to.equal("run");
      if (command.kind !== "run") return;
      expect(command.options).to.deep.equal({
        port: CLI_DEFAULTS.port,
        host: CLI_DEFAULTS.host,
        flows: [{}, {}, {}],
      });
    });

    it("parses every flag", () => {
      const command = parseCliArguments([
        "--port",
        "0",
        "--host",
        "0.0.0.0",
        "--flows",
        "1",
        "--latency",
        "250",
        "--rps=5",
        "--project-id",
        "abc",
      ]);
      expect(command).to.deep.equal({
        kind: "run",
        options: {
          port: 0,
          host: "0.0.0.0",
          flows: [{}],
          latencyMs: 250,
          requestsPerSecond: 5,
          projectId: "abc",
        },
      });
      expect(parseCliArguments(["--help"])).to.deep.equal({ kind: "help" });
      expect(parseCliArguments(["--port", "9", "-h"])).to.deep.equal({ kind: "help" });
    });

    it("rejects unknown flags, missing values and out-of-range numbers", () => {
      for (const argv of [
        ["--verbose"],
        ["--port"],
        ["--port", "65536"],
        ["--port", "12ab"],
        ["--flows", "-1"],
        ["--rps", "0"],
        ["--latency", "1.5"],
        ["--project-id", ""],
        ["extra"],
      ]) {
        expect(() => parseCliArguments(argv), argv.join(" ")).to.throw(CliUsageError);
      }
    });

    it("prints the address, simulator-only credentials, flows and an export block", async () => {
      const simulator = await launch({ flows: [{ flowId: "f-1" }] });
      const banner = formatBanner(simulator, simulator.listFlows());
      expect(banner).to.include(simulator.url);
      expect(banner).to.include("f-1");
      expect(banner).to.include("simulator-only");
      expect(banner).to.include(
        `export HW_LIVE_ENDPOINT=${simulator.url} HW_ACCESS_KEY=${SIMULATOR_DEFAULTS.accessKey} ` +
          `HW_SECRET_KEY=${SIMULATOR_DEFAULTS.secretKey} HW_PROJECT_ID=${simulator.projectId}`,
      );
    });
  });
});
