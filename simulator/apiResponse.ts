/**
 * The answer to one request before it is written, and builders for the two error shapes Huawei
 * uses: Media Live service errors (`{error_code, error_msg}`, HTTP 400, reference §1.3) and API
 * Gateway errors, which add `request_id` (reference §5.2).
 */
import { ERROR_CODE, ERROR_MESSAGE } from "./constants.js";

/** An answer ready to be written. */
export interface ApiResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Exact body text; JSON except for the deliberately malformed fault. */
  readonly body: string;
  /** `error_code` of an error answer, kept for the journal. */
  readonly errorCode?: string;
  /** Extra headers (e.g. `Retry-After`); the request id and content type are added when written. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Why the request was refused, for the journal only (see `REFUSAL_REASON`); never sent. */
  readonly reason?: string;
}

/**
 * A JSON answer.
 *
 * @param status - HTTP status code
 * @param value - value serialized as the body
 */
export function jsonResponse(status: number, value: unknown): ApiResponse {
  return { status, body: JSON.stringify(value) };
}

/**
 * A Media Live service error: HTTP 400 `LIVE.100011001` with `{error_code, error_msg}` and no
 * `request_id`, exactly as the Flows pages document it. It is the one code the Flows pages
 * document; see also {@link resourceExistsError}.
 *
 * @param message - `error_msg`: a documented text, by default the code's generic one
 * @param reason - for the journal: which undocumented case this was, if it was one
 */
export function serviceError(
  message: string = ERROR_MESSAGE.invalidParameter,
  reason?: string,
): ApiResponse {
  const code = ERROR_CODE.invalidParameter;
  const body = JSON.stringify({ error_code: code, error_msg: message });
  return reason === undefined
    ? { status: 400, body, errorCode: code }
    : { status: 400, body, errorCode: code, reason };
}

/**
 * Media Live's `LIVE.103011018` "The resource already exists.", HTTP 400 `{error_code, error_msg}`:
 * the documented code the simulator answers for a flow or output name already taken (its use for
 * these cases is an inference; the Flows pages document no code for them).
 *
 * @param reason - for the journal: which name was taken
 */
export function resourceExistsError(reason: string): ApiResponse {
  const code = ERROR_CODE.resourceExists;
  const body = JSON.stringify({ error_code: code, error_msg: ERROR_MESSAGE.resourceExists });
  return { status: 400, body, errorCode: code, reason };
}

/**
 * An API Gateway error: `{error_code, error_msg, request_id}`.
 *
 * @param status - HTTP status code
 * @param code - `error_code` (`APIG.*`)
 * @param message - `error_msg`
 * @param requestId - the request's id, repeated in the body as the gateway does
 * @param extra - extra headers (e.g. `Retry-After`) and the journal's reason
 */
export function gatewayError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  extra: { headers?: Readonly<Record<string, string>>; reason?: string } = {},
): ApiResponse {
  const body = JSON.stringify({ error_code: code, error_msg: message, request_id: requestId });
  return {
    status,
    body,
    errorCode: code,
    ...(extra.headers ? { headers: extra.headers } : {}),
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
  };
}
