/**
 * `Flow`: a Huawei Cloud Media Live flow — its SRT sources and outputs — declared in a Pulumi stack.
 *
 * ```ts
 * import { Flow, FlowActivation } from "pulumi-huaweicloud-medialive";
 * const flow = new Flow("news", {
 *   name: "news",
 *   sources: { main: { protocol: "srt-listener", decryption: { passphrase: cfg.requireSecret("srtKey") } } },
 *   outputs: { cdn: { protocol: "srt-caller", destination: "cdn.example.com", port: 9000 } },
 * });
 * new FlowActivation("news-live", { flowId: flow.flowId, desiredStatus: "ACTIVE" });
 * ```
 */
import * as pulumi from "@pulumi/pulumi";
import * as dynamicProvider from "../../adapters/dynamicProvider/flow";
import type { SrtProtocol } from "../../client/flowItems";
import type { OutputEndpoint, SourceEndpoint } from "./plan";

/** SRT encryption of a source or an output. The passphrase is always stored as a Pulumi secret. */
export interface SrtEncryptionArgs {
  /** 10–79 characters. Marked secret by the resource even when given as plain text. */
  passphrase: pulumi.Input<string>;
  /** `"srt-password"` (the default; the only key type the API supports today). */
  keyType?: pulumi.Input<"srt-password">;
  /** `"aes128"`, `"aes192"` or `"aes256"`. */
  algorithm?: pulumi.Input<"aes128" | "aes192" | "aes256">;
}

/** One source of a flow: where its stream comes from. */
export interface FlowSourceArgs {
  /** `"srt-listener"`: the flow listens and your encoder pushes; `"srt-caller"`: the flow pulls. */
  protocol: pulumi.Input<SrtProtocol>;
  /** srt-caller only: the address to pull from (required there). */
  address?: pulumi.Input<string>;
  /** srt-caller: the port to pull from (required); srt-listener: the port to listen on (assigned when left out). Not 2077 or 2088. */
  port?: pulumi.Input<number>;
  /** SRT stream id. */
  streamId?: pulumi.Input<string>;
  /** Minimum latency in milliseconds (10–15000). */
  minLatency?: pulumi.Input<number>;
  /** CIDR blocks allowed to push (at most 20). */
  cidrWhitelist?: pulumi.Input<pulumi.Input<string>[]>;
  /** Free text (at most 256 characters). */
  description?: pulumi.Input<string>;
  /** SRT decryption of the incoming stream. */
  decryption?: pulumi.Input<SrtEncryptionArgs>;
}

/** One output of a flow: where its stream goes. */
export interface FlowOutputArgs {
  /** `"srt-caller"`: the flow pushes to `destination:port`; `"srt-listener"`: the other side pulls. */
  protocol: pulumi.Input<SrtProtocol>;
  /** srt-caller only: where to push (IP or domain; required there). */
  destination?: pulumi.Input<string>;
  /** srt-caller: the port pushed to (required); srt-listener: the port listened on (assigned when left out). */
  port?: pulumi.Input<number>;
  /** srt-caller only: SRT stream id. */
  streamId?: pulumi.Input<string>;
  /** CIDR blocks allowed to pull (at most 20). */
  cidrWhitelist?: pulumi.Input<pulumi.Input<string>[]>;
  /** SRT encryption of the outgoing stream. */
  encryption?: pulumi.Input<SrtEncryptionArgs>;
  /** Whether the output relays (default true). */
  enabled?: pulumi.Input<boolean>;
  /** Free text (at most 256 characters). */
  description?: pulumi.Input<string>;
  /** Minimum latency in milliseconds (10–15000; the API's default is 2000). */
  minLatency?: pulumi.Input<number>;
}

/** Timeouts of the operations that call the API, as durations such as `"30s"` or `"5m"`. */
export interface FlowTimeouts {
  /** Default `"5m"`. */
  create?: pulumi.Input<string>;
  /** Default `"5m"`. */
  update?: pulumi.Input<string>;
  /** Default `"5m"`. */
  delete?: pulumi.Input<string>;
}

