// A whole live channel as code: one Media Live flow with an encrypted SRT feed from the studio, a
// backup feed pulled from the remote truck, a push to the CDN and a pull point for the monitoring
// wall, and its running state on top. `pulumi up` creates the flow, then starts it.
import * as pulumi from "@pulumi/pulumi";
import { Flow, FlowActivation } from "pulumi-huaweicloud-medialive";

const config = new pulumi.Config();

const flow = new Flow("channel", {
  name: config.get("flowName") ?? "evening-news",
  sources: {
    // The studio encoder pushes here (the listener address is assigned; see `ingest` below).
    studio: {
      protocol: "srt-listener",
      minLatency: 1200,
      cidrWhitelist: ["198.51.100.0/24"],
      decryption: { passphrase: config.requireSecret("srtPassphrase"), algorithm: "aes256" },
    },
    // The remote truck's encoder, pulled by the flow.
    truck: { protocol: "srt-caller", address: "203.0.113.20", port: 7001, minLatency: 2000 },
  },
  outputs: {
    cdn: {
      protocol: "srt-caller",
      destination: config.require("cdnHost"),
      port: config.getNumber("cdnPort") ?? 9000,
      streamId: "evening-news/main",
    },
    monitoring: { protocol: "srt-listener", minLatency: 500, cidrWhitelist: ["10.20.0.0/16"] },
  },
  timeouts: { create: "2m", update: "2m", delete: "3m" },
});

const onAir = new FlowActivation("on-air", {
  flowId: flow.flowId,
  desiredStatus: config.getBoolean("onAir") === false ? "STANDBY" : "ACTIVE",
  onDelete: "stop",
});

/** The flow's id. */
export const flowId = flow.flowId;
/** Where the studio pushes and where the truck is pulled from, with their health. */
export const ingest = flow.sourceEndpoints;
/** Where the monitoring wall pulls from, and the CDN push, with their health. */
export const outputs = flow.outputEndpoints;
/** The flow's status as last observed. */
export const status = onAir.status;
