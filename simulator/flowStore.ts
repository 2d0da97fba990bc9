/**
 * In-memory flows of one simulator, with their sources and outputs: creation order kept (ListFlows
 * pages over it), status changed only through {@link FlowStore.setStatus}. Every read hands out a
 * copy, passphrases included, so only the answers decide what a client sees.
 *
 * The store assigns where `srt-listener` sources and outputs listen (see {@link LISTENER}): one
 * TEST-NET-1 address per flow, and the next free port from 20000 up for a listener given none.
 * Checking what it is given is the caller's job (`flowItems.ts`); only {@link FlowStore.seed}
 * checks, since seeds come from test code rather than from a request.
 */
import { randomUUID } from "node:crypto";

import { FLOW_DEFAULTS, LISTENER } from "./constants.js";
import {
  checkSeedOutputs,
  checkSources,
  withOutputDefaults,
  type FlowOutput,
  type FlowOutputInput,
  type FlowSource,
  type FlowSourceInput,
} from "./flowItems.js";

/** The two documented flow statuses: `ACTIVE` (running) and `STANDBY` (not started). */
export type FlowStatus = "ACTIVE" | "STANDBY";

/** How to seed a flow; every field has a default. */
export interface FlowSeed {
  /** Flow id; a random UUID when absent. */
  flowId?: string;
  /** Flow name; `flow-N` when absent, N counting the flows this store created. Not checked. */
  name?: string;
  /** Region reported for the flow; the simulator's region when absent. */
  region?: string;
  /**
   * Status; `STANDBY` when absent. Any string is accepted so tests can seed statuses Huawei does
   * not document (the reference, §3, cannot rule them out).
   */
  status?: string;
  /** Protocol of the flow's single default source when `sources` is absent; `srt-listener`. */
  protocol?: "srt-listener" | "srt-caller";
  /**
   * The flow's sources, as a create body sends them (1 or 2, checked the same way; listener
   * addresses and ports assigned the same way). Absent: one `source-1` of `protocol` with a
   * `min_latency` of 2000.
   */
  sources?: readonly FlowSourceInput[];
  /** The flow's outputs, as a create-outputs body sends them (checked the same way); default none. */
  outputs?: readonly FlowOutputInput[];
}

/** A flow as the simulator holds it. Returned as a copy: changing it changes nothing. */
export interface FlowRecord {
  flowId: string;
  name: string;
  region: string;
  status: string;
  /** Protocol of the first source, as ListFlows reports it. */
  protocol: string;
  /** ISO time of creation. */
  createdAt: string;
}

/** The flow-level fields of a new flow; the rest take defaults. */
type FlowFields = Pick<FlowSeed, "flowId" | "name" | "region" | "status">;

/** Ports chosen by items being added in the same change (`undefined` for those with none). */
type Reserved = readonly (number | undefined)[];

function chosenSourcePort(source: FlowSourceInput): number | undefined {
  return source.protocol === "srt-listener" ? source.source_listener_port : undefined;
}

function chosenOutputPort(output: FlowOutputInput): number | undefined {
  return output.protocol === "srt-listener" ? output.port : undefined;
}

interface StoredFlow {
  record: FlowRecord;
  /** Where this flow's listeners listen. */
  listenerAddress: string;
  sources: FlowSource[];
  outputs: FlowOutput[];
}

/** The flows of one simulator. */
export class FlowStore {
  readonly #flows = new Map<string, StoredFlow>();
  readonly #defaultRegion: string;
  readonly #now: () => Date;
  #created = 0;
  #nextPort: number = LISTENER.firstPort;

  /**
   * @param defaultRegion - region of flows seeded without one
   * @param now - clock for `createdAt`
   */
  constructor(defaultRegion: string, now: () => Date) {
    this.#defaultRegion = defaultRegion;
    this.#now = now;
  }

  /**
   * Adds a flow from a test's seed, checking its sources and outputs as the API checks a body.
   *
   * @param seed - chosen fields; the rest take defaults
   * @throws Error when `seed.flowId` is empty or taken, or a source or output would be refused
   */
  seed(seed: FlowSeed = {}): FlowRecord {
    const sources = checkSources(
      seed.sources ?? [
        {
          name: FLOW_DEFAULTS.sourceName,
          protocol: seed.protocol ?? FLOW_DEFAULTS.protocol,
          min_latency: FLOW_DEFAULTS.sourceMinLatencyMs,
        },
      ],
    );
    if (!sources.ok) throw new Error(`invalid seed: ${sources.reason}`);
    const outputs = checkSeedOutputs(seed.outputs ?? [], sources.value);
    if (!outputs.ok) throw new Error(`invalid seed: ${outputs.reason}`);
    const { flowId, name, region, status } = seed;
    return this.create({ flowId, name, region, status }, sources.value, outputs.value);
  }

