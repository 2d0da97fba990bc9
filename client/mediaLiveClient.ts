/**
 * A Media Live Flows client on undici: AK/SK-signed (or token) requests, every response validated
 * with zod, retries with backoff and jitter under an overall deadline, per-request timeouts,
 * keep-alive connections, proxies from the environment and a process-wide rate limit. All network
 * I/O of this package happens in {@link MediaLiveClient.send}.
 */
import { EnvHttpProxyAgent, request, type Dispatcher } from "undici";
import type { z } from "zod";
import { resolveEndpoint } from "./endpoint";
import { MediaLiveError, redactSecrets, type MediaLiveErrorKind } from "./errors";
import { OPERATIONS, type MediaLiveOperation } from "./operations";
import { sharedRateLimiter, type RequestRateLimiter } from "./rateLimiter";
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  parseRetryAfter,
  type AttemptOutcome,
  type RetryPolicy,
} from "./retryPolicy";
import {
  observedOutput,
  observedSource,
  outputBody,
  outputChangesBody,
  sourceBody,
  type FlowOutputChanges,
  type FlowOutputSpec,
  type FlowSourceSpec,
  type ObservedFlowOutput,
  type ObservedFlowSource,
} from "./flowItems";
import {
  classifyStatus,
  createFlowAnswerBody,
  createOutputsAnswerBody,
  deleteFlowAnswerBody,
  deleteOutputAnswerBody,
  errorBody,
  flowDetailBody,
  flowListBody,
  flowsOutputBody,
  flowStatusChangeBody,
  modifySourceAnswerBody,
  type ObservedStatus,
} from "./schemas";
import { signRequest } from "./signer";
import { sleep } from "./sleep";

/** Permanent or temporary (STS) access key credentials. */
export interface AccessKeyCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** Present for temporary credentials; sent as `X-Security-Token`. */
  readonly securityToken?: string;
}

/** An IAM user token (project-scoped), sent as `X-Auth-Token`. */
export interface TokenCredentials {
  readonly authToken: string;
}

/** What a request can be authenticated with. */
export type MediaLiveCredentials = AccessKeyCredentials | TokenCredentials;

/** A redacted record of one HTTP attempt, for debug output. Contains no credential. */
export interface RequestLogEvent {
  readonly operation: MediaLiveOperation;
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
  /** HTTP status, or the failure kind when there was no answer. */
  readonly outcome: number | MediaLiveErrorKind;
  readonly requestId?: string;
  readonly elapsedMs: number;
  /** Request headers with `Authorization`, `X-Auth-Token` and `X-Security-Token` redacted. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Options of {@link MediaLiveClient}. */
export interface MediaLiveClientOptions {
  /** Project id; the path segment of every call and `X-Project-Id`. */
  readonly projectId: string;
  /** Region id; picks the default endpoint and is named in error messages. */
  readonly region?: string;
  /** Base URL instead of `https://live.{region}.myhuaweicloud.com` (http only on loopback). */
  readonly endpoint?: string;
  readonly credentials: MediaLiveCredentials;
  /** undici dispatcher; default: a shared keep-alive agent honouring HTTPS_PROXY/NO_PROXY. */
  readonly dispatcher?: Dispatcher;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Retry limits; defaults in {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Process-wide request limit for this endpoint and credential (default 20 per second). Every
   * client in the process with the same endpoint and credential shares it.
   */
  readonly requestsPerSecond?: number;
  /** Clock for `X-Sdk-Date` (injected in tests). */
  readonly clock?: () => Date;
  /** Random source in [0, 1) for backoff jitter (injected in tests). */
  readonly random?: () => number;
  /**
   * Monotonic milliseconds that the retry deadline is measured with (default `performance.now`);
   * injected in tests so that how many attempts fit in the deadline does not depend on how fast
   * the machine is.
   */
  readonly monotonicNow?: () => number;
  /** Receives one redacted event per HTTP attempt. */
  readonly onRequest?: (event: RequestLogEvent) => void;
}

/** The answer to start or stop: the status the flow has now. */
export interface FlowStatusChange {
  readonly flowId: string;
  /** `ACTIVE`, `STANDBY`, or `UNKNOWN` for an undocumented value (see `reportedStatus`). */
  readonly status: ObservedStatus;
  /** The status string exactly as the API reported it. */
  readonly reportedStatus: string;
  readonly requestId?: string;
}

/** One flow's details. */
export interface FlowDetail extends FlowStatusChange {
  readonly name?: string;
  readonly region?: string;
  /** The sources as reported; passphrases masked. */
  readonly sources: readonly ObservedFlowSource[];
  /** The outputs' names and types (the detail answer has no more; see `showFlowOutput`). */
  readonly outputs: readonly { readonly name?: string; readonly type?: string }[];
}

/** What a flow is created with (`CreateFlowsRequestBody`). */
export interface FlowCreation {
  readonly name: string;
  /** The flow's region, as the body's `region` field. */
  readonly region: string;
  readonly sources: readonly FlowSourceSpec[];
}

/** The answer to a flow or output deletion. */
export interface Deletion {
  readonly flowId?: string;
  readonly requestId?: string;
}

/** One item of a flow listing. */
export interface FlowSummary {
  readonly flowId: string;
  readonly status: ObservedStatus;
  readonly reportedStatus: string;
  readonly name?: string;
  readonly region?: string;
  readonly protocol?: string;
  readonly description?: string;
}

/** One page of flows. */
export interface FlowPage {
  /** Number of flows in the project. */
  readonly total: number;
  readonly flows: readonly FlowSummary[];
}

/** The default per-attempt timeout. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The default process-wide request rate per endpoint and credential. */
export const DEFAULT_REQUESTS_PER_SECOND = 20;

/** Largest page the List API accepts. */
export const MAX_PAGE_SIZE = 100;

const REDACTED_HEADERS = new Set(["authorization", "x-auth-token", "x-security-token"]);

/**
 * A copy of `headers` with credential-bearing values replaced by `[REDACTED]`.
 *
 * @param headers - request headers
 */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] = REDACTED_HEADERS.has(name.toLowerCase()) ? "[REDACTED]" : value;
  }
  return copy;
}

