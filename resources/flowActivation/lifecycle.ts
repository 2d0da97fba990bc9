/**
 * FlowActivation's lifecycle as plain functions: configure, check, diff, create, read, update and
 * delete, with plain objects in and out and no Pulumi types, so that any adapter can serve them
 * (today the dynamic provider, `adapters/dynamicProvider`). Failures that happened after the flow
 * may have changed carry `id`, `properties` and `reasons`, the partial-failure shape Pulumi's
 * provider hosts record.
 *
 * Settings are resolved inside every call (input, then the stack config captured by `configure`,
 * then the environment); nothing secret is kept anywhere else.
 */
import type { MediaLiveClient } from "../../client/mediaLiveClient";
import { MediaLiveError } from "../../client/errors";
import {
  checkInputs,
  flowActivationInputSchema,
  type CheckFailure,
  type FlowActivationInputs,
} from "./inputs";
import {
  deleteTarget,
  diffActivation,
  inputsAfterRefresh,
  transitionFor,
  type FlowActivationState,
} from "./reconcile";
import { classifyStatus, type FlowStatus } from "../../client/schemas";
import { sleep } from "../../client/sleep";
import type { ResolvedSettings } from "../../settings/settings";
import { clientFor } from "../shared/clientFactory";
import { flowIsGone } from "../shared/flowLookup";
import { Operation } from "../shared/operation";
import { locationFor, settingsFor } from "../shared/stackConfig";

export { configure } from "../shared/stackConfig";
export { STORED_CONFIG_HINT } from "../shared/operation";

/** The key Pulumi stores the serialized provider under. */
const PROVIDER_KEY = "__provider";

/** First and largest pause while polling for a status the start/stop answer did not report. */
const POLL_DELAYS_MS = { first: 1_000, max: 15_000 } as const;

/** How long the best-effort read after a failure may take, whatever the operation's timeout. */
const FOLLOW_UP_READ_BUDGET_MS = 15_000;

/** Budget of a refresh (the engine gives `read` no timeout of its own). */
const REFRESH_TIMEOUT = "2m";

/** The resource type, as error messages name it. */
const RESOURCE = "FlowActivation";

/**
 * Validates inputs offline and fills in defaults. Failures name the property.
 *
 * @param _olds - previous inputs (unused: every check stands on its own)
 * @param news - new inputs
 */
export async function check(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const outcome = checkInputs(news);
  return { inputs: outcome.inputs, failures: [...outcome.failures] };
}

/** What {@link diff} decided. */
export interface FlowActivationDiff {
  /** Whether anything differs (an update or a replacement). */
  readonly changes: boolean;
  /** The properties whose change needs a replacement. */
  readonly replaces: string[];
  /** Whether the old resource must be deleted before its replacement is created. */
  readonly deleteBeforeReplace: boolean;
}

/**
 * Decides between no change, an in-place update and a replacement. Offline: the location is
 * resolved from inputs, config and environment without credentials or network.
 *
 * @param _id - resource id
 * @param olds - stored state
 * @param news - checked inputs
 */
export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<FlowActivationDiff> {
  const overrides = {
    projectId: stringOrUndefined(news.projectId),
    region: stringOrUndefined(news.region),
    endpoint: stringOrUndefined(news.endpoint),
  };
  const decision = diffActivation(
    olds as Partial<FlowActivationState>,
    news,
    locationFor(overrides),
  );
  return {
    changes: decision.changes,
    replaces: [...decision.replaces],
    deleteBeforeReplace: decision.deleteBeforeReplace,
  };
}

/**
 * Brings the flow to `desiredStatus`, adopting it without a call when it is already there.
 *
 * @param news - checked inputs
 */
export async function create(
  news: Record<string, unknown>,
): Promise<{ id: string; outs: FlowActivationState }> {
  const inputs = parseInputs(news);
  const settings = settingsFor(inputs);
  const operation = new Operation(RESOURCE, "create", inputs.timeouts.create);
  const client = clientFor(settings, operation.timeoutMs);
  let detail;
  try {
    detail = await client.showFlowDetail(inputs.flowId, operation.signal);
  } catch (error) {
    if (await flowIsGone(client, inputs.flowId, error, operation.signal)) {
      throw new Error(
        `FlowActivation: flow ${inputs.flowId} does not exist in project ${settings.projectId} at ${settings.endpoint}; check flowId, projectId and region.`,
        { cause: error },
      );
    }
    throw operation.explain(error, inputs.flowId);
  }
  const base = stateOf(inputs, settings, {
    status: detail.reportedStatus,
    flowName: detail.name ?? "",
    flowRegion: detail.region,
    statusBeforeActivation: detail.reportedStatus,
  });
  const status = await reconcileStatus(client, operation, base, inputs.desiredStatus, news);
  return { id: inputs.flowId, outs: { ...base, status } };
}

