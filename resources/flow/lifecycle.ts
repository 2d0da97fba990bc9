/**
 * Flow's lifecycle as plain functions (check, diff, create, read, update, delete) with plain objects
 * in and out and no Pulumi types, so any adapter can serve them. The decisions live in `plan.ts`;
 * this module does the calls.
 *
 * - create: `createFlow` with the sources, then one `createFlowOutputs` with every output. A create
 *   whose answer was lost is never sent again blindly: the flow is looked up by name first (a name
 *   is unique in a project), the outputs by the flow's detail.
 * - update: one call per source or output that differs (`planItemChanges`).
 * - delete: the flow is stopped first if it runs (the API reference does not say whether a running
 *   flow may be deleted, so the provider does not rely on it), then deleted. A flow already gone is
 *   success.
 * - A failure after the flow exists carries `id`, `properties` (the state as far as it got) and
 *   `reasons`, so Pulumi records the flow and the next `up` finishes the job.
 */
import { MediaLiveError } from "../../client/errors";
import type {
  FlowOutputChanges,
  FlowOutputSpec,
  ObservedFlowOutput,
  ObservedFlowSource,
} from "../../client/flowItems";
import type { FlowDetail, MediaLiveClient } from "../../client/mediaLiveClient";
import type { ResolvedSettings } from "../../settings/settings";
import { clientFor } from "../shared/clientFactory";
import { flowIsGone } from "../shared/flowLookup";
import { Operation } from "../shared/operation";
import { locationFor, settingsFor } from "../shared/stackConfig";
import { checkFlowInputs, flowInputSchema, type FlowInputs, type FlowOutputInput } from "./inputs";
import {
  diffFlow,
  flowInputsAfterRefresh,
  outputEndpoint,
  planItemChanges,
  previewUpdatedState,
  refreshedOutput,
  refreshedSource,
  sourceEndpoint,
  sourceSpec,
  type FlowDiff,
  type FlowState,
  type ItemChange,
  type OutputEndpoint,
  type SourceEndpoint,
} from "./plan";

export { configure } from "../shared/stackConfig";

/** The key Pulumi stores the serialized provider under. */
const PROVIDER_KEY = "__provider";

/** The resource type, as error messages name it. */
const RESOURCE = "Flow";

/** Budget of a refresh (the engine gives `read` no timeout of its own). */
const REFRESH_TIMEOUT = "2m";

/** The documented code for "the resource already exists" (reference §5.1). */
const ALREADY_EXISTS = "LIVE.103011018";

/**
 * Validates inputs offline and fills in defaults. Failures name the property.
 *
 * @param _olds - previous inputs (unused)
 * @param news - new inputs
 */
export async function check(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures: { property: string; reason: string }[] }> {
  const outcome = checkFlowInputs(news);
  return { inputs: outcome.inputs, failures: [...outcome.failures] };
}

/**
 * Decides between no change, an in-place update and a replacement. Offline.
 *
 * @param _id - resource id
 * @param olds - stored state
 * @param news - checked inputs
 */
export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const decision: FlowDiff = diffFlow(
    olds as Partial<FlowState>,
    news,
    locationFor({
      projectId: stringOrUndefined(news.projectId),
      region: stringOrUndefined(news.region),
      endpoint: stringOrUndefined(news.endpoint),
    }),
  );
  return { ...decision, replaces: [...decision.replaces] };
}

/**
 * Creates the flow and its outputs, or adopts the flow named by `existingFlowId` and brings its
 * sources and outputs to the declared ones.
 *
 * @param news - checked inputs
 */
