/**
 * The inputs of a FlowActivation: one zod schema is the single source of truth for their types,
 * defaults and validation. {@link checkInputs} is the dynamic provider's `check`: offline, no network,
 * field-level failures naming the property, and tolerant of Pulumi's unknown-value sentinel (a value
 * that is not known yet during preview).
 */
import { z } from "zod";
import {
  DEFAULT_TIMEOUT,
  endpointField,
  projectIdField,
  regionField,
  timeoutsField,
  UNKNOWN_VALUE,
  type CheckFailure,
} from "../shared/inputFields";
import { failuresOf, isRecord, withoutUndefined } from "../shared/checkFailures";

export { DEFAULT_TIMEOUT, UNKNOWN_VALUE, type CheckFailure };

/** What destroying the activation does to the flow. */
export const ON_DELETE_MODES = ["stop", "leave", "restore"] as const;

/** What destroying the activation does to the flow. */
export type OnDeleteMode = (typeof ON_DELETE_MODES)[number];

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
  projectId: projectIdField,
  region: regionField,
  endpoint: endpointField,
  onDelete: z
    .enum(ON_DELETE_MODES, { error: 'onDelete must be "stop", "leave" or "restore"' })
    .default("stop"),
  timeouts: timeoutsField,
});

/** Checked inputs with defaults filled in (what the provider's create/update/diff receive). */
export type FlowActivationInputs = z.output<typeof flowActivationInputSchema>;

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
  const inputs: Record<string, unknown> = withoutUndefined<Record<string, unknown>>(parsed.data);
  for (const key of unknownKeys) inputs[key] = UNKNOWN_VALUE;
  return { inputs, failures: [] };
}

/** What FlowActivation accepts, named in an unknown-property failure. */
function accepted(): string {
  return "FlowActivation accepts flowId, desiredStatus, projectId, region, endpoint, onDelete and timeouts { create, update, delete }";
}

function toFailures(issue: z.core.$ZodIssue): CheckFailure[] {
  return failuresOf(issue, accepted);
}
