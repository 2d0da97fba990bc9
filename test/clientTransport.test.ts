/**
 * How the client classifies what the transport and the wire give it, against the simulator over
 * real HTTP: undici's own timeouts (headers, body, connect) and other transport failures become
 * kind `timeout` or `network` with the cause's code and text in the message; answers outside 2xx,
 * bodies the schema refuses and error bodies that are not JSON objects are reported as they came.
 *
 * The transport failures are real ones: an undici `Agent` with short timeouts (a dependency the
 * client accepts) meets a simulator request that hangs, a relay that passes on a response's head
 * but not its body, or a TCP server that never completes a TLS handshake. Only failures no real
 * transport produces on loopback (a timeout named by a `DOMException`, a thrown non-`Error`) come
 * from the `connect` function undici's `Agent` accepts. Per-attempt timeouts of the client are
 * long (30 s), so the kind can only come from the classification of undici's error.
 */
import { expect } from "chai";
import { once } from "node:events";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { Agent, errors as undiciErrors } from "undici";

import {
  MediaLiveClient,
  type MediaLiveClientOptions,
  type RequestLogEvent,
} from "../client/mediaLiveClient";
import { MediaLiveError } from "../client/errors";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator/index";

const PROJECT_ID = SIMULATOR_DEFAULTS.projectId;
const REGION = "ap-southeast-3";
const FLOW_ID = "7a11ed00-d24b-4d64-aa39-407980902b1d";
/** Longer than any undici timeout here: the client's own per-attempt timeout never fires. */
const LONG_TIMEOUT_MS = 30_000;
/** One attempt only, so that the error describes exactly the failure under test. */
const SINGLE_ATTEMPT = { maxAttempts: 1 } as const;
const TIMEOUT_REMEDY = "the API did not answer in time; retry later or raise the timeout.";
const NETWORK_REMEDY =
  "check the endpoint URL, DNS, proxy settings (HTTPS_PROXY/NO_PROXY) and network access.";

function clientFor(endpoint: string, options: Partial<MediaLiveClientOptions> = {}) {
  return new MediaLiveClient({
    projectId: PROJECT_ID,
    region: REGION,
    endpoint,
    credentials: {
      accessKey: SIMULATOR_DEFAULTS.accessKey,
      secretKey: SIMULATOR_DEFAULTS.secretKey,
    },
    requestsPerSecond: 1_000,
    timeoutMs: LONG_TIMEOUT_MS,
    retry: SINGLE_ATTEMPT,
    random: () => 0,
    ...options,
  });
}

/** The {@link MediaLiveError} `promise` rejects with; fails the test on anything else. */
async function failureOf(promise: Promise<unknown>): Promise<MediaLiveError> {
  try {
    await promise;
  } catch (error) {
    if (!MediaLiveError.isInstance(error)) throw error;
    return error;
  }
  throw new Error("expected the call to fail");
}

/** A loopback TCP server; `onConnection` decides what it does with each connection. */
async function listen(onConnection: (socket: Socket) => void): Promise<{
  server: Server;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    server,
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/**
 * A relay in front of `targetPort` that passes requests on whole and rewrites each response:
 * `rewrite` gets the head (status line and headers, without the blank line) and the body, and
 * returns the head to send and the body to send after it (`undefined`: the body never arrives).
 * The simulator sends every answer with a `Content-Length`, so responses are cut apart by it.
 *
 * The relay decides alone when a client's connection ends: when the server closes its side (an
 * idle keep-alive connection after 5 s), the next request on the client's connection goes out on
 * a new upstream connection, so how long a client keeps a connection is the client's own choice.
 */
async function startRewritingRelay(
  targetPort: number,
  rewrite: (head: string, body: Buffer) => { head: string; body?: Buffer },
) {
  return listen((client) => {
    let upstream: Socket | undefined;
    let pending = Buffer.alloc(0);
    const onAnswer = (chunk: Buffer): void => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const headEnd = pending.indexOf("\r\n\r\n");
        if (headEnd === -1) return;
        const head = pending.subarray(0, headEnd).toString("latin1");
        const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? "0");
        if (pending.length < headEnd + 4 + length) return;
        const body = pending.subarray(headEnd + 4, headEnd + 4 + length);
        pending = pending.subarray(headEnd + 4 + length);
        const answer = rewrite(head, body);
        client.write(Buffer.from(`${answer.head}\r\n\r\n`, "latin1"));
        if (answer.body) client.write(answer.body);
      }
    };
    const open = (): Socket => {
      const socket = connect(targetPort, "127.0.0.1");
      pending = Buffer.alloc(0);
      socket.on("data", onAnswer);
      socket.on("error", () => client.destroy());
      socket.on("close", () => {
        if (upstream === socket) upstream = undefined;
      });
      return socket;
    };
    client.on("data", (chunk: Buffer) => (upstream ??= open()).write(chunk));
    client.on("close", () => upstream?.destroy());
  });
}