  /**
   * Adds a flow and returns a copy of it. Sources and outputs must have passed their checks.
   *
   * @param fields - id, name, region and status; each defaults when absent
   * @param sources - the flow's sources (at least one)
   * @param outputs - the flow's outputs
   * @throws Error when `fields.flowId` is empty or already taken
   */
  create(
    fields: FlowFields,
    sources: readonly FlowSourceInput[],
    outputs: readonly FlowOutputInput[] = [],
  ): FlowRecord {
    const flowId = fields.flowId ?? randomUUID();
    if (flowId === "") throw new Error("flowId must not be empty");
    if (this.#flows.has(flowId)) throw new Error(`a flow with id ${flowId} already exists`);
    this.#created += 1;
    const record: FlowRecord = {
      flowId,
      name: fields.name ?? `${FLOW_DEFAULTS.namePrefix}${this.#created}`,
      region: fields.region ?? this.#defaultRegion,
      status: fields.status ?? FLOW_DEFAULTS.status,
      protocol: sources[0]?.protocol ?? FLOW_DEFAULTS.protocol,
      createdAt: this.#now().toISOString(),
    };
    const addressIndex = ((this.#created - 1) % LISTENER.addressCount) + 1;
    const stored: StoredFlow = {
      record,
      listenerAddress: `${LISTENER.addressPrefix}${addressIndex}`,
      sources: [],
      outputs: [],
    };
    const reserved = [...sources.map(chosenSourcePort), ...outputs.map(chosenOutputPort)];
    for (const source of sources) {
      stored.sources.push(this.#placeSource(stored, source, reserved));
    }
    for (const output of outputs) {
      stored.outputs.push(this.#placeOutput(stored, output, reserved));
    }
    this.#flows.set(flowId, stored);
    return { ...record };
  }

  /**
   * A copy of one flow, or `undefined` when there is none with this id.
   *
   * @param flowId - the flow id
   */
  get(flowId: string): FlowRecord | undefined {
    const stored = this.#flows.get(flowId);
    return stored && { ...stored.record };
  }

  /**
   * A copy of the first flow with this name, or `undefined`.
   *
   * @param name - the flow name
   */
  findByName(name: string): FlowRecord | undefined {
    for (const stored of this.#flows.values()) {
      if (stored.record.name === name) return { ...stored.record };
    }
    return undefined;
  }

  /**
   * Copies of one flow's sources (passphrases included), or `undefined` when there is no such flow.
   *
   * @param flowId - the flow id
   */
  sources(flowId: string): FlowSource[] | undefined {
    const stored = this.#flows.get(flowId);
    return stored && structuredClone(stored.sources);
  }

  /**
   * Copies of one flow's outputs in creation order (passphrases included), or `undefined` when
   * there is no such flow.
   *
   * @param flowId - the flow id
   */
  outputs(flowId: string): FlowOutput[] | undefined {
    const stored = this.#flows.get(flowId);
    return stored && structuredClone(stored.outputs);
  }

  /** Copies of every flow in creation order. */
  list(): FlowRecord[] {
    return [...this.#flows.values()].map((stored) => ({ ...stored.record }));
  }

  /**
   * Removes a flow and returns its last state, or `undefined` when there was none with this id.
   *
   * @param flowId - the flow id
   */
  delete(flowId: string): FlowRecord | undefined {
    const stored = this.#flows.get(flowId);
    if (!stored) return undefined;
    this.#flows.delete(flowId);
    return { ...stored.record };
  }

  /**
   * Sets a flow's status and returns a copy of the flow.
   *
   * @param flowId - the flow id
   * @param status - the new status, any string
   * @throws Error when there is no flow with this id
   */
  setStatus(flowId: string, status: string): FlowRecord {
    const stored = this.#require(flowId);
    stored.record.status = status;
    return { ...stored.record };
  }

  /**
   * Replaces the source of the same name and returns a copy of the new one. A listener given no
   * port keeps the one its predecessor listened on, if that was a listener too.
   *
   * @param flowId - the flow id
   * @param source - the checked new source; a source of this name must exist
   * @throws Error when there is no such flow or source
   */
  replaceSource(flowId: string, source: FlowSourceInput): FlowSource {
    const stored = this.#require(flowId);
    const index = stored.sources.findIndex((other) => other.name === source.name);
    if (index === -1) throw new Error(`flow ${flowId} has no source named ${source.name}`);
    const previous = stored.sources[index]!;
    const keptPort =
      source.protocol === "srt-listener" &&
      source.source_listener_port === undefined &&
      previous.protocol === "srt-listener"
        ? previous.source_listener_port
        : undefined;
    const placed = this.#placeSource(
      { ...stored, sources: stored.sources.filter((_, other) => other !== index) },
      keptPort === undefined ? source : { ...source, source_listener_port: keptPort },
      [],
    );
    stored.sources[index] = placed;
    if (index === 0) stored.record.protocol = placed.protocol;
    return structuredClone(placed);
  }

  /**
   * Appends checked outputs (defaults filled, listeners placed) and returns copies of every output.
   *
   * @param flowId - the flow id
   * @param outputs - the new outputs, names not yet taken
   * @throws Error when there is no such flow
   */
  addOutputs(flowId: string, outputs: readonly FlowOutputInput[]): FlowOutput[] {
    const stored = this.#require(flowId);
    const reserved = outputs.map(chosenOutputPort);
    for (const output of outputs) {
      stored.outputs.push(this.#placeOutput(stored, output, reserved));
    }
    return structuredClone(stored.outputs);
  }

  /**
   * Replaces the output of the same name with its checked update and returns a copy.
   *
   * @param flowId - the flow id
   * @param output - the updated output
   * @throws Error when there is no such flow or output
   */
  updateOutput(flowId: string, output: FlowOutput): FlowOutput {
    const stored = this.#require(flowId);
    const index = stored.outputs.findIndex((other) => other.name === output.name);
    if (index === -1) throw new Error(`flow ${flowId} has no output named ${output.name}`);
    stored.outputs[index] = structuredClone(output);
    return structuredClone(output);
  }

  /**
   * Removes one output; `false` when the flow has none of this name.
   *
   * @param flowId - the flow id
   * @param name - the output name
   * @throws Error when there is no such flow
   */
  deleteOutput(flowId: string, name: string): boolean {
    const stored = this.#require(flowId);
    const before = stored.outputs.length;
    stored.outputs = stored.outputs.filter((output) => output.name !== name);
    return stored.outputs.length !== before;
  }

  #require(flowId: string): StoredFlow {
    const stored = this.#flows.get(flowId);
    if (!stored) throw new Error(`no flow with id ${flowId}`);
    return stored;
  }

  /** A source as stored: a listener gets the flow's address, and a port when it has none. */
  #placeSource(flow: StoredFlow, source: FlowSourceInput, reserved: Reserved): FlowSource {
    const copy = structuredClone(source);
    if (copy.protocol !== "srt-listener") return copy;
    return {
      ...copy,
      source_listener_address: flow.listenerAddress,
      source_listener_port: copy.source_listener_port ?? this.#freePort(flow, reserved),
    };
  }

  /** An output as stored: defaults filled, a listener given the flow's address and a port. */
  #placeOutput(flow: StoredFlow, output: FlowOutputInput, reserved: Reserved): FlowOutput {
    const copy = withOutputDefaults(structuredClone(output));
    if (copy.protocol !== "srt-listener") return copy;
    return {
      ...copy,
      listener_address: flow.listenerAddress,
      port: copy.port ?? this.#freePort(flow, reserved),
    };
  }

  /**
   * The next port from the simulator-wide counter that no listener of `flow` uses, nor any of the
   * `reserved` ports that items being added chose themselves.
   */
  #freePort(flow: StoredFlow, reserved: Reserved): number {
    const used = new Set<number>(reserved.filter((port) => port !== undefined));
    for (const source of flow.sources) {
      if (source.protocol === "srt-listener" && source.source_listener_port !== undefined) {
        used.add(source.source_listener_port);
      }
    }
    for (const output of flow.outputs) {
      if (output.protocol === "srt-listener" && output.port !== undefined) used.add(output.port);
    }
    for (;;) {
      const port = this.#nextPort;
      this.#nextPort = port >= LISTENER.lastPort ? LISTENER.firstPort : port + 1;
      if (!used.has(port) && !LISTENER.refusedPorts.includes(port)) return port;
    }
  }
}
