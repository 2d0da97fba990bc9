/**
 * The answer to one request before it is written, and builders for the two error shapes Huawei
 * uses: Media Live service errors (`{error_code, error_msg}`, HTTP 400, reference §1.3) and API
 * Gateway errors, which add `request_id` (reference §5.2).
 */
import { ERROR_CODE } from "./constants.js";

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
 * A Media Live service error: HTTP 400 with `{error_code, error_msg}` and no `request_id`, exactly
 * as the Flows pages document it.
 *
 * @param message - `error_msg`
 * @param code - `error_code`; Media Live uses `LIVE.100011001` for every Flows failure seen
 */
export function serviceError(
  message: string,
  code: string = ERROR_CODE.invalidParameter,
): ApiResponse {
  return {
    status: 400,
    body: JSON.stringify({ error_code: code, error_msg: message }),
    errorCode: code,
  };
}

/**
 * An API Gateway error: `{error_code, error_msg, request_id}`.
 *
 * @param status - HTTP status code
 * @param code - `error_code` (`APIG.*`)
 * @param message - `error_msg`
 * @param requestId - the request's id, repeated in the body as the gateway does
 * @param headers - extra headers, e.g. `Retry-After`
 */
export function gatewayError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers?: Readonly<Record<string, string>>,
): ApiResponse {
  const body = JSON.stringify({ error_code: code, error_msg: message, request_id: requestId });
  return headers ? { status, body, errorCode: code, headers } : { status, body, errorCode: code };
}
