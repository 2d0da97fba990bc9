/**
 * The eleven Media Live Flows operations themselves, once a request has passed the gateway
 * (authentication, rate limit, faults): validate, change the {@link FlowStore}, build the answer in
 * the shape of Huawei's official SDK models (reference §2 and appendix).
 *
 * | route | request | answer |
 * |---|---|---|
 * | `start`, `stop` | `PUT /flows/start`, `/flows/stop` `?flow_id=` | `{flow_id, status}` |
 * | `detail` | `GET /flows/detail?flow_id=[&data_display=true]` | FlowDetailRespBody |
 * | `list` | `GET /flows[?limit=&offset=]` | `{total, flows: [ListFlowRespItem]}` |
 * | `create` | `POST /flows`, body CreateFlowsRequestBody | `{flow: FlowDetailRespBody}` |
 * | `delete` | `DELETE /flows?flow_id=` | `{flow_id, status}` (the last status) |
 * | `modifySources` | `PUT /flows/sources?flow_id=&source_name=`, body `{source}` | `{flow_id, source}` |
 * | `createOutputs` | `POST /flows/outputs?flow_id=`, body `[AddFlowOutputsRequest]` | `{flow_id, outputs: [FlowsOutput]}`, every output of the flow |
 * | `showOutput` | `GET /flows/outputs?flow_id=&output_name=[&data_display=true]` | FlowsOutput |
 * | `modifyOutput` | `PUT /flows/outputs?flow_id=&output_name=`, body UpdateFlowOutputRequestBody | FlowsOutput |
 * | `deleteOutput` | `DELETE /flows/outputs?flow_id=&output_name=` | `{flow_id, output_name}` |
 *
 * Errors: only documented codes and texts. Starting an ACTIVE flow answers the start page's example,
 * 400 `LIVE.100011001` "flow task is in active status". A flow name or output name already taken
 * answers 400 `LIVE.103011018` "The resource already exists." (a documented code; that Flows use it
 * for this is an inference). Everything else is a case the API documents no answer for, so the
 * simulator sends the generic 400 `LIVE.100011001` "Invalid request parameter." and records which
 * case it was in the journal's `reason`: an unknown `flow_id`, `source_name` or `output_name`; one
 * missing or empty; stopping a STANDBY flow; deleting an ACTIVE flow; a `limit` outside 1–100 or an
 * `offset` below 0; a `data_display` other than `true`; a body that is not JSON or not the expected
 * object or array; any field outside the ranges below.
 *
 * Semantics. [DOC] marks what Huawei's pages or SDK model texts state, [ASSUMPTION] what the
 * reference marks NOT FOUND and the simulator decides:
 *
 * - Flows: a new flow is STANDBY [ASSUMPTION, implied by the console guide]. `name` starts with a
 *   letter and holds at most 64 letters, digits, `-` and `_` [DOC, console guide]; a name already
 *   used in the project is refused with `LIVE.103011018` [ASSUMPTION]. Deleting an ACTIVE flow is
 *   refused: a caller must stop it first [ASSUMPTION, the strict side; the reference does not say
 *   whether the API allows it].
 * - Sources (FlowSource): `name` as for flows, distinct within the flow [ASSUMPTION];
 *   `protocol` `srt-listener` or `srt-caller` [DOC]; 1 or 2 per flow [ASSUMPTION];
 *   `source_listener_port` never 2077 or 2088 [DOC]; `cidr_whitelist` at most 20 entries [DOC,
 *   console]; `min_latency` any whole number of ms (no range is documented for sources);
 *   `decryption.key_type` one of `speke`, `static-key`, `srt-password`, of which only `srt-password`
 *   is supported [DOC], `decryption.algorithm` one of `aes128`, `aes192`, `aes256` [DOC], and a
 *   non-empty `passphrase`. An `srt-listener` source gets the flow's listening address in
 *   `source_listener_address` and, when none is given, a port from 20000 up [ASSUMPTION: the
 *   addresses are TEST-NET-1, `192.0.2.N`, see `LISTENER`]; an `srt-caller` source keeps the
 *   address and port it is given (the remote to pull from). Listeners of one flow never share a
 *   port [ASSUMPTION]. `health_status` is computed on every answer: CONNECTED while the flow is
 *   ACTIVE, DISCONNECTED otherwise [ASSUMPTION; values from the model text].
 * - `modifySources` replaces the source named by `source_name` with the body's `source`, whose
 *   `name` must equal `source_name` (no rename) [ASSUMPTION]; allowed while ACTIVE [ASSUMPTION]. A
 *   listener given no port keeps its previous one.
 * - Outputs (FlowsOutput): `name` starts with a letter, then letters, digits, `-`, `_` [DOC];
 *   `protocol` as for sources [DOC]; `destination` at most 64 characters, `cidr_whitelist` at most
 *   20 entries, `min_latency` 10–15000 with 2000 by default, `output_status` ENABLED or DISABLED
 *   [DOC] with ENABLED by default [ASSUMPTION]; `encryption` as a source's `decryption`. A name
 *   already in the flow, or twice in one request, is refused with `LIVE.103011018` [ASSUMPTION]. A
 *   create-outputs request is all or nothing [ASSUMPTION]. An `srt-listener` output gets the flow's
 *   address in `listener_address` and a port when none is given; `health_status` is CONNECTED only
 *   while the flow is ACTIVE and the output ENABLED [ASSUMPTION]; `type` is the output's protocol
 *   [ASSUMPTION: the SDK's model text says only "output type"]. `modifyOutput` changes only the
 *   fields present in the body; `name` and `protocol` cannot change. Outputs can be added, changed
 *   and deleted while the flow is ACTIVE [ASSUMPTION]. The flow detail lists `{name, type}` of each
 *   output (FlowOutput) [DOC].
 * - Passphrases: every answer shows `decryption.passphrase` and `encryption.passphrase` as
 *   `SECRET_MASK` ("******"), except `detail` and `showOutput` with `data_display=true`, which
 *   reveal them [DOC for outputs, reference §2.11; ASSUMPTION for the detail and the mask itself].
 *   The create answers mask too. Passphrases never reach the journal, which records no bodies.
 */
