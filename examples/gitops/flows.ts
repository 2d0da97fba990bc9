/**
 * The `flows` stack config of the GitOps example: the list of flows this repository owns, each
 * with its desired status and how much of its lifecycle Pulumi controls. Pure validation, unit
 * tested without a stack; errors name the entry at fault.
 */

/** One flow as declared in the stack file, defaults filled in. */
export interface FlowEntry {
  /** Resource name in the stack (and key of the `statuses` output). */
  readonly name: string;
  /** The Media Live flow id. */
  readonly flowId: string;
  /** `ACTIVE` (running, the default) or `STANDBY` (stopped). */
  readonly desiredStatus: "ACTIVE" | "STANDBY";
  /** Refuse to delete the resource (and so to run `onDelete`) until unprotected. Default false. */
  readonly protect: boolean;
  /**
   * Apply `desiredStatus` when the resource is created, then leave the status to whoever changes
   * it in the console (`ignoreChanges: ["desiredStatus"]`). Default false.
   */
  readonly respectConsoleChanges: boolean;
  /** Removing the entry forgets the flow without running `onDelete`. Default false. */
  readonly retainOnDelete: boolean;
}

/** Invalid `flows` config; the message names the entry and the field. */
export class FlowConfigError extends Error {
  override readonly name = "FlowConfigError";
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEYS = [
  "name",
  "flowId",
  "desiredStatus",
  "protect",
  "respectConsoleChanges",
  "retainOnDelete",
] as const;
const BOOLEAN_KEYS = ["protect", "respectConsoleChanges", "retainOnDelete"] as const;

function quote(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates the `flows` config: a non-empty list of `{ name, flowId, desiredStatus?, protect?,
 * respectConsoleChanges?, retainOnDelete? }` with unique names and flow ids.
 *
 * @param value - the parsed `flows` config value
 * @throws FlowConfigError naming the first bad entry (`flows[1] {...}: …`)
 */
export function parseFlowList(value: unknown): FlowEntry[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new FlowConfigError(
      `flows must be a non-empty list of { name, flowId, desiredStatus }, got ${quote(value)}`,
    );
  }
  const names = new Set<string>();
  const flowIds = new Set<string>();
  return value.map((entry: unknown, index): FlowEntry => {
    const where = `flows[${index}] ${quote(entry)}`;
    if (!isPlainObject(entry)) {
      throw new FlowConfigError(`${where}: each entry must be an object { name, flowId, … }`);
    }
    const unknownKey = Object.keys(entry).find((key) => !(KEYS as readonly string[]).includes(key));
    if (unknownKey !== undefined) {
      throw new FlowConfigError(
        `${where}: unknown key "${unknownKey}"; an entry accepts ${KEYS.join(", ")}`,
      );
    }
    const { name, flowId, desiredStatus = "ACTIVE" } = entry;
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new FlowConfigError(
        `${where}: name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    if (names.has(name)) throw new FlowConfigError(`${where}: name ${name} is used twice`);
    if (typeof flowId !== "string" || flowId.trim() === "" || flowId.length > 64) {
      throw new FlowConfigError(
        `${where}: flowId must be a non-empty string of at most 64 characters`,
      );
    }
    // Two resources on one flow would undo each other's changes on every `pulumi up`.
    if (flowIds.has(flowId)) throw new FlowConfigError(`${where}: flow ${flowId} is listed twice`);
    if (desiredStatus !== "ACTIVE" && desiredStatus !== "STANDBY") {
      throw new FlowConfigError(
        `${where}: desiredStatus must be "ACTIVE" or "STANDBY", got ${quote(desiredStatus)}`,
      );
    }
    for (const key of BOOLEAN_KEYS) {
      if (entry[key] !== undefined && typeof entry[key] !== "boolean") {
        throw new FlowConfigError(
          `${where}: ${key} must be true or false, got ${quote(entry[key])}`,
        );
      }
    }
    names.add(name);
    flowIds.add(flowId);
    return {
      name,
      flowId,
      desiredStatus,
      protect: entry.protect === true,
      respectConsoleChanges: entry.respectConsoleChanges === true,
      retainOnDelete: entry.retainOnDelete === true,
    };
  });
}
