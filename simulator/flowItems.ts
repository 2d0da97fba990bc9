/**
 * A flow's sources and outputs: their JSON shapes as the simulator stores them, the checks a request
 * body must pass before anything changes, and the objects the answers show.
 *
 * Field names and types are those of Huawei's official Python Live SDK 3.1.219 (`FlowSource`,
 * `FlowSourceDecryption`, `AddFlowOutputsRequest`, `UpdateFlowOutputRequestBody`, `FlowsOutput`;
 * reference §2.A, §2.8–2.11 and appendix). Ranges are the ones its model texts and Huawei's console
 * guide document; see {@link LIMITS}. Read-only fields sent in a body (`health_status`,
 * `listener_address`, `type`) and keys the SDK does not know are ignored, so answers only ever
 * hold the SDK's keys. A JSON `null` counts as an absent field (the SDK never sends one).
 */
import {
  DATA_DISPLAY_REVEAL,
  ENCRYPTION_ALGORITHMS,
  FLOW_DEFAULTS,
  HEALTH_STATUS,
  KEY_TYPES,
  LIMITS,
  LISTENER,
  NAME_PATTERN,
  OUTPUT_NAME_PATTERN,
  OUTPUT_STATUSES,
  REFUSAL_REASON,
  SECRET_MASK,
  SOURCE_PROTOCOLS,
  SUPPORTED_KEY_TYPE,
  type FlowProtocol,
} from "./constants.js";

/** `FlowSourceDecryption`: a source's `decryption`, reused as an output's `encryption`. */
export interface FlowEncryption {
  /** `aes128`, `aes192` or `aes256`. */
  algorithm?: (typeof ENCRYPTION_ALGORITHMS)[number];
  /** Only `srt-password` is accepted: the SDK text says the other documented types are not yet. */
  key_type: typeof SUPPORTED_KEY_TYPE;
  /** The SRT passphrase; masked as {@link SECRET_MASK} in answers unless `data_display=true`. */
  passphrase: string;
}

/**
 * A flow source as sent in a create or modify-sources body (`FlowSource` without the computed
 * `health_status`). For `srt-listener`, `source_listener_address` is replaced by the flow's
 * listening address and `source_listener_port` is assigned when absent; for `srt-caller` both are
 * the remote to pull from, kept as given.
 */
export interface FlowSourceInput {
  name: string;
  protocol: FlowProtocol;
  source_listener_address?: string;
  source_listener_port?: number;
  stream_id?: string;
  min_latency?: number;
  cidr_whitelist?: readonly string[];
  description?: string;
  decryption?: FlowEncryption;
}

/** A flow source as stored: for `srt-listener`, address and port are always set. */
export type FlowSource = FlowSourceInput;

/** An output as sent in a create-outputs body (`AddFlowOutputsRequest`). */
export interface FlowOutputInput {
  name: string;
  protocol: FlowProtocol;
  /** For `srt-caller`: where to push, an IP or a domain name (at most 64 characters). */
  destination?: string;
  /** For `srt-listener` the listening port (assigned when absent); for `srt-caller` the remote's. */
  port?: number;
  stream_id?: string;
  cidr_whitelist?: readonly string[];
  encryption?: FlowEncryption;
  /** Default `ENABLED`. */
  output_status?: (typeof OUTPUT_STATUSES)[number];
  description?: string;
  /** Default 2000. */
  min_latency?: number;
}

/** An output as stored: defaults filled in, and for `srt-listener` its address and port set. */
export interface FlowOutput extends FlowOutputInput {
  output_status: (typeof OUTPUT_STATUSES)[number];
  min_latency: number;
  /** `srt-listener` only: where third parties pull from (read-only in the API). */
  listener_address?: string;
}

/** The result of checking part of a request: the value, or why the request is refused. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly reason: string;
      /** The refusal is a name already taken: `LIVE.103011018` rather than the generic 400. */
      readonly exists?: boolean;
    };

/** Thrown inside this module by a field check; caught at every exported function. */
class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly exists = false,
  ) {
    super(reason);
  }
}

function refuse(reason: string, exists = false): never {
  throw new Refusal(reason, exists);
}

