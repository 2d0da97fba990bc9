/**
 * The Media Live simulator: a real `node:http` server that answers the eleven Flows operations
 * (flows, their sources and outputs; see `flowHandlers.ts` for what each answers and which
 * behaviours are assumptions) with real state, verifies AK/SK signatures and tokens like the API
 * Gateway, throttles, and injects faults on demand. All of its I/O happens in this module.
 *
 * Each request goes through the same steps, in this order: arrival is recorded, the body is read,
 * the configured latency passes, the path is resolved (an unknown API is a 404 before any
 * authentication, as the gateway cannot pick an auth policy for it), authentication, rate limit,
 * the next injected fault, and finally the operation. Every request ends up in the journal.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";

import { gatewayError, type ApiResponse } from "./apiResponse.js";
import { authenticate, authenticationScheme, type SimulatorCredentials } from "./authentication.js";
import {
  ERROR_CODE,
  ERROR_MESSAGE,
  HEADER_NAME,
  JSON_CONTENT_TYPE,
  LIMITS,
  MALFORMED_BODY,
  OPTION_DEFAULTS,
  REFUSAL_REASON,
  SIMULATOR_DEFAULTS,
} from "./constants.js";
import { defaultFaultError, FaultQueue, type Fault, type FaultTarget } from "./faults.js";
import { handleFlowRequest } from "./flowHandlers.js";
import type { FlowOutput, FlowSource } from "./flowItems.js";
import { FlowStore, type FlowRecord, type FlowSeed } from "./flowStore.js";
import { Journal, redactHeaders, type JournalEntry, type JournalFilter } from "./journal.js";
import { SlidingWindowRateLimiter } from "./rateLimiter.js";
import { firstQueryValues } from "./queryString.js";
import { resolveRoute } from "./routes.js";

/** How to start a simulator; every field has a default. */
export interface SimulatorOptions {
  /** Port to listen on; default 0 (an ephemeral port, see {@link Simulator.port}). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** The project served; default {@link SIMULATOR_DEFAULTS}.projectId. */
  projectId?: string;
  /** Accepted AK/SK pairs; default the {@link SIMULATOR_DEFAULTS} pair. */
  credentials?: SimulatorCredentials[];
  /** Accepted `X-Auth-Token` values (scoped to the project); default none. */
  authTokens?: string[];
  /** Flows present from the start, in this order. */
  flows?: FlowSeed[];
  /** Milliseconds added before every answer; default 0. */
  latencyMs?: number;
  /** Accepted requests allowed in any sliding 1 s window; default unlimited. */
  requestsPerSecond?: number;
  /** `Retry-After` of a rate-limit 429, in seconds; default 1. */
  retryAfterSeconds?: number;
  /** Largest allowed difference between `X-Sdk-Date` and {@link SimulatorOptions.now}; default 15. */
  clockSkewMinutes?: number;
  /** The clock for the `X-Sdk-Date` check, `createdAt` and journal times; default the wall clock. */
  now?: () => Date;
  /** Region reported for flows seeded without one; default `ap-southeast-3`. */
  region?: string;
  /**
   * Milliseconds the rate limiter reads (only differences matter); default `performance.now()`.
   * Tests drive it by hand so throttling does not depend on how fast requests go out.
   */
  rateLimitClock?: () => number;
}

/** A running simulator and its control surface. */
export interface Simulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The port actually listened on. */
  readonly port: number;
  /** The project served (`/v1/{projectId}/…`). */
  readonly projectId: string;
  /** Snapshot of the settled requests, oldest first. */
  readonly journal: readonly JournalEntry[];
  /**
   * Adds a flow directly (not through the API).
   *
   * @param seed - chosen fields: flow id defaults to a random UUID, name to `flow-N`, status to
   *   `STANDBY`, sources to one `source-1`, outputs to none
   * @throws Error when the flow id is taken, or a seeded source or output would be refused by the
   *   API (the message gives the reason)
   */
  createFlow(seed?: FlowSeed): FlowRecord;
  /** A copy of one flow, or `undefined`. */
  getFlow(flowId: string): FlowRecord | undefined;
  /**
   * Copies of a flow's sources as stored, passphrases unmasked (for assertions; answers mask
   * them), or `undefined` when there is no such flow.
   */
  getFlowSources(flowId: string): FlowSource[] | undefined;
  /**
   * Copies of a flow's outputs as stored, in creation order, passphrases unmasked, or `undefined`
   * when there is no such flow.
   */
  getFlowOutputs(flowId: string): FlowOutput[] | undefined;
  /** Copies of every flow in creation order. */
  listFlows(): FlowRecord[];
  /** Removes a flow directly; `false` when there was none. */
  deleteFlow(flowId: string): boolean;
  /**
   * Changes a flow's status out of band, as someone using the console would.
   *
   * @throws Error when there is no such flow
   */
  setFlowStatus(flowId: string, status: string): void;
  /**
   * Makes the next `count` (default 1) requests to `route` meet `fault`, first in first out;
   * `"*"` matches any of the eleven operations (not unknown paths). Faults apply after authentication and rate
   * limiting, so rejected requests do not consume them. With `flowId`, only requests for that flow
   * meet it, so one run over many flows can give each flow a fault of its own.
   *
   * @throws RangeError when the count or fault is not usable
   */
  injectFault(route: FaultTarget, fault: Fault, count?: number, flowId?: string): void;
  /** Drops every pending fault. */
  clearFaults(): void;
  /** Replaces the accepted AK/SK pairs, as rotating keys in IAM would (old ones stop working). */
  setCredentials(credentials: readonly SimulatorCredentials[]): void;
  /** Changes the latency added before every answer. */
  setLatency(ms: number): void;
  /** Changes the rate limit; `undefined` removes it. */
  setRateLimit(requestsPerSecond: number | undefined): void;
  /** Counts journal entries matching every given criterion. */
  requestCount(filter?: JournalFilter): number;
  /** Forgets the journal. */
  clearJournal(): void;
  /** Stops listening and destroys every open connection, hanging or idle. */
  close(): Promise<void>;
}

