// The flows this repository owns, declared in the stack file and changed only through pull
// requests: CI previews every change on the PR (with a refresh, so drift shows too) and applies it
// when the PR merges. See .github/workflows/medialive.yml and README.md.
import * as pulumi from "@pulumi/pulumi";
import { FlowActivation, ON_DELETE_MODES, type OnDeleteMode } from "pulumi-huaweicloud-medialive";
import { parseFlowList } from "./flows";

const config = new pulumi.Config();

function isOnDeleteMode(value: string): value is OnDeleteMode {
  return (ON_DELETE_MODES as readonly string[]).includes(value);
}

const onDelete = config.get("onDelete") || "stop";
if (!isOnDeleteMode(onDelete)) {
  throw new Error(`onDelete must be one of ${ON_DELETE_MODES.join(", ")}, got "${onDelete}"`);
}

const flows = parseFlowList(config.requireObject<unknown>("flows")).map((entry) => ({
  name: entry.name,
  activation: new FlowActivation(
    entry.name,
    {
      flowId: entry.flowId,
      desiredStatus: entry.desiredStatus,
      onDelete,
      timeouts: { create: "3m", update: "3m", delete: "3m" },
    },
    {
      // `pulumi destroy` or removing the entry fails until `protect` is set back to false.
      protect: entry.protect,
      // Removing the entry (or destroying the stack) forgets the flow instead of running onDelete.
      retainOnDelete: entry.retainOnDelete,
      // The console owns the status after creation: neither a refresh that finds the flow stopped
      // nor a later edit of desiredStatus in the stack file makes `pulumi up` change it.
      ignoreChanges: entry.respectConsoleChanges ? ["desiredStatus"] : [],
    },
  ),
}));

/** Resource name → the status last observed from the API. */
export const statuses = pulumi.output(
  Object.fromEntries(flows.map(({ name, activation }) => [name, activation.status])),
);
/** Resource name → the flow's name in Media Live. */
export const flowNames = pulumi.output(
  Object.fromEntries(flows.map(({ name, activation }) => [name, activation.flowName])),
);