export async function create(
  news: Record<string, unknown>,
): Promise<{ id: string; outs: FlowState }> {
  const inputs = parseInputs(news);
  const settings = settingsFor(inputs);
  const region = inputs.region ?? settings.region;
  if (region === undefined) {
    throw new Error(
      "Flow: the flow's region is not set: set the region input, stack config huaweicloud:region or HW_REGION_NAME.",
    );
  }
  const operation = new Operation(RESOURCE, "create", inputs.timeouts.create);
  const client = clientFor(settings, operation.timeoutMs);
  const found = inputs.existingFlowId
    ? await adopt(client, operation, inputs, region)
    : { detail: await createOrFind(client, operation, inputs, region), outputs: [] };
  const progress = Progress.start(inputs, settings, region, found.detail, found.outputs);
  await progress.apply(client, operation, planItemChanges(progress.current(), inputs), news);
  return { id: found.detail.flowId, outs: progress.state() };
}

/**
 * Reports the flow as the API has it (refresh): its status, sources, outputs and endpoints. A flow
 * that no longer exists drops the resource from state.
 *
 * @param id - resource id (the flow id)
 * @param props - stored state
 */
export async function read(
  id: string,
  props: Record<string, unknown>,
): Promise<{ id?: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }> {
  const state = props as unknown as FlowState;
  const settings = settingsFor(locationOf(state));
  const operation = new Operation(RESOURCE, "refresh", REFRESH_TIMEOUT);
  const client = clientFor(settings, operation.timeoutMs);
  let observed: { detail: FlowDetail; outputs: ObservedFlowOutput[] };
  try {
    observed = await observe(client, state.flowId, operation.signal);
  } catch (error) {
    if (await flowIsGone(client, state.flowId, error, operation.signal)) return {};
    throw operation.explain(error, state.flowId);
  }
  const refreshed = refreshedState(state, observed.detail, observed.outputs);
  return { id, props: { ...props, ...refreshed }, inputs: flowInputsAfterRefresh(refreshed) };
}

/**
 * Brings sources and outputs to the declared ones, one call per item that differs; a change of
 * `timeouts` alone makes no call.
 *
 * @param id - resource id (the flow id)
 * @param olds - stored state
 * @param news - checked inputs
 */
export async function update(
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: FlowState }> {
  const previous = olds as unknown as FlowState;
  const inputs = parseInputs(news);
  const progress = Progress.resume(previous, inputs);
  const changes = planItemChanges(progress.current(), inputs);
  if (changes.length > 0) {
    const settings = settingsFor(inputs);
    const operation = new Operation(RESOURCE, "update", inputs.timeouts.update);
    const client = clientFor(settings, operation.timeoutMs);
    await progress.apply(
      client,
      operation,
      changes,
      { ...news, [PROVIDER_KEY]: olds[PROVIDER_KEY] ?? news[PROVIDER_KEY] },
      id,
    );
  }
  return { outs: progress.state() };
}

/**
 * What {@link update} will record, as far as it is known before any call: for an adapter that
 * answers previews itself (the provider plugin), so that `flowId` and the endpoints of untouched
 * items stay known to dependents during a preview. Offline.
 *
 * @param _id - resource id
 * @param olds - stored state
 * @param news - checked inputs; values may be unknown
 */
export async function previewUpdate(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: Record<string, unknown> }> {
  return { outs: previewUpdatedState(olds as unknown as FlowState, news) };
}

/**
 * Stops the flow if it runs, then deletes it. A flow already gone is success.
 *
 * @param _id - resource id
 * @param props - stored state
 */
export async function deleteResource(_id: string, props: Record<string, unknown>): Promise<void> {
  const state = props as unknown as FlowState;
  const settings = settingsFor(locationOf(state));
  const operation = new Operation(RESOURCE, "delete", state.timeouts?.delete ?? "5m");
  const client = clientFor(settings, operation.timeoutMs);
  try {
    const detail = await client.showFlowDetail(state.flowId, operation.signal);
    if (detail.reportedStatus !== "STANDBY") await stop(client, operation, state.flowId);
    await client.deleteFlow(state.flowId, operation.signal);
  } catch (error) {
    if (await flowIsGone(client, state.flowId, error, operation.signal)) return;
    throw operation.explain(error, state.flowId);
  }
}

/** The provider host looks methods up by name; `delete` is a reserved word for a function. */
export { deleteResource as delete };

