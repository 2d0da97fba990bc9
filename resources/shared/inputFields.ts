/**
 * zod fields that every resource's inputs share: where the flow is (project, region, endpoint) and
 * how long operations may take. One definition, so the resources validate them alike.
 */
import { z } from "zod";
import { endpointProblem, REGION_PATTERN } from "../../client/endpoint";
import { timeoutProblem } from "../../settings/durations";

/**
 * The value Pulumi sends for an input that is not known yet during preview (for example the output
 * of another resource). https://github.com/pulumi/pulumi/issues/6310
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The timeout applied to create, update and delete when none is given. */
export const DEFAULT_TIMEOUT = "5m";

/** A duration such as `"30s"` or `"5m"`. */
export const duration = z.string().superRefine((value, context) => {
  const problem = timeoutProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

/** Project id input. */
export const projectIdField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "projectId must be 1-64 letters, digits, '-' or '_'")
  .optional();

/** Region id input. */
export const regionField = z
  .string()
  .regex(REGION_PATTERN, "region must be a region id such as ap-southeast-3")
  .optional();

/** Endpoint input: an https URL (http only on loopback), trailing slashes dropped. */
export const endpointField = z
  .string()
  .superRefine((value, context) => {
    const problem = endpointProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  })
  .transform((value) => value.replace(/\/+$/, ""))
  .optional();

/** `timeouts { create, update, delete }`, each defaulting to {@link DEFAULT_TIMEOUT}. */
export const timeoutsField = z
  .strictObject({
    create: duration.default(DEFAULT_TIMEOUT),
    update: duration.default(DEFAULT_TIMEOUT),
    delete: duration.default(DEFAULT_TIMEOUT),
  })
  .default({ create: DEFAULT_TIMEOUT, update: DEFAULT_TIMEOUT, delete: DEFAULT_TIMEOUT });

/** One failed input, as Pulumi's `check` reports it. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}
