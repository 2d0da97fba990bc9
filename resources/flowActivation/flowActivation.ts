/**
 * `FlowActivation`: a Huawei Cloud Media Live flow's running state, declared in a Pulumi stack.
 *
 * ```ts
 * import { FlowActivation } from "pulumi-huaweicloud-medialive";
 * const news = new FlowActivation("news", { flowId: "ec897482-…", desiredStatus: "ACTIVE" });
 * export const newsStatus = news.status; // "ACTIVE" | "STANDBY", as observed
 * ```
 */
import * as pulumi from "@pulumi/pulumi";
import * as dynamicProvider from "../../adapters/dynamicProvider";
import type { OnDeleteMode } from "./inputs";
import type { FlowStatus } from "../../client/schemas";
import type { SettingSource } from "../../settings/settings";

/** Timeouts of the operations that may wait on the API, as durations such as `"30s"` or `"5m"`. */
export interface FlowActivationTimeouts {
  /** Default `"5m"`. */
  create?: pulumi.Input<string>;
  /** Default `"5m"`. */
  update?: pulumi.Input<string>;
  /** Default `"5m"`. */
  delete?: pulumi.Input<string>;
}

/** Inputs of a {@link FlowActivation}. Credentials are never inputs: see the README's settings. */
export interface FlowActivationArgs {
  /** The flow to control (1–64 characters). Changing it replaces the resource. */
  flowId: pulumi.Input<string>;
  /** `"ACTIVE"` (running, the default) or `"STANDBY"` (stopped). */
  desiredStatus?: pulumi.Input<FlowStatus>;
  /** Project id; default: stack config `huaweicloud:projectId`, then `HW_PROJECT_ID`. Replaces on change. */
  projectId?: pulumi.Input<string>;
  /** Region id; default: `huaweicloud:region`, then `HW_REGION_NAME`. Replaces on change. */
  region?: pulumi.Input<string>;
  /**
   * Base URL instead of `https://live.{region}.myhuaweicloud.com`; default
   * `huaweicloud:liveEndpoint`, then `HW_LIVE_ENDPOINT`. `http://` only for loopback hosts.
   */
  endpoint?: pulumi.Input<string>;
  /** On destroy: `"stop"` the flow (default), `"leave"` it, or `"restore"` its earlier status. */
  onDelete?: pulumi.Input<OnDeleteMode>;
  /** How long create, update and delete may wait (Pulumi does not pass `customTimeouts` here). */
  timeouts?: pulumi.Input<FlowActivationTimeouts>;
}

/**
 * What Pulumi serializes into state as `__provider`: the exports object of this package's
 * `dynamic-provider` subpath itself. Closure serialization writes a module that an installed
 * package exports as a bare `require("pulumi-huaweicloud-medialive/dynamic-provider")`, so the
 * stored provider is a few hundred bytes, identical for every resource and release (an upgrade
 * shows no change, https://github.com/pulumi/pulumi/issues/12401), free of secrets, and refresh and
 * destroy of old resources run the installed implementation. State is saved again at every step,
 * so its size is paid per resource many times over in a large stack.
 */
const serializedProvider: pulumi.dynamic.ResourceProvider = dynamicProvider;

/** Declares that a Media Live flow should be running (`ACTIVE`) or stopped (`STANDBY`). */
export class FlowActivation extends pulumi.dynamic.Resource {
  /** The flow controlled. */
  declare readonly flowId: pulumi.Output<string>;
  /** The status declared. */
  declare readonly desiredStatus: pulumi.Output<FlowStatus>;
  /** The status last observed from the API, as reported (normally `ACTIVE` or `STANDBY`). */
  declare readonly status: pulumi.Output<string>;
  /** The flow's name. */
  declare readonly flowName: pulumi.Output<string>;
  /** The project the flow is in. */
  declare readonly projectId: pulumi.Output<string>;
  /** The configured region, or the flow's own when only an endpoint is configured. */
  declare readonly region: pulumi.Output<string>;
  /** The base URL the flow is reached at. */
  declare readonly endpoint: pulumi.Output<string>;
  /** What destroying this resource does to the flow. */
  declare readonly onDelete: pulumi.Output<OnDeleteMode>;
  /** The timeouts in force, defaults filled in. */
  declare readonly timeouts: pulumi.Output<{ create: string; update: string; delete: string }>;
  /** The status the flow had before this resource first touched it (what `restore` returns to). */
  declare readonly statusBeforeActivation: pulumi.Output<string>;
  /** Where projectId, region and endpoint came from. */
  declare readonly settingSources: pulumi.Output<{
    projectId: SettingSource;
    region: SettingSource | "flow";
    endpoint: SettingSource | "region";
  }>;

  /**
   * @param name - the resource name, unique in the stack
   * @param args - the flow and its desired status
   * @param opts - resource options (`protect`, `ignoreChanges`, `retainOnDelete`, `dependsOn`, …)
   */
  constructor(name: string, args: FlowActivationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider,
      name,
      {
        ...args,
        // Output-only properties are declared here (undefined) so that Pulumi exposes them.
        status: undefined,
        flowName: undefined,
        statusBeforeActivation: undefined,
        settingSources: undefined,
      },
      opts,
      "medialive",
      "FlowActivation",
    );
  }
}