/**
 * Reports the live status (refresh). A flow that no longer exists drops the resource from state.
 *
 * @param id - resource id
 * @param props - stored state
 */
export async function read(
  id: string,
  props: Record<string, unknown>,
): Promise<{ id?: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }> {
  const state = props as unknown as FlowActivationState;
  const settings = settingsFor(locationOf(state));
  const operation = new Operation(RESOURCE, "refresh", REFRESH_TIMEOUT);
  const client = clientFor(settings, operation.timeoutMs);
  try {
    const detail = await client.showFlowDetail(state.flowId, operation.signal);
    const refreshed: FlowActivationState = {
      ...state,
      status: detail.reportedStatus,
      flowName: detail.name ?? state.flowName,
    };
    return { id, props: { ...props, ...refreshed }, inputs: inputsAfterRefresh(refreshed) };
  } catch (error) {
    if (await flowIsGone(client, state.flowId, error, operation.signal)) return {};
    throw operation.explain(error, state.flowId);
  }
}

/**
 * Moves the flow to the new `desiredStatus` when it differs from the last observed status; changes
 * to `onDelete` or `timeouts` alone make no call.
 *
 * @param _id - resource id
 * @param olds - stored state
 * @param news - checked inputs
 */
export async function update(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: FlowActivationState }> {
  const previous = olds as unknown as FlowActivationState;
  const inputs = parseInputs(news);
  const settings = settingsFor(inputs);
  const base: FlowActivationState = {
    ...stateOf(inputs, settings, {
      status: previous.status,
      flowName: previous.flowName,
      flowRegion: previous.region,
      statusBeforeActivation: previous.statusBeforeActivation,
    }),
  };
  if (transitionFor(previous.status, inputs.desiredStatus) === undefined) return { outs: base };
  const operation = new Operation(RESOURCE, "update", inputs.timeouts.update);
  const client = clientFor(settings, operation.timeoutMs);
  const status = await reconcileStatus(client, operation, base, inputs.desiredStatus, news);
  return { outs: { ...base, status } };
}

/**
 * Applies `onDelete`: stop the flow, restore its status from before the first activation, or leave
 * it. A flow already at the target, or already gone, is success.
 *
 * @param _id - resource id
 * @param props - stored state
 */
export async function deleteResource(_id: string, props: Record<string, unknown>): Promise<void> {
  const state = props as unknown as FlowActivationState;
  const target = deleteTarget(state);
  if (target === undefined || transitionFor(state.status, target) === undefined) return;
  const settings = settingsFor(locationOf(state));
  const operation = new Operation(RESOURCE, "delete", state.timeouts?.delete ?? "5m");
  const client = clientFor(settings, operation.timeoutMs);
  try {
    await settleTransition(client, operation, state.flowId, state.status, target);
  } catch (error) {
    if (await flowIsGone(client, state.flowId, error, operation.signal)) return;
    throw operation.explain(error, state.flowId);
  }
}

/** The provider host looks methods up by name; `delete` is a reserved word for a function. */
export { deleteResource as delete };

/**
 * Moves the flow to `target` from the last observed status and returns the status observed after.
 * On failure after a call may have changed the flow, the thrown error carries the resource id and
 * the state as observed, so that Pulumi records the truth and the next `up` converges.
 */
async function reconcileStatus(
  client: MediaLiveClient,
  operation: Operation,
  base: FlowActivationState,
  target: FlowStatus,
  news: Record<string, unknown>,
): Promise<string> {
  try {
    return await settleTransition(client, operation, base.flowId, base.status, target);
  } catch (failure) {
    const error = operation.explain(failure, base.flowId, base.status);
    const observed = await observeAfterFailure(client, base.flowId);
    const recorded = {
      ...base,
      status: observed ?? base.status,
      [PROVIDER_KEY]: news[PROVIDER_KEY],
    };
    throw Object.assign(error, {
      id: base.flowId,
      properties: recorded,
      reasons: [error.message],
    });
  }
}

