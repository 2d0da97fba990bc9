/**
 * The provider's configuration as plain functions: what the engine's `CheckConfig` and `Configure`
 * carry (a default provider's stack config under `huaweicloud-medialive:`, or an explicit
 * `Provider` resource's arguments) turned into the `configure` request every resource lifecycle
 * takes. No gRPC here (see `configureServer.ts`), so it is table-tested.
 *
 * Property names are the setting names of `settings/settings.ts` (`region`, `projectId`,
 * `endpoint`, `accessKey`, …); the lifecycle looks settings up by their dynamic-resource config
 * key (`huaweicloud:region`), so {@link lifecycleConfigRequest} answers under those keys.
 */
import { SETTINGS } from "../../settings/settings";
import { PACKAGE_NAME, SETTING_NAMES, settingOfConfigKey, type SettingName } from "./names";

/**
 * Pulumi's marker for a secret value: `{ [SIGNATURE_KEY]: SECRET_SIGNATURE, value }`. The engine
 * sends Configure's arguments with secrets kept, whatever the provider accepts later
 * (sdk/go/common/resource/plugin/provider_plugin.go, `Configure`).
 */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature value of a secret. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** The value Pulumi sends for something not known yet during preview. */
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Keys the engine itself may put into a provider's inputs; they are not settings. */
const ENGINE_KEYS: ReadonlySet<string> = new Set(["version", "pluginDownloadURL"]);

/** The schema type of a setting: numbers for the two numeric ones, strings for the rest. */
export const SETTING_TYPES: Readonly<Record<SettingName, "string" | "number" | "integer">> = {
  ...(Object.fromEntries(SETTING_NAMES.map((name) => [name, "string"])) as Record<
    SettingName,
    "string"
  >),
  requestsPerSecond: "number",
  maxRetries: "integer",
};

/** A provider config value that cannot be used; the message names the property. */
export class ProviderConfigError extends Error {
  override readonly name = "ProviderConfigError";
}

/** One failed provider config property, as `CheckConfig` reports it. */
export interface ConfigFailure {
  readonly property: string;
  readonly reason: string;
}

/**
 * Replaces every secret marker, however deep, by the value it wraps.
 *
 * @param value - a value decoded from a gRPC `Struct`
 */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) return unwrapSecrets(record.value);
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, unwrapSecrets(item)]),
  );
}

/**
 * The provider's inputs rebuilt from Configure's deprecated `variables` (`<package>:config:<key>`
 * → string), for an engine that sends no `args`.
 *
 * @param variables - the request's variables
 */
export function inputsFromVariables(
  variables: Iterable<[string, string]>,
): Record<string, unknown> {
  const prefix = `${PACKAGE_NAME}:config:`;
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of variables) {
    if (key.startsWith(prefix)) inputs[key.slice(prefix.length)] = value;
  }
  return inputs;
}

/**
 * The settings given to a provider, as the strings the lifecycle reads. Secrets are unwrapped,
 * numbers and booleans written as text, absent and `null` values left out.
 *
 * @param inputs - Configure's arguments (secret markers allowed)
 * @throws ProviderConfigError naming the property when a value is not a scalar
 */
export function settingsFromInputs(
  inputs: Readonly<Record<string, unknown>>,
): Partial<Record<SettingName, string>> {
  const plain = unwrapSecrets(inputs) as Record<string, unknown>;
  const settings: Partial<Record<SettingName, string>> = {};
  for (const name of SETTING_NAMES) {
    const value = plain[name];
    if (value === undefined || value === null) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      settings[name] = String(value);
    } else {
      throw new ProviderConfigError(
        `${PACKAGE_NAME} provider config ${name} must be a ${SETTING_TYPES[name]}, got ${JSON.stringify(value)}`,
      );
    }
  }
  return settings;
}

/**
 * The `configure` request the resource lifecycles take, answering their `huaweicloud:<key>`
 * lookups from these settings.
 *
 * @param settings - from {@link settingsFromInputs}
 */
export function lifecycleConfigRequest(settings: Partial<Record<SettingName, string>>): {
  config: { get(key: string): string | undefined };
} {
  return {
    config: {
      get: (key) => {
        const name = settingOfConfigKey(key);
        return name === undefined ? undefined : settings[name];
      },
    },
  };
}

/**
 * Offline checks of a provider's inputs (`CheckConfig`): unknown properties (a typo in a stack
 * config key would otherwise be ignored silently) and values of the wrong type. Values are checked
 * further, with the key named, when a resource first resolves its settings.
 *
 * @param news - the provider's inputs (the engine strips secrets before `CheckConfig`)
 */
export function checkProviderConfig(news: Readonly<Record<string, unknown>>): ConfigFailure[] {
  const failures: ConfigFailure[] = [];
  const known = new Set<string>(SETTING_NAMES);
  for (const [key, raw] of Object.entries(news)) {
    if (ENGINE_KEYS.has(key) || key.startsWith("__")) continue;
    const value = unwrapSecrets(raw);
    if (!known.has(key)) {
      failures.push({
        property: key,
        reason: `unknown ${PACKAGE_NAME} provider config "${key}"; known: ${SETTING_NAMES.join(", ")}`,
      });
      continue;
    }
    if (value === undefined || value === null || value === UNKNOWN_VALUE) continue;
    const name = key as SettingName;
    const problem = typeProblem(name, value);
    if (problem) failures.push({ property: key, reason: problem });
  }
  return failures;
}

function typeProblem(name: SettingName, value: unknown): string | undefined {
  const type = SETTING_TYPES[name];
  if (type === "string") {
    return typeof value === "string" ? undefined : `${name} must be a string (${describe(name)})`;
  }
  // Stack config values are always strings; explicit providers may pass numbers.
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number) || number < 0) {
    return `${name} must be a non-negative number, got ${JSON.stringify(value)} (${describe(name)})`;
  }
  if (type === "integer" && !Number.isInteger(number)) {
    return `${name} must be a whole number, got ${JSON.stringify(value)} (${describe(name)})`;
  }
  return undefined;
}

function describe(name: SettingName): string {
  return SETTINGS[name].description;
}
