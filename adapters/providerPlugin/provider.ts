/**
 * The provider object `@pulumi/pulumi/provider`'s `main` serves: each gRPC resource method is
 * routed by the resource's type token to that resource's lifecycle functions, unchanged, with the
 * few translations the plugin needs and the dynamic host did for itself:
 *
 * - errors name this plugin's config keys (`huaweicloud-medialive:region`, not `huaweicloud:region`);
 * - a partial failure (an error with `id`, `properties` and `reasons`) keeps that shape, which the
 *   SDK's server sends as `ErrorResourceInitFailed`, with the properties made plain JSON and without
 *   the dynamic provider's `__provider` key (an `undefined` there would fail the SDK's encoding);
 * - a `read` that finds nothing answers an empty id, the engine's "gone".
 */
import type * as PulumiProvider from "@pulumi/pulumi/provider";
import { pluginConfigKeys, PACKAGE_NAME } from "./names";
import type { ResourceLifecycle } from "./resourceTypes";

/** The key the dynamic provider stores its serialized code under; meaningless to the plugin. */
const DYNAMIC_PROVIDER_KEY = "__provider";

/** Options of {@link createProvider}. */
export interface ProviderOptions {
  /** The plugin's version (reported by `GetPluginInfo`). */
  readonly version: string;
  /** Reads the package schema (JSON text), once, on the first `GetSchema`. */
  readonly loadSchema: () => Promise<string>;
  /** The resource types served, by token. */
  readonly resourceTypes: Readonly<Record<string, ResourceLifecycle>>;
}

/**
 * The type token in a URN (`urn:pulumi:<stack>::<project>::<parent$>type::<name>`).
 *
 * @param urn - a resource URN
 */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").at(-1) ?? qualified;
}

/**
 * Builds the provider object for `main`.
 *
 * @param options - version, schema and resource types
 */
export function createProvider(options: ProviderOptions): PulumiProvider.Provider {
  const lifecycleOf = (urn: string): ResourceLifecycle => {
    const type = typeOfUrn(urn);
    const lifecycle = options.resourceTypes[type];
    if (!lifecycle) {
      throw new Error(
        `${PACKAGE_NAME} has no resource type ${type}; it serves ${Object.keys(options.resourceTypes).join(", ")}`,
      );
    }
    return lifecycle;
  };
  let schema: Promise<string> | undefined;
  return {
    version: options.version,
    getSchema: () => (schema ??= options.loadSchema()),
    check: (urn, olds, news) =>
      translated(async () => {
        const outcome = await lifecycleOf(urn).check(olds ?? {}, news ?? {});
        return { inputs: outcome.inputs, failures: [...outcome.failures] };
      }),
    diff: (id, urn, olds, news) =>
      translated(async () => {
        const decision = await lifecycleOf(urn).diff(id, olds ?? {}, news ?? {});
        return {
          changes: decision.changes,
          replaces: [...decision.replaces],
          deleteBeforeReplace: decision.deleteBeforeReplace,
        };
      }),
    create: (urn, inputs) => translated(() => lifecycleOf(urn).create(inputs ?? {})),
    read: (id, urn, props) =>
      translated(async () => {
        const found = await lifecycleOf(urn).read(id, props ?? {});
        if (!found.id) return { id: "", props: {} };
        return found;
      }),
    update: (id, urn, olds, news) =>
      translated(() => lifecycleOf(urn).update(id, olds ?? {}, news ?? {})),
    delete: (id, urn, props) => translated(() => lifecycleOf(urn).delete(id, props ?? {})),
  };
}

/** Runs a lifecycle call and translates what it throws (see the module comment). */
async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateError(error);
  }
}

/**
 * The error the SDK's server should see for one a lifecycle threw: config keys renamed, and a
 * partial failure's properties made plain JSON without `__provider`.
 *
 * @param error - what the lifecycle threw
 */
export function translateError(error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  failure.message = pluginConfigKeys(failure.message);
  const partial = failure as Error & { id?: unknown; properties?: unknown; reasons?: unknown };
  if (partial.id !== undefined && partial.id !== null && partial.id !== "") {
    const properties = { ...(partial.properties as Record<string, unknown> | undefined) };
    delete properties[DYNAMIC_PROVIDER_KEY];
    partial.properties = JSON.parse(JSON.stringify(properties)) as Record<string, unknown>;
    partial.reasons = Array.isArray(partial.reasons)
      ? partial.reasons.map((reason) => pluginConfigKeys(String(reason)))
      : [failure.message];
  }
  return failure;
}