/**
 * One status change at the floor cost: no call when already there; one start/stop whose answer is
 * trusted when it reports the target; a read to settle any 400 (e.g. `LIVE.100011001` "flow task is
 * in active status" after a race); polling only if the answer reports another status. A status the
 * API does not document (a transition in progress, presumably) is waited out before acting, as
 * acting on it would race whatever is changing the flow.
 */
async function settleTransition(
  client: MediaLiveClient,
  operation: Operation,
  flowId: string,
  lastObserved: string,
  target: FlowStatus,
): Promise<string> {
  const observed =
    classifyStatus(lastObserved) === "UNKNOWN"
      ? await pollUntil(client, operation, flowId, lastObserved, isDocumentedStatus)
      : lastObserved;
  const transition = transitionFor(observed, target);
  if (transition === undefined) return observed;
  let reported: string;
  try {
    const answer =
      transition === "start"
        ? await client.startFlow(flowId, operation.signal)
        : await client.stopFlow(flowId, operation.signal);
    reported = answer.reportedStatus;
  } catch (error) {
    if (!(MediaLiveError.isInstance(error) && error.httpStatus === 400)) throw error;
    // A read that fails with "not found" propagates: the flow is really gone.
    const detail = await client.showFlowDetail(flowId, operation.signal);
    if (detail.reportedStatus === target) return target;
    // The flow exists and is not at the target: the 400 stands. A plain Error, so that a 400 that
    // merely *says* "not found" is not mistaken for a deleted flow by the caller.
    throw new Error(`${error.message} The flow is ${detail.reportedStatus}.`, { cause: error });
  }
  if (reported === target) return target;
  return pollUntil(client, operation, flowId, reported, (status) => status === target);
}

function isDocumentedStatus(status: string): boolean {
  return classifyStatus(status) !== "UNKNOWN";
}

/**
 * Reads the flow with backoff (1 s doubling to 15 s) until `done` accepts its status, or the
 * operation's timeout, and returns that status.
 */
async function pollUntil(
  client: MediaLiveClient,
  operation: Operation,
  flowId: string,
  lastReported: string,
  done: (status: string) => boolean,
): Promise<string> {
  let last = lastReported;
  for (
    let delay: number = POLL_DELAYS_MS.first;
    ;
    delay = Math.min(delay * 2, POLL_DELAYS_MS.max)
  ) {
    try {
      await sleep(delay, operation.signal);
    } catch (error) {
      throw operation.explain(error, flowId, last);
    }
    const detail = await client.showFlowDetail(flowId, operation.signal);
    last = detail.reportedStatus;
    if (done(last)) return last;
  }
}

/** A best-effort read after a failure, with its own small budget; `undefined` if it fails too. */
async function observeAfterFailure(
  client: MediaLiveClient,
  flowId: string,
): Promise<string | undefined> {
  try {
    const signal = AbortSignal.timeout(FOLLOW_UP_READ_BUDGET_MS);
    return (await client.showFlowDetail(flowId, signal)).reportedStatus;
  } catch {
    return undefined;
  }
}

/** Re-validates checked inputs (state written by any release must still be accepted). */
function parseInputs(news: Record<string, unknown>): FlowActivationInputs {
  const rest = { ...news };
  delete rest[PROVIDER_KEY];
  const parsed = flowActivationInputSchema.safeParse(rest);
  if (!parsed.success) {
    const failures = checkInputs(rest).failures;
    throw new Error(
      `FlowActivation inputs are invalid: ${failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** The location recorded in state, so refresh and delete reach the flow where it was found. */
function locationOf(state: FlowActivationState): {
  projectId?: string;
  region?: string;
  endpoint?: string;
} {
  return {
    projectId: state.projectId || undefined,
    region: state.region || undefined,
    endpoint: state.endpoint || undefined,
  };
}

function stateOf(
  inputs: FlowActivationInputs,
  settings: ResolvedSettings,
  observed: {
    status: string;
    flowName: string;
    flowRegion?: string;
    statusBeforeActivation: string;
  },
): FlowActivationState {
  const region = settings.region ?? observed.flowRegion ?? "";
  return {
    flowId: inputs.flowId,
    desiredStatus: inputs.desiredStatus,
    status: observed.status,
    flowName: observed.flowName,
    projectId: settings.projectId,
    region,
    endpoint: settings.endpoint,
    onDelete: inputs.onDelete,
    timeouts: inputs.timeouts,
    statusBeforeActivation: observed.statusBeforeActivation,
    settingSources: {
      projectId: settings.sources.projectId,
      region: settings.sources.region ?? "flow",
      endpoint: settings.sources.endpoint,
    },
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
