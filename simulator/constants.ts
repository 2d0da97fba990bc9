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
 * documented generic text of the code, see {@link ERROR_MESSAGE}. Ranges of source and output
 * fields come from the model texts of Huawei's Python Live SDK 3.1.219 and the console guide
 * (https://support.huaweicloud.com/intl/en-us/medialive-live/live_25_0046.html).
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
  /** Sources of one flow (an assumption: a primary and a backup; the reference gives no number). */
  sourcesPerFlowMin: 1,
  sourcesPerFlowMax: 2,
  /** Flow and source names (console guide): a letter first, at most 64 characters. */
  nameMaxLength: 64,
  /** Entries of a `cidr_whitelist` (console guide for sources; SDK model text for outputs). */
  cidrWhitelistMax: 20,
  /** Output `min_latency` in ms (SDK model text: default 2000, min 10, max 15000). */
  outputMinLatencyMin: 10,
  outputMinLatencyMax: 15_000,
  /** Output `destination` (SDK model text: IP or domain, at most 64). */
  destinationMaxLength: 64,
  /** Any port the simulator accepts: a TCP/UDP port number. */
  portMin: 1,
  portMax: 65_535,
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
  /** Output `min_latency` when none is given (SDK model text: default 2000). */
  outputMinLatencyMs: 2000,
  /** Output `output_status` when none is given (an assumption: a new output relays). */
  outputStatus: "ENABLED",
});

/** Protocols a flow source or output may use (`protocol`: srt-caller, srt-listener). */
export const SOURCE_PROTOCOLS = ["srt-listener", "srt-caller"] as const;

/** A source's or output's protocol. */
export type FlowProtocol = (typeof SOURCE_PROTOCOLS)[number];

/** `output_status` values (SDK model text: ENABLED enabled, DISABLED disabled). */
export const OUTPUT_STATUSES = ["ENABLED", "DISABLED"] as const;

/** `health_status` values (SDK model text: CONNECTED relaying, DISCONNECTED relay interrupted). */
export const HEALTH_STATUS = Object.freeze({
  connected: "CONNECTED",
  disconnected: "DISCONNECTED",
});

/** `key_type` values of FlowSourceDecryption; the SDK text says only `srt-password` works today. */
export const KEY_TYPES = ["speke", "static-key", "srt-password"] as const;

/** The one `key_type` the service currently supports. */
export const SUPPORTED_KEY_TYPE = "srt-password";

/** `algorithm` values of FlowSourceDecryption. */
export const ENCRYPTION_ALGORITHMS = ["aes128", "aes192", "aes256"] as const;

/**
 * What every answer shows instead of a `decryption.passphrase` or `encryption.passphrase`, unless
 * a detail or show-output request asks for `data_display=true` (reference §2.3, §2.11).
 */
export const SECRET_MASK = "******";

/** The only `data_display` value documented (Go SDK enum), the one that reveals passphrases. */
export const DATA_DISPLAY_REVEAL = "true";

/**
 * Where `srt-listener` sources and outputs listen. Every flow gets one address in TEST-NET-1
 * (192.0.2.0/24, RFC 5737: documentation only, never routed), `192.0.2.1` for the first flow a
 * simulator holds, counting up and wrapping after `.254`. A listener given no port gets the next one
 * from `firstPort` up that the flow does not use yet, counted across the simulator (wrapping after
 * `lastPort`), so ports are not reused soon. 2077 and 2088 are refused as a source port (FlowSource
 * text) and never handed out.
 */
export const LISTENER = Object.freeze({
  addressPrefix: "192.0.2.",
  addressCount: 254,
  firstPort: 20_000,
  lastPort: 65_535,
  refusedPorts: Object.freeze([2077, 2088]) as readonly number[],
});

/** Flow and source names: a letter, then letters, digits, `-` or `_` (console guide), at most 64. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Output names: a letter, then letters, digits, `-` or `_` (SDK model text; no length given). */
export const OUTPUT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

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
  /**
   * "The resource already exists." (error-code table). The simulator answers it for a flow name or
   * output name already taken; that Flows use it for these cases is an inference.
   */
  resourceExists: "LIVE.103011018",
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
  /** The Media Live error-code table's text for `LIVE.103011018`. */
  resourceExists: "The resource already exists.",
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
  invalidSource: (where: string) =>
    `${where} lacks a name or a protocol of ${SOURCE_PROTOCOLS.join(" or ")}`,
  invalidField: (where: string, field: string, rule: string) => `${where}.${field} ${rule}`,
  notAnObject: (where: string) => `${where} is not a JSON object`,
  flowNameInvalid: `name does not start with a letter, holds characters other than letters, digits, - and _, or is longer than ${LIMITS.nameMaxLength}`,
  flowNameTaken: (name: string) => `a flow named ${name} already exists in the project`,
  sourceCount: `not ${LIMITS.sourcesPerFlowMin} or ${LIMITS.sourcesPerFlowMax} sources`,
  sourceNameRepeated: (name: string) => `two sources named ${name}`,
  sourceNameMissing: "source_name missing or empty",
  unknownSource: "unknown source_name",
  sourceBodyMissing: "body lacks a source object",
  sourceNameMismatch: "source.name differs from source_name (a source cannot be renamed)",
  refusedPort: (where: string) =>
    `${where}.source_listener_port is ${LISTENER.refusedPorts.join(" or ")}, which the API does not allow`,
  listenerPortTaken: (port: number) => `listener port ${port} is already used in the flow`,
  outputNameMissing: "output_name missing or empty",
  unknownOutput: "unknown output_name",
  outputsNotArray: "body is not a JSON array",
  outputsEmpty: "body is an empty array",
  outputNameTaken: (name: string) => `an output named ${name} already exists in the flow`,
  outputNameRepeated: (name: string) => `two outputs named ${name} in the request`,
  outputIdentityChanged: "name or protocol differs from the output's (neither can change)",
  deleteActive: "delete of an ACTIVE flow (stop it first)",
  dataDisplayInvalid: `data_display is not "${DATA_DISPLAY_REVEAL}"`,
  malformedQuery: "query is not valid percent-encoding",
  sdkDateOutOfRange: "X-Sdk-Date missing, malformed or outside the allowed skew",
  projectIdMismatch: "X-Project-Id differs from the project in the path",
  securityTokenInvalid: "X-Security-Token missing, unsigned or wrong for the access key",
  projectNotServed: "a project other than the simulator's",
});

/** Body of the `malformed` fault: JSON cut off mid-value, as a truncated answer would be. */
export const MALFORMED_BODY = '{"flow_id":"ec897482-d24b-4d64-aa39-407980902b1d","status":"ACT';
