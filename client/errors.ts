/**
 * The one error type of this package. Pulumi shows only an error's message, so the message is a
 * single actionable line: what failed, the HTTP status, Huawei's `error_code` and `error_msg`, the
 * request id, and what to check. Credentials never appear in it: callers pass the secret values to
 * {@link redactSecrets} before any text from the wire or from a cause reaches a message.
 */
import { OPERATIONS, type MediaLiveOperation } from "./operations";

const BRAND = Symbol.for("pulumi-huaweicloud-medialive:MediaLiveError");

/** How a call failed. */
export type MediaLiveErrorKind =
  /** The API answered with a non-2xx status. */
  | "http"
  /** No answer: connection refused or reset, DNS failure, TLS failure. */
  | "network"
  /** No answer within the per-request timeout. */
  | "timeout"
  /** A 2xx answer whose body is not what the API documents. */
  | "invalid-response"
  /** The overall deadline passed while waiting to retry. */
  | "deadline";

/** Fields of a {@link MediaLiveError}. */
export interface MediaLiveErrorDetails {
  readonly operation: MediaLiveOperation;
  readonly kind: MediaLiveErrorKind;
  readonly httpStatus?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestId?: string;
  readonly flowId?: string;
  readonly projectId?: string;
  readonly region?: string;
  /** How many HTTP attempts were made before giving up. */
  readonly attempts: number;
  readonly cause?: unknown;
}

/**
 * A failed Media Live call. Branded so that {@link MediaLiveError.isInstance} works across copies of
 * this package (as Pulumi's own errors do).
 */
export class MediaLiveError extends Error implements MediaLiveErrorDetails {
  readonly operation: MediaLiveOperation;
  readonly kind: MediaLiveErrorKind;
  readonly httpStatus?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestId?: string;
  readonly flowId?: string;
  readonly projectId?: string;
  readonly region?: string;
  readonly attempts: number;
  override readonly cause?: unknown;

  /** @param details - what failed; the message is derived from it */
  constructor(details: MediaLiveErrorDetails) {
    super(describeFailure(details));
    this.name = "MediaLiveError";
    this.operation = details.operation;
    this.kind = details.kind;
    this.httpStatus = details.httpStatus;
    this.errorCode = details.errorCode;
    this.errorMessage = details.errorMessage;
    this.requestId = details.requestId;
    this.flowId = details.flowId;
    this.projectId = details.projectId;
    this.region = details.region;
    this.attempts = details.attempts;
    this.cause = details.cause;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * True when `value` is a MediaLiveError from any copy of this package.
   *
   * @param value - anything thrown
   */
  static isInstance(value: unknown): value is MediaLiveError {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}

/**
 * True when the error says the flow does not exist. The Flows API documents no code for this, so a
 * 404, or a 400 whose message says "not found" / "does not exist", counts.
 *
 * @param error - anything thrown
 */
export function isFlowNotFound(error: unknown): boolean {
  if (!MediaLiveError.isInstance(error) || error.kind !== "http") return false;
  if (error.httpStatus === 404 && !error.errorCode?.startsWith("APIG.")) return true;
  return (
    error.httpStatus === 400 &&
    /not\s*found|does\s*not\s*exist|not\s*exist|no\s*such\s*flow/i.test(error.errorMessage ?? "")
  );
}

/**
 * True when the error is the API's documented answer to starting an ACTIVE flow (400
 * `LIVE.100011001` "flow task is in active status", on the ModifyFlowStart page). Huawei documents
 * no text for stopping a STANDBY flow; this also accepts a "standby status" wording should the API
 * send one, but callers must not rely on it: the provider settles any 400 from start or stop with a
 * read.
 *
 * @param error - anything thrown
 */
export function isAlreadyInStatus(error: unknown): boolean {
  return (
    MediaLiveError.isInstance(error) &&
    error.httpStatus === 400 &&
    /in (active|standby) status/i.test(error.errorMessage ?? "")
  );
}

function remedyFor(details: MediaLiveErrorDetails): string {
  const where = [
    details.projectId ? `project ${details.projectId}` : undefined,
    details.region ? `region ${details.region}` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  const scope = where ? ` (${where})` : "";
  switch (details.kind) {
    case "network":
      return "check the endpoint URL, DNS, proxy settings (HTTPS_PROXY/NO_PROXY) and network access";
    case "timeout":
      return "the API did not answer in time; retry later or raise the timeout";
    case "deadline":
      return "the API kept failing until the deadline; retry later or raise the timeout";
    case "invalid-response":
      return "the API answered with a body this package does not understand; retry, and report it if it persists";
    case "http":
      break;
  }
  const status = details.httpStatus ?? 0;
  if (status === 401) {
    return `check the access key and secret key (or the auth token and its expiry), the machine clock, and that the project id belongs to the region${scope}`;
  }
  if (status === 403) {
    return `check that the IAM user may perform ${OPERATIONS[details.operation].iamAction}${scope}`;
  }
  if (status === 429)
    return "the API is throttling this account; lower the request rate or retry later";
  if (status >= 500) return "the service failed; retry later";
  if (status === 404) return "check the endpoint, region and project id";
  return "check the request parameters";
}

/**
 * Builds the one-line message of a {@link MediaLiveError}.
 *
 * @param details - what failed
 */
export function describeFailure(details: MediaLiveErrorDetails): string {
  const target = details.flowId ? ` for flow ${details.flowId}` : "";
  const parts: string[] = [];
  if (details.httpStatus !== undefined) parts.push(`HTTP ${details.httpStatus}`);
  if (details.errorCode) parts.push(details.errorCode);
  if (details.errorMessage) parts.push(JSON.stringify(singleLine(details.errorMessage)));
  if (parts.length === 0) parts.push(details.kind === "timeout" ? "timed out" : details.kind);
  const requestId = details.requestId ? ` (request id ${details.requestId})` : "";
  const attempts = details.attempts > 1 ? ` after ${details.attempts} attempts` : "";
  return `Media Live ${details.operation}${target} failed${attempts}: ${parts.join(" ")}${requestId}; ${remedyFor(details)}.`;
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 500);
}

/**
 * Replaces every occurrence of each non-empty secret in `text` with `[REDACTED]`.
 *
 * @param text - text that may contain secrets (an error message from the wire, a cause)
 * @param secrets - secret values to remove
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join("[REDACTED]");
  }
  return result;
}