// ---------------------------------------------------------------------------------------------

/** Stops a flow; a 400 is settled by reading it (it may have stopped meanwhile). */
async function stop(client: MediaLiveClient, operation: Operation, flowId: string): Promise<void> {
  try {
    await client.stopFlow(flowId, operation.signal);
  } catch (error) {
    if (!(MediaLiveError.isInstance(error) && error.httpStatus === 400)) throw error;
    const detail = await client.showFlowDetail(flowId, operation.signal);
    if (detail.reportedStatus !== "STANDBY") throw error;
  }
}

/** Whether a failed call may have landed: no answer, a 5xx, or an answer that could not be read. */
function mayHaveLanded(error: unknown): boolean {
  if (!MediaLiveError.isInstance(error)) return false;
  if (error.kind !== "http") return true;
  return (error.httpStatus ?? 0) >= 500;
}

function isAlreadyExists(error: unknown): boolean {
  return MediaLiveError.isInstance(error) && error.errorCode === ALREADY_EXISTS;
}

/**
 * Creates the flow. If the answer was lost, the flow is looked up by name before anything is sent
 * again; a name already taken by another flow fails with the remedy.
 */
async function createOrFind(
  client: MediaLiveClient,
  operation: Operation,
  inputs: FlowInputs,
  region: string,
): Promise<FlowDetail> {
  const creation = {
    name: inputs.name,
    region,
    sources: Object.entries(inputs.sources).map(([name, source]) => sourceSpec(name, source)),
  };
  try {
    return await client.createFlow(creation, operation.signal);
  } catch (error) {
    if (!mayHaveLanded(error) && !isAlreadyExists(error))
      throw operation.explain(error, inputs.name);
    const existing = await findFlowByName(client, operation, inputs.name);
    if (existing && isAlreadyExists(error)) {
      throw new Error(
        `Flow create: a flow named ${inputs.name} already exists in project ${client.projectId} (flow id ${existing}). Choose another name, or adopt that flow with existingFlowId: "${existing}" (also the way back after a create interrupted before Pulumi recorded it).`,
        { cause: error },
      );
    }
    if (existing) {
      const detail = await client.showFlowDetail(existing, operation.signal);
      // A flow of that name with other sources or in another region was there before this create
      // (a 5xx that did not land): adopting it would let a later destroy delete someone's flow.
      if (unchangeableDifferences(detail, inputs, region).length > 0) {
        throw new Error(
          `Flow create: the create failed and a flow named ${inputs.name} found afterwards (flow id ${existing}) has ${describeFlow(detail)}, not the ${describeFlow(creation)} this create sent, so it was not created by this create and is left alone. Choose another name, or adopt that flow with existingFlowId: "${existing}".`,
          { cause: error },
        );
      }
      return detail;
    }
    // It did not land: sending it again cannot make a duplicate.
    try {
      return await client.createFlow(creation, operation.signal);
    } catch (retryError) {
      throw operation.explain(retryError, inputs.name);
    }
  }
}

function describeFlow(flow: {
  readonly region?: string;
  readonly sources: readonly { readonly name: string }[];
}): string {
  return `region ${flow.region ?? "(not reported)"} and sources ${sourceNames(flow)}`;
}

function sourceNames(flow: { readonly sources: readonly { readonly name: string }[] }): string {
  return flow.sources
    .map((source) => source.name)
    .sort()
    .join(", ");
}

async function findFlowByName(
  client: MediaLiveClient,
  operation: Operation,
  name: string,
): Promise<string | undefined> {
  try {
    const flows = await client.listAllFlows(undefined, operation.signal);
    return flows.find((flow) => flow.name === name)?.flowId;
  } catch (error) {
    throw operation.explain(error, name);
  }
}

