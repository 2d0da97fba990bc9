/**
 * Pulumi's provider host driven directly, one RPC at a time, for suites that need many small
 * scenarios (the fault matrix, the bad-input corpus). The serialized provider comes from a real
 * program run (a preview through the local engine), so every call goes through the same shim,
 * host and wire format as a deployment.
 */
import { ProviderHost, ProviderRpcError, type PropertyMap } from "../../engine/providerHost";
import type { Simulator } from "../../simulator";
import { consumerProject } from "./consumer";
import { TestStack, type StackCredentials } from "./stack";

let serializedProvider: Promise<string> | undefined;

/** The `__provider` text a program serializes (from one preview; memoized per test run). */
export function providerText(simulator: Simulator, credentials: StackCredentials): Promise<string> {
  serializedProvider ??= (async () => {
    const stack = new TestStack(simulator, credentials, [
      { name: "probe", args: { flowId: "probe" } },
    ]);
    const preview = await stack.run("preview");
    const provider = preview.steps[0]?.outputs?.__provider;
    if (typeof provider !== "string")
      throw new Error(`no __provider in preview: ${preview.errors.join("; ")}`);
    return provider;
  })();
  return serializedProvider;
}

/** Starts a host in the consumer project and configures it with `config` (all values secret-free). */
export async function startConfiguredHost(
  config: Record<string, string>,
  secretKeys: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<ProviderHost> {
  const host = await ProviderHost.start({
    projectDir: consumerProject().dir,
    env: {
      ...env,
      PULUMI_CONFIG: JSON.stringify(config),
      // The host must not find credentials in the test runner's own environment.
      HW_ACCESS_KEY: "",
      HW_SECRET_KEY: "",
      HW_AUTH_TOKEN: "",
      HW_PROJECT_ID: "",
      HW_REGION_NAME: "",
      HW_LIVE_ENDPOINT: "",
    },
  });
  await host.configure(config, secretKeys);
  return host;
}

/** A resource as the engine keeps it. */
export interface HostResource {
  readonly id: string;
  readonly inputs: PropertyMap;
  readonly outputs: PropertyMap;
}

/** The outcome of one engine step against the host. */
export type StepOutcome =
  | { readonly ok: true; readonly resource: HostResource | undefined }
  | {
      readonly ok: false;
      readonly error: ProviderRpcError;
      readonly resource: HostResource | undefined;
    };

/** The URN every direct-host resource uses (one resource per scenario). */
export const URN =
  "urn:pulumi:test::medialive-tests::pulumi-nodejs:dynamic/medialive:FlowActivation::cell";

/**
 * What the engine does for a registration: Check, then Create (no state) or Diff + Update; a
 * partial failure becomes the new state. Returns the state after the step.
 */
export async function applyStep(
  host: ProviderHost,
  state: HostResource | undefined,
  news: PropertyMap,
): Promise<StepOutcome> {
  const checked = await host.check(URN, state?.inputs ?? {}, news);
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
  const inputs = checked.inputs;
  try {
    if (!state) {
      const created = await host.create(URN, inputs);
      return { ok: true, resource: { id: created.id, inputs, outputs: created.properties } };
    }
    const diff = await host.diff(state.id, URN, state.outputs, inputs, state.inputs);
    if (diff.changes !== "some") return { ok: true, resource: { ...state, inputs } };
    const updated = await host.update(state.id, URN, state.outputs, inputs, state.inputs);
    return { ok: true, resource: { id: state.id, inputs, outputs: updated.properties } };
  } catch (error) {
    if (!(error instanceof ProviderRpcError)) throw error;
    const partial = error.partial
      ? { id: error.partial.id, inputs: state?.inputs ?? inputs, outputs: error.partial.properties }
      : state;
    return { ok: false, error, resource: partial };
  }
}

/** Refresh: Read; an empty id means the resource leaves the state. */
export async function refreshStep(host: ProviderHost, state: HostResource): Promise<StepOutcome> {
  try {
    const read = await host.read(state.id, URN, state.outputs, state.inputs);
    if (read.id === "") return { ok: true, resource: undefined };
    return {
      ok: true,
      resource: { id: read.id, inputs: read.inputs ?? state.inputs, outputs: read.properties },
    };
  } catch (error) {
    if (!(error instanceof ProviderRpcError)) throw error;
    return { ok: false, error, resource: state };
  }
}

/** Destroy: Delete with the stored outputs. */
export async function deleteStep(host: ProviderHost, state: HostResource): Promise<StepOutcome> {
  try {
    await host.delete(state.id, URN, state.outputs, state.inputs);
    return { ok: true, resource: undefined };
  } catch (error) {
    if (!(error instanceof ProviderRpcError)) throw error;
    return { ok: false, error, resource: state };
  }
}
