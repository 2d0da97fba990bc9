/**
 * One provider operation (create, update, delete or refresh) of a resource, with its timeout as an
 * abort signal, and the one place that turns whatever it threw into one actionable line.
 */
import { MediaLiveError } from "../../client/errors";
import { parseDuration } from "../../settings/durations";

/** An operation that ran out of its `timeouts` budget. */
export class OperationTimeoutError extends Error {
  override readonly name = "OperationTimeoutError";
}

/** Added to a 401 in refresh or delete: the usual cause after a key rotation, and its remedy. */
export const STORED_CONFIG_HINT =
  "pulumi refresh and pulumi destroy sign with the credentials stored at the last deployment: after rotating keys in stack config, run `pulumi refresh --run-program` or `pulumi destroy --run-program` (or `pulumi up` first).";

/** The operations of a resource's lifecycle that call the API. */
export type OperationName = "create" | "update" | "delete" | "refresh";

/** Budget used when a timeout cannot be read (state written by a release that had none). */
const FALLBACK_TIMEOUT_MS = 300_000;

/** One provider operation with its timeout, as an abort signal. */
export class Operation {
  /** Aborts when the operation's timeout has passed. */
  readonly signal: AbortSignal;
  /** The operation's budget in milliseconds. */
  readonly timeoutMs: number;

  /**
   * @param resource - the resource type, as error messages name it (`FlowActivation`, `Flow`)
   * @param name - the operation
   * @param timeout - its budget as a duration such as `"5m"`
   */
  constructor(
    readonly resource: string,
    readonly name: OperationName,
    timeout: string,
  ) {
    this.timeoutMs = parseDuration(timeout) ?? FALLBACK_TIMEOUT_MS;
    this.signal = AbortSignal.timeout(this.timeoutMs);
  }

  /**
   * Turns anything thrown into one actionable line that names the operation and the flow.
   *
   * @param error - what was thrown
   * @param flowId - the flow concerned
   * @param lastStatus - the flow's last observed status, named when the operation timed out
   */
  explain(error: unknown, flowId: string, lastStatus?: string): Error {
    if (error instanceof OperationTimeoutError) return error;
    if (this.signal.aborted && !MediaLiveError.isInstance(error)) {
      const last = lastStatus ? ` (last observed status ${lastStatus})` : "";
      const remedy =
        this.name === "refresh" ? "retry later" : `raise timeouts.${this.name} or retry`;
      return new OperationTimeoutError(
        `${this.resource} ${this.name} of flow ${flowId} timed out after ${this.timeoutMs / 1000}s${last}; ${remedy}.`,
      );
    }
    if (
      (this.name === "refresh" || this.name === "delete") &&
      MediaLiveError.isInstance(error) &&
      error.httpStatus === 401
    ) {
      // The engine configures refresh and destroy from the config stored with the last
      // deployment, not the current stack config, so rotated keys are not used yet.
      return new Error(`${error.message} ${STORED_CONFIG_HINT}`, { cause: error });
    }
    if (error instanceof Error) return error;
    return new Error(String(error));
  }
}
