/**
 * Marks the values the schema declares `secret: true` with Pulumi's secret marker, at their own
 * leaf, in what the plugin answers (checked inputs, outputs, refreshed state and inputs).
 *
 * The engine does not read a provider's schema, and the language hosts honour `secret: true` only
 * on a resource's top-level properties (pulumi-yaml's `IsResourcePropertySecret` and
 * `AdditionalSecretOutputs`; the generated SDKs likewise), never inside an object type such as
 * `SrtEncryption.passphrase`. A passphrase written in a program as plain text would then reach the
 * state in clear. The engine keeps secret markers a provider answers with, whatever the provider
 * accepts itself (sdk/go/common/resource/plugin/provider_plugin.go: `KeepSecrets: true` when
 * unmarshalling Check, Create, Read and Update answers), so the plugin marks them.
 */
import type { PackageSpec, PropertySpec } from "./schema";
import { SECRET_SIGNATURE, SIGNATURE_KEY } from "./providerConfig";

const REF_PREFIX = "#/types/";

/**
 * A copy of `values` with every value a property spec marks secret wrapped in Pulumi's secret
 * marker; values already wrapped, `null` and absent ones stay as they are.
 *
 * @param values - a resource's inputs or outputs, as plain JSON
 * @param properties - the resource's `inputProperties` or `properties`
 * @param types - the schema's types, which `$ref`s point into
 */
export function withSecretsMarked(
  values: Readonly<Record<string, unknown>>,
  properties: Readonly<Record<string, PropertySpec>>,
  types: PackageSpec["types"],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const spec = properties[name];
      return [name, spec ? mark(value, spec, types) : value];
    }),
  );
}

function mark(value: unknown, spec: PropertySpec, types: PackageSpec["types"]): unknown {
  if (value === undefined || value === null || isSecretMarker(value)) return value;
  if (spec.secret) return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
  if (spec.$ref?.startsWith(REF_PREFIX)) {
    const type = types[spec.$ref.slice(REF_PREFIX.length)];
    return type?.type === "object" && isRecord(value)
      ? withSecretsMarked(value, type.properties, types)
      : value;
  }
  if (spec.additionalProperties && isRecord(value)) {
    const item = spec.additionalProperties;
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, mark(member, item, types)]),
    );
  }
  if (spec.items && Array.isArray(value)) {
    const item = spec.items;
    return value.map((member) => mark(member, item, types));
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecretMarker(value: unknown): boolean {
  return isRecord(value) && value[SIGNATURE_KEY] === SECRET_SIGNATURE;
}