import {
  jsonResponse,
  resourceExistsError,
  serviceError,
  type ApiResponse,
} from "./apiResponse.js";
import { ERROR_MESSAGE, LIMITS, NAME_PATTERN, REFUSAL_REASON } from "./constants.js";
import {
  checkDataDisplay,
  checkNewOutputs,
  checkOutputUpdate,
  checkSourceReplacement,
  checkSources,
  isJsonObject,
  outputAnswer,
  outputSummary,
  sourceAnswer,
  type Checked,
} from "./flowItems.js";
import type { FlowRecord, FlowStatus, FlowStore } from "./flowStore.js";
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
    case "modifySources":
      return modifySource(request, store);
    case "createOutputs":
      return createOutputs(request, store);
    case "showOutput":
      return showOutput(request, store);
    case "modifyOutput":
      return modifyOutput(request, store);
    case "deleteOutput":
      return deleteOutput(request, store);
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

/** The answer refusing a failed check: `LIVE.103011018` for a taken name, else the generic 400. */
function refusal(failure: Extract<Checked<unknown>, { ok: false }>): ApiResponse {
  return failure.exists ? resourceExistsError(failure.reason) : invalid(failure.reason);
}

/** Parses a JSON body; `undefined` when it is not JSON. */
function parseBody(body: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
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

/** FlowDetailRespBody (reference §2.3), passphrases masked unless `reveal`. */
function detailBody(flow: FlowRecord, store: FlowStore, reveal: boolean): Record<string, unknown> {
  return {
    name: flow.name,
    region: flow.region,
    sources: (store.sources(flow.flowId) ?? []).map((source) =>
      sourceAnswer(source, flow.status, reveal),
    ),
    status: flow.status,
    flow_id: flow.flowId,
    outputs: (store.outputs(flow.flowId) ?? []).map(outputSummary),
  };
}

function showDetail(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId } = found.flow;
  const reveal = checkDataDisplay(request.query["data_display"]);
  if (!reveal.ok) return { response: refusal(reveal), flowId };
  return { response: jsonResponse(200, detailBody(found.flow, store, reveal.value)), flowId };
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

function createFlow(request: FlowRequest, store: FlowStore): FlowOutcome {
  const parsed = parseBody(request.body);
  if (!parsed) return { response: invalid(REFUSAL_REASON.invalidJsonBody) };
  if (!isJsonObject(parsed.value)) return { response: invalid(REFUSAL_REASON.bodyNotObject) };
  const { name, region, sources } = parsed.value;
  if (typeof name !== "string" || name === "") {
    return { response: invalid(REFUSAL_REASON.nameMissing) };
  }
  if (!NAME_PATTERN.test(name)) return { response: invalid(REFUSAL_REASON.flowNameInvalid) };
  if (region !== undefined && typeof region !== "string") {
    return { response: invalid(REFUSAL_REASON.regionNotString) };
  }
  const checkedSources = checkSources(sources);
  if (!checkedSources.ok) return { response: refusal(checkedSources) };
  if (store.findByName(name)) {
    return { response: resourceExistsError(REFUSAL_REASON.flowNameTaken(name)) };
  }
  const flow = store.create(
    region === undefined ? { name } : { name, region },
    checkedSources.value,
  );
  return {
    response: jsonResponse(200, { flow: detailBody(flow, store, false) }),
    flowId: flow.flowId,
  };
}

function deleteFlow(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId, status } = found.flow;
  if (status === "ACTIVE") return { response: invalid(REFUSAL_REASON.deleteActive), flowId };
  store.delete(flowId);
  return { response: jsonResponse(200, { flow_id: flowId, status }), flowId };
}

