/**
 * The inputs of a FlowActivation: one zod schema is the single source of truth for their types,
 * defaults and validation. {@link checkInputs} is the dynamic provider's `check`: offline, no network,
 * field-level failures naming the property, and tolerant of Pulumi's unknown-value sentinel (a value
 * that is not known yet during preview).
 */
import { z } from "zod";
import { timeoutProblem } from "../../settings/durations";
import { endpointProblem, REGION_PATTERN } from "../../client/endpoint";

/**
 * The value Pulumi sends for an input that is not known yet during preview (for example the output
 * of another resource). https://github.com/pulumi/pulumi/issues/6310
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What destroying the activation does to the flow. */
export const ON_DELETE_MODES = ["stop", "leave", "restore"] as const;

/** What destroying the activation does to the flow. */
export type OnDeleteMode = (typeof ON_DELETE_MODES)[number];

/** The timeout applied to create, update and delete when none is given. */
export const DEFAULT_TIMEOUT = "5m";

const duration = z.string().superRefine((value, context) => {
  const problem = timeoutProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

/** Schema of the checked inputs; defaults are filled in. */
export const flowActivationInputSchema = z.strictObject({
  flowId: z
    .string({ error: "flowId must be a string" })
    .min(1, "flowId must not be empty")
    .max(64, "flowId must be at most 64 characters (the API's limit)")
    .regex(/^[\x21-\x7e]*$/, "flowId must be printable ASCII without spaces"),
  desiredStatus: z
    .enum(["ACTIVE", "STANDBY"], { error: 'desiredStatus must be "ACTIVE" or "STANDBY"' })
    .default("ACTIVE"),
  projectId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "projectId must be 1-64 letters, digits, '-' or '_'")
    .optional(),
  region: z
    .string()
    .regex(REGION_PATTERN, "region must be a region id such as ap-southeast-3")
    .optional(),
  endpoint: z
    .string()
    .superRefine((value, context) => {
      const problem = endpointProblem(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .transform((value) => value.replace(/\/+$/, ""))
    .optional(),
  onDelete: z
    .enum(ON_DELETE_MODES, { error: 'onDelete must be "stop", "leave" or "restore"' })
    .default("stop"),
  timeouts: z
    .strictObject({
      create: duration.default(DEFAULT_TIMEOUT),
      update: duration.default(DEFAULT_TIMEOUT),
      delete: duration.default(DEFAULT_TIMEOUT),
    })
    .default({ create: DEFAULT_TIMEOUT, update: DEFAULT_TIMEOUT, delete: DEFAULT_TIMEOUT }),
});

/** Checked inputs with defaults filled in (what the provider's create/update/diff receive). */
export type FlowActivationInputs = z.output<typeof flowActivationInputSchema>;

/** One failed input, as Pulumi's `check` reports it. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Result of {@link checkInputs}: normalized inputs, or failures. */
export type CheckOutcome =
  | { readonly inputs: Record<string, unknown>; readonly failures: readonly [] }
  | { readonly inputs: Record<string, unknown>; readonly failures: readonly CheckFailure[] };

/** Stand-ins that satisfy the schema while the real value is unknown (preview only). */
const PLACEHOLDERS: Readonly<Record<string, unknown>> = {
  flowId: "unknown",
  desiredStatus: "ACTIVE",
  projectId: "unknown",
  region: "xx-unknown-1",
  endpoint: "https://unknown.invalid",
  onDelete: "stop",
  timeouts: {},
};

/**
 * Validates and normalizes raw resource inputs (the dynamic provider's `check`). Pure and offline.
 * Values still unknown during preview are passed through unvalidated.
 *
 * @param news - the inputs as Pulumi sends them (`__provider` is ignored)
 */
export function checkInputs(news: Readonly<Record<string, unknown>>): CheckOutcome {
  const candidate: Record<string, unknown> = {};
  const unknownKeys: string[] = [];
  for (const [key, value] of Object.entries(news)) {
    if (key === "__provider" || value === undefined || value === null) continue;
    if (value === UNKNOWN_VALUE && key in PLACEHOLDERS) {
      unknownKeys.push(key);
      candidate[key] = PLACEHOLDERS[key];
    } else if (key === "timeouts" && isRecord(value)) {
      // A single unknown timeout (e.g. from config of another stack) is tolerated the same way.
      const timeouts: Record<string, unknown> = {};
      for (const [name, timeout] of Object.entries(value)) {
        if (timeout !== UNKNOWN_VALUE && timeout !== undefined && timeout !== null) {
          timeouts[name] = timeout;
        }
      }
      candidate[key] = timeouts;
    } else {
      candidate[key] = value;
    }
  }
  const parsed = flowActivationInputSchema.safeParse(candidate, { reportInput: true });
  if (!parsed.success) {
    return { inputs: { ...news }, failures: parsed.error.issues.flatMap(toFailures) };
  }
  const inputs: Record<string, unknown> = withoutUndefined(parsed.data);
  for (const key of unknownKeys) inputs[key] = UNKNOWN_VALUE;
  return { inputs, failures: [] };
}

function toFailures(issue: z.core.$ZodIssue): CheckFailure[] {
  if (issue.code === "unrecognized_keys") {
    const parent = issue.path.join(".");
    return issue.keys.map((key) => ({
      property: parent ? `${parent}.${key}` : key,
      reason: `unknown property "${key}"; FlowActivation accepts flowId, desiredStatus, projectId, region, endpoint, onDelete and timeouts { create, update, delete }`,
    }));
  }
  const property = issue.path.map(String).join(".") || "(inputs)";
  const reason =
    issue.code === "invalid_type" && issue.input === undefined
      ? `${property} is required`
      : issue.message;
  return [{ property, reason }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Drops `undefined` members: Pulumi's struct encoding rejects them. */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) copy[key] = member;
  }
  return copy;
}