/** Reads the flow to adopt and refuses what the API could not change into the declared flow. */
async function adopt(
  client: MediaLiveClient,
  operation: Operation,
  inputs: FlowInputs,
  region: string,
): Promise<{ detail: FlowDetail; outputs: ObservedFlowOutput[] }> {
  const flowId = inputs.existingFlowId!;
  let observed;
  try {
    observed = await observe(client, flowId, operation.signal);
  } catch (error) {
    if (await flowIsGone(client, flowId, error, operation.signal)) {
      throw new Error(
        `Flow create: existingFlowId ${flowId} names no flow in project ${client.projectId} at ${client.endpoint}; check existingFlowId, projectId and region.`,
        { cause: error },
      );
    }
    throw operation.explain(error, flowId);
  }
  const problems = unchangeableDifferences(observed.detail, inputs, region);
  if (problems.length > 0) {
    throw new Error(
      `Flow create: cannot adopt flow ${flowId}: ${problems.join("; ")}. Declare it as it is, or let Pulumi create a new flow.`,
    );
  }
  return observed;
}

/**
 * How a flow differs from the declared one where the API cannot change it (its name, region and
 * source names), one phrase each; empty when it could be the declared flow. A field the API does
 * not report is taken as matching.
 */
function unchangeableDifferences(detail: FlowDetail, inputs: FlowInputs, region: string): string[] {
  const problems: string[] = [];
  if (detail.name !== undefined && detail.name !== inputs.name) {
    problems.push(`its name is ${detail.name}, not ${inputs.name} (a flow cannot be renamed)`);
  }
  if (detail.region !== undefined && detail.region !== region) {
    problems.push(`its region is ${detail.region}, not ${region}`);
  }
  const names = detail.sources.map((source) => source.name).sort();
  const declared = Object.keys(inputs.sources).sort();
  if (names.join(",") !== declared.join(",")) {
    problems.push(
      `its sources are ${names.join(", ") || "none"}, not ${declared.join(", ")} (sources cannot be added or removed)`,
    );
  }
  return problems;
}

/** The flow's detail and every one of its outputs in full. */
async function observe(
  client: MediaLiveClient,
  flowId: string,
  signal: AbortSignal,
): Promise<{ detail: FlowDetail; outputs: ObservedFlowOutput[] }> {
  const detail = await client.showFlowDetail(flowId, signal);
  const outputs: ObservedFlowOutput[] = [];
  for (const { name } of detail.outputs) {
    if (name) outputs.push(await client.showFlowOutput(flowId, name, signal));
  }
  return { detail, outputs };
}

/** The state after a refresh: declared items as observed, endpoints and status as reported. */
function refreshedState(
  state: FlowState,
  detail: FlowDetail,
  outputs: readonly ObservedFlowOutput[],
): FlowState {
  const sources: Record<string, FlowState["sources"][string]> = {};
  const sourceEndpoints: Record<string, SourceEndpoint> = {};
  for (const observed of detail.sources) {
    const declared = state.sources[observed.name];
    if (declared) sources[observed.name] = refreshedSource(declared, observed);
    sourceEndpoints[observed.name] = sourceEndpoint(observed);
  }
  const declaredOutputs: Record<string, FlowOutputInput> = {};
  const outputEndpoints: Record<string, OutputEndpoint> = {};
  for (const observed of outputs) {
    declaredOutputs[observed.name] = refreshedOutput(state.outputs[observed.name], observed);
    outputEndpoints[observed.name] = outputEndpoint(observed);
  }
  return {
    ...state,
    status: detail.reportedStatus,
    sources,
    outputs: declaredOutputs,
    sourceEndpoints,
    outputEndpoints,
  };
}

/**
 * What has been applied so far, so that a failure part-way records the truth: every item call that
 * succeeded moves the recorded state one step.
 */
class Progress {
  private constructor(
    private readonly base: Omit<
      FlowState,
      "sources" | "outputs" | "sourceEndpoints" | "outputEndpoints"
    >,
    private readonly sources: Record<string, FlowState["sources"][string]>,
    private readonly outputs: Record<string, FlowOutputInput>,
    private readonly sourceEndpoints: Record<string, SourceEndpoint>,
    private readonly outputEndpoints: Record<string, OutputEndpoint>,
  ) {}

