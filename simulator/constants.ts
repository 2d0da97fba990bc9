/**
 * Every fixed value of the Media Live simulator in one place: defaults, limits, header names, error
 * codes and the exact error messages it answers with.
 *
 * Codes and messages follow the Media Live Flows API reference
 * (https://support.huaweicloud.com/intl/en-us/api-medialive/live_26_0007.html, and the start example
 * of https://support.huaweicloud.com/api-medialive/ModifyFlowStart.html) and the API Gateway error table
 * (https://support.huaweicloud.com/intl/en-us/usermanual-apig/apig_03_0048.html). Where Huawei does
 * not document a behaviour (stop on a STANDBY flow, unknown flow ids) the simulator's choice is
 * marked as such.
 */

/**
 * Deterministic, obviously fake identity of a default simulator: the project it serves and the one
 * AK/SK pair it accepts. Never valid against Huawei Cloud.
 */
export const SIMULATOR_DEFAULTS: Readonly<{
  projectId: string;
  accessKey: string;
  secretKey: string;
  region: string;
}> = Object.freeze({
  projectId: "0a1b2c3d4e5f67890a1b2c3d4e5f6789",
  accessKey: "SIMULATORACCESSKEY01",
  secretKey: "SIMULATOR-SECRET-KEY-NOT-A-REAL-CREDENTIAL",
  region: "ap-southeast-3",
});

/** Defaults of {@link SimulatorOptions} fields that are not identities. */
export const OPTION_DEFAULTS = Object.freeze({
  port: 0,
  host: "127.0.0.1",
  latencyMs: 0,
  retryAfterSeconds: 1,
  // Huawei's API signing guide: X-Sdk-Date must be within 15 minutes of the gateway's clock.
  clockSkewMinutes: 15,
});

/** Fixed limits and sizes. */
export const LIMITS = Object.freeze({
  /** Sliding window of the rate limiter; the gateway's policy is "N per 1 second". */
  rateLimitWindowMs: 1000,
  /** The gateway rejects bodies above 12 MB (APIG.0201, HTTP 413). */
  maxBodyBytes: 12 * 1024 * 1024,
  /** ListFlows `limit` range and default (ListFlows page). */
  listLimitMin: 1,
  listLimitMax: 100,
  listLimitDefault: 10,
  listOffsetMin: 0,
  listOffsetDefault: 0,
  /** Oldest journal entries are dropped beyond this, so a long-running CLI does not grow forever. */
  journalCapacity: 10_000,
  /** Bytes of randomness in a request id (32 hex characters, like APIG's). */
  requestIdBytes: 16,
  /**
   * Limit quoted in an injected 429 when no rate limit is configured: the gateway's documented
   * default of 200 requests per second per API.
   */
  defaultGatewayRequestsPerSecond: 200,
});

/** Defaults of the `medialive-simulator` command, which differ from the library's. */
export const CLI_DEFAULTS = Object.freeze({ port: 8787, host: "127.0.0.1", flows: 3 });

/** Ranges the command line accepts for its numeric flags (inclusive). */
export const CLI_RANGES = Object.freeze({
  port: { min: 0, max: 65_535 },
  flows: { min: 0, max: 10_000 },
  latency: { min: 0, max: 600_000 },
  rps: { min: 1, max: 1_000_000 },
});

/** Exit status for a command line that cannot be understood (the usual convention, as in argparse). */
export const EXIT_USAGE = 2;

/** Values the simulator gives flows it invents. */
export const FLOW_DEFAULTS = Object.freeze({
  status: "STANDBY",
  protocol: "srt-listener",
  namePrefix: "flow-",
  sourceName: "source-1",
  // Outputs use 2000 ms as their documented default; sources document no default, so reuse it.
  sourceMinLatencyMs: 2000,
});

/** Protocols a flow source may use (FlowSource.protocol). */
export const SOURCE_PROTOCOLS = ["srt-listener", "srt-caller"] as const;