/** Runs checks that may throw a {@link Refusal}, turning it into a {@link Checked} failure. */
function checked<T>(check: () => T): Checked<T> {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    if (error instanceof Refusal) {
      return error.exists
        ? { ok: false, reason: error.reason, exists: true }
        : { ok: false, reason: error.reason };
    }
    throw error;
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the optional fields of one JSON object, refusing a value of the wrong kind. */
class FieldReader {
  constructor(
    private readonly object: Record<string, unknown>,
    private readonly where: string,
  ) {}

  /** True when the field is present and not `null`. */
  has(field: string): boolean {
    return this.object[field] !== undefined && this.object[field] !== null;
  }

  #refuse(field: string, rule: string): never {
    return refuse(REFUSAL_REASON.invalidField(this.where, field, rule));
  }

  string(field: string, maxLength = Number.POSITIVE_INFINITY): string | undefined {
    if (!this.has(field)) return undefined;
    const value = this.object[field];
    if (typeof value !== "string" || value.length > maxLength) {
      this.#refuse(
        field,
        Number.isFinite(maxLength)
          ? `is not a string of at most ${maxLength} characters`
          : "is not a string",
      );
    }
    return value;
  }

  integer(field: string, min: number, max: number): number | undefined {
    if (!this.has(field)) return undefined;
    const value = this.object[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.#refuse(
        field,
        max === Number.MAX_SAFE_INTEGER
          ? `is not an integer of ${min} or more`
          : `is not an integer from ${min} to ${max}`,
      );
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    if (!this.has(field)) return undefined;
    const value = this.object[field];
    if (!(allowed as readonly unknown[]).includes(value)) {
      this.#refuse(field, `is not one of ${allowed.join(", ")}`);
    }
    return value as T;
  }

  stringList(field: string, maxItems: number): string[] | undefined {
    if (!this.has(field)) return undefined;
    const value = this.object[field];
    if (
      !Array.isArray(value) ||
      value.length > maxItems ||
      !value.every((item) => typeof item === "string")
    ) {
      this.#refuse(field, `is not a list of at most ${maxItems} strings`);
    }
    return [...(value as string[])];
  }

  encryption(field: string): FlowEncryption | undefined {
    if (!this.has(field)) return undefined;
    const value = this.object[field];
    if (!isJsonObject(value)) this.#refuse(field, "is not an object");
    const where = `${this.where}.${field}`;
    const inner = new FieldReader(value, where);
    const keyType = inner.oneOf("key_type", KEY_TYPES);
    if (keyType !== SUPPORTED_KEY_TYPE) {
      refuse(
        REFUSAL_REASON.invalidField(
          where,
          "key_type",
          `is not ${SUPPORTED_KEY_TYPE}, the only key type the API supports`,
        ),
      );
    }
    const passphrase = inner.string("passphrase");
    if (passphrase === undefined || passphrase === "") {
      refuse(REFUSAL_REASON.invalidField(where, "passphrase", "is missing or empty"));
    }
    const algorithm = inner.oneOf("algorithm", ENCRYPTION_ALGORITHMS);
    return {
      ...(algorithm === undefined ? {} : { algorithm }),
      key_type: keyType,
      passphrase,
    };
  }
}

/** Copies the fields whose value is not `undefined`, so absent stays absent. */
function present<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

const ANY_LATENCY = Number.MAX_SAFE_INTEGER;

function readSource(value: unknown, where: string): FlowSourceInput {
  if (
    !isJsonObject(value) ||
    typeof value["name"] !== "string" ||
    value["name"] === "" ||
    !(SOURCE_PROTOCOLS as readonly unknown[]).includes(value["protocol"])
  ) {
    return refuse(REFUSAL_REASON.invalidSource(where));
  }
  const name = value["name"];
  if (!NAME_PATTERN.test(name)) {
    refuse(
      REFUSAL_REASON.invalidField(
        where,
        "name",
        `does not start with a letter, holds characters other than letters, digits, - and _, or is longer than ${LIMITS.nameMaxLength}`,
      ),
    );
  }
  const fields = new FieldReader(value, where);
  const port = fields.integer("source_listener_port", LIMITS.portMin, LIMITS.portMax);
  if (port !== undefined && LISTENER.refusedPorts.includes(port)) {
    refuse(REFUSAL_REASON.refusedPort(where));
  }
  return present({
    name,
    protocol: value["protocol"] as FlowProtocol,
    source_listener_address: fields.string("source_listener_address"),
    source_listener_port: port,
    stream_id: fields.string("stream_id"),
    // Sources document no range (only outputs do): any whole number of milliseconds.
    min_latency: fields.integer("min_latency", 0, ANY_LATENCY),
    cidr_whitelist: fields.stringList("cidr_whitelist", LIMITS.cidrWhitelistMax),
    description: fields.string("description"),
    decryption: fields.encryption("decryption"),
  });
}

