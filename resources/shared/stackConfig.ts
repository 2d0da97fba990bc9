/**
 * The stack config a provider process has seen, shared by every resource's lifecycle: Pulumi calls
 * `configure` once per serialized provider, before any other method, and the engine gives the
 * provider host an empty `PULUMI_CONFIG` (`{}`), never the stack config, so `configure` is the only
 * way stack config reaches this process. Only the keys this package reads are kept, as plain values.
 */
import {
  lookupFrom,
  resolveLocation,
  resolveSettings,
  SETTINGS,
  type ResolvedLocation,
  type ResolvedSettings,
  type SettingOverrides,
  type SettingsLookup,
} from "../../settings/settings";

let stackConfig: SettingsLookup | undefined;

/** The stack config before `configure` ran: no keys at all. */
const NO_CONFIG: SettingsLookup = lookupFrom({});

const environment: SettingsLookup = { get: (key) => process.env[key] };

/**
 * Captures the stack config (Pulumi's `configure`).
 *
 * @param request - Pulumi's configure request
 */
export async function configure(request: {
  config: { get(key: string): string | undefined };
}): Promise<void> {
  const values: Record<string, string | undefined> = {};
  for (const spec of Object.values(SETTINGS))
    values[spec.configKey] = request.config.get(spec.configKey);
  stackConfig = lookupFrom(values);
}

/** What `configure` captured, or nothing before it ran. */
function currentConfig(): SettingsLookup {
  return stackConfig ?? NO_CONFIG;
}

/**
 * Every setting, credentials included, for these overrides: input, then stack config, then
 * environment. Throws a `SettingsError` naming every key tried when one is missing or invalid.
 *
 * @param overrides - values given as resource inputs (or recorded in state)
 */
export function settingsFor(overrides: SettingOverrides): ResolvedSettings {
  return resolveSettings(overrides, currentConfig(), environment);
}

/**
 * Where these overrides resolve to, offline and without credentials (for `diff`).
 *
 * @param overrides - values given as resource inputs
 */
export function locationFor(overrides: SettingOverrides): ResolvedLocation {
  return resolveLocation(overrides, currentConfig(), environment);
}
