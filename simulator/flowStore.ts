/**
 * In-memory flows of one simulator: creation order kept (ListFlows pages over it), status changed
 * only through {@link FlowStore.setStatus}.
 */
import { randomUUID } from "node:crypto";

import { FLOW_DEFAULTS } from "./constants.js";

/** The two documented flow statuses: `ACTIVE` (running) and `STANDBY` (not started). */
export type FlowStatus = "ACTIVE" | "STANDBY";

/** How to seed a flow; every field has a default. */
export interface FlowSeed {
  /** Flow id; a random UUID when absent. */
  flowId?: string;
  /** Flow name; `flow-N` when absent, N counting the flows this store created. */
  name?: string;
  /** Region reported for the flow; the simulator's region when absent. */
  region?: string;
  /**
   * Status; `STANDBY` when absent. Any string is accepted so tests can seed statuses Huawei does
   * not document (the reference, §3, cannot rule them out).
   */
  status?: string;
  /** Protocol of the flow's single source; `srt-listener` when absent. */
  protocol?: "srt-listener" | "srt-caller";
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

/** A flow source object (FlowSource, reference §2.A) as JSON. */
export type FlowSource = Readonly<Record<string, unknown>> & {
  readonly name: string;
  readonly protocol: string;
};

interface StoredFlow {
  record: FlowRecord;
  sources: readonly FlowSource[];
}

/** The flows of one simulator. */
export class FlowStore {
  readonly #flows = new Map<string, StoredFlow>();
  readonly #defaultRegion: string;
  readonly #now: () => Date;
  #created = 0;

  /**
   * @param defaultRegion - region of flows seeded without one
   * @param now - clock for `createdAt`
   */
  constructor(defaultRegion: string, now: () => Date) {
    this.#defaultRegion = defaultRegion;
    this.#now = now;
  }

  /**
   * Adds a flow and returns a copy of it.
   *
   * @param seed - chosen fields; the rest take defaults
   * @param sources - the flow's sources as created through the API; one default source otherwise
   * @throws Error when `seed.flowId` is empty or already taken
   */
  create(seed: FlowSeed = {}, sources?: readonly FlowSource[]): FlowRecord {
    const flowId = seed.flowId ?? randomUUID();
    if (flowId === "") throw new Error("flowId must not be empty");
    if (this.#flows.has(flowId)) throw new Error(`a flow with id ${flowId} already exists`);
    this.#created += 1;
    const protocol = sources?.[0]?.protocol ?? seed.protocol ?? FLOW_DEFAULTS.protocol;
    const record: FlowRecord = {
      flowId,
      name: seed.name ?? `${FLOW_DEFAULTS.namePrefix}${this.#created}`,
      region: seed.region ?? this.#defaultRegion,
      status: seed.status ?? FLOW_DEFAULTS.status,
      protocol,
      createdAt: this.#now().toISOString(),
    };
    const flowSources = sources ?? [
      { name: FLOW_DEFAULTS.sourceName, protocol, min_latency: FLOW_DEFAULTS.sourceMinLatencyMs },
    ];
    this.#flows.set(flowId, { record, sources: flowSources });
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
   * The sources of one flow, or `undefined` when there is none with this id.
   *
   * @param flowId - the flow id
   */
  sources(flowId: string): readonly FlowSource[] | undefined {
    return this.#flows.get(flowId)?.sources;
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
    const stored = this.#flows.get(flowId);
    if (!stored) throw new Error(`no flow with id ${flowId}`);
    stored.record.status = status;
    return { ...stored.record };
  }
}
