/**
 * A Flow's lifecycle decisions as pure functions: what `diff` reports, which item calls turn the
 * flow's current sources and outputs into the declared ones, and how a refresh maps what the API
 * reports back onto the declared shape. The lifecycle around them only does I/O.
 */
import type {
  FlowOutputChanges,
  FlowOutputSpec,
  FlowSourceSpec,
  ObservedEncryption,
  ObservedFlowOutput,
  ObservedFlowSource,
  SrtEncryption,
} from "../../client/flowItems";
import type { ResolvedLocation, SettingSource } from "../../settings/settings";
import { isRecord } from "../shared/checkFailures";
import { UNKNOWN_VALUE } from "../shared/inputFields";
import type { FlowInputs, FlowOutputInput, FlowSourceInput } from "./inputs";

/** Stands for a passphrase someone set outside Pulumi: the API never reveals it to this provider. */
export const PASSPHRASE_SET_ELSEWHERE = "(set outside Pulumi)";

/** A source as the API reports it, kept in state for users (no passphrase, ever). */
export interface SourceEndpoint {
  /** `srt-listener` or `srt-caller`, as reported. */
  readonly protocol: string;
  /** The address to push to (listener) or pulled from (caller). */
  readonly address: string;
  /** The port to push to (listener) or pulled from (caller). */
  readonly port: number;
  /** `CONNECTED` or `DISCONNECTED`, as last observed. */
  readonly healthStatus: string;
}

/** An output as the API reports it, kept in state for users (no passphrase, ever). */
export interface OutputEndpoint {
  /** `srt-listener` or `srt-caller`, as reported. */
  readonly protocol: string;
  /** Listener outputs: the address to pull from; caller outputs: the destination pushed to. */
  readonly address: string;
  /** Listener outputs: the port to pull from; caller outputs: the port pushed to. */
  readonly port: number;
  /** `CONNECTED` (relaying) or `DISCONNECTED`, as last observed. */
  readonly healthStatus: string;
}

/** What a Flow records in state (its outputs). Plain JSON only. */
export interface FlowState {
  readonly flowId: string;
  /** The flow's status as last observed (a FlowActivation may change it since). */
  readonly status: string;
  readonly name: string;
  readonly region: string;
  readonly projectId: string;
  readonly endpoint: string;
  /** The declared sources (passphrases included: Pulumi keeps them secret). */
  readonly sources: Readonly<Record<string, FlowSourceInput>>;
  /** The declared outputs. */
  readonly outputs: Readonly<Record<string, FlowOutputInput>>;
  /** Set when the flow was adopted instead of created. */
  readonly existingFlowId?: string;
  readonly timeouts: FlowInputs["timeouts"];
  /** Where each source is reached, as the API reports it. */
  readonly sourceEndpoints: Readonly<Record<string, SourceEndpoint>>;
  /** Where each output is reached, as the API reports it. */
  readonly outputEndpoints: Readonly<Record<string, OutputEndpoint>>;
  /** Where projectId, region and endpoint came from, so that refresh can rebuild the inputs. */
  readonly settingSources: {
    readonly projectId: SettingSource;
    readonly region: SettingSource;
    readonly endpoint: SettingSource | "region";
  };
}

/** One call that brings an item to its declared form. */
export type ItemChange =
  | { readonly kind: "deleteOutput"; readonly name: string }
  | { readonly kind: "modifySource"; readonly name: string; readonly source: FlowSourceSpec }
  | {
      readonly kind: "modifyOutput";
      readonly name: string;
      readonly changes: FlowOutputChanges;
    }
  | { readonly kind: "createOutput"; readonly name: string; readonly output: FlowOutputSpec };

