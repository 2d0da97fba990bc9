/**
 * The lifecycle decisions of a FlowActivation as pure functions: what `diff` reports, which call
 * (if any) moves a flow to a target status, and what `delete` aims for. The provider around them only
 * does I/O, so every decision here is table-tested without a network.
 */
import { UNKNOWN_VALUE, type FlowActivationInputs, type OnDeleteMode } from "./inputs";
import type { FlowStatus } from "../../client/schemas";
import type { SettingSource } from "../../settings/settings";

/** The timeouts as stored: one duration string per operation. */
export interface StoredTimeouts {
  readonly create: string;
  readonly update: string;
  readonly delete: string;
}

/**
 * What a FlowActivation records in state (its outputs). Plain JSON only: Pulumi's struct encoding
 * rejects `undefined`, and a `Date` would be stored as `{}`.
 */
export interface FlowActivationState {
  readonly flowId: string;
  readonly desiredStatus: FlowStatus;
  /** The status last observed from the API, exactly as reported. */
  readonly status: string;
  readonly flowName: string;
  readonly projectId: string;
  /** The configured region, or the flow's own region when only an endpoint was configured. */
  readonly region: string;
  /** The base URL the flow was reached at. */
  readonly endpoint: string;
  readonly onDelete: OnDeleteMode;
  readonly timeouts: StoredTimeouts;
  /** The status the flow had before this resource first touched it (for `onDelete: "restore"`). */
  readonly statusBeforeActivation: string;
  /** Where projectId, region and endpoint came from, so that refresh can rebuild the inputs. */
  readonly settingSources: {
    readonly projectId: SettingSource;
    readonly region: SettingSource | "flow";
    readonly endpoint: SettingSource | "region";
  };
}

/** The status-changing call that moves a flow to a target, if any. */
export type Transition = "start" | "stop";

/**
 * The call that moves a flow from its observed status to `target`, or `undefined` when it is there.
 * An undocumented status is treated as "not at the target".
 *
 * @param observed - the status as reported
 * @param target - the status wanted
 */
export function transitionFor(observed: string, target: FlowStatus): Transition | undefined {
  if (observed === target) return undefined;
  return target === "ACTIVE" ? "start" : "stop";
}

/**
 * The status `delete` should leave the flow in, or `undefined` to leave it alone: `stop` →
 * STANDBY; `restore` → the status before the first activation (when it was a documented one);
 * `leave` → nothing.
 *
 * @param state - the stored state
 */
export function deleteTarget(
  state: Pick<FlowActivationState, "onDelete" | "statusBeforeActivation">,
): FlowStatus | undefined {
  switch (state.onDelete) {
    case "stop":
      return "STANDBY";
    case "restore":
      return state.statusBeforeActivation === "ACTIVE" || state.statusBeforeActivation === "STANDBY"
        ? state.statusBeforeActivation
        : undefined;
    case "leave":
      return undefined;
  }
}

/** What `diff` reports to the engine, plus the names of the changed properties for display. */
export interface DiffDecision {
  readonly changes: boolean;
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly changedProperties: readonly string[];
}

/** Project and endpoint the new inputs resolve to (input, then stack config, then environment). */
export interface ResolvedLocation {
  readonly projectId?: string;
  readonly endpoint?: string;
}

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

function sameTimeouts(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null);
}

/**
 * Compares the stored state with the new (checked) inputs.
 *
 * - `flowId`, or the project or endpoint the flow is reached at, changing replaces the resource,
 *   deleting first so that the old flow's `onDelete` runs before anything else touches a flow.
 * - `desiredStatus` changing, or the observed `status` differing from it (drift found by a refresh),
 *   is an in-place update.
 * - `onDelete` or `timeouts` changing alone is an update that makes no API call.
 * - Nothing else (in particular not the serialized provider code) counts as a change.
 *
 * @param olds - the stored state (the previous outputs)
 * @param news - the checked inputs; values may be the unknown sentinel during preview
 * @param location - where the new inputs resolve to, from inputs, config and environment
 */
export function diffActivation(
  olds: Partial<FlowActivationState>,
  news: Partial<Record<keyof FlowActivationInputs, unknown>>,
  location: ResolvedLocation,
): DiffDecision {
  const replaces: string[] = [];
  const changed: string[] = [];
  if (isUnknown(news.flowId) || news.flowId !== olds.flowId) replaces.push("flowId");
  if (isUnknown(news.projectId)) replaces.push("projectId");
  else if (location.projectId !== undefined && location.projectId !== olds.projectId) {
    replaces.push("projectId");
  }
  if (isUnknown(news.endpoint) || isUnknown(news.region)) {
    replaces.push(isUnknown(news.endpoint) ? "endpoint" : "region");
  } else if (location.endpoint !== undefined && location.endpoint !== olds.endpoint) {
    replaces.push(
      news.endpoint !== undefined || olds.settingSources?.endpoint !== "region"
        ? "endpoint"
        : "region",
    );
  }
  changed.push(...replaces);

  const desired = news.desiredStatus;
  if (isUnknown(desired) || desired !== olds.desiredStatus) changed.push("desiredStatus");
  else if (olds.status !== desired) changed.push("status");
  if (isUnknown(news.onDelete) || news.onDelete !== olds.onDelete) changed.push("onDelete");
  if (!sameTimeouts(news.timeouts, olds.timeouts)) changed.push("timeouts");

  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0,
    changedProperties: changed,
  };
}

/**
 * The inputs a refresh reports back to the engine: the stored inputs, with `desiredStatus` set to
 * the status just observed. After someone stops a flow in the console, the next preview then shows
 * `desiredStatus: "STANDBY" => "ACTIVE"`, and `ignoreChanges: ["desiredStatus"]` keeps the manual
 * change instead (https://github.com/pulumi/pulumi/pull/21315).
 *
 * @param state - the refreshed state
 */
export function inputsAfterRefresh(state: FlowActivationState): Record<string, unknown> {
  const observed =
    state.status === "ACTIVE" || state.status === "STANDBY" ? state.status : undefined;
  const inputs: Record<string, unknown> = {
    flowId: state.flowId,
    desiredStatus: observed ?? state.desiredStatus,
    onDelete: state.onDelete,
    timeouts: state.timeouts,
  };
  if (state.settingSources.projectId === "input") inputs.projectId = state.projectId;
  if (state.settingSources.region === "input") inputs.region = state.region;
  if (state.settingSources.endpoint === "input") inputs.endpoint = state.endpoint;
  return inputs;
}