/** Journal fields gathered while a request is processed; the outcome fields come last. */
type Draft = Omit<
  JournalEntry,
  "sequence" | "status" | "errorCode" | "reason" | "flowId" | "fault"
> & {
  flowId?: string;
  fault?: Fault["kind"];
};

/** The body read from a request, or why there is none. */
type BodyResult = { kind: "read"; bytes: Buffer } | { kind: "tooLarge" } | { kind: "aborted" };

function validateNonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

function newRequestId(): string {
  return randomBytes(LIMITS.requestIdBytes).toString("hex");
}

/** Reads the whole body, keeping at most `maxBytes` (the rest is drained, not stored). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.once("end", () =>
      resolve(
        size > maxBytes ? { kind: "tooLarge" } : { kind: "read", bytes: Buffer.concat(chunks) },
      ),
    );
    request.once("error", () => resolve({ kind: "aborted" }));
    request.once("close", () => {
      if (!request.complete) resolve({ kind: "aborted" });
    });
  });
}

function formatUrl(host: string, port: number): string {
  return host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** Tells whether the client of one response is still there. */
class ClientWatch {
  #gone = false;
  readonly #response: ServerResponse;

  constructor(response: ServerResponse) {
    this.#response = response;
    // 'close' before the answer is finished means the connection went away.
    response.once("close", () => {
      this.#gone = true;
    });
  }

  /** True once the connection closed. */
  get gone(): boolean {
    return this.#gone || this.#response.destroyed;
  }

  /**
   * Waits `ms` unless the client leaves first.
   *
   * @returns true when the client is still connected afterwards
   */
  async wait(ms: number): Promise<boolean> {
    if (ms > 0 && !this.gone) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        const response = this.#response;
        function done(): void {
          clearTimeout(timer);
          response.off("close", done);
          resolve();
        }
        response.once("close", done);
      });
    }
    return !this.gone;
  }
}

class MediaLiveSimulator implements Simulator {
  readonly projectId: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #store: FlowStore;
  readonly #faults = new FaultQueue();
  readonly #journal = new Journal();
  readonly #limiter: SlidingWindowRateLimiter;
  #credentials: readonly SimulatorCredentials[];
  readonly #authTokens: readonly string[];
  readonly #retryAfterSeconds: number;
  readonly #clockSkewMinutes: number;
  readonly #now: () => Date;
  #latencyMs: number;
  #closing: Promise<void> | undefined;
  #url = "";
  #port = 0;