  /** Progress of a create: the flow as found (created or adopted). */
  static start(
    inputs: FlowInputs,
    settings: ResolvedSettings,
    region: string,
    detail: FlowDetail,
    outputs: readonly ObservedFlowOutput[],
  ): Progress {
    const base = {
      flowId: detail.flowId,
      status: detail.reportedStatus,
      name: inputs.name,
      region,
      projectId: settings.projectId,
      endpoint: settings.endpoint,
      ...(inputs.existingFlowId === undefined ? {} : { existingFlowId: inputs.existingFlowId }),
      timeouts: inputs.timeouts,
      settingSources: {
        projectId: settings.sources.projectId,
        region: inputs.region === undefined ? (settings.sources.region ?? "config") : "input",
        endpoint: settings.sources.endpoint,
      },
    } as const;
    const sources: Record<string, FlowState["sources"][string]> = {};
    const sourceEndpoints: Record<string, SourceEndpoint> = {};
    for (const observed of detail.sources) {
      sourceEndpoints[observed.name] = sourceEndpoint(observed);
      const declared = inputs.sources[observed.name];
      if (!declared) continue;
      // A created flow has the declared sources; an adopted one has them as observed.
      sources[observed.name] = inputs.existingFlowId
        ? refreshedSource({ ...declared, decryption: undefined }, observed)
        : declared;
    }
    const found: Record<string, FlowOutputInput> = {};
    const outputEndpoints: Record<string, OutputEndpoint> = {};
    for (const observed of outputs) {
      // Only an adopted flow has outputs here; their passphrases cannot be read back either.
      const declared = inputs.outputs[observed.name];
      found[observed.name] = refreshedOutput(
        declared && { ...declared, encryption: undefined },
        observed,
      );
      outputEndpoints[observed.name] = outputEndpoint(observed);
    }
    return new Progress(base, sources, found, sourceEndpoints, outputEndpoints);
  }

  /** Progress of an update: the stored state, with the new timeouts. */
  static resume(previous: FlowState, inputs: FlowInputs): Progress {
    const { sources, outputs, sourceEndpoints, outputEndpoints, ...base } = previous;
    return new Progress(
      {
        ...base,
        timeouts: inputs.timeouts,
        ...(inputs.existingFlowId ? { existingFlowId: inputs.existingFlowId } : {}),
      },
      { ...sources },
      { ...outputs },
      { ...(sourceEndpoints ?? {}) },
      { ...(outputEndpoints ?? {}) },
    );
  }

  /** The sources and outputs as they are now. */
  current(): { sources: Record<string, unknown>; outputs: Record<string, FlowOutputInput> } {
    return { sources: this.sources, outputs: this.outputs };
  }

  /** The state to record. */
  state(): FlowState {
    return {
      ...this.base,
      sources: { ...this.sources },
      outputs: { ...this.outputs },
      sourceEndpoints: { ...this.sourceEndpoints },
      outputEndpoints: { ...this.outputEndpoints },
    };
  }

