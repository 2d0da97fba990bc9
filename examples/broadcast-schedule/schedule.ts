/**
 * The broadcast schedule: which channel's flow should be running at a given moment. Pure functions
 * only (no Pulumi, no clock, no environment), so every rule here is unit-tested without a stack.
 *
 * A schedule is a list of daily windows `{ flow, from, to }` in one fixed UTC offset. A channel is
 * ACTIVE while any of its windows contains the time of day, and STANDBY otherwise. A window whose
 * `to` is earlier than its `from` crosses midnight (`22:00`–`02:00`); `to: "24:00"` ends at
 * midnight, so `00:00`–`24:00` is the whole day.
 */

/** The status a channel's flow should have. */
export type ScheduledStatus = "ACTIVE" | "STANDBY";

/** One window as written in stack config: `flow` runs from `from` until `to` (local `HH:MM`). */
export interface ScheduleWindowConfig {
  readonly flow: string;
  readonly from: string;
  readonly to: string;
}

/** A validated window, in minutes since local midnight. `toMinute` may be 1440 (`24:00`). */
export interface ScheduleWindow {
  readonly flow: string;
  readonly fromMinute: number;
  readonly toMinute: number;
}

/** A validated schedule. */
export interface Schedule {
  /** Offset of the schedule's time zone from UTC in minutes: 120 for `+02:00`, 0 for `UTC`. */
  readonly utcOffsetMinutes: number;
  readonly windows: readonly ScheduleWindow[];
}

/** Invalid stack config. The message names the config key or entry at fault and what to write. */
export class ScheduleConfigError extends Error {
  override readonly name = "ScheduleConfigError";
}

const MINUTES_PER_DAY = 24 * 60;
/** Earliest and latest offsets in use anywhere (UTC−12:00 to UTC+14:00). */
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;
/** A channel name is also a Pulumi resource name and a stack output key: keep it URN-friendly. */
const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The API's limit on a flow id. */
const MAX_FLOW_ID_LENGTH = 64;
/** An ISO 8601 time with an explicit zone, so that `at` never depends on the runner's TZ. */
const ISO_TIME_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const WINDOW_KEYS = ["flow", "from", "to"] as const;

function quote(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Minutes since midnight of a `HH:MM` time of day.
 *
 * @param value - the text, e.g. `"06:30"`
 * @param allowEndOfDay - whether `"24:00"` (the end of the day) is accepted
 * @returns the minutes, or `undefined` when `value` is not such a time
 */
export function parseTimeOfDay(value: unknown, allowEndOfDay = false): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59) return undefined;
  if (minutes < MINUTES_PER_DAY) return minutes;
  return allowEndOfDay && minutes === MINUTES_PER_DAY ? minutes : undefined;
}

/**
 * The UTC offset in minutes of a time zone written as `UTC`, `Z` or a fixed offset `±HH:MM`.
 * Named zones (`Europe/Paris`) are not accepted: a fixed offset cannot change under a running
 * schedule when daylight saving time starts, so what the config says is what runs.
 *
 * @param value - the `timeZone` config value
 * @throws ScheduleConfigError when it is none of those forms or out of range
 */
export function parseTimeZone(value: string): number {
  const text = value.trim();
  if (text === "UTC" || text === "Z") return 0;
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (match && Number(match[3]) < 60) {
    const minutes = (Number(match[2]) * 60 + Number(match[3])) * (match[1] === "-" ? -1 : 1);
    if (minutes >= MIN_OFFSET_MINUTES && minutes <= MAX_OFFSET_MINUTES) return minutes;
  }
  throw new ScheduleConfigError(
    `timeZone must be "UTC" or a UTC offset from -12:00 to +14:00 such as "+08:00" or "-05:00", got ${quote(value)}`,
  );
}

/**
 * Validates the `flows` config: an object mapping each channel name to its Media Live flow id.
 *
 * @param value - the parsed `flows` config value
 * @returns channel name → flow id, in config order
 * @throws ScheduleConfigError naming the first bad entry
 */
export function parseFlows(value: unknown): ReadonlyMap<string, string> {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    throw new ScheduleConfigError(
      `flows must be an object mapping each channel name to its flow id, e.g. {"news": "<flow id>"}, got ${quote(value)}`,
    );
  }
  const flows = new Map<string, string>();
  const channelOfFlowId = new Map<string, string>();
  for (const [channel, flowId] of Object.entries(value)) {
    if (!CHANNEL_NAME.test(channel)) {
      throw new ScheduleConfigError(
        `flows.${channel}: a channel name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes the resource name)`,
      );
    }
    if (typeof flowId !== "string" || flowId.trim() === "" || flowId.length > MAX_FLOW_ID_LENGTH) {
      throw new ScheduleConfigError(
        `flows.${channel}: the flow id must be a non-empty string of at most ${MAX_FLOW_ID_LENGTH} characters, got ${quote(flowId)}`,
      );
    }
    const other = channelOfFlowId.get(flowId);
    if (other !== undefined) {
      // Two resources driving one flow from two windows would start and stop it in turn.
      throw new ScheduleConfigError(
        `flows.${channel}: flow ${flowId} is already the flow of channel ${other}; give each channel its own flow`,
      );
    }
    channelOfFlowId.set(flowId, channel);
    flows.set(channel, flowId);
  }
  return flows;
}