/** What `diff` reports to the engine. */
export interface FlowDiff {
  readonly changes: boolean;
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

/** JSON text with object keys sorted, so that equal values compare equal whatever their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isRecord(value)) {
    const members = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  return isRecord(value) && Object.values(value).some(containsUnknown);
}

function sameNames(left: unknown, right: unknown): boolean {
  if (!isRecord(left) || !isRecord(right)) return false;
  return canonicalJson(Object.keys(left).sort()) === canonicalJson(Object.keys(right).sort());
}

/**
 * Compares the stored state with the new (checked) inputs.
 *
 * - A new `name`, flow region, project or endpoint, a different set of source names, or a new
 *   `existingFlowId` (other than the flow's own id) replaces the flow: the API can rename nothing
 *   and cannot add or remove a source. The old flow is deleted first, because a name is unique in
 *   a project.
 * - A changed source, any change to outputs, or new `timeouts` is an in-place update.
 * - The observed `status`, health and endpoints are not inputs and never count as a change.
 *
 * @param olds - the stored state
 * @param news - the checked inputs; values may be the unknown sentinel during preview
 * @param location - where the new inputs resolve to (input, then stack config, then environment)
 */
export function diffFlow(
  olds: Partial<FlowState>,
  news: Partial<Record<keyof FlowInputs, unknown>>,
  location: ResolvedLocation,
): FlowDiff {
  const replaces: string[] = [];
  if (containsUnknown(news.name) || news.name !== olds.name) replaces.push("name");
  const region = news.region ?? location.region;
  if (containsUnknown(region) || (region !== undefined && region !== olds.region)) {
    replaces.push("region");
  }
  if (containsUnknown(news.projectId)) replaces.push("projectId");
  else if (location.projectId !== undefined && location.projectId !== olds.projectId) {
    replaces.push("projectId");
  }
  if (containsUnknown(news.endpoint)) replaces.push("endpoint");
  else if (location.endpoint !== undefined && location.endpoint !== olds.endpoint) {
    replaces.push("endpoint");
  }
  // Source names are map keys, always known; a whole map still unknown may hold any names.
  if (!isRecord(news.sources) || !sameNames(news.sources, olds.sources)) replaces.push("sources");
  // Naming the flow this resource already manages (an adopted flow's id is its existingFlowId)
  // changes nothing: replacing it would delete that very flow first, and then adopt nothing.
  if (news.existingFlowId !== undefined && news.existingFlowId !== olds.flowId) {
    replaces.push("existingFlowId");
  }
  const changed =
    replaces.length > 0 ||
    canonicalJson(news.sources) !== canonicalJson(olds.sources) ||
    canonicalJson(news.outputs ?? {}) !== canonicalJson(olds.outputs ?? {}) ||
    canonicalJson(news.timeouts) !== canonicalJson(olds.timeouts);
  return { changes: changed, replaces, deleteBeforeReplace: replaces.length > 0 };
}

function encryptionSpec(
  encryption: FlowSourceInput["decryption"] | undefined,
): SrtEncryption | undefined {
  return encryption && { ...encryption };
}

/**
 * The API form of a declared source.
 *
 * @param name - the source's name
 * @param source - the declared source
 */
export function sourceSpec(name: string, source: FlowSourceInput): FlowSourceSpec {
  return {
    name,
    protocol: source.protocol,
    listenerAddress: source.address,
    listenerPort: source.port,
    streamId: source.streamId,
    minLatency: source.minLatency,
    cidrWhitelist: source.cidrWhitelist,
    description: source.description,
    decryption: encryptionSpec(source.decryption),
  };
}

function outputChanges(output: FlowOutputInput): FlowOutputChanges {
  return {
    destination: output.destination,
    port: output.port,
    streamId: output.streamId,
    cidrWhitelist: output.cidrWhitelist,
    encryption: encryptionSpec(output.encryption),
    outputStatus: output.enabled ? "ENABLED" : "DISABLED",
    description: output.description,
    minLatency: output.minLatency,
  };
}

/**
 * The API form of a declared output.
 *
 * @param name - the output's name
 * @param output - the declared output
 */
export function outputSpec(name: string, output: FlowOutputInput): FlowOutputSpec {
  return { name, protocol: output.protocol, ...outputChanges(output) };
}

/**
 * Whether an output can reach `next` by a modify call. The protocol and the name cannot change,
 * and a field that is no longer declared cannot be cleared by a modify (the API keeps a field the
 * body leaves out): those outputs are deleted and created again.
 */
function modifiable(previous: FlowOutputInput, next: FlowOutputInput): boolean {
  if (previous.protocol !== next.protocol) return false;
  return Object.keys(previous).every((key) => (next as Record<string, unknown>)[key] !== undefined);
}

/**
 * The calls that turn the current sources and outputs into the declared ones, one call per item
 * that differs: outputs no longer declared are deleted first (freeing their names and ports), then
 * sources and outputs are modified, then new outputs are created.
 *
 * @param current - the sources and outputs as they are (stored state, or observed when adopting)
 * @param desired - the declared sources and outputs
 */
export function planItemChanges(
  current: {
    sources: Readonly<Record<string, unknown>>;
    outputs: Readonly<Record<string, FlowOutputInput>>;
  },
  desired: Pick<FlowInputs, "sources" | "outputs">,
): ItemChange[] {
  const deletions: ItemChange[] = [];
  const modifications: ItemChange[] = [];
  const creations: ItemChange[] = [];
  for (const [name, source] of Object.entries(desired.sources)) {
    if (canonicalJson(current.sources[name]) !== canonicalJson(source)) {
      modifications.push({ kind: "modifySource", name, source: sourceSpec(name, source) });
    }
  }
  for (const [name, previous] of Object.entries(current.outputs)) {
    const next = desired.outputs[name];
    if (next === undefined || !modifiable(previous, next)) {
      deletions.push({ kind: "deleteOutput", name });
    }
  }
  for (const [name, output] of Object.entries(desired.outputs)) {
    const previous = current.outputs[name];
    if (previous === undefined || !modifiable(previous, output)) {
      creations.push({ kind: "createOutput", name, output: outputSpec(name, output) });
    } else if (canonicalJson(previous) !== canonicalJson(output)) {
      modifications.push({ kind: "modifyOutput", name, changes: outputChanges(output) });
    }
  }
  return [...deletions, ...modifications, ...creations];
}

/** The fields of a declared source the API reports back under its own names. */
function observedSourceFields(observed: ObservedFlowSource): Partial<FlowSourceInput> {
  return {
    address: observed.protocol === "srt-caller" ? observed.listenerAddress : undefined,
    port: observed.listenerPort,
    streamId: observed.streamId,
    minLatency: observed.minLatency,
    cidrWhitelist: observed.cidrWhitelist ? [...observed.cidrWhitelist] : undefined,
    description: observed.description,
  };
}

/** Keeps only the members `declared` has, taking their values from `observed` where it has one. */
function overlay<T extends object>(declared: T, observed: Partial<T>): T {
  const result = { ...declared } as Record<string, unknown>;
  for (const key of Object.keys(declared)) {
    const value = (observed as Record<string, unknown>)[key];
    if (value !== undefined) result[key] = value;
  }
  return result as T;
}

/**
 * A declared source as the API now reports it: each declared field takes the observed value (so a
 * change made outside Pulumi shows as drift), fields the API assigns when left out (a listener's
 * port) stay out, and the passphrase, which the API masks, keeps the stored value while the
 * source is still encrypted.
 *
 * @param declared - the source as stored
 * @param observed - the source as the API reports it
 */
export function refreshedSource(
  declared: FlowSourceInput,
  observed: ObservedFlowSource,
): FlowSourceInput {
  const fields = observedSourceFields(observed);
  const refreshed = overlay(declared, fields) as Record<string, unknown>;
  if (observed.protocol === "srt-listener" || observed.protocol === "srt-caller") {
    refreshed.protocol = observed.protocol;
  }
  if (!observed.decryption) delete refreshed.decryption;
  else refreshed.decryption = refreshedEncryption(declared.decryption, observed.decryption);
  return refreshed as FlowSourceInput;
}

/**
 * Encryption the API reports on a source or an output. The API masks passphrases: keep the stored
 * one, or mark one set outside Pulumi so that the next `up` shows the difference and puts the
 * declared item back.
 */
function refreshedEncryption(
  declared: FlowSourceInput["decryption"],
  observed: ObservedEncryption,
): Record<string, unknown> {
  return {
    ...(declared ?? { keyType: "srt-password", passphrase: PASSPHRASE_SET_ELSEWHERE }),
    ...(observed.algorithm ? { algorithm: observed.algorithm } : {}),
  };
}

function observedOutputFields(observed: ObservedFlowOutput): Partial<FlowOutputInput> {
  return {
    destination: observed.destination,
    port: observed.port,
    streamId: observed.streamId,
    cidrWhitelist: observed.cidrWhitelist ? [...observed.cidrWhitelist] : undefined,
    enabled: observed.outputStatus === undefined ? undefined : observed.outputStatus === "ENABLED",
    description: observed.description,
    minLatency: observed.minLatency,
  };
}

/**
 * A declared output as the API now reports it, by the same rules as {@link refreshedSource}. An
 * output the API has but the stack never declared is recorded with the fields the API reports,
 * so that the next `up` shows it and deletes it.
 *
 * @param declared - the output as stored, or `undefined` for an output created outside Pulumi
 * @param observed - the output as the API reports it
 */
export function refreshedOutput(
  declared: FlowOutputInput | undefined,
  observed: ObservedFlowOutput,
): FlowOutputInput {
  const fields = observedOutputFields(observed);
  const protocol = observed.protocol === "srt-caller" ? "srt-caller" : "srt-listener";
  if (!declared) {
    const found: Record<string, unknown> = { protocol, enabled: fields.enabled ?? true };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) found[key] = value;
    return found as FlowOutputInput;
  }
  const refreshed = overlay(declared, fields) as Record<string, unknown>;
  refreshed.protocol = observed.protocol ? protocol : declared.protocol;
  if (!observed.encryption) delete refreshed.encryption;
  else refreshed.encryption = refreshedEncryption(declared.encryption, observed.encryption);
  return refreshed as FlowOutputInput;
}