let sharedDispatcher: Dispatcher | undefined;

/** The process-wide keep-alive agent; created on first use so that it reads the proxy variables then. */
function defaultDispatcher(): Dispatcher {
  sharedDispatcher ??= new EnvHttpProxyAgent({ keepAliveTimeout: 30_000 });
  return sharedDispatcher;
}

interface CallTarget {
  readonly operation: MediaLiveOperation;
  readonly query: Readonly<Record<string, string>>;
  readonly flowId?: string;
  /** JSON body, for the operations that take one. */
  readonly body?: unknown;
}

/** Thrown inside one attempt; turned into a {@link MediaLiveError} when retries are exhausted. */
interface AttemptFailure {
  readonly outcome: AttemptOutcome;
  readonly kind: MediaLiveErrorKind;
  readonly httpStatus?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestId?: string;
  readonly cause?: unknown;
}

/**
 * Calls the Media Live Flows API. One instance per project and credential; instances are cheap and
 * share connections and the rate limit.
 */
export class MediaLiveClient {
  /** The base URL in use (no trailing slash). */
  readonly endpoint: string;
  readonly projectId: string;
  readonly region?: string;
  private readonly credentials: MediaLiveCredentials;
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly limiter: RequestRateLimiter;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly monotonicNow: () => number;
  private readonly onRequest?: (event: RequestLogEvent) => void;

