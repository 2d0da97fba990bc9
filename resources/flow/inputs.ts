/**
 * The inputs of a `Flow`: one zod schema is the single source of truth for their types, defaults and
 * validation. {@link checkFlowInputs} is the provider's `check`: offline, field-level failures that
 * name the property (`sources.main.listenerPort`), and tolerant of Pulumi's unknown-value sentinel
 * anywhere in the inputs (a passphrase from another resource is not known during preview).
 *
 * Sources and outputs are maps keyed by their names, the keys the API addresses them by
 * (`source_name`, `output_name`): a preview then names the item that changes, and a secret
 * passphrase stays a secret leaf instead of turning a whole list secret.
 */
import { z } from "zod";
import { ENCRYPTION_ALGORITHMS, KEY_TYPES, SRT_PROTOCOLS } from "../../client/flowItems";
import { failuresOf, isRecord, withoutUndefined } from "../shared/checkFailures";
import {
  endpointField,
  projectIdField,
  regionField,
  timeoutsField,
  UNKNOWN_VALUE,
  type CheckFailure,
} from "../shared/inputFields";

/** Names of flows, sources and outputs (the console's rule; the API pages state none). */
export const ITEM_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Ports the API refuses for a source (reference §2.A). */
export const RESERVED_SOURCE_PORTS: readonly number[] = [2077, 2088];

/** Latency bounds the API documents for outputs, in milliseconds. */
export const LATENCY_MS = { min: 10, max: 15_000 } as const;

/** The most CIDR blocks a whitelist may hold. */
export const MAX_CIDR_BLOCKS = 20;

const nameRule = "must start with a letter and hold at most 64 letters, digits, '-' or '_'";

const latency = z
  .number({ error: "must be a number of milliseconds" })
  .int("must be a whole number of milliseconds")
  .min(LATENCY_MS.min, `must be at least ${LATENCY_MS.min} ms`)
  .max(LATENCY_MS.max, `must be at most ${LATENCY_MS.max} ms`);

const port = z
  .number({ error: "must be a port number" })
  .int("must be a whole number")
  .min(1, "must be 1-65535")
  .max(65_535, "must be 1-65535");

const cidrBlock = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR block such as 203.0.113.0/24");

const cidrWhitelist = z
  .array(cidrBlock)
  .max(MAX_CIDR_BLOCKS, `must hold at most ${MAX_CIDR_BLOCKS} CIDR blocks`);

/** SRT encryption: only `srt-password` is supported by the API today (reference §2.A). */
const encryption = z.strictObject({
  passphrase: z
    .string({ error: "passphrase must be a string" })
    .min(10, "passphrase must be 10-79 characters (SRT's limit)")
    .max(79, "passphrase must be 10-79 characters (SRT's limit)"),
  keyType: z
    .enum(KEY_TYPES, { error: `keyType must be one of ${KEY_TYPES.join(", ")}` })
    .refine((value) => value === "srt-password", "only srt-password is supported by the API")
    .default("srt-password"),
  algorithm: z
    .enum(ENCRYPTION_ALGORITHMS, {
      error: `algorithm must be one of ${ENCRYPTION_ALGORITHMS.join(", ")}`,
    })
    .optional(),
});

const protocol = z.enum(SRT_PROTOCOLS, {
  error: 'protocol must be "srt-listener" or "srt-caller"',
});

/** Reports each of `keys` that `item` lacks, as required for an srt-caller `what`. */
function requireFields<T extends object>(
  item: T,
  keys: readonly (keyof T & string)[],
  what: string,
  context: z.RefinementCtx,
): void {
  for (const key of keys) {
    if (item[key] === undefined) {
      context.addIssue({
        code: "custom",
        path: [key],
        message: `${key} is required for an srt-caller ${what}`,
      });
    }
  }
}

/** One source of a flow. */
export const flowSourceInputSchema = z
  .strictObject({
    protocol,
    /** For `srt-caller`: the address the flow pulls from. */
    address: z.string().min(1, "address must not be empty").max(64).optional(),
    port: port
      .refine((value) => !RESERVED_SOURCE_PORTS.includes(value), "2077 and 2088 are reserved")
      .optional(),
    streamId: z.string().max(512).optional(),
    minLatency: latency.optional(),
    cidrWhitelist: cidrWhitelist.optional(),
    description: z.string().max(256).optional(),
    decryption: encryption.optional(),
  })
  .superRefine((source, context) => {
    if (source.protocol !== "srt-caller") {
      if (source.address !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["address"],
          message: "address is for srt-caller sources; a listener's address is assigned by the API",
        });
      }
      return;
    }
    requireFields(source, ["address", "port"], "source (where the flow pulls from)", context);
  });

/** One output of a flow. */
export const flowOutputInputSchema = z
  .strictObject({
    protocol,
    /** For `srt-caller`: where the flow pushes to (IP or domain). */
    destination: z.string().min(1, "destination must not be empty").max(64).optional(),
    port: port.optional(),
    streamId: z.string().max(512).optional(),
    cidrWhitelist: cidrWhitelist.optional(),
    encryption: encryption.optional(),
    enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
    description: z.string().max(256).optional(),
    minLatency: latency.optional(),
  })
  .superRefine((output, context) => {
    if (output.protocol === "srt-caller") {
      requireFields(output, ["destination", "port"], "output (where the flow pushes to)", context);
    } else if (output.streamId !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["streamId"],
        message: "streamId is for srt-caller outputs only (the API's rule)",
      });
    }
  });

const itemName = z.string().regex(ITEM_NAME_PATTERN, `names ${nameRule}`);