/**
 * Checks one source object (of a create body's `sources`, or a modify-sources body's `source`).
 *
 * @param value - the parsed JSON
 * @param where - how the journal's reason names it, e.g. `sources[1]` or `source`
 */
export function checkSource(value: unknown, where: string): Checked<FlowSourceInput> {
  return checked(() => readSource(value, where));
}

/**
 * Checks the `sources` of a create body or a seed: one or two valid sources with distinct names and
 * distinct listener ports.
 *
 * @param value - the parsed JSON `sources`
 */
export function checkSources(value: unknown): Checked<FlowSourceInput[]> {
  return checked(() => {
    if (!Array.isArray(value) || value.length === 0) refuse(REFUSAL_REASON.sourcesMissing);
    if (value.length > LIMITS.sourcesPerFlowMax) refuse(REFUSAL_REASON.sourceCount);
    const sources = value.map((source, index) => readSource(source, `sources[${index}]`));
    const repeated = firstRepeated(sources.map((source) => source.name));
    if (repeated !== undefined) refuse(REFUSAL_REASON.sourceNameRepeated(repeated));
    refuseListenerPortClash(sources.map(sourceListenerPort));
    return sources;
  });
}

function readOutput(value: unknown, where: string): FlowOutputInput {
  if (
    !isJsonObject(value) ||
    typeof value["name"] !== "string" ||
    value["name"] === "" ||
    !(SOURCE_PROTOCOLS as readonly unknown[]).includes(value["protocol"])
  ) {
    return refuse(REFUSAL_REASON.invalidSource(where));
  }
  const name = value["name"];
  if (!OUTPUT_NAME_PATTERN.test(name)) {
    refuse(
      REFUSAL_REASON.invalidField(
        where,
        "name",
        "does not start with a letter or holds characters other than letters, digits, - and _",
      ),
    );
  }
  return { name, protocol: value["protocol"] as FlowProtocol, ...readOutputSettings(value, where) };
}

/** The fields of an output that {@link checkOutputUpdate} may change (UpdateFlowOutputRequestBody). */
type OutputSettings = Omit<FlowOutputInput, "name" | "protocol">;

function readOutputSettings(value: Record<string, unknown>, where: string): OutputSettings {
  const fields = new FieldReader(value, where);
  return present({
    destination: fields.string("destination", LIMITS.destinationMaxLength),
    port: fields.integer("port", LIMITS.portMin, LIMITS.portMax),
    stream_id: fields.string("stream_id"),
    cidr_whitelist: fields.stringList("cidr_whitelist", LIMITS.cidrWhitelistMax),
    encryption: fields.encryption("encryption"),
    output_status: fields.oneOf("output_status", OUTPUT_STATUSES),
    description: fields.string("description"),
    min_latency: fields.integer(
      "min_latency",
      LIMITS.outputMinLatencyMin,
      LIMITS.outputMinLatencyMax,
    ),
  });
}

/**
 * Checks a create-outputs body against the flow it adds to: a non-empty JSON array of valid
 * outputs whose names are new to the flow and to the request (`exists` when one is not), and whose
 * listener ports are free in the flow.
 *
 * @param value - the parsed JSON body
 * @param sources - the flow's sources
 * @param outputs - the flow's outputs so far
 */
export function checkNewOutputs(
  value: unknown,
  sources: readonly FlowSource[],
  outputs: readonly FlowOutput[],
): Checked<FlowOutputInput[]> {
  return checked(() => {
    if (!Array.isArray(value)) refuse(REFUSAL_REASON.outputsNotArray);
    if (value.length === 0) refuse(REFUSAL_REASON.outputsEmpty);
    const added = value.map((output, index) => readOutput(output, `outputs[${index}]`));
    refuseTakenOutputNames(added, outputs);
    refuseListenerPortClash([
      ...sources.map(sourceListenerPort),
      ...outputs.map(outputListenerPort),
      ...added.map(outputListenerPort),
    ]);
    return added;
  });
}

