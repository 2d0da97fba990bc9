/**
 * Every fixed value of the Media Live simulator in one place: defaults, limits, header names, error
 * codes and the exact error messages it answers with.
 *
 * Codes and messages follow the Media Live Flows API reference
 * (https://support.huaweicloud.com/intl/en-us/api-medialive/live_26_0007.html, the start example
 * of https://support.huaweicloud.com/api-medialive/ModifyFlowStart.html and the error-code table
 * https://support.huaweicloud.com/eu/api-medialive/ErrorCode.html) and the API Gateway error table
 * (https://support.huaweicloud.com/intl/en-us/usermanual-apig/apig_03_0048.html). Where Huawei does
 * not document an answer (stop on a STANDBY flow, an unknown flow id, …) the simulator sends the
 * documented generic text of the code, see {@link ERROR_MESSAGE}.
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

/**
 * `error_code` values the simulator answers with. `LIVE.100011001` and the `APIG.*` codes of the
 * reference (§5) are documented; `APIG.0202`, `APIG.0203` and `APIG.9999` are not in the Media Live
 * reference and come from Huawei's API Gateway pages (see `faults.ts`). They are only answered for
 * injected status faults and for a simulator bug.
 */
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

/** The API Gateway's text for `APIG.0301`; the gateway may add `: <detail>`. */
const IAM_AUTHENTICATION_FAILED = "Incorrect IAM authentication information";

/**
 * `error_msg` values: only texts Huawei publishes, never one invented for a case it does not
 * document. Huawei warns that gateway messages "are subject to change without prior notice"
 * (https://support.huaweicloud.com/intl/en-us/usermanual-apig/apig_03_0048.html); clients should
 * branch on `error_code` and HTTP status, not on these.
 *
 * Where Huawei documents no answer at all (an unknown flow, stopping a STANDBY flow, a missing or
 * invalid parameter, an expired `X-Sdk-Date`, a wrong `X-Project-Id` or security token), the
 * simulator answers the documented generic text of the code it uses, so that nothing can come to
 * depend on a message the real service may not send. The journal's `reason` says which case it was.
 */
export const ERROR_MESSAGE = Object.freeze({
  /** The ModifyFlowStart page's 400 example: starting an ACTIVE flow. */
  flowAlreadyActive: "flow task is in active status",
  /** The Media Live error-code table's text for `LIVE.100011001`. */
  invalidParameter: "Invalid request parameter.",
  /** API Gateway error table, `APIG.0101`, 404. */
  apiNotFound: "The API does not exist or has not been published in the environment.",
  /** API Gateway error table, `APIG.0201`, 400. */
  requestError: "API request error.",
  /** API Gateway error table, `APIG.0201`, 413. */
  entityTooLarge: "Request entity too large.",
  /** API Gateway error table and FAQ (apig_0087908599), 502. */
  backendUnavailable: "Backend unavailable.",
  /** API Gateway error table and FAQ (apig_0087908599), 504. */
  backendTimeout: "Backend timeout.",
  /** API Gateway API reference, `APIG.9999`, 500. */
  systemError: "System error",
  /** `APIG.0301` with no detail: the table's text. */
  authenticationFailed: `${IAM_AUTHENTICATION_FAILED}.`,
  /** `APIG.0301` details quoted by Huawei's FAQs (reference §5.2). */
  signatureMismatch: `${IAM_AUTHENTICATION_FAILED}: verify aksk signature fail`,
  tokenInvalid: `${IAM_AUTHENTICATION_FAILED}: decrypt token fail`,
  tokenMissing: `${IAM_AUTHENTICATION_FAILED}: x-auth-token not found`,
  /** API Gateway error table, `APIG.0302`, 403. */
  notAuthorized: "The IAM user is not authorized to access the API.",
  /** `APIG.0308`, as Huawei's FAQs quote it (reference §5.2). */
  throttled: (limit: number) =>
    `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 second`,
});

/**
 * Why the simulator refused a request where Huawei documents no answer: recorded in the journal
 * (`JournalEntry.reason`) for test authors, never sent to the client.
 */
export const REFUSAL_REASON = Object.freeze({
  unknownFlow: "unknown flow_id",
  flowIdMissing: "flow_id missing or empty",
  alreadyStandby: "stop of a STANDBY flow",
  invalidLimit: `limit not an integer from ${LIMITS.listLimitMin} to ${LIMITS.listLimitMax}`,
  invalidOffset: "offset not an integer of 0 or more",
  invalidJsonBody: "body is not JSON",
  bodyNotObject: "body is not a JSON object",
  nameMissing: "name missing or empty",
  regionNotString: "region is not a string",
  sourcesMissing: "sources missing or empty",
  invalidSource: (index: number) =>
    `sources[${index}] lacks a name or a protocol of ${SOURCE_PROTOCOLS.join(" or ")}`,
  malformedQuery: "query is not valid percent-encoding",
  sdkDateOutOfRange: "X-Sdk-Date missing, malformed or outside the allowed skew",
  projectIdMismatch: "X-Project-Id differs from the project in the path",
  securityTokenInvalid: "X-Security-Token missing, unsigned or wrong for the access key",
  projectNotServed: "a project other than the simulator's",
});

/** Body of the `malformed` fault: JSON cut off mid-value, as a truncated answer would be. */
export const MALFORMED_BODY = '{"flow_id":"ec897482-d24b-4d64-aa39-407980902b1d","status":"ACT';
