// Run many Media Live flows on a daily schedule. Each `pulumi up` evaluates the schedule in stack
// config at the current time (or at `at`), and starts or stops each channel's flow to match, so a
// CI job that runs `pulumi up` every few minutes keeps the channels on air exactly in their windows.
import * as pulumi from "@pulumi/pulumi";
import { FlowActivation, ON_DELETE_MODES, type OnDeleteMode } from "pulumi-huaweicloud-medialive";
import { desiredStatusAt, parseEvaluationTime, parseFlows, parseSchedule } from "./schedule";

const config = new pulumi.Config();

function isOnDeleteMode(value: string): value is OnDeleteMode {
  return (ON_DELETE_MODES as readonly string[]).includes(value);
}

const onDelete = config.get("onDelete") || "stop";
if (!isOnDeleteMode(onDelete)) {
  throw new Error(`onDelete must be one of ${ON_DELETE_MODES.join(", ")}, got "${onDelete}"`);
}

const flows = parseFlows(config.requireObject<unknown>("flows"));
const schedule = parseSchedule(
  config.requireObject<unknown>("schedule"),
  [...flows.keys()],
  config.get("timeZone") || "UTC",
);
const at = parseEvaluationTime(config.get("at"), new Date());

const channels = [...flows].map(([channel, flowId]) => {
  const desiredStatus = desiredStatusAt(schedule, channel, at);
  const flow = new FlowActivation(channel, {
    flowId,
    desiredStatus,
    onDelete,
    // Short enough that one run ends before the next scheduled one starts.
    timeouts: { create: "2m", update: "2m", delete: "2m" },
  });
  return { channel, desiredStatus, flow };
});

/** The moment the schedule was evaluated at. */
export const evaluatedAt = at.toISOString();
/** Channel → the status the schedule asks for at `evaluatedAt`. */
export const desiredStatuses = Object.fromEntries(
  channels.map(({ channel, desiredStatus }) => [channel, desiredStatus]),
);
/** Channel → the status last observed from the API. */
export const statuses = pulumi.output(
  Object.fromEntries(channels.map(({ channel, flow }) => [channel, flow.status])),
);