/**
 * Validates one window of the `schedule` config.
 *
 * @param entry - the raw entry
 * @param index - its position in `schedule`, for the error message
 * @param channels - the channel names declared in `flows`
 * @throws ScheduleConfigError naming the entry (`schedule[2] {...}`) and the field at fault
 */
export function parseWindow(
  entry: unknown,
  index: number,
  channels: readonly string[],
): ScheduleWindow {
  const where = `schedule[${index}] ${quote(entry)}`;
  if (!isPlainObject(entry)) {
    throw new ScheduleConfigError(
      `${where}: each window must be an object { flow, from, to }, e.g. {"flow": "news", "from": "06:00", "to": "09:00"}`,
    );
  }
  const unknownKey = Object.keys(entry).find(
    (key) => !(WINDOW_KEYS as readonly string[]).includes(key),
  );
  if (unknownKey !== undefined) {
    throw new ScheduleConfigError(
      `${where}: unknown key "${unknownKey}"; a window has only flow, from and to`,
    );
  }
  const { flow, from, to } = entry;
  if (typeof flow !== "string" || !channels.includes(flow)) {
    throw new ScheduleConfigError(
      `${where}: flow must be one of the channels in flows (${channels.join(", ")}), got ${quote(flow)}`,
    );
  }
  const fromMinute = parseTimeOfDay(from);
  if (fromMinute === undefined) {
    throw new ScheduleConfigError(
      `${where}: from must be a time of day "HH:MM" from 00:00 to 23:59, got ${quote(from)}`,
    );
  }
  const toMinute = parseTimeOfDay(to, true);
  if (toMinute === undefined) {
    throw new ScheduleConfigError(
      `${where}: to must be a time of day "HH:MM" from 00:00 to 24:00, got ${quote(to)}`,
    );
  }
  if (fromMinute === toMinute) {
    throw new ScheduleConfigError(
      `${where}: from and to are the same time, so the window is empty or the whole day; write "00:00" to "24:00" for the whole day`,
    );
  }
  return { flow, fromMinute, toMinute };
}

/**
 * Validates the `schedule` and `timeZone` config.
 *
 * @param value - the parsed `schedule` config value: a list of `{ flow, from, to }` windows
 * @param channels - the channel names declared in `flows`
 * @param timeZone - the `timeZone` config value (`UTC` or `±HH:MM`)
 * @throws ScheduleConfigError naming the first bad entry
 */
export function parseSchedule(
  value: unknown,
  channels: readonly string[],
  timeZone: string,
): Schedule {
  const utcOffsetMinutes = parseTimeZone(timeZone);
  if (!Array.isArray(value)) {
    throw new ScheduleConfigError(
      `schedule must be a list of windows { flow, from, to }, got ${quote(value)}`,
    );
  }
  const windows = value.map((entry: unknown, index) => parseWindow(entry, index, channels));
  return { utcOffsetMinutes, windows };
}

/**
 * The moment to evaluate the schedule at: the `at` config value when set, otherwise `now`.
 *
 * @param value - the `at` config value: an ISO 8601 time with a zone, or empty/absent for now
 * @param now - the current time (passed in, so that this stays pure)
 * @throws ScheduleConfigError when `at` is set but is not such a time
 */
export function parseEvaluationTime(value: string | undefined, now: Date): Date {
  if (value === undefined || value.trim() === "") return now;
  const at = new Date(value.trim());
  if (!ISO_TIME_WITH_ZONE.test(value.trim()) || Number.isNaN(at.getTime())) {
    throw new ScheduleConfigError(
      `at must be an ISO 8601 time with a zone such as "2025-06-01T18:30:00Z" or "2025-06-01T20:30:00+02:00" (or empty for now), got ${quote(value)}`,
    );
  }
  return at;
}

/**
 * Whether a window contains a time of day; windows are half-open (`from` ≤ t < `to`).
 *
 * @param window - the window
 * @param minuteOfDay - minutes since local midnight (0-1439)
 */
export function windowContains(window: ScheduleWindow, minuteOfDay: number): boolean {
  if (window.fromMinute < window.toMinute) {
    return minuteOfDay >= window.fromMinute && minuteOfDay < window.toMinute;
  }
  // Crosses midnight: the evening part, then the early-morning part of the next day.
  return minuteOfDay >= window.fromMinute || minuteOfDay < window.toMinute;
}

/**
 * Minutes since midnight, in the schedule's time zone, of a moment.
 *
 * @param at - the moment
 * @param utcOffsetMinutes - the time zone's offset from UTC
 */
export function localMinuteOfDay(at: Date, utcOffsetMinutes: number): number {
  const local = new Date(at.getTime() + utcOffsetMinutes * 60_000);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/**
 * The status a channel's flow should have at a moment: ACTIVE inside any of its windows, STANDBY
 * otherwise (also for a channel without windows).
 *
 * @param schedule - the validated schedule
 * @param flowName - the channel name (a key of `flows`)
 * @param at - the moment
 */
export function desiredStatusAt(schedule: Schedule, flowName: string, at: Date): ScheduledStatus {
  const minute = localMinuteOfDay(at, schedule.utcOffsetMinutes);
  const onAir = schedule.windows.some(
    (window) => window.flow === flowName && windowContains(window, minute),
  );
  return onAir ? "ACTIVE" : "STANDBY";
}
