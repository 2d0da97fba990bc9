/**
 * The record of every request the simulator settled: what was asked, who asked, and what happened
 * (an HTTP status, a reset, or a drop). Credentials never reach it: `Authorization`,
 * `X-Auth-Token` and `X-Security-Token` values are replaced before an entry is stored.
 */
import type { IncomingHttpHeaders } from "node:http";

import type { AuthenticationScheme } from "./authentication.js";
import { LIMITS, REDACTED, REDACTED_HEADERS } from "./constants.js";
import type { Fault } from "./faults.js";
import type { RouteName } from "./routes.js";

/** One settled request. */
export interface JournalEntry {
  /** 1-based position among all entries ever recorded (not reset by clearing). */
  readonly sequence: number;
  /** ISO time the request arrived. */
  readonly at: string;
  readonly method: string;
  /** Path without the query, as received. */
  readonly path: string;
  readonly route: RouteName | "unknown";
  /** Decoded query parameters (first value of a repeated name). */
  readonly query: Record<string, string>;
  /** The `flow_id` the request named, or the id of the flow it created. */
  readonly flowId?: string;
  /** The `{project_id}` path segment, `""` when the path has none. */
  readonly projectId: string;
  /** The authentication scheme the request tried. */
  readonly auth: AuthenticationScheme;
  /** Headers as received, credential values replaced by `"[REDACTED]"`. */
  readonly headers: Record<string, string>;
  /** HTTP status answered, `"reset"` when the connection was reset, `"dropped"` when never answered. */
  readonly status: number | "reset" | "dropped";
  /** `error_code` of an error answer. */
  readonly errorCode?: string;
  /**
   * Why the request was refused, when Huawei documents no answer for the case (an unknown flow,
   * stopping a STANDBY flow, an invalid parameter, an `X-Sdk-Date` out of range, …): the client
   * only gets the code's generic text, so tests that need the case read it here. Never sent.
   */
  readonly reason?: string;
  /** The id sent in `X-Request-Id`. */
  readonly requestId: string;
  /** Kind of the injected fault the request met, if any. */
  readonly fault?: Fault["kind"];
}

/** Criteria for {@link Journal.count}; every given field must match. */
export interface JournalFilter {
  route?: RouteName | "unknown";
  flowId?: string;
  method?: string;
  status?: number;
}

/**
 * Copies headers as received, credential values redacted and repeated values joined by `, `.
 *
 * @param headers - headers as Node parsed them
 */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    copy[name] = REDACTED_HEADERS.includes(name)
      ? REDACTED
      : Array.isArray(value)
        ? value.join(", ")
        : value;
  }
  return copy;
}

/** Drops keys whose value is `undefined`, so absent optional fields are absent, not `undefined`. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** Settled requests, oldest first, capped at {@link LIMITS.journalCapacity}. */
export class Journal {
  #entries: JournalEntry[] = [];
  #recorded = 0;

  /** A snapshot of the entries, oldest first. */
  get entries(): readonly JournalEntry[] {
    return [...this.#entries];
  }

  /**
   * Appends an entry, numbering it; the oldest entry goes when the journal is full.
   *
   * @param entry - everything but the sequence number
   * @returns the stored entry
   */
  record(entry: Omit<JournalEntry, "sequence">): JournalEntry {
    this.#recorded += 1;
    const stored: JournalEntry = Object.freeze(
      withoutUndefined({
        sequence: this.#recorded,
        ...entry,
        query: Object.freeze({ ...entry.query }),
        headers: Object.freeze({ ...entry.headers }),
      }),
    );
    this.#entries.push(stored);
    if (this.#entries.length > LIMITS.journalCapacity) this.#entries.shift();
    return stored;
  }

  /**
   * Counts entries matching every given criterion; no filter counts them all.
   *
   * @param filter - route, flow id, method and/or numeric status
   */
  count(filter: JournalFilter = {}): number {
    return this.#entries.filter(
      (entry) =>
        (filter.route === undefined || entry.route === filter.route) &&
        (filter.flowId === undefined || entry.flowId === filter.flowId) &&
        (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
        (filter.status === undefined || entry.status === filter.status),
    ).length;
  }

  /** Forgets every entry; sequence numbers keep counting. */
  clear(): void {
    this.#entries = [];
  }
}
