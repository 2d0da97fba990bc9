// Keep one Media Live flow running. `pulumi up` starts it if it is stopped, does nothing if it is
// already running, and restarts it after someone stops it in the console (with `--refresh`).
import * as pulumi from "@pulumi/pulumi";
import { FlowActivation } from "pulumi-huaweicloud-medialive";

const config = new pulumi.Config();
const desiredStatus = config.get("desiredStatus") ?? "ACTIVE";
if (desiredStatus !== "ACTIVE" && desiredStatus !== "STANDBY") {
  throw new Error(`desiredStatus must be ACTIVE or STANDBY, not ${desiredStatus}`);
}

const news = new FlowActivation("news", {
  flowId: config.require("flowId"),
  desiredStatus,
  // Destroying the stack stops the flow; "leave" or "restore" are the alternatives.
  onDelete: "stop",
  timeouts: { create: "2m", update: "2m", delete: "2m" },
});

export const flowName = news.flowName;
export const status = news.status;
export const statusBeforeActivation = news.statusBeforeActivation;
