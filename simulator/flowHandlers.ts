/**
 * The Media Live Flows operations themselves, once a request has passed the gateway (authentication,
 * rate limit, faults): validate, change the {@link FlowStore}, build the documented answer.
 *
 * Bodies follow the reference §2: start/stop/delete answer `{flow_id, status}`, detail answers
 * FlowDetailRespBody, list `{total, flows}`, create `{flow: FlowDetailRespBody}`.
 *
 * Every failure is a 400 `LIVE.100011001`, the one code the Flows pages document. Only starting an
 * ACTIVE flow has a documented message ("flow task is in active status"). For everything else the
 * API documents no answer, so the simulator sends the code's generic text from Huawei's error-code
 * table, "Invalid request parameter.", and records which case it was in the journal's `reason`:
 *
 * - an unknown `flow_id` (start, stop, detail, delete): Huawei documents neither the status nor the
 *   message, so a client cannot tell "no such flow" from any other invalid parameter by the answer;
 * - stopping a STANDBY flow (the stop page has no error example);
 * - a missing or empty `flow_id`, a `limit` outside 1–100 or an `offset` below 0, a create body
 *   that is not a JSON object or lacks `name`, `sources` or a source's `name`/`protocol`.
 */
import { jsonResponse, serviceError, type ApiResponse } from "./apiResponse.js";
import { ERROR_MESSAGE, LIMITS, REFUSAL_REASON, SOURCE_PROTOCOLS } from "./constants.js";
import type { FlowRecord, FlowSource, FlowStatus, FlowStore } from "./flowStore.js";
import type { RouteName } from "./routes.js";

/** The parts of a request an operation reads. */
export interface FlowRequest {
  /** Decoded query parameters (first value of a repeated name). */
  readonly query: Readonly<Record<string, string>>;
  /** Raw body text (empty when there is none). */
  readonly body: string;
}

/** An operation's answer and the flow it concerned, for the journal. */
export interface FlowOutcome {
  readonly response: ApiResponse;
  /** The `flow_id` the request named, or the id of the flow it created. */
  readonly flowId?: string;
}

/**
 * Runs one operation against the store. State changes happen here and nowhere else, so a fault
 * with `afterApply` can run this and then drop the answer.
 *
 * @param route - the operation
 * @param request - its query and body
 * @param store - the simulator's flows
 */
export function handleFlowRequest(
  route: RouteName,
  request: FlowRequest,
  store: FlowStore,
): FlowOutcome {
  switch (route) {
    case "start":
      return changeStatus(request, store, "ACTIVE", serviceError(ERROR_MESSAGE.flowAlreadyActive));
    case "stop":
      return changeStatus(request, store, "STANDBY", invalid(REFUSAL_REASON.alreadyStandby));
    case "detail":
      return showDetail(request, store);
    case "list":
      return { response: listFlows(request, store) };
    case "create":
      return createFlow(request, store);
    case "delete":
      return deleteFlow(request, store);
  }
}

/** Reads `flow_id`, answering the generic 400 when it is absent or names no flow. */
function findFlow(
  request: FlowRequest,
  store: FlowStore,
): { flow: FlowRecord } | { failure: FlowOutcome } {
  const flowId = request.query["flow_id"];
  if (flowId === undefined || flowId === "") {
    return { failure: { response: invalid(REFUSAL_REASON.flowIdMissing) } };
  }
  const flow = store.get(flowId);
  if (!flow) {
    return { failure: { response: invalid(REFUSAL_REASON.unknownFlow), flowId } };
  }
  return { flow };
}

/** The generic `LIVE.100011001` answer for a case Huawei documents no answer for. */
function invalid(reason: string): ApiResponse {
  return serviceError(ERROR_MESSAGE.invalidParameter, reason);
}

function changeStatus(
  request: FlowRequest,
  store: FlowStore,
  target: FlowStatus,
  alreadyThere: ApiResponse,
): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId } = found.flow;
  // Only the target status itself is a conflict; an unknown status moves to the target like any other.
  if (found.flow.status === target) return { response: alreadyThere, flowId };
  store.setStatus(flowId, target);
  return { response: jsonResponse(200, { flow_id: flowId, status: target }), flowId };
}

/** FlowDetailRespBody (reference §2.3). The simulator never has outputs. */
function detailBody(flow: FlowRecord, sources: readonly FlowSource[]): Record<string, unknown> {
  return {
    name: flow.name,
    region: flow.region,
    sources,
    status: flow.status,
    flow_id: flow.flowId,
    outputs: [],
  };
}

function showDetail(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId } = found.flow;
  const body = detailBody(found.flow, store.sources(flowId) ?? []);
  return { response: jsonResponse(200, body), flowId };
}

/**
 * Parses an optional non-negative integer query parameter: the default when absent, `undefined`
 * when present but not a whole number within range.
 */
function integerParameter(
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= min && parsed <= max ? parsed : undefined;
}

function listFlows(request: FlowRequest, store: FlowStore): ApiResponse {
  const limit = integerParameter(
    request.query["limit"],
    LIMITS.listLimitDefault,
    LIMITS.listLimitMin,
    LIMITS.listLimitMax,
  );
  if (limit === undefined) return invalid(REFUSAL_REASON.invalidLimit);
  const offset = integerParameter(
    request.query["offset"],
    LIMITS.listOffsetDefault,
    LIMITS.listOffsetMin,
    Number.MAX_SAFE_INTEGER,
  );
  if (offset === undefined) return invalid(REFUSAL_REASON.invalidOffset);
  const flows = store.list();
  const page = flows.slice(offset, offset + limit).map((flow) => ({
    name: flow.name,
    region: flow.region,
    flow_id: flow.flowId,
    status: flow.status,
    protocol: flow.protocol,
  }));
  return jsonResponse(200, { total: flows.length, flows: page });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSource(value: unknown): value is FlowSource {
  return (
    isObject(value) &&
    typeof value["name"] === "string" &&
    value["name"] !== "" &&
    (SOURCE_PROTOCOLS as readonly unknown[]).includes(value["protocol"])
  );
}

function createFlow(request: FlowRequest, store: FlowStore): FlowOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    return { response: invalid(REFUSAL_REASON.invalidJsonBody) };
  }
  if (!isObject(parsed)) return { response: invalid(REFUSAL_REASON.bodyNotObject) };
  const { name, region, sources } = parsed;
  if (typeof name !== "string" || name === "") {
    return { response: invalid(REFUSAL_REASON.nameMissing) };
  }
  if (region !== undefined && typeof region !== "string") {
    return { response: invalid(REFUSAL_REASON.regionNotString) };
  }
  if (!Array.isArray(sources) || sources.length === 0) {
    return { response: invalid(REFUSAL_REASON.sourcesMissing) };
  }
  const invalidIndex = sources.findIndex((source) => !isSource(source));
  if (invalidIndex !== -1) {
    return { response: invalid(REFUSAL_REASON.invalidSource(invalidIndex)) };
  }
  const flow = store.create(
    region === undefined ? { name } : { name, region },
    sources.filter(isSource),
  );
  const body = { flow: detailBody(flow, store.sources(flow.flowId) ?? []) };
  return { response: jsonResponse(200, body), flowId: flow.flowId };
}

function deleteFlow(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId, status } = found.flow;
  store.delete(flowId);
  return { response: jsonResponse(200, { flow_id: flowId, status }), flowId };
}
