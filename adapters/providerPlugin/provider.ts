/**
 * The provider object `@pulumi/pulumi/provider`'s `main` serves: each gRPC resource method is
 * routed by the resource's type token to that resource's lifecycle functions, unchanged, with the
 * few translations the plugin needs and the dynamic host did for itself:
 *
 * - values the schema marks `secret: true` leave the plugin wrapped in Pulumi's secret marker, at
 *   their leaf (`secretValues.ts`: the engine and the language hosts would not mark a nested one);
 * - errors name this plugin's config keys (`huaweicloud-medialive:region`, not `huaweicloud:region`);
 * - a partial failure (an error with `id`, `properties` and `reasons`) keeps that shape, which the
 *   SDK's server sends as `ErrorResourceInitFailed`, with the properties made plain JSON and without
 *   the dynamic provider's `__provider` key (an `undefined` there would fail the SDK's encoding);
 * - a `read` that finds nothing answers an empty id, the engine's "gone";
 * - {@link PluginProvider.preview} answers the Create and Update calls of a preview, which the
 *   SDK's server cannot tell from real ones (`configureServer.ts` routes them here).
 */
import type * as PulumiProvider from "@pulumi/pulumi/provider";
import { pluginConfigKeys, PACKAGE_NAME } from "./names";
import type { ResourceLifecycle } from "./resourceTypes";
import type { PackageSpec, ResourceSpec } from "./schema";
import { withSecretsMarked } from "./secretValues";

/** The key the dynamic provider stores its serialized code under; meaningless to the plugin. */
const DYNAMIC_PROVIDER_KEY = "__provider";

/** The provider object, with the preview answers the SDK's `Provider` interface has no place for. */
export interface PluginProvider extends PulumiProvider.Provider {
  /**
   * The outputs a preview shows for a resource to create (no `id`: its checked inputs, as the
   * engine itself would answer) or to update (`id`: the lifecycle's `previewUpdate` when it has
   * one, else the checked inputs). Makes no API call.
   */
  preview(
    urn: string,
    id: string | undefined,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
}

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
export function createProvider(options: ProviderOptions): PluginProvider {
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
  const schemaText = (): Promise<string> => (schema ??= options.loadSchema());
  let parsed: Promise<PackageSpec> | undefined;
  /** Marks secrets in a resource's inputs or outputs, as its schema entry says. */
  const secretsMarked = async (
    urn: string,
    which: "inputProperties" | "properties",
    values: Record<string, unknown>,
  ): Promise<Record<string, unknown>> => {
    const spec = await (parsed ??= schemaText().then((text) => JSON.parse(text) as PackageSpec));
    const resource: ResourceSpec | undefined = spec.resources[typeOfUrn(urn)];
    return resource ? withSecretsMarked(values, resource[which], spec.types) : values;
  };
  /** Runs a lifecycle call, its partial failure's properties marked too. */
  const served = <T>(urn: string, call: () => Promise<T>): Promise<T> =>
    translated(call, (properties) => secretsMarked(urn, "properties", properties));
  return {
    version: options.version,
    getSchema: schemaText,
    check: (urn, olds, news) =>
      served(urn, async () => {
        const outcome = await lifecycleOf(urn).check(olds ?? {}, news ?? {});
        return {
          inputs: await secretsMarked(urn, "inputProperties", outcome.inputs),
          failures: [...outcome.failures],
        };
      }),
    diff: (id, urn, olds, news) =>
      served(urn, async () => {
        const decision = await lifecycleOf(urn).diff(id, olds ?? {}, news ?? {});
        return {
          changes: decision.changes,
          replaces: [...decision.replaces],
          deleteBeforeReplace: decision.deleteBeforeReplace,
        };
      }),
    create: (urn, inputs) =>
      served(urn, async () => {
        const created = await lifecycleOf(urn).create(inputs ?? {});
        return {
          id: created.id,
          outs: await secretsMarked(urn, "properties", plain(created.outs)),
        };
      }),
    read: (id, urn, props) =>
      served(urn, async () => {
        const found = await lifecycleOf(urn).read(id, props ?? {});
        if (!found.id) return { id: "", props: {} };
        return {
          id: found.id,
          props: await secretsMarked(urn, "properties", found.props ?? {}),
          ...(found.inputs
            ? { inputs: await secretsMarked(urn, "inputProperties", found.inputs) }
            : {}),
        };
      }),
    update: (id, urn, olds, news) =>
      served(urn, async () => {
        const updated = await lifecycleOf(urn).update(id, olds ?? {}, news ?? {});
        return { outs: await secretsMarked(urn, "properties", plain(updated.outs)) };
      }),
    delete: (id, urn, props) => served(urn, () => lifecycleOf(urn).delete(id, props ?? {})),
    preview: (urn, id, olds, news) =>
      served(urn, async () => {
        const lifecycle = lifecycleOf(urn);
        const outs =
          id && lifecycle.previewUpdate
            ? plain((await lifecycle.previewUpdate(id, olds, news)).outs)
            : news;
        return secretsMarked(urn, "properties", outs);
      }),
  };
}

/** An object as the plain JSON record the SDK's encoding takes. */
function plain(value: object): Record<string, unknown> {
  return value as Record<string, unknown>;
}

/**
 * Runs a lifecycle call and translates what it throws (see the module comment); a partial
 * failure's properties go through `markProperties`.
 */
async function translated<T>(
  call: () => Promise<T>,
  markProperties: (properties: Record<string, unknown>) => Promise<Record<string, unknown>>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = translateError(error) as Error & { properties?: Record<string, unknown> };
    if (failure.properties) failure.properties = await markProperties(failure.properties);
    throw failure;
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