function refuseTakenOutputNames(
  added: readonly FlowOutputInput[],
  outputs: readonly FlowOutputInput[],
): void {
  const taken = added.find((output) => outputs.some((other) => other.name === output.name));
  if (taken) refuse(REFUSAL_REASON.outputNameTaken(taken.name), true);
  const repeated = firstRepeated(added.map((output) => output.name));
  if (repeated !== undefined) refuse(REFUSAL_REASON.outputNameRepeated(repeated), true);
}

/**
 * Checks the `outputs` of a seed: valid outputs with distinct names and listener ports that clash
 * neither with each other nor with the sources.
 *
 * @param value - the seed's outputs
 * @param sources - the seed's sources, already checked
 */
export function checkSeedOutputs(
  value: readonly unknown[],
  sources: readonly FlowSourceInput[],
): Checked<FlowOutputInput[]> {
  return checked(() => {
    const outputs = value.map((output, index) => readOutput(output, `outputs[${index}]`));
    refuseTakenOutputNames(outputs, []);
    refuseListenerPortClash([
      ...sources.map(sourceListenerPort),
      ...outputs.map(outputListenerPort),
    ]);
    return outputs;
  });
}

/**
 * Checks a modify-sources body `{source}` for the named source and returns the new source.
 *
 * @param body - the parsed JSON body
 * @param sourceName - the `source_name` query parameter, naming an existing source
 * @param sources - the flow's sources
 * @param outputs - the flow's outputs (their listener ports must stay distinct)
 */
export function checkSourceReplacement(
  body: unknown,
  sourceName: string,
  sources: readonly FlowSource[],
  outputs: readonly FlowOutput[],
): Checked<FlowSourceInput> {
  return checked(() => {
    if (!isJsonObject(body) || body["source"] === undefined || body["source"] === null) {
      refuse(REFUSAL_REASON.sourceBodyMissing);
    }
    const source = readSource(body["source"], "source");
    if (source.name !== sourceName) refuse(REFUSAL_REASON.sourceNameMismatch);
    refuseListenerPortClash([
      ...sources.filter((other) => other.name !== sourceName).map(sourceListenerPort),
      sourceListenerPort(source),
      ...outputs.map(outputListenerPort),
    ]);
    return source;
  });
}

/**
 * Checks a modify-output body (UpdateFlowOutputRequestBody) and returns the output with the fields
 * present in it changed. `name` and `protocol` are not part of that body; sent equal to the
 * output's they are ignored, sent different they are refused.
 *
 * @param body - the parsed JSON body
 * @param output - the output to change
 * @param sources - the flow's sources
 * @param outputs - every output of the flow, `output` included
 */
export function checkOutputUpdate(
  body: unknown,
  output: FlowOutput,
  sources: readonly FlowSource[],
  outputs: readonly FlowOutput[],
): Checked<FlowOutput> {
  return checked(() => {
    if (!isJsonObject(body)) refuse(REFUSAL_REASON.bodyNotObject);
    for (const field of ["name", "protocol"] as const) {
      const sent = body[field];
      if (sent !== undefined && sent !== null && sent !== output[field]) {
        refuse(REFUSAL_REASON.outputIdentityChanged);
      }
    }
    const updated: FlowOutput = { ...output, ...readOutputSettings(body, "body") };
    refuseListenerPortClash([
      ...sources.map(sourceListenerPort),
      ...outputs.filter((other) => other.name !== output.name).map(outputListenerPort),
      outputListenerPort(updated),
    ]);
    return updated;
  });
}

/**
 * Checks `data_display`: absent masks passphrases, `"true"` reveals them, anything else is refused
 * (the Go SDK's enum holds `"true"` only).
 *
 * @param value - the query parameter, if sent
 */
export function checkDataDisplay(value: string | undefined): Checked<boolean> {
  if (value === undefined) return { ok: true, value: false };
  if (value === DATA_DISPLAY_REVEAL) return { ok: true, value: true };
  return { ok: false, reason: REFUSAL_REASON.dataDisplayInvalid };
}