/**
 * Where a source is reached, from what the API reports.
 *
 * @param observed - the source as reported
 */
export function sourceEndpoint(observed: ObservedFlowSource): SourceEndpoint {
  return {
    protocol: observed.protocol ?? "",
    address: observed.listenerAddress ?? "",
    port: observed.listenerPort ?? 0,
    healthStatus: observed.healthStatus ?? "",
  };
}

/**
 * Where an output is reached, from what the API reports.
 *
 * @param observed - the output as reported
 */
export function outputEndpoint(observed: ObservedFlowOutput): OutputEndpoint {
  return {
    protocol: observed.protocol ?? "",
    address: observed.listenerAddress ?? observed.destination ?? "",
    port: observed.port ?? 0,
    healthStatus: observed.healthStatus ?? "",
  };
}

/**
 * The inputs a refresh reports back to the engine: the declared sources and outputs as just
 * observed, so that a preview after someone changed the flow in the console shows what `up` will
 * put back (https://github.com/pulumi/pulumi/pull/21315).
 *
 * @param state - the refreshed state
 */
export function flowInputsAfterRefresh(state: FlowState): Record<string, unknown> {
  const inputs: Record<string, unknown> = {
    name: state.name,
    sources: state.sources,
    outputs: state.outputs,
    timeouts: state.timeouts,
  };
  if (state.existingFlowId !== undefined) inputs.existingFlowId = state.existingFlowId;
  if (state.settingSources.projectId === "input") inputs.projectId = state.projectId;
  if (state.settingSources.region === "input") inputs.region = state.region;
  if (state.settingSources.endpoint === "input") inputs.endpoint = state.endpoint;
  return inputs;
}