/** The message of a failure on a map of items: its key, or the map itself. */
function mapError(item: "source" | "output"): (issue: { code?: string }) => string {
  return (issue) =>
    issue.code === "invalid_key"
      ? `${item} names ${nameRule}`
      : `${item}s must map ${item} names to ${item}s`;
}

/** Schema of the checked inputs; defaults are filled in. */
export const flowInputSchema = z.strictObject({
  name: z.string({ error: "name must be a string" }).regex(ITEM_NAME_PATTERN, `name ${nameRule}`),
  region: regionField,
  projectId: projectIdField,
  endpoint: endpointField,
  sources: z
    .record(itemName, flowSourceInputSchema, { error: mapError("source") })
    .refine((sources) => {
      const count = Object.keys(sources).length;
      return count >= 1 && count <= 2;
    }, "a flow has one or two sources"),
  outputs: z.record(itemName, flowOutputInputSchema, { error: mapError("output") }).default({}),
  existingFlowId: z
    .string()
    .min(1, "existingFlowId must not be empty")
    .max(64, "existingFlowId must be at most 64 characters (the API's limit)")
    .optional(),
  timeouts: timeoutsField,
});

/** Checked inputs of a Flow, defaults filled in. */
export type FlowInputs = z.output<typeof flowInputSchema>;

/** One checked source. */
export type FlowSourceInput = z.output<typeof flowSourceInputSchema>;

/** One checked output. */
export type FlowOutputInput = z.output<typeof flowOutputInputSchema>;

/** What the Flow's objects accept, for unknown-property failures. */
const ACCEPTED: Readonly<Record<string, string>> = {
  flow: "Flow accepts name, region, projectId, endpoint, sources, outputs, existingFlowId and timeouts",
  sources:
    "a source accepts protocol, address, port, streamId, minLatency, cidrWhitelist, description and decryption",
  outputs:
    "an output accepts protocol, destination, port, streamId, cidrWhitelist, encryption, enabled, description and minLatency",
  encryption: "encryption accepts passphrase, keyType and algorithm",
  timeouts: "timeouts accepts create, update and delete",
};

function accepted(path: readonly PropertyKey[]): string {
  const [top] = path;
  if (path.length === 0) return ACCEPTED.flow!;
  if (top === "timeouts") return ACCEPTED.timeouts!;
  if (path.length === 2 && (top === "sources" || top === "outputs")) return ACCEPTED[top]!;
  return ACCEPTED.encryption!;
}

/** The outcome of {@link checkFlowInputs}. */
export interface FlowCheckOutcome {
  readonly inputs: Record<string, unknown>;
  readonly failures: readonly CheckFailure[];
}

/** Stand-ins tried, in order, for an unknown value until the schema accepts the spot it fills. */
const PLACEHOLDERS: readonly unknown[] = ["unknown-value", 2000, true];

type Path = readonly (string | number)[];

function unknownPaths(value: unknown, path: Path = []): Path[] {
  if (value === UNKNOWN_VALUE) return [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => unknownPaths(item, [...path, index]));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, member]) => unknownPaths(member, [...path, key]));
}

function withValueAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (
    Array.isArray(root) ? [...(root as unknown[])] : { ...(root as Record<string, unknown>) }
  ) as Record<string | number, unknown>;
  container[head!] = withValueAt(container[head!], rest, value);
  return container;
}

function samePath(left: readonly PropertyKey[], right: Path): boolean {
  return left.length === right.length && left.every((key, index) => key === right[index]);
}

/** Drops `null` and `undefined` members (an unset optional input) at every depth. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== null && member !== undefined) copy[key] = withoutNulls(member);
  }
  return copy;
}

/**
 * Validates and normalizes a Flow's raw inputs (the provider's `check`). Pure and offline. A value
 * still unknown during preview is validated as if it were any acceptable value and stays unknown in
 * the result.
 *
 * @param news - the inputs as Pulumi sends them (`__provider` is ignored)
 */
export function checkFlowInputs(news: Readonly<Record<string, unknown>>): FlowCheckOutcome {
  const rest: Record<string, unknown> = { ...news };
  delete rest["__provider"];
  const raw = withoutNulls(rest) as Record<string, unknown>;
  const unknowns = unknownPaths(raw);
  const choice = new Map<Path, number>(unknowns.map((path) => [path, 0]));
  const candidateFor = (): unknown =>
    unknowns.reduce<unknown>(
      (value, path) => withValueAt(value, path, PLACEHOLDERS[choice.get(path)!]),
      raw,
    );
  let parsed = flowInputSchema.safeParse(candidateFor(), { reportInput: true });
  // Each round moves every unknown spot the schema refused on to its next stand-in.
  for (let round = 1; !parsed.success && round < PLACEHOLDERS.length; round++) {
    const refused = unknowns.filter((path) =>
      parsed.error!.issues.some((issue) => samePath(issue.path, path)),
    );
    if (refused.length === 0) break;
    for (const path of refused) choice.set(path, round);
    parsed = flowInputSchema.safeParse(candidateFor(), { reportInput: true });
  }
  if (!parsed.success) {
    const failures = parsed.error.issues
      .filter((issue) => !unknowns.some((path) => samePath(issue.path, path)))
      .flatMap((issue) => failuresOf(issue, accepted));
    // Only unknown values were refused: nothing to report until they are known.
    return { inputs: { ...news }, failures };
  }
  let inputs: unknown = withoutUndefined(parsed.data);
  for (const path of unknowns) inputs = withValueAt(inputs, path, UNKNOWN_VALUE);
  return { inputs: inputs as Record<string, unknown>, failures: [] };
}
