/**
 * Injected faults: what can go wrong between a client and Media Live, queued per operation and
 * consumed first in, first out by the requests that reach the fault step (after authentication and
 * rate limiting).
 *
 * A `status` fault that names no `errorCode`/`errorMsg` answers a gateway error chosen by status
 * ({@link defaultFaultError}), with texts from Huawei's API Gateway pages. The Media Live reference
 * documents no code for a 5xx at all, so these defaults are the gateway's published answers, not
 * anything Media Live promises: "Backend unavailable." for 502 (also used for 503, for which Huawei
 * publishes nothing) and "Backend timeout." for 504, with the codes `APIG.0202` and `APIG.0203` of
 * the gateway table as ROMA Connect publishes it (roma_03_2128; the APIG pages' own rows differ
 * between page versions), and `APIG.9999` "System error" (APIG's API reference) for any other 5xx.
 * Tests that depend on a particular code or text should name it in the fault.
 */
import { ERROR_CODE, ERROR_MESSAGE } from "./constants.js";
import type { RouteName } from "./routes.js";

/** One injected fault. */
export type Fault =
  /**
   * An error answer with body `{error_code, error_msg, request_id}`; code and message default by
   * status (see {@link defaultFaultError}). `Retry-After` is sent only when `retryAfterSeconds` is
   * given. No state change.
   */
  | {
      kind: "status";
      status: number;
      errorCode?: string;
      errorMsg?: string;
      retryAfterSeconds?: number;
    }
  /**
   * The connection is reset with no answer. With `afterApply` the operation's state change happens
   * first, so the change is made but its answer is lost.
   */
  | { kind: "reset"; afterApply?: boolean }
  /**
   * The request waits `ms`, then is handled normally if the client is still connected; a client
   * that gave up meanwhile is dropped silently with no state change.
   */
  | { kind: "delay"; ms: number }
  /**
   * No answer is ever sent; the request stays open until the client disconnects or the simulator
   * closes. With `afterApply` the state change happens first.
   */
  | { kind: "hang"; afterApply?: boolean }
  /** HTTP 200 with a JSON content type and a body that is not valid JSON. No state change. */
  | { kind: "malformed" }
  /** This exact JSON body with `status` (default 200). No state change. */
  | { kind: "body"; status?: number; body: unknown };

/** A route a fault can target: one operation, or `"*"` for any operation. */
export type FaultTarget = RouteName | "*";

interface PendingFault {
  readonly target: FaultTarget;
  /** Only requests for this flow meet the fault; `undefined` for any flow. */
  readonly flowId: string | undefined;
  readonly fault: Fault;
  remaining: number;
}

/**
 * Checks that a fault can be answered, so a mistake shows at injection rather than mid-test.
 *
 * @throws RangeError on a status outside 400–599, a negative or non-finite delay or Retry-After
 */
function validateFault(fault: Fault): void {
  switch (fault.kind) {
    case "status":
      if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
        throw new RangeError(`a status fault needs an error status 400-599, got ${fault.status}`);
      }
      if (
        fault.retryAfterSeconds !== undefined &&
        !(Number.isInteger(fault.retryAfterSeconds) && fault.retryAfterSeconds >= 0)
      ) {
        throw new RangeError("retryAfterSeconds must be a whole number of seconds, 0 or more");
      }
      return;
    case "delay":
      if (!Number.isFinite(fault.ms) || fault.ms < 0) {
        throw new RangeError(`a delay fault needs ms >= 0, got ${fault.ms}`);
      }
      return;
    case "body":
      if (
        fault.status !== undefined &&
        (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)
      ) {
        throw new RangeError(`a body fault needs a status 100-599, got ${fault.status}`);
      }
      return;
    case "reset":
    case "hang":
    case "malformed":
      return;
  }
}

/** Faults waiting for requests, in injection order. */
export class FaultQueue {
  #pending: PendingFault[] = [];

  /**
   * Queues a fault for the next `count` requests to `target`.
   *
   * @param target - the operation, or `"*"` for any operation
   * @param fault - what happens to those requests
   * @param count - how many requests get it (default 1)
   * @param flowId - only requests whose `flow_id` is this one meet it (default any request)
   * @throws RangeError when `count` is not a positive integer or the fault cannot be answered
   */
  add(target: FaultTarget, fault: Fault, count = 1, flowId?: string): void {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`fault count must be a positive integer, got ${count}`);
    }
    validateFault(fault);
    this.#pending.push({ target, flowId, fault, remaining: count });
  }

  /**
   * Consumes and returns the oldest fault that applies to a request for `route`, if any.
   *
   * @param route - the operation the request resolved to
   * @param flowId - the request's `flow_id`, if it has one
   */
  take(route: RouteName, flowId: string | undefined): Fault | undefined {
    const index = this.#pending.findIndex(
      (entry) =>
        (entry.target === "*" || entry.target === route) &&
        (entry.flowId === undefined || entry.flowId === flowId),
    );
    if (index === -1) return undefined;
    const entry = this.#pending[index]!;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.#pending.splice(index, 1);
    return entry.fault;
  }

  /** Drops every pending fault. */
  clear(): void {
    this.#pending = [];
  }
}

/**
 * The gateway's `error_code` and `error_msg` a status fault answers with when the fault does not
 * name them: the API Gateway error table's row for the status where it has one
 * (https://support.huaweicloud.com/intl/en-us/usermanual-apig/apig_03_0048.html), otherwise
 * `APIG.0201` "API request error." for a 4xx and `APIG.9999` "System error" for a 5xx.
 *
 * @param status - the fault's HTTP status
 * @param throttleLimit - requests per second quoted in a 429 message
 */
export function defaultFaultError(
  status: number,
  throttleLimit: number,
): { errorCode: string; errorMsg: string } {
  switch (status) {
    case 401:
      return {
        errorCode: ERROR_CODE.authenticationFailed,
        errorMsg: ERROR_MESSAGE.signatureMismatch,
      };
    case 403:
      return { errorCode: ERROR_CODE.notAuthorized, errorMsg: ERROR_MESSAGE.notAuthorized };
    case 404:
      return { errorCode: ERROR_CODE.apiNotFound, errorMsg: ERROR_MESSAGE.apiNotFound };
    case 413:
      return { errorCode: ERROR_CODE.requestError, errorMsg: ERROR_MESSAGE.entityTooLarge };
    case 429:
      return { errorCode: ERROR_CODE.throttled, errorMsg: ERROR_MESSAGE.throttled(throttleLimit) };
    case 502:
    case 503:
      return {
        errorCode: ERROR_CODE.backendUnavailable,
        errorMsg: ERROR_MESSAGE.backendUnavailable,
      };
    case 504:
      return { errorCode: ERROR_CODE.backendTimeout, errorMsg: ERROR_MESSAGE.backendTimeout };
    default:
      return status < 500
        ? { errorCode: ERROR_CODE.requestError, errorMsg: ERROR_MESSAGE.requestError }
        : { errorCode: ERROR_CODE.systemError, errorMsg: ERROR_MESSAGE.systemError };
  }
}