/** Header names as Node presents them (lower case). */
export const HEADER_NAME = Object.freeze({
  authorization: "authorization",
  authToken: "x-auth-token",
  securityToken: "x-security-token",
  sdkDate: "x-sdk-date",
  projectId: "x-project-id",
  contentSha256: "x-sdk-content-sha256",
  host: "host",
  requestId: "X-Request-Id",
  retryAfter: "Retry-After",
  contentType: "Content-Type",
});

/** Headers whose values never reach the journal. */
export const REDACTED_HEADERS: readonly string[] = [
  HEADER_NAME.authorization,
  HEADER_NAME.authToken,
  HEADER_NAME.securityToken,
];

/** What a redacted header value is replaced with. */
export const REDACTED = "[REDACTED]";

/** Content type of every answer, spelled as Huawei's gateway sends it. */
export const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

/** `error_code` values the simulator answers with. */
export const ERROR_CODE = Object.freeze({
  /** Media Live's generic "invalid request parameter", also used for state conflicts. */
  invalidParameter: "LIVE.100011001",
  apiNotFound: "APIG.0101",
  requestError: "APIG.0201",
  backendUnavailable: "APIG.0202",
  backendTimeout: "APIG.0203",
  authenticationFailed: "APIG.0301",
  notAuthorized: "APIG.0302",
  throttled: "APIG.0308",
  systemError: "APIG.9999",
});

const IAM_PREFIX = "Incorrect IAM authentication information: ";

/** `error_msg` values, as text or as functions of the detail they name. */
export const ERROR_MESSAGE = Object.freeze({
  // Documented on the Chinese ModifyFlowStart page.
  flowAlreadyActive: "flow task is in active status",
  // Undocumented; the simulator mirrors start (reference §9.2).
  flowAlreadyStandby: "flow task is in standby status",
  // Undocumented; the reference suggests a 400 LIVE.100011001 with an explanatory message (§9.5).
  flowNotFound: (flowId: string) => `flow not found: ${flowId}`,
  flowIdRequired: "flow_id is required",
  invalidLimit: `limit must be an integer from ${LIMITS.listLimitMin} to ${LIMITS.listLimitMax}`,
  invalidOffset: "offset must be an integer greater than or equal to 0",
  invalidJsonBody: "request body is not valid JSON",
  bodyNotObject: "request body must be a JSON object",
  nameRequired: "name is required",
  regionNotString: "region must be a string",
  sourcesRequired: "sources is required and must be a non-empty array",
  invalidSource: (index: number) =>
    `sources[${index}] must have a name and a protocol of ${SOURCE_PROTOCOLS.join(" or ")}`,
  apiNotFound: "The API does not exist or has not been published in the environment",
  requestError: "API request error",
  malformedQuery: "API request error: the query string is not valid percent-encoding",
  entityTooLarge: "Request entity too large",
  backendUnavailable: "Backend unavailable",
  backendTimeout: "Backend timeout",
  systemError: "System error",
  signatureMismatch: `${IAM_PREFIX}verify aksk signature fail`,
  requestExpired: `${IAM_PREFIX}the request has expired, X-Sdk-Date is out of range`,
  projectIdMismatch: `${IAM_PREFIX}X-Project-Id does not match the project in the request path`,
  // Undocumented for Media Live; temporary AK/SK need X-Security-Token (API signing guide).
  securityTokenInvalid: `${IAM_PREFIX}X-Security-Token is missing, unsigned or not valid for the access key`,
  tokenInvalid: `${IAM_PREFIX}decrypt token fail`,
  tokenMissing: `${IAM_PREFIX}x-auth-token not found`,
  notAuthorized: "The IAM user is not authorized to access the API",
  projectNotAuthorized: (projectId: string) =>
    `The IAM user is not authorized to access project ${projectId}`,
  throttled: (limit: number) =>
    `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 second`,
});

/** Body of the `malformed` fault: JSON cut off mid-value, as a truncated answer would be. */
export const MALFORMED_BODY = '{"flow_id":"ec897482-d24b-4d64-aa39-407980902b1d","status":"ACT';
