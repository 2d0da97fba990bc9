/**
 * Turning zod's issues into the `{ property, reason }` failures Pulumi's `check` reports, and the
 * JSON hygiene every checked input needs.
 */
import type { z } from "zod";
import type { CheckFailure } from "./inputFields";

/**
 * The failures one zod issue stands for: an unknown key names itself and what is accepted there; a
 * missing value says "is required"; anything else keeps the schema's message.
 *
 * @param issue - one zod issue
 * @param accepted - what the object at a path accepts, for unknown keys (e.g. "flowId, desiredStatus")
 */
export function failuresOf(
  issue: z.core.$ZodIssue,
  accepted: (parentPath: readonly PropertyKey[]) => string,
): CheckFailure[] {
  if (issue.code === "unrecognized_keys") {
    const parent = issue.path.map(String).join(".");
    return issue.keys.map((key) => ({
      property: parent ? `${parent}.${key}` : key,
      reason: `unknown property "${key}"; ${accepted(issue.path)}`,
    }));
  }
  const property = issue.path.map(String).join(".") || "(inputs)";
  const reason =
    issue.code === "invalid_type" && issue.input === undefined
      ? `${property} is required`
      : issue.message;
  return [{ property, reason }];
}

/**
 * Whether a value is a plain JSON object.
 *
 * @param value - anything
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A copy without `undefined` members, at every depth: Pulumi's struct encoding rejects them.
 *
 * @param value - a JSON-like value
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) copy[key] = withoutUndefined(member);
  }
  return copy as T;
}