/**
 * What an update will record, as far as it is known before any call (a preview): the declared
 * name, sources, outputs and timeouts over the stored state; the endpoints of every source or
 * output the update creates or changes unknown (the API reports them), those of untouched items
 * as stored. `flowId`, the location and the status stay as stored, as the update keeps them.
 *
 * @param previous - the stored state
 * @param news - the checked inputs; values may be the unknown sentinel
 */
export function previewUpdatedState(
  previous: FlowState,
  news: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const endpoints = (
    declared: unknown,
    stored: Readonly<Record<string, unknown>> | undefined,
    reported: Readonly<Record<string, unknown>> | undefined,
  ): unknown => {
    if (!isRecord(declared)) return UNKNOWN_VALUE;
    return Object.fromEntries(
      Object.entries(declared).map(([name, item]) => {
        const untouched = canonicalJson(item) === canonicalJson(stored?.[name]);
        return [name, untouched && reported?.[name] ? reported[name] : UNKNOWN_VALUE];
      }),
    );
  };
  const outputs = news.outputs ?? {};
  return {
    ...previous,
    name: news.name,
    sources: news.sources,
    outputs,
    timeouts: news.timeouts,
    ...(news.existingFlowId === undefined ? {} : { existingFlowId: news.existingFlowId }),
    sourceEndpoints: endpoints(news.sources, previous.sources, previous.sourceEndpoints),
    outputEndpoints: endpoints(outputs, previous.outputs, previous.outputEndpoints),
  };
}