  /**
   * Makes the calls, in order, recording each success; on failure throws Pulumi's partial-failure
   * shape with the state as far as it got.
   */
  async apply(
    client: MediaLiveClient,
    operation: Operation,
    changes: readonly ItemChange[],
    news: Record<string, unknown>,
    id = this.base.flowId,
  ): Promise<void> {
    const flowId = this.base.flowId;
    const desired = parseInputs(news);
    try {
      const creations = changes.filter((change) => change.kind === "createOutput");
      for (const change of changes) {
        if (change.kind === "deleteOutput") {
          await deleteOutput(client, flowId, change.name, operation.signal);
          delete this.outputs[change.name];
          delete this.outputEndpoints[change.name];
        } else if (change.kind === "modifySource") {
          const observed = await client.modifyFlowSource(flowId, change.source, operation.signal);
          this.recordSource(observed, desired.sources[change.name]!);
        } else if (change.kind === "modifyOutput") {
          const observed = await client.modifyFlowOutput(
            flowId,
            change.name,
            change.changes,
            operation.signal,
          );
          this.recordOutput(observed, desired.outputs[change.name]!);
        }
      }
      if (creations.length > 0) {
        const specs = creations.map((change) => change.output);
        const all = await createOutputs(client, flowId, specs, operation.signal);
        for (const observed of all) {
          const declared = desired.outputs[observed.name];
          if (declared && creations.some((change) => change.name === observed.name)) {
            this.recordOutput(observed, declared);
          }
        }
      }
    } catch (failure) {
      const error = operation.explain(failure, flowId);
      throw Object.assign(error, {
        id,
        properties: { ...this.state(), [PROVIDER_KEY]: news[PROVIDER_KEY] },
        reasons: [error.message],
      });
    }
  }

  private recordSource(observed: ObservedFlowSource, declared: FlowState["sources"][string]): void {
    this.sources[observed.name] = declared;
    this.sourceEndpoints[observed.name] = sourceEndpoint(observed);
  }

  private recordOutput(observed: ObservedFlowOutput, declared: FlowOutputInput): void {
    this.outputs[observed.name] = declared;
    this.outputEndpoints[observed.name] = outputEndpoint(observed);
  }
}

/** Deletes an output; one already gone (its name no longer listed) is success. */
async function deleteOutput(
  client: MediaLiveClient,
  flowId: string,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    await client.deleteFlowOutput(flowId, name, signal);
  } catch (error) {
    if (!(MediaLiveError.isInstance(error) && error.httpStatus === 400)) throw error;
    const detail = await client.showFlowDetail(flowId, signal);
    if (detail.outputs.some((output) => output.name === name)) throw error;
  }
}

/**
 * Creates outputs in one call. If the answer was lost or some already exist, the flow's detail says
 * which landed: those are brought to the declared form by a modify, the rest are created once more.
 */
async function createOutputs(
  client: MediaLiveClient,
  flowId: string,
  specs: readonly FlowOutputSpec[],
  signal: AbortSignal,
): Promise<ObservedFlowOutput[]> {
  try {
    return await client.createFlowOutputs(flowId, specs, signal);
  } catch (error) {
    if (!mayHaveLanded(error) && !isAlreadyExists(error)) throw error;
    const detail = await client.showFlowDetail(flowId, signal);
    const present = new Set(detail.outputs.map((output) => output.name));
    const missing = specs.filter((spec) => !present.has(spec.name));
    const observed: ObservedFlowOutput[] = [];
    for (const spec of specs.filter((candidate) => present.has(candidate.name))) {
      observed.push(
        await client.modifyFlowOutput(flowId, spec.name, outputChangesOf(spec), signal),
      );
    }
    if (missing.length > 0)
      observed.push(...(await client.createFlowOutputs(flowId, missing, signal)));
    return observed;
  }
}

/** The fields of an output spec a modify call can send (all but name and protocol). */
function outputChangesOf(spec: FlowOutputSpec): FlowOutputChanges {
  const changes: Record<string, unknown> = { ...spec };
  delete changes.name;
  delete changes.protocol;
  return changes as FlowOutputChanges;
}

/** Re-validates checked inputs (state written by any release must still be accepted). */
function parseInputs(news: Record<string, unknown>): FlowInputs {
  const rest = { ...news };
  delete rest[PROVIDER_KEY];
  const parsed = flowInputSchema.safeParse(rest);
  if (!parsed.success) {
    const failures = checkFlowInputs(rest).failures;
    throw new Error(
      `Flow inputs are invalid: ${failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** The location recorded in state, so refresh and delete reach the flow where it was created. */
function locationOf(state: FlowState): { projectId?: string; region?: string; endpoint?: string } {
  return {
    projectId: state.projectId || undefined,
    region: state.region || undefined,
    endpoint: state.endpoint || undefined,
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