  constructor(options: SimulatorOptions) {
    this.projectId = options.projectId ?? SIMULATOR_DEFAULTS.projectId;
    this.#now = options.now ?? (() => new Date());
    this.#store = new FlowStore(options.region ?? SIMULATOR_DEFAULTS.region, this.#now);
    this.#credentials = (
      options.credentials ?? [
        { accessKey: SIMULATOR_DEFAULTS.accessKey, secretKey: SIMULATOR_DEFAULTS.secretKey },
      ]
    ).map((credential) => ({ ...credential }));
    this.#authTokens = [...(options.authTokens ?? [])];
    this.#latencyMs = validateNonNegative(
      "latencyMs",
      options.latencyMs ?? OPTION_DEFAULTS.latencyMs,
    );
    this.#retryAfterSeconds = validateNonNegative(
      "retryAfterSeconds",
      options.retryAfterSeconds ?? OPTION_DEFAULTS.retryAfterSeconds,
    );
    this.#clockSkewMinutes = validateNonNegative(
      "clockSkewMinutes",
      options.clockSkewMinutes ?? OPTION_DEFAULTS.clockSkewMinutes,
    );
    this.#limiter = new SlidingWindowRateLimiter(
      options.requestsPerSecond,
      LIMITS.rateLimitWindowMs,
      options.rateLimitClock ?? (() => performance.now()),
    );
    for (const seed of options.flows ?? []) this.#store.seed(seed);

    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => this.#fail(response, error));
    });
    this.#server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return this.#url;
  }

  get port(): number {
    return this.#port;
  }

  get journal(): readonly JournalEntry[] {
    return this.#journal.entries;
  }

  /** Starts listening; resolves once the port is bound. */
  async listen(port: number, host: string): Promise<void> {
    this.#server.listen(port, host);
    await once(this.#server, "listening");
    const address = this.#server.address() as AddressInfo;
    this.#port = address.port;
    this.#url = formatUrl(host, address.port);
  }

  createFlow(seed?: FlowSeed): FlowRecord {
    return this.#store.seed(seed);
  }

  getFlow(flowId: string): FlowRecord | undefined {
    return this.#store.get(flowId);
  }

  getFlowSources(flowId: string): FlowSource[] | undefined {
    return this.#store.sources(flowId);
  }

  getFlowOutputs(flowId: string): FlowOutput[] | undefined {
    return this.#store.outputs(flowId);
  }

  listFlows(): FlowRecord[] {
    return this.#store.list();
  }

  deleteFlow(flowId: string): boolean {
    return this.#store.delete(flowId) !== undefined;
  }

  setFlowStatus(flowId: string, status: string): void {
    this.#store.setStatus(flowId, status);
  }

  injectFault(route: FaultTarget, fault: Fault, count?: number, flowId?: string): void {
    this.#faults.add(route, fault, count, flowId);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  setCredentials(credentials: readonly SimulatorCredentials[]): void {
    this.#credentials = credentials.map((credential) => ({ ...credential }));
  }

  setLatency(ms: number): void {
    this.#latencyMs = validateNonNegative("latency", ms);
  }

  setRateLimit(requestsPerSecond: number | undefined): void {
    this.#limiter.setLimit(requestsPerSecond);
  }

  requestCount(filter?: JournalFilter): number {
    return this.#journal.count(filter);
  }

  clearJournal(): void {
    this.#journal.clear();
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
      // server.close only waits for connections to end; hanging and kept-alive ones never would.
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closing;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const client = new ClientWatch(response);
    const target = request.url ?? "/";
    const queryStart = target.indexOf("?");
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    const query = firstQueryValues(queryStart === -1 ? "" : target.slice(queryStart + 1));
    const { route, projectId } = resolveRoute(request.method ?? "", path);
    const draft: Draft = {
      at: this.#now().toISOString(),
      method: request.method ?? "",
      path,
      route,
      query: query ?? {},
      flowId: query?.["flow_id"] || undefined,
      projectId,
      auth: authenticationScheme(request.headers),
      headers: redactHeaders(request.headers),
      requestId: newRequestId(),
    };

    const body = await readBody(request, LIMITS.maxBodyBytes);
    if (body.kind === "aborted" || !(await client.wait(this.#latencyMs))) {
      this.#journal.record({ ...draft, status: "dropped" });
      return;
    }
    if (route === "unknown") {
      const notFound = gatewayError(
        404,
        ERROR_CODE.apiNotFound,
        ERROR_MESSAGE.apiNotFound,
        draft.requestId,
      );
      return this.#answer(response, client, draft, notFound);
    }
    if (query === undefined || body.kind === "tooLarge") {
      const rejected =
        query === undefined
          ? gatewayError(
              400,
              ERROR_CODE.requestError,
              ERROR_MESSAGE.requestError,
              draft.requestId,
              {
                reason: REFUSAL_REASON.malformedQuery,
              },
            )
          : gatewayError(
              413,
              ERROR_CODE.requestError,
              ERROR_MESSAGE.entityTooLarge,
              draft.requestId,
            );
      return this.#answer(response, client, draft, rejected);
    }
    const denied = this.#admit(request, body.bytes, draft);
    if (denied) return this.#answer(response, client, draft, denied);

    const fault = this.#faults.take(route, query["flow_id"] || undefined);
    if (fault) draft.fault = fault.kind;
    const apply = (): ApiResponse => {
      const flowRequest = { query, body: body.bytes.toString("utf8") };
      const outcome = handleFlowRequest(route, flowRequest, this.#store);
      if (outcome.flowId !== undefined) draft.flowId = outcome.flowId;
      return outcome.response;
    };
    switch (fault?.kind) {
      case undefined:
        return this.#answer(response, client, draft, apply());
      case "status":
        return this.#answer(response, client, draft, this.#statusFault(fault, draft.requestId));
      case "malformed":
        return this.#answer(response, client, draft, { status: 200, body: MALFORMED_BODY });
      case "body":
        return this.#answer(response, client, draft, {
          status: fault.status ?? 200,
          body: JSON.stringify(fault.body) ?? "",
        });
      case "delay":
        if (!(await client.wait(fault.ms))) {
          this.#journal.record({ ...draft, status: "dropped" });
          return;
        }
        return this.#answer(response, client, draft, apply());
      case "reset":
        if (fault.afterApply) apply();
        this.#journal.record({ ...draft, status: "reset" });
        if (!request.socket.destroyed) request.socket.resetAndDestroy();
        return;
      case "hang":
        if (fault.afterApply) apply();
        // Recorded now: the request is settled as never answered, whenever the client gives up.
        this.#journal.record({ ...draft, status: "dropped" });
        return;
    }
  }

  /**
   * The gateway's admission: authentication and project, then the rate limit (which only counts
   * requests that got this far). Returns the error to answer, or `undefined` to go on.
   */
  #admit(request: IncomingMessage, body: Uint8Array, draft: Draft): ApiResponse | undefined {
    const authentication = authenticate(
      {
        method: draft.method,
        target: request.url ?? "/",
        headers: request.headers,
        body,
        pathProjectId: draft.projectId,
      },
      {
        projectId: this.projectId,
        credentials: this.#credentials,
        authTokens: this.#authTokens,
        clockSkewMinutes: this.#clockSkewMinutes,
        now: this.#now,
      },
    );
    if (!authentication.ok) {
      const { status, errorCode, errorMsg, reason } = authentication;
      return gatewayError(status, errorCode, errorMsg, draft.requestId, reason ? { reason } : {});
    }
    if (!this.#limiter.tryAcquire()) {
      return gatewayError(
        429,
        ERROR_CODE.throttled,
        ERROR_MESSAGE.throttled(this.#limiter.limit ?? LIMITS.defaultGatewayRequestsPerSecond),
        draft.requestId,
        { headers: { [HEADER_NAME.retryAfter]: String(this.#retryAfterSeconds) } },
      );
    }
    return undefined;
  }

  #statusFault(fault: Extract<Fault, { kind: "status" }>, requestId: string): ApiResponse {
    const defaults = defaultFaultError(
      fault.status,
      this.#limiter.limit ?? LIMITS.defaultGatewayRequestsPerSecond,
    );
    return gatewayError(
      fault.status,
      fault.errorCode ?? defaults.errorCode,
      fault.errorMsg ?? defaults.errorMsg,
      requestId,
      fault.retryAfterSeconds === undefined
        ? {}
        : { headers: { [HEADER_NAME.retryAfter]: String(fault.retryAfterSeconds) } },
    );
  }

  /** Writes an answer and journals it; a client that already left is journaled as dropped. */
  #answer(response: ServerResponse, client: ClientWatch, draft: Draft, answer: ApiResponse): void {
    if (client.gone) {
      this.#journal.record({ ...draft, status: "dropped" });
      return;
    }
    response.writeHead(answer.status, {
      ...answer.headers,
      [HEADER_NAME.contentType]: JSON_CONTENT_TYPE,
      [HEADER_NAME.requestId]: draft.requestId,
      "Content-Length": String(Buffer.byteLength(answer.body)),
    });
    response.end(answer.body);
    this.#journal.record({
      ...draft,
      status: answer.status,
      errorCode: answer.errorCode,
      reason: answer.reason,
    });
  }

  /** Last resort for a bug in the handler: answer 500 if still possible, never crash the process. */
  #fail(response: ServerResponse, error: unknown): void {
    console.error("medialive simulator: unexpected error while handling a request:", error);
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    const requestId = newRequestId();
    const answer = gatewayError(500, ERROR_CODE.systemError, ERROR_MESSAGE.systemError, requestId);
    response.writeHead(answer.status, {
      [HEADER_NAME.contentType]: JSON_CONTENT_TYPE,
      [HEADER_NAME.requestId]: requestId,
    });
    response.end(answer.body);
  }
}

/**
 * Starts a simulator and resolves once it listens.
 *
 * @param options - port, identity, seeded flows, latency, rate limit, clocks
 * @throws RangeError on an invalid latency, rate limit, Retry-After or skew
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new MediaLiveSimulator(options);
  await simulator.listen(
    options.port ?? OPTION_DEFAULTS.port,
    options.host ?? OPTION_DEFAULTS.host,
  );
  return simulator;
}