/** Inputs of a {@link Flow}. Credentials are never inputs: see the README's settings. */
export interface FlowArgs {
  /** The flow's name, unique in the project (starts with a letter; ≤ 64 letters, digits, `-`, `_`). Replaces on change. */
  name: pulumi.Input<string>;
  /** The flow's region; default: `huaweicloud:region`, then `HW_REGION_NAME`. Replaces on change. */
  region?: pulumi.Input<string>;
  /** Project id; default: `huaweicloud:projectId`, then `HW_PROJECT_ID`. Replaces on change. */
  projectId?: pulumi.Input<string>;
  /** Base URL instead of `https://live.{region}.myhuaweicloud.com`. Replaces on change. */
  endpoint?: pulumi.Input<string>;
  /** One or two sources, keyed by source name. Adding, removing or renaming one replaces the flow. */
  sources: pulumi.Input<Record<string, pulumi.Input<FlowSourceArgs>>>;
  /** Outputs keyed by output name; each is created, modified or deleted on its own. */
  outputs?: pulumi.Input<Record<string, pulumi.Input<FlowOutputArgs>>>;
  /** Adopt this existing flow instead of creating one (`pulumi import` cannot reach a dynamic resource). */
  existingFlowId?: pulumi.Input<string>;
  /** How long create, update and delete may wait. */
  timeouts?: pulumi.Input<FlowTimeouts>;
}

/**
 * What Pulumi serializes into state as `__provider`: the exports object of this package's
 * `dynamic-provider/flow` subpath, written as one bare `require` (see FlowActivation's note).
 */
const serializedProvider: pulumi.dynamic.ResourceProvider = dynamicProvider;

/** Marks one encryption's passphrase secret, keeping the rest readable in previews. */
function withSecretPassphrase(
  encryption: pulumi.Input<SrtEncryptionArgs> | undefined,
): pulumi.Input<SrtEncryptionArgs> | undefined {
  if (encryption === undefined) return undefined;
  if (pulumi.Output.isInstance(encryption)) {
    return pulumi.secret(encryption) as pulumi.Output<SrtEncryptionArgs>;
  }
  const plain = encryption as SrtEncryptionArgs;
  return { ...plain, passphrase: pulumi.secret(plain.passphrase) };
}

/**
 * Marks every passphrase secret at its own leaf where the structure is plain, so Pulumi stores it
 * encrypted and shows `[secret]` for it alone; an item given as a whole Output becomes secret whole.
 */
function withSecretPassphrases<T extends { decryption?: unknown; encryption?: unknown }>(
  items: pulumi.Input<Record<string, pulumi.Input<T>>> | undefined,
  key: "decryption" | "encryption",
): pulumi.Input<Record<string, pulumi.Input<T>>> | undefined {
  if (items === undefined || pulumi.Output.isInstance(items)) return items;
  const plain = items as Record<string, pulumi.Input<T>>;
  const result: Record<string, pulumi.Input<T>> = {};
  for (const [name, item] of Object.entries(plain)) {
    if (pulumi.Output.isInstance(item) || (item as T)[key] === undefined) {
      result[name] = item;
      continue;
    }
    result[name] = {
      ...(item as T),
      [key]: withSecretPassphrase((item as T)[key] as pulumi.Input<SrtEncryptionArgs>),
    };
  }
  return result;
}

/** Declares a Media Live flow with its SRT sources and outputs. */
export class Flow extends pulumi.dynamic.Resource {
  /**
   * The flow's id, assigned by the API: the resource's own id, which (unlike an output property)
   * stays known while an update of this flow is previewed, so a `FlowActivation` of it shows no
   * change in that preview.
   */
  readonly flowId: pulumi.Output<string>;
  /** The flow's status as last observed (a FlowActivation may have changed it since). */
  declare readonly status: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly endpoint: pulumi.Output<string>;
  /** Where each source is reached (listener address and port to push to) and its health. */
  declare readonly sourceEndpoints: pulumi.Output<Record<string, SourceEndpoint>>;
  /** Where each output is reached and its health. */
  declare readonly outputEndpoints: pulumi.Output<Record<string, OutputEndpoint>>;

  /**
   * @param name - the resource name, unique in the stack
   * @param args - the flow's name, sources and outputs
   * @param opts - resource options
   */
  constructor(name: string, args: FlowArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider,
      name,
      {
        ...args,
        sources: withSecretPassphrases(args.sources, "decryption"),
        outputs: withSecretPassphrases(args.outputs, "encryption"),
        // Output-only properties are declared here (undefined) so that Pulumi exposes them.
        status: undefined,
        sourceEndpoints: undefined,
        outputEndpoints: undefined,
      },
      opts,
      "medialive",
      "Flow",
    );
    this.flowId = this.id;
  }
}
