/**
 * The Media Live Flows operations themselves, once a request has passed the gateway (authentication,
 * rate limit, faults): validate, change the {@link FlowStore}, build the documented answer.
 *
 * Bodies follow the reference §2: start/stop/delete answer `{flow_id, status}`, detail answers
 * FlowDetailRespBody, list `{total, flows}`, create `{flow: FlowDetailRespBody}`. Every failure is a
 * 400 `LIVE.100011001` with an explanatory message.
 */
import { jsonResponse, serviceError, type ApiResponse } from "./apiResponse.js";
import { ERROR_MESSAGE, LIMITS, SOURCE_PROTOCOLS } from "./constants.js";
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
      return changeStatus(request, store, "ACTIVE", ERROR_MESSAGE.flowAlreadyActive);
    case "stop":
      return changeStatus(request, store, "STANDBY", ERROR_MESSAGE.flowAlreadyStandby);
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

/** Reads `flow_id`, answering the documented-style 400 when it is absent or names no flow. */
function findFlow(
  request: FlowRequest,
  store: FlowStore,
): { flow: FlowRecord } | { failure: FlowOutcome } {
  const flowId = request.query["flow_id"];
  if (flowId === undefined || flowId === "") {
    return { failure: { response: serviceError(ERROR_MESSAGE.flowIdRequired) } };
  }
  const flow = store.get(flowId);
  if (!flow) {
    return { failure: { response: serviceError(ERROR_MESSAGE.flowNotFound(flowId)), flowId } };
  }
  return { flow };
}

function changeStatus(
  request: FlowRequest,
  store: FlowStore,
  target: FlowStatus,
  alreadyMessage: string,
): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId } = found.flow;
  // Only the target status itself is a conflict; an unknown status moves to the target like any other.
  if (found.flow.status === target) return { response: serviceError(alreadyMessage), flowId };
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
  if (limit === undefined) return serviceError(ERROR_MESSAGE.invalidLimit);
  const offset = integerParameter(
    request.query["offset"],
    LIMITS.listOffsetDefault,
    LIMITS.listOffsetMin,
    Number.MAX_SAFE_INTEGER,
  );
  if (offset === undefined) return serviceError(ERROR_MESSAGE.invalidOffset);
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
    return { response: serviceError(ERROR_MESSAGE.invalidJsonBody) };
  }
  if (!isObject(parsed)) return { response: serviceError(ERROR_MESSAGE.bodyNotObject) };
  const { name, region, sources } = parsed;
  if (typeof name !== "string" || name === "") {
    return { response: serviceError(ERROR_MESSAGE.nameRequired) };
  }
  if (region !== undefined && typeof region !== "string") {
    return { response: serviceError(ERROR_MESSAGE.regionNotString) };
  }
  if (!Array.isArray(sources) || sources.length === 0) {
    return { response: serviceError(ERROR_MESSAGE.sourcesRequired) };
  }
  const invalidIndex = sources.findIndex((source) => !isSource(source));
  if (invalidIndex !== -1) {
    return { response: serviceError(ERROR_MESSAGE.invalidSource(invalidIndex)) };
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