/** Reads a mandatory name parameter (`source_name`, `output_name`). */
function nameParameter(request: FlowRequest, parameter: string): string | undefined {
  const value = request.query[parameter];
  return value === undefined || value === "" ? undefined : value;
}

function modifySource(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId, status } = found.flow;
  const sourceName = nameParameter(request, "source_name");
  if (sourceName === undefined) {
    return { response: invalid(REFUSAL_REASON.sourceNameMissing), flowId };
  }
  const sources = store.sources(flowId) ?? [];
  if (!sources.some((source) => source.name === sourceName)) {
    return { response: invalid(REFUSAL_REASON.unknownSource), flowId };
  }
  const parsed = parseBody(request.body);
  if (!parsed) return { response: invalid(REFUSAL_REASON.invalidJsonBody), flowId };
  const checked = checkSourceReplacement(
    parsed.value,
    sourceName,
    sources,
    store.outputs(flowId) ?? [],
  );
  if (!checked.ok) return { response: refusal(checked), flowId };
  const source = store.replaceSource(flowId, checked.value);
  const body = { flow_id: flowId, source: sourceAnswer(source, status, false) };
  return { response: jsonResponse(200, body), flowId };
}

function createOutputs(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findFlow(request, store);
  if ("failure" in found) return found.failure;
  const { flowId, status } = found.flow;
  const parsed = parseBody(request.body);
  if (!parsed) return { response: invalid(REFUSAL_REASON.invalidJsonBody), flowId };
  const checked = checkNewOutputs(
    parsed.value,
    store.sources(flowId) ?? [],
    store.outputs(flowId) ?? [],
  );
  if (!checked.ok) return { response: refusal(checked), flowId };
  const outputs = store.addOutputs(flowId, checked.value);
  const body = {
    flow_id: flowId,
    outputs: outputs.map((output) => outputAnswer(output, status, false)),
  };
  return { response: jsonResponse(200, body), flowId };
}

/** Reads `flow_id` and `output_name`, answering the generic 400 unless both name something. */
function findOutput(request: FlowRequest, store: FlowStore) {
  const found = findFlow(request, store);
  if ("failure" in found) return found;
  const { flowId } = found.flow;
  const outputName = nameParameter(request, "output_name");
  if (outputName === undefined) {
    return { failure: { response: invalid(REFUSAL_REASON.outputNameMissing), flowId } };
  }
  const outputs = store.outputs(flowId) ?? [];
  const output = outputs.find((candidate) => candidate.name === outputName);
  if (!output) return { failure: { response: invalid(REFUSAL_REASON.unknownOutput), flowId } };
  return { flow: found.flow, output, outputs };
}

function showOutput(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findOutput(request, store);
  if ("failure" in found) return found.failure;
  const { flowId, status } = found.flow;
  const reveal = checkDataDisplay(request.query["data_display"]);
  if (!reveal.ok) return { response: refusal(reveal), flowId };
  return {
    response: jsonResponse(200, outputAnswer(found.output, status, reveal.value)),
    flowId,
  };
}

function modifyOutput(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findOutput(request, store);
  if ("failure" in found) return found.failure;
  const { flowId, status } = found.flow;
  const parsed = parseBody(request.body);
  if (!parsed) return { response: invalid(REFUSAL_REASON.invalidJsonBody), flowId };
  const checked = checkOutputUpdate(
    parsed.value,
    found.output,
    store.sources(flowId) ?? [],
    found.outputs,
  );
  if (!checked.ok) return { response: refusal(checked), flowId };
  const output = store.updateOutput(flowId, checked.value);
  return { response: jsonResponse(200, outputAnswer(output, status, false)), flowId };
}

function deleteOutput(request: FlowRequest, store: FlowStore): FlowOutcome {
  const found = findOutput(request, store);
  if ("failure" in found) return found.failure;
  const { flowId } = found.flow;
  store.deleteOutput(flowId, found.output.name);
  const body = { flow_id: flowId, output_name: found.output.name };
  return { response: jsonResponse(200, body), flowId };
}