describe("MediaLiveClient transport failures and unusual answers", function () {
  this.timeout(30_000);
  let sim: Simulator;
  const agents: Agent[] = [];
  /** An undici agent closed after the test. */
  function agent(options: Agent.Options): Agent {
    const created = new Agent(options);
    agents.push(created);
    return created;
  }
  before(async () => {
    sim = await startSimulator({ port: 0, flows: [{ flowId: FLOW_ID }] });
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.clearFaults();
    sim.clearJournal();
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((created) => created.destroy()));
  });

  describe("timeouts reported by undici", () => {
    it("reports undici's headers timeout as kind 'timeout' with its code", async () => {
      sim.injectFault("detail", { kind: "hang" });
      const dispatcher = agent({ headersTimeout: 200 });
      const error = await failureOf(clientFor(sim.url, { dispatcher }).showFlowDetail(FLOW_ID));
      expect(error).to.include({
        kind: "timeout",
        httpStatus: undefined,
        errorMessage: "UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error",
        attempts: 1,
      });
      expect(error.cause).to.be.instanceOf(undiciErrors.HeadersTimeoutError);
      expect(error.message).to.equal(
        `Media Live showFlowDetail for flow ${FLOW_ID} failed: ` +
          `"UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error"; ${TIMEOUT_REMEDY}`,
      );
      expect(sim.journal.map((entry) => entry.status)).to.deep.equal(["dropped"]);
    });

    it("reports undici's body timeout as kind 'timeout' with its code", async () => {
      // The head arrives, the body never does.
      const relay = await startRewritingRelay(sim.port, (head) => ({ head }));
      try {
        const dispatcher = agent({ bodyTimeout: 200 });
        const client = clientFor(`http://127.0.0.1:${relay.port}`, { dispatcher });
        const error = await failureOf(client.showFlowDetail(FLOW_ID));
        expect(error).to.include({
          kind: "timeout",
          errorMessage: "UND_ERR_BODY_TIMEOUT: Body Timeout Error",
          attempts: 1,
        });
        expect(error.cause).to.be.instanceOf(undiciErrors.BodyTimeoutError);
        expect(error.message).to.match(new RegExp(`; ${TIMEOUT_REMEDY.replace(/\./g, "\\.")}$`));
        // The simulator answered in full; only the relay held the body back.
        expect(sim.journal.map((entry) => entry.status)).to.deep.equal([200]);
      } finally {
        await relay.close();
      }
    });

    it("reports undici's connect timeout (a TLS handshake never answered) as kind 'timeout'", async () => {
      // Accepts the TCP connection and never says a word: the TLS handshake cannot complete.
      const silent = await listen(() => undefined);
      try {
        const dispatcher = agent({ connect: { timeout: 200 } });
        const client = clientFor(`https://127.0.0.1:${silent.port}`, { dispatcher });
        const error = await failureOf(client.showFlowDetail(FLOW_ID));
        expect(error).to.include({ kind: "timeout", attempts: 1 });
        expect(error.cause).to.be.instanceOf(undiciErrors.ConnectTimeoutError);
        expect(error.errorMessage).to.equal(
          `UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error ` +
            `(attempted address: 127.0.0.1:${silent.port}, timeout: 200ms)`,
        );
        expect(error.message).to.match(new RegExp(`; ${TIMEOUT_REMEDY.replace(/\./g, "\\.")}$`));
      } finally {
        await silent.close();
      }
    });

    it("reports a failure named TimeoutError (as AbortSignal.timeout raises) as kind 'timeout'", async () => {
      const reason = new DOMException("The operation was aborted due to timeout", "TimeoutError");
      const dispatcher = agent({ connect: (_options, callback) => callback(reason, null) });
      const error = await failureOf(clientFor(sim.url, { dispatcher }).showFlowDetail(FLOW_ID));
      // A DOMException's `code` is a number (23), so the text is the message alone.
      expect(error).to.include({
        kind: "timeout",
        errorMessage: "The operation was aborted due to timeout",
        cause: reason,
      });
      expect(sim.journal).to.have.length(0);
    });
  });

  describe("other transport failures", () => {
    it("reports a refused connection as kind 'network' with the code and text of the cause", async () => {
      // A port that was just listened on and closed: nothing accepts connections there.
      const closed = await listen(() => undefined);
      await closed.close();
      const error = await failureOf(clientFor(`http://127.0.0.1:${closed.port}`).listFlows());
      expect(error).to.include({ kind: "network", httpStatus: undefined, attempts: 1 });
      expect(error.errorMessage).to.equal(
        `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${closed.port}`,
      );
      expect(error.message).to.equal(
        `Media Live listFlows failed: "ECONNREFUSED: connect ECONNREFUSED ` +
          `127.0.0.1:${closed.port}"; ${NETWORK_REMEDY}`,
      );
    });

    it("reports a thrown non-Error as kind 'network' with no message of its own", async () => {
      // Shaped like an undici timeout, but not an Error: nothing of it is trusted.
      const thrown = {
        name: "TimeoutError",
        code: "UND_ERR_CONNECT_TIMEOUT",
        message: "not an Error",
      };
      const dispatcher = agent({
        connect: (_options, callback) => callback(thrown as unknown as Error, null),
      });
      const error = await failureOf(clientFor(sim.url, { dispatcher }).showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "network", errorMessage: undefined, cause: thrown });
      expect(error.message).to.equal(
        `Media Live showFlowDetail for flow ${FLOW_ID} failed: network; ${NETWORK_REMEDY}`,
      );
    });

    it("reports an Error without a code by its message alone", async () => {
      const cause = new Error("the proxy refused the tunnel");
      const dispatcher = agent({ connect: (_options, callback) => callback(cause, null) });
      const error = await failureOf(clientFor(sim.url, { dispatcher }).showFlowDetail(FLOW_ID));
      expect(error).to.include({
        kind: "network",
        errorMessage: "the proxy refused the tunnel",
        cause,
      });
    });
  });
  describe("aborts", () => {
    it("an abort while a request is in flight rejects with its reason, not as a failed attempt", async () => {
      sim.injectFault("detail", { kind: "hang" });
      const events: RequestLogEvent[] = [];
      const client = clientFor(sim.url, {
        retry: { maxAttempts: 3 },
        onRequest: (event) => events.push(event),
      });
      const controller = new AbortController();
      const reason = new Error("cancelled by the caller");
      const call = client.showFlowDetail(FLOW_ID, controller.signal).then(
        () => "resolved",
        (error: unknown) => error,
      );
      // The hang is journaled as soon as the simulator holds the request.
      while (sim.requestCount({ route: "detail" }) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      controller.abort(reason);
      expect(await call).to.equal(reason);
      expect(events).to.deep.equal([]);
      expect(sim.requestCount()).to.equal(1);
    });
  });

  describe("answers outside the schema", () => {
    it("treats a 300 answer as a failure even when its body is a valid flow detail", async () => {
      sim.injectFault("detail", {
        kind: "body",
        status: 300,
        body: { flow_id: FLOW_ID, status: "STANDBY" },
      });
      const error = await failureOf(clientFor(sim.url).showFlowDetail(FLOW_ID));
      expect(error).to.include({
        kind: "http",
        httpStatus: 300,
        errorCode: undefined,
        errorMessage: undefined,
        attempts: 1,
      });
      expect(error.message).to.equal(
        `Media Live showFlowDetail for flow ${FLOW_ID} failed: HTTP 300 ` +
          `(request id ${sim.journal[0]!.requestId}); check the request parameters.`,
      );
    });

    it("accepts a 299 answer as success", async () => {
      sim.injectFault("detail", {
        kind: "body",
        status: 299,
        body: { flow_id: FLOW_ID, status: "STANDBY" },
      });
      const detail = await clientFor(sim.url).showFlowDetail(FLOW_ID);
      expect(detail).to.include({ flowId: FLOW_ID, status: "STANDBY" });
    });

    it("quotes the first 200 characters of an error body that is not a JSON object", async () => {
      const text = `${"x".repeat(150)} ${"y".repeat(150)}`;
      sim.injectFault("detail", { kind: "body", status: 400, body: text });
      const error = await failureOf(clientFor(sim.url).showFlowDetail(FLOW_ID));
      // The body on the wire is the JSON string: the text in quotes.
      const expected = JSON.stringify(text).slice(0, 200);
      expect(expected).to.have.length(200);
      expect(error).to.include({ httpStatus: 400, errorCode: undefined, errorMessage: expected });
      expect(error.message).to.include(`HTTP 400 ${JSON.stringify(expected)}`);
    });

    it("reports an error body that is a JSON object without error fields with no message", async () => {
      sim.injectFault("detail", { kind: "body", status: 400, body: { unexpected: true } });
      const error = await failureOf(clientFor(sim.url).showFlowDetail(FLOW_ID));
      expect(error).to.include({ httpStatus: 400, errorCode: undefined, errorMessage: undefined });
      expect(error.message).to.equal(
        `Media Live showFlowDetail for flow ${FLOW_ID} failed: HTTP 400 ` +
          `(request id ${sim.journal[0]!.requestId}); check the request parameters.`,
      );
    });

    it("prefers the X-Request-Id header to an error body's request_id", async () => {
      sim.injectFault("detail", {
        kind: "body",
        status: 400,
        body: { error_code: "APIG.0201", error_msg: "bad", request_id: "from-the-body" },
      });
      const error = await failureOf(clientFor(sim.url).showFlowDetail(FLOW_ID));
      expect(error).to.include({ errorCode: "APIG.0201", errorMessage: "bad" });
      expect(error.requestId).to.equal(sim.journal[0]!.requestId);
    });

    it("names at most three schema issues, with their nested paths", async () => {
      sim.injectFault("detail", {
        kind: "body",
        body: { flow_id: "", status: 7, sources: [{ name: 5 }], outputs: "none" },
      });
      const error = await failureOf(clientFor(sim.url).showFlowDetail(FLOW_ID));
      expect(error).to.include({ kind: "invalid-response", httpStatus: 200, attempts: 1 });
      expect(error.errorMessage).to.equal(
        "unexpected response body (" +
          "flow_id: Too small: expected string to have >=1 characters; " +
          "status: Invalid input: expected string, received number; " +
          "sources.0.name: Invalid input: expected string, received number)",
      );
    });

    it("names the body itself when the answer is not an object", async () => {
      sim.injectFault("detail", { kind: "body", body: [] });
      const error = await failureOf(clientFor(sim.url).showFlowDetail(FLOW_ID));
      expect(error.errorMessage).to.equal(
        "unexpected response body (body: Invalid input: expected object, received array)",
      );
    });
  });

  describe("what the wire carries", () => {
    it("sends a call without query parameters (createFlow) to a URL without '?'", async () => {
      const events: RequestLogEvent[] = [];
      const client = clientFor(sim.url, { onRequest: (event) => events.push(event) });
      const created = await client.createFlow({
        name: "transport-created",
        region: REGION,
        sources: [{ name: "main", protocol: "srt-listener" }],
      });
      expect(events.map((event) => [event.method, event.url, event.outcome])).to.deep.equal([
        ["POST", `${sim.url}/v1/${PROJECT_ID}/flows`, 200],
      ]);
      expect(sim.journal.map((entry) => [entry.route, entry.status])).to.deep.equal([
        ["create", 200],
      ]);
      sim.deleteFlow(created.flowId);
    });

    it("reports a detail's outputs by name and type, and none when the answer has none", async () => {
      sim.injectFault("detail", {
        kind: "body",
        body: { flow_id: FLOW_ID, status: "ACTIVE", outputs: [{ name: "out-1", type: "srt" }] },
      });
      sim.injectFault("detail", { kind: "body", body: { flow_id: FLOW_ID, status: "ACTIVE" } });
      const client = clientFor(sim.url);
      const withOutputs = await client.showFlowDetail(FLOW_ID);
      const withoutOutputs = await client.showFlowDetail(FLOW_ID);
      expect(withOutputs.outputs).to.deep.equal([{ name: "out-1", type: "srt" }]);
      expect(withoutOutputs.outputs).to.deep.equal([]);
      expect(withoutOutputs.sources).to.deep.equal([]);
    });
  });

  describe("headers as the wire may carry them", () => {
    /** A relay that passes each response on with its head changed by `rewriteHead`. */
    async function relayRewritingHeads(rewriteHead: (head: string) => string) {
      return startRewritingRelay(sim.port, (head, body) => ({ head: rewriteHead(head), body }));
    }

    it("takes the request id from an error body when the answer has no X-Request-Id", async () => {
      const relay = await relayRewritingHeads((head) =>
        head.replace(/\r\nx-request-id:[^\r]*/i, ""),
      );
      try {
        sim.injectFault("detail", {
          kind: "body",
          status: 400,
          body: { error_code: "APIG.0201", error_msg: "bad", request_id: "from-the-body" },
        });
        const client = clientFor(`http://127.0.0.1:${relay.port}`);
        const error = await failureOf(client.showFlowDetail(FLOW_ID));
        expect(error).to.include({ errorCode: "APIG.0201", requestId: "from-the-body" });
        expect(error.message).to.include("(request id from-the-body)");
      } finally {
        await relay.close();
      }
    });

    it("takes the first of two X-Request-Id headers", async () => {
      const relay = await relayRewritingHeads((head) =>
        head.replace(
          /\r\nx-request-id:[^\r]*/i,
          "\r\nX-Request-Id: first-id\r\nX-Request-Id: second-id",
        ),
      );
      try {
        const client = clientFor(`http://127.0.0.1:${relay.port}`);
        const detail = await client.showFlowDetail(FLOW_ID);
        expect(detail.requestId).to.equal("first-id");
      } finally {
        await relay.close();
      }
    });

    it("honours the first of two Retry-After headers", async () => {
      const relay = await relayRewritingHeads((head) =>
        head.replace(/\r\nretry-after:[^\r]*/i, "\r\nRetry-After: 60\r\nRetry-After: 0"),
      );
      try {
        sim.injectFault("detail", { kind: "status", status: 429, retryAfterSeconds: 1 });
        // A 60 s wait does not fit in the 10 s deadline, so the call gives up at once; had the
        // second header (0 s) counted, the retry would have succeeded.
        const client = clientFor(`http://127.0.0.1:${relay.port}`, {
          retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 5, deadlineMs: 10_000 },
        });
        const error = await failureOf(client.showFlowDetail(FLOW_ID));
        expect(error).to.include({ kind: "http", httpStatus: 429, attempts: 1 });
        expect(sim.journal.map((entry) => entry.status)).to.deep.equal([429]);
      } finally {
        await relay.close();
      }
    });
  });

  describe("the default dispatcher", () => {
    it("keeps an idle connection longer than undici's default 4 s when the server sets no limit", async () => {
      // Without the server's `Keep-Alive: timeout=5` hint undici keeps an idle connection as long
      // as its own keepAliveTimeout says: 4 s by default, 30 s in the client's shared agent.
      const relay = await startRewritingRelay(sim.port, (head, body) => ({
        head: head.replace(/\r\nkeep-alive:[^\r]*/i, ""),
        body,
      }));
      try {
        const client = clientFor(`http://127.0.0.1:${relay.port}`);
        await client.showFlowDetail(FLOW_ID);
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        await client.showFlowDetail(FLOW_ID);
        expect(sim.journal.map((entry) => entry.status)).to.deep.equal([200, 200]);
        expect(relay.connections).to.equal(1);
      } finally {
        await relay.close();
      }
    });
  });

  describe("timing of attempts and of the retry deadline", () => {
    it("reports each attempt's elapsed time, within the time the whole call took", async () => {
      const events: RequestLogEvent[] = [];
      sim.injectFault("detail", { kind: "delay", ms: 300 });
      const client = clientFor(sim.url, { onRequest: (event) => events.push(event) });
      const before = performance.now();
      await client.showFlowDetail(FLOW_ID);
      const took = performance.now() - before;
      expect(events).to.have.length(1);
      // The simulator held the answer back 300 ms, so the attempt took at least that long.
      expect(events[0]!.elapsedMs).to.be.within(300, Math.ceil(took));
    });

    it("measures the deadline from the call's start, on a clock that does not start at zero", async () => {
      sim.injectFault("detail", { kind: "status", status: 503 }, 2);
      // Hours into the process, and no time passes between readings: the 1 s deadline is never
      // reached, so the call gets all its attempts.
      const client = clientFor(sim.url, {
        retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 5, deadlineMs: 1_000 },
        monotonicNow: () => 7_200_000,
      });
      const detail = await client.showFlowDetail(FLOW_ID);
      expect(detail.flowId).to.equal(FLOW_ID);
      expect(sim.journal.map((entry) => entry.status)).to.deep.equal([503, 503, 200]);
    });
  });
});