  /** @param options - project, credentials, endpoint or region, and transport settings */
  constructor(options: MediaLiveClientOptions) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(options.projectId)) {
      throw new TypeError("projectId must be 1-64 letters, digits, '-' or '_'");
    }
    this.endpoint = resolveEndpoint(options);
    this.projectId = options.projectId;
    this.region = options.region;
    this.credentials = options.credentials;
    this.dispatcher = options.dispatcher ?? defaultDispatcher();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.limiter = sharedRateLimiter(
      this.endpoint,
      "authToken" in options.credentials
        ? options.credentials.authToken
        : options.credentials.accessKey,
      options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND,
    );
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.onRequest = options.onRequest;
  }

  /**
   * Starts a flow (`PUT /v1/{project_id}/flows/start?flow_id=…`). Starting an ACTIVE flow fails with
   * 400 `LIVE.100011001` "flow task is in active status" (see `isAlreadyInStatus`).
   *
   * @param flowId - the flow to start
   * @param signal - aborts the call
   */
  async startFlow(flowId: string, signal?: AbortSignal): Promise<FlowStatusChange> {
    return this.changeStatus("startFlow", flowId, signal);
  }

  /**
   * Stops a flow (`PUT /v1/{project_id}/flows/stop?flow_id=…`).
   *
   * @param flowId - the flow to stop
   * @param signal - aborts the call
   */
  async stopFlow(flowId: string, signal?: AbortSignal): Promise<FlowStatusChange> {
    return this.changeStatus("stopFlow", flowId, signal);
  }

  /**
   * Reads one flow (`GET /v1/{project_id}/flows/detail?flow_id=…`). An unknown flow fails with an
   * error for which `isFlowNotFound` is true.
   *
   * @param flowId - the flow to read
   * @param signal - aborts the call
   */
  async showFlowDetail(flowId: string, signal?: AbortSignal): Promise<FlowDetail> {
    const target = { operation: "showFlowDetail", query: { flow_id: flowId }, flowId } as const;
    const { body, requestId } = await this.send(target, flowDetailBody, signal);
    return toFlowDetail(body, requestId);
  }

  /**
   * Lists one page of flows (`GET /v1/{project_id}/flows?limit=&offset=`).
   *
   * @param page - `limit` 1–100 (default 10), `offset` ≥ 0 (default 0)
   * @param signal - aborts the call
   */
  async listFlows(
    page: { limit?: number; offset?: number } = {},
    signal?: AbortSignal,
  ): Promise<FlowPage> {
    const { limit = 10, offset = 0 } = page;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new RangeError("offset must be a non-negative integer");
    }
    const target = {
      operation: "listFlows",
      query: { limit: String(limit), offset: String(offset) },
    } as const;
    const { body } = await this.send(target, flowListBody, signal);
    return {
      total: body.total,
      flows: body.flows.map((flow) => ({
        flowId: flow.flow_id,
        status: classifyStatus(flow.status),
        reportedStatus: flow.status,
        name: flow.name,
        region: flow.region,
        protocol: flow.protocol,
        description: flow.description,
      })),
    };
  }

  /**
   * Lists every flow of the project, paging with `limit`/`offset` until `total` is reached.
   *
   * @param pageSize - flows per request (1–100, default 100)
   * @param signal - aborts the call
   */
  async listAllFlows(pageSize = MAX_PAGE_SIZE, signal?: AbortSignal): Promise<FlowSummary[]> {
    const flows: FlowSummary[] = [];
    for (;;) {
      const page = await this.listFlows({ limit: pageSize, offset: flows.length }, signal);
      flows.push(...page.flows);
      // An empty page ends the loop even if `total` grew meanwhile, so it always terminates.
      if (page.flows.length === 0 || flows.length >= page.total) return flows;
    }
  }

  /**
   * Creates a flow (`POST /v1/{project_id}/flows`). Not retried after an answer that may have been
   * lost (a 5xx, a timeout, a dropped connection): the flow may exist, so find it by name first.
   *
   * @param flow - name, region and sources
   * @param signal - aborts the call
   */
  async createFlow(flow: FlowCreation, signal?: AbortSignal): Promise<FlowDetail> {
    const body = { name: flow.name, region: flow.region, sources: flow.sources.map(sourceBody) };
    const target = { operation: "createFlow", query: {}, body } as const;
    const answer = await this.send(target, createFlowAnswerBody, signal);
    return toFlowDetail(answer.body.flow, answer.requestId);
  }

  /**
   * Deletes a flow (`DELETE /v1/{project_id}/flows?flow_id=…`).
   *
   * @param flowId - the flow to delete
   * @param signal - aborts the call
   */
  async deleteFlow(flowId: string, signal?: AbortSignal): Promise<Deletion> {
    const target = { operation: "deleteFlow", query: { flow_id: flowId }, flowId } as const;
    const { body, requestId } = await this.send(target, deleteFlowAnswerBody, signal);
    return { flowId: body.flow_id, requestId };
  }

  /**
   * Replaces one source of a flow (`PUT /v1/{project_id}/flows/sources?flow_id=…&source_name=…`).
   *
   * @param flowId - the flow
   * @param source - the source, named as it is in the flow
   * @param signal - aborts the call
   */
  async modifyFlowSource(
    flowId: string,
    source: FlowSourceSpec,
    signal?: AbortSignal,
  ): Promise<ObservedFlowSource> {
    const target = {
      operation: "modifyFlowSource",
      query: { flow_id: flowId, source_name: source.name },
      flowId,
      body: { source: sourceBody(source) },
    } as const;
    const { body } = await this.send(target, modifySourceAnswerBody, signal);
    return observedSource(body.source);
  }

  /**
   * Adds outputs to a flow (`POST /v1/{project_id}/flows/outputs?flow_id=…`, body a JSON array)
   * and returns every output the flow has after. Not retried after an answer that may have been
   * lost: read the outputs to find out whether it landed.
   *
   * @param flowId - the flow
   * @param outputs - the outputs to add
   * @param signal - aborts the call
   */
  async createFlowOutputs(
    flowId: string,
    outputs: readonly FlowOutputSpec[],
    signal?: AbortSignal,
  ): Promise<ObservedFlowOutput[]> {
    const target = {
      operation: "createFlowOutputs",
      query: { flow_id: flowId },
      flowId,
      body: outputs.map(outputBody),
    } as const;
    const { body } = await this.send(target, createOutputsAnswerBody, signal);
    return body.outputs.map(observedOutput);
  }

  /**
   * Reads one output (`GET /v1/{project_id}/flows/outputs?flow_id=…&output_name=…`); its
   * passphrase comes back masked (this client never asks for `data_display`).
   *
   * @param flowId - the flow
   * @param outputName - the output
   * @param signal - aborts the call
   */
  async showFlowOutput(
    flowId: string,
    outputName: string,
    signal?: AbortSignal,
  ): Promise<ObservedFlowOutput> {
    const query = { flow_id: flowId, output_name: outputName };
    const target = { operation: "showFlowOutput", query, flowId } as const;
    const { body } = await this.send(target, flowsOutputBody, signal);
    return observedOutput(body);
  }

  /**
   * Changes an output's fields (`PUT /v1/{project_id}/flows/outputs?flow_id=…&output_name=…`);
   * fields left out keep their values.
   *
   * @param flowId - the flow
   * @param outputName - the output
   * @param changes - the fields to set
   * @param signal - aborts the call
   */
  async modifyFlowOutput(
    flowId: string,
    outputName: string,
    changes: FlowOutputChanges,
    signal?: AbortSignal,
  ): Promise<ObservedFlowOutput> {
    const target = {
      operation: "modifyFlowOutput",
      query: { flow_id: flowId, output_name: outputName },
      flowId,
      body: outputChangesBody(changes),
    } as const;
    const { body } = await this.send(target, flowsOutputBody, signal);
    return observedOutput(body);
  }

  /**
   * Deletes an output (`DELETE /v1/{project_id}/flows/outputs?flow_id=…&output_name=…`).
   *
   * @param flowId - the flow
   * @param outputName - the output
   * @param signal - aborts the call
   */
  async deleteFlowOutput(
    flowId: string,
    outputName: string,
    signal?: AbortSignal,
  ): Promise<Deletion> {
    const query = { flow_id: flowId, output_name: outputName };
    const target = { operation: "deleteFlowOutput", query, flowId } as const;
    const { body, requestId } = await this.send(target, deleteOutputAnswerBody, signal);
    return { flowId: body.flow_id, requestId };
  }

  private async changeStatus(
    operation: "startFlow" | "stopFlow",
    flowId: string,
    signal?: AbortSignal,
  ): Promise<FlowStatusChange> {
    const target = { operation, query: { flow_id: flowId }, flowId };
    const { body, requestId } = await this.send(target, flowStatusChangeBody, signal);
    return {
      flowId: body.flow_id,
      status: classifyStatus(body.status),
      reportedStatus: body.status,
      requestId,
    };
  }

  /** Sends one call with retries; parses the 2xx body with `schema`. */
  private async send<T>(
    target: CallTarget,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<{ body: T; requestId?: string }> {
    const startedAt = this.monotonicNow();
    for (let attempt = 1; ; attempt++) {
      const release = await this.limiter.acquire(signal);
      let result: Awaited<ReturnType<typeof this.attempt<T>>>;
      try {
        result = await this.attempt(target, schema, attempt, signal);
      } finally {
        release();
      }
      if ("body" in result) return result;
      const elapsedMs = this.monotonicNow() - startedAt;
      const decision = decideRetry(
        result.outcome,
        attempt,
        elapsedMs,
        this.retryPolicy,
        this.random(),
        OPERATIONS[target.operation].idempotent,
      );
      if (result.outcome.kind === "response" && result.outcome.status === 429) {
        this.limiter.pause(decision.retry ? decision.delayMs : 0);
      }
      if (!decision.retry) {
        throw this.toError(target, result, attempt, decision.reason === "deadline");
      }
      await sleep(decision.delayMs, signal);
    }
  }

  private async attempt<T>(
    target: CallTarget,
    schema: z.ZodType<T>,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<{ body: T; requestId?: string } | AttemptFailure> {
    const spec = OPERATIONS[target.operation];
    const query = new URLSearchParams(target.query).toString().replace(/\+/g, "%20");
    const url = `${this.endpoint}/v1/${this.projectId}${spec.path}${query ? `?${query}` : ""}`;
    const body = target.body === undefined ? undefined : JSON.stringify(target.body);
    const headers = this.authenticate(spec.method, url, body);
    const startedAt = performance.now();
    const log = (outcome: number | MediaLiveErrorKind, requestId?: string): void =>
      this.onRequest?.({
        operation: target.operation,
        method: spec.method,
        url,
        attempt,
        outcome,
        requestId,
        elapsedMs: Math.round(performance.now() - startedAt),
        headers: redactHeaders(headers),
      });

    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method: spec.method,
        headers: {
          ...headers,
          "user-agent": "pulumi-huaweicloud-medialive",
          accept: "application/json",
        },
        body,
        dispatcher: this.dispatcher,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.body.text();
    } catch (cause) {
      if (signal?.aborted) throw cause;
      const kind: MediaLiveErrorKind =
        timeout.aborted || isTimeoutError(cause) ? "timeout" : "network";
      log(kind);
      return { outcome: { kind }, kind, cause };
    }

    const requestIdHeader = response.headers["x-request-id"];
    const headerRequestId = Array.isArray(requestIdHeader) ? requestIdHeader[0] : requestIdHeader;
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      const parsed = schema.safeParse(safeJson(text));
      log(status, headerRequestId);
      if (parsed.success) return { body: parsed.data, requestId: headerRequestId };
      return {
        outcome: { kind: "invalid-response" },
        kind: "invalid-response",
        httpStatus: status,
        requestId: headerRequestId,
        errorMessage: `unexpected response body (${summarizeIssues(parsed.error)})`,
      };
    }
    const error = errorBody.safeParse(safeJson(text));
    const fields = error.success ? error.data : {};
    const requestId = headerRequestId ?? fields.request_id;
    log(status, requestId);
    const retryAfter = response.headers["retry-after"];
    return {
      outcome: {
        kind: "response",
        status,
        retryAfterMs: parseRetryAfter(
          Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          this.clock(),
        ),
      },
      kind: "http",
      httpStatus: status,
      errorCode: fields.error_code,
      errorMessage: fields.error_msg ?? (error.success ? undefined : text.slice(0, 200)),
      requestId,
    };
  }

  /**
   * The headers that authenticate a request: AK/SK signature or token. The content type is plain
   * `application/json` even with a body (the SDK sends `;charset=utf-8` for some operations), so
   * that the body's hash is part of the signature instead of `UNSIGNED-PAYLOAD`.
   */
  private authenticate(method: string, url: string, body?: string): Record<string, string> {
    const base = { "content-type": "application/json" };
    if ("authToken" in this.credentials) {
      return { ...base, "X-Auth-Token": this.credentials.authToken };
    }
    return signRequest(
      { method, url, headers: base, body },
      { ...this.credentials, projectId: this.projectId },
      this.clock(),
    );
  }

  private toError(
    target: CallTarget,
    failure: AttemptFailure,
    attempts: number,
    deadline: boolean,
  ): MediaLiveError {
    const secrets =
      "authToken" in this.credentials
        ? [this.credentials.authToken]
        : [this.credentials.secretKey, this.credentials.securityToken, this.credentials.accessKey];
    return new MediaLiveError({
      operation: target.operation,
      kind: deadline && failure.kind !== "http" ? "deadline" : failure.kind,
      httpStatus: failure.httpStatus,
      errorCode: failure.errorCode,
      errorMessage:
        failure.errorMessage === undefined
          ? causeText(failure.cause, secrets)
          : redactSecrets(failure.errorMessage, secrets),
      requestId: failure.requestId,
      flowId: target.flowId,
      projectId: this.projectId,
      region: this.region,
      attempts,
      cause: failure.cause,
    });
  }
}

function toFlowDetail(body: z.infer<typeof flowDetailBody>, requestId?: string): FlowDetail {
  return {
    flowId: body.flow_id,
    status: classifyStatus(body.status),
    reportedStatus: body.status,
    name: body.name,
    region: body.region,
    sources: (body.sources ?? []).map(observedSource),
    outputs: body.outputs ?? [],
    requestId,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
}

function isTimeoutError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    error.name === "TimeoutError" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT"
  );
}

function causeText(cause: unknown, secrets: readonly (string | undefined)[]): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  const text = typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
  return redactSecrets(text, secrets);
}
