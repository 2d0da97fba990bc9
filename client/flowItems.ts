/**
 * A flow's sources and outputs in this package's camelCase shapes, and their translation to and
 * from the API's snake_case bodies (`FlowSource`, `AddFlowOutputsRequest`,
 * `UpdateFlowOutputRequestBody`, `FlowsOutput`; reference §2.A and §2.8–2.11). Absent fields are
 * left out of request bodies, so the API applies its own defaults.
 */
import type { z } from "zod";
import type { flowEncryptionBody, flowSourceBody, flowsOutputBody } from "./schemas";

/** The SRT roles a source or an output can take. */
export const SRT_PROTOCOLS = ["srt-listener", "srt-caller"] as const;

/** `srt-listener` (the flow listens; the other side connects) or `srt-caller` (the flow connects). */
export type SrtProtocol = (typeof SRT_PROTOCOLS)[number];

/** The key types the API names; only `srt-password` is currently supported (reference §2.A). */
export const KEY_TYPES = ["srt-password", "static-key", "speke"] as const;

/** The AES key lengths the API names. */
export const ENCRYPTION_ALGORITHMS = ["aes128", "aes192", "aes256"] as const;

/** SRT encryption of a source (`decryption`) or an output (`encryption`). */
export interface SrtEncryption {
  readonly keyType: (typeof KEY_TYPES)[number];
  readonly passphrase: string;
  readonly algorithm?: (typeof ENCRYPTION_ALGORITHMS)[number];
}

/** A source as sent to create a flow or to modify one of its sources. */
export interface FlowSourceSpec {
  readonly name: string;
  readonly protocol: SrtProtocol;
  /** `source_listener_address`: for `srt-caller`, the address the flow pulls from. */
  readonly listenerAddress?: string;
  /** `source_listener_port`: the port listened on, or pulled from (never 2077 or 2088). */
  readonly listenerPort?: number;
  readonly streamId?: string;
  /** Milliseconds. */
  readonly minLatency?: number;
  readonly cidrWhitelist?: readonly string[];
  readonly description?: string;
  readonly decryption?: SrtEncryption;
}

/** What an output can change after creation (`UpdateFlowOutputRequestBody`): not name or protocol. */
export interface FlowOutputChanges {
  /** Where a caller output pushes to (IP or domain). */
  readonly destination?: string;
  /** The port listened on (listener) or pushed to (caller). */
  readonly port?: number;
  readonly streamId?: string;
  readonly cidrWhitelist?: readonly string[];
  readonly encryption?: SrtEncryption;
  readonly outputStatus?: "ENABLED" | "DISABLED";
  readonly description?: string;
  /** Milliseconds, 10–15000 (the API's default is 2000). */
  readonly minLatency?: number;
}

/** An output as sent to create it. */
export interface FlowOutputSpec extends FlowOutputChanges {
  readonly name: string;
  readonly protocol: SrtProtocol;
}

/** Encryption as the API reports it: the passphrase is masked unless `data_display` was asked for. */
export interface ObservedEncryption {
  readonly keyType?: string;
  readonly algorithm?: string;
  readonly passphrase?: string;
}

/** A source as the API reports it. */
export interface ObservedFlowSource {
  readonly name: string;
  readonly protocol?: string;
  readonly listenerAddress?: string;
  readonly listenerPort?: number;
  readonly streamId?: string;
  readonly minLatency?: number;
  readonly cidrWhitelist?: readonly string[];
  readonly description?: string;
  readonly decryption?: ObservedEncryption;
  /** `CONNECTED` or `DISCONNECTED`. */
  readonly healthStatus?: string;
}

/** An output as the API reports it. */
export interface ObservedFlowOutput {
  readonly name: string;
  readonly protocol?: string;
  readonly destination?: string;
  readonly port?: number;
  readonly streamId?: string;
  readonly cidrWhitelist?: readonly string[];
  readonly encryption?: ObservedEncryption;
  readonly outputStatus?: string;
  readonly description?: string;
  readonly minLatency?: number;
  /** Listener outputs: the address the other side connects to. */
  readonly listenerAddress?: string;
  /** `CONNECTED` (relaying) or `DISCONNECTED`. */
  readonly healthStatus?: string;
  readonly type?: string;
}

/** A copy without `undefined` members: absent stays absent in JSON and in Pulumi state. */
function defined<T extends Record<string, unknown>>(value: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) copy[key] = member;
  return copy as T;
}

function encryptionBody(
  encryption: SrtEncryption | undefined,
): Record<string, unknown> | undefined {
  if (!encryption) return undefined;
  return defined({
    algorithm: encryption.algorithm,
    key_type: encryption.keyType,
    passphrase: encryption.passphrase,
  });
}

function observedEncryption(
  body: z.infer<typeof flowEncryptionBody> | undefined,
): ObservedEncryption | undefined {
  if (!body) return undefined;
  return defined({
    keyType: body.key_type,
    algorithm: body.algorithm,
    passphrase: body.passphrase,
  });
}

/**
 * The `FlowSource` body of a source.
 *
 * @param source - the source to send
 */
export function sourceBody(source: FlowSourceSpec): Record<string, unknown> {
  return defined({
    name: source.name,
    protocol: source.protocol,
    source_listener_address: source.listenerAddress,
    source_listener_port: source.listenerPort,
    stream_id: source.streamId,
    min_latency: source.minLatency,
    cidr_whitelist: source.cidrWhitelist,
    description: source.description,
    decryption: encryptionBody(source.decryption),
  });
}

/**
 * A source from an answer's `FlowSource`.
 *
 * @param body - the parsed source
 */
export function observedSource(body: z.infer<typeof flowSourceBody>): ObservedFlowSource {
  return defined({
    name: body.name,
    protocol: body.protocol,
    listenerAddress: body.source_listener_address,
    listenerPort: body.source_listener_port,
    streamId: body.stream_id,
    minLatency: body.min_latency,
    cidrWhitelist: body.cidr_whitelist,
    description: body.description,
    decryption: observedEncryption(body.decryption),
    healthStatus: body.health_status,
  });
}

/**
 * The `UpdateFlowOutputRequestBody` of an output's changeable fields.
 *
 * @param changes - the fields to send
 */
export function outputChangesBody(changes: FlowOutputChanges): Record<string, unknown> {
  return defined({
    destination: changes.destination,
    port: changes.port,
    stream_id: changes.streamId,
    cidr_whitelist: changes.cidrWhitelist,
    encryption: encryptionBody(changes.encryption),
    output_status: changes.outputStatus,
    description: changes.description,
    min_latency: changes.minLatency,
  });
}

/**
 * The `AddFlowOutputsRequest` body of an output.
 *
 * @param output - the output to create
 */
export function outputBody(output: FlowOutputSpec): Record<string, unknown> {
  return { name: output.name, protocol: output.protocol, ...outputChangesBody(output) };
}

/**
 * An output from an answer's `FlowsOutput`.
 *
 * @param body - the parsed output
 */
export function observedOutput(body: z.infer<typeof flowsOutputBody>): ObservedFlowOutput {
  return defined({
    name: body.name,
    protocol: body.protocol,
    destination: body.destination,
    port: body.port,
    streamId: body.stream_id,
    cidrWhitelist: body.cidr_whitelist,
    encryption: observedEncryption(body.encryption),
    outputStatus: body.output_status,
    description: body.description,
    minLatency: body.min_latency,
    listenerAddress: body.listener_address,
    healthStatus: body.health_status,
    type: body.type,
  });
}