/** Fills an output's documented defaults: `output_status` ENABLED, `min_latency` 2000. */
export function withOutputDefaults(output: FlowOutputInput): FlowOutput {
  return {
    ...output,
    output_status:
      output.output_status ?? (FLOW_DEFAULTS.outputStatus as FlowOutput["output_status"]),
    min_latency: output.min_latency ?? FLOW_DEFAULTS.outputMinLatencyMs,
  };
}

function firstRepeated(names: readonly string[]): string | undefined {
  return names.find((name, index) => names.indexOf(name) !== index);
}

/** The port a source listens on, if it is a listener with a port chosen. */
function sourceListenerPort(source: FlowSourceInput): number | undefined {
  return source.protocol === "srt-listener" ? source.source_listener_port : undefined;
}

/** The port an output listens on, if it is a listener with a port chosen. */
function outputListenerPort(output: FlowOutputInput): number | undefined {
  return output.protocol === "srt-listener" ? output.port : undefined;
}

/** Listeners of one flow share its address, so two of them cannot share a port. */
function refuseListenerPortClash(ports: readonly (number | undefined)[]): void {
  const chosen = ports.filter((port): port is number => port !== undefined);
  const clash = chosen.find((port, index) => chosen.indexOf(port) !== index);
  if (clash !== undefined) refuse(REFUSAL_REASON.listenerPortTaken(clash));
}

/** `health_status` of a source: CONNECTED while the flow is ACTIVE (an assumption for sources). */
function sourceHealth(flowStatus: string): string {
  return flowStatus === "ACTIVE" ? HEALTH_STATUS.connected : HEALTH_STATUS.disconnected;
}

/** `health_status` of an output: CONNECTED while the flow is ACTIVE and the output ENABLED. */
function outputHealth(output: FlowOutput, flowStatus: string): string {
  return flowStatus === "ACTIVE" && output.output_status === "ENABLED"
    ? HEALTH_STATUS.connected
    : HEALTH_STATUS.disconnected;
}

function maskedSecret(secret: FlowEncryption, reveal: boolean): FlowEncryption {
  return { ...secret, passphrase: reveal ? secret.passphrase : SECRET_MASK };
}

/**
 * A source as answers show it (`FlowSource`): `health_status` computed, the passphrase masked
 * unless `reveal`.
 *
 * @param source - the stored source
 * @param flowStatus - its flow's status
 * @param reveal - whether the request asked for `data_display=true`
 */
export function sourceAnswer(
  source: FlowSource,
  flowStatus: string,
  reveal: boolean,
): Record<string, unknown> {
  return present({
    source_listener_address: source.source_listener_address,
    source_listener_port: source.source_listener_port,
    stream_id: source.stream_id,
    min_latency: source.min_latency,
    cidr_whitelist: source.cidr_whitelist && [...source.cidr_whitelist],
    description: source.description,
    protocol: source.protocol,
    name: source.name,
    decryption: source.decryption && maskedSecret(source.decryption, reveal),
    health_status: sourceHealth(flowStatus),
  });
}

/**
 * `type` of an output: the simulator reports the output's protocol. The SDK's model text says only
 * "output type" (输出类型), so this value is an assumption.
 *
 * @param output - the stored output
 */
export function outputType(output: FlowOutputInput): string {
  return output.protocol;
}

/**
 * An output as the output operations answer it (`FlowsOutput`): `health_status` and `type`
 * computed, the passphrase masked unless `reveal`.
 *
 * @param output - the stored output
 * @param flowStatus - its flow's status
 * @param reveal - whether the request asked for `data_display=true`
 */
export function outputAnswer(
  output: FlowOutput,
  flowStatus: string,
  reveal: boolean,
): Record<string, unknown> {
  return present({
    cidr_whitelist: output.cidr_whitelist && [...output.cidr_whitelist],
    destination: output.destination,
    name: output.name,
    encryption: output.encryption && maskedSecret(output.encryption, reveal),
    output_status: output.output_status,
    listener_address: output.listener_address,
    port: output.port,
    protocol: output.protocol,
    stream_id: output.stream_id,
    description: output.description,
    min_latency: output.min_latency,
    health_status: outputHealth(output, flowStatus),
    type: outputType(output),
  });
}

/**
 * An output as the flow detail lists it (`FlowOutput`: name and type only).
 *
 * @param output - the stored output
 */
export function outputSummary(output: FlowOutput): { name: string; type: string } {
  return { name: output.name, type: outputType(output) };
}
