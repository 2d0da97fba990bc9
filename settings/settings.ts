/**
 * Where the provider finds its settings, resolved at call time in one documented order: the
 * resource input (non-secret settings only), then Pulumi stack config (the `huaweicloud:` namespace
 * of Huawei's own Pulumi provider), then environment variables (the names Huawei's Terraform
 * provider uses). Credentials are never resource inputs, so they never reach state.
 */
import type { MediaLiveCredentials } from "../client/mediaLiveClient";
import { DEFAULT_TIMEOUT_MS as DEFAULT_REQUEST_TIMEOUT_MS } from "../client/mediaLiveClient";
import { parseDuration } from "./durations";
import { defaultEndpoint, resolveEndpoint } from "../client/endpoint";

/** A place settings are read from: stack config or the environment. */
export interface SettingsLookup {
  get(key: string): string | undefined;
}

/** One setting: its stack config key and environment variable. */
export interface SettingSpec {
  readonly configKey: string;
  readonly envVar: string;
  readonly secret: boolean;
  readonly description: string;
}

/** Every setting the provider reads, in one table (the README's configuration table mirrors it). */
export const SETTINGS = {
  accessKey: {
    configKey: "huaweicloud:accessKey",
    envVar: "HW_ACCESS_KEY",
    secret: true,
    description: "Access key (AK) for AK/SK signing",
  },
  secretKey: {
    configKey: "huaweicloud:secretKey",
    envVar: "HW_SECRET_KEY",
    secret: true,
    description: "Secret key (SK) for AK/SK signing",
  },
  securityToken: {
    configKey: "huaweicloud:securityToken",
    envVar: "HW_SECURITY_TOKEN",
    secret: true,
    description: "Security token of temporary AK/SK credentials",
  },
  authToken: {
    configKey: "huaweicloud:authToken",
    envVar: "HW_AUTH_TOKEN",
    secret: true,
    description: "IAM user token (X-Auth-Token), used when no AK/SK is set",
  },
  region: {
    configKey: "huaweicloud:region",
    envVar: "HW_REGION_NAME",
    secret: false,
    description: "Region id, e.g. ap-southeast-3",
  },
  projectId: {
    configKey: "huaweicloud:projectId",
    envVar: "HW_PROJECT_ID",
    secret: false,
    description: "Project id of the region",
  },
  endpoint: {
    configKey: "huaweicloud:liveEndpoint",
    envVar: "HW_LIVE_ENDPOINT",
    secret: false,
    description: "Media Live base URL instead of https://live.{region}.myhuaweicloud.com",
  },
  requestsPerSecond: {
    configKey: "huaweicloud:liveRequestsPerSecond",
    envVar: "HW_LIVE_REQUESTS_PER_SECOND",
    secret: false,
    description: "Process-wide request limit per endpoint and credential (default 20)",
  },
  requestTimeout: {
    configKey: "huaweicloud:liveRequestTimeout",
    envVar: "HW_LIVE_REQUEST_TIMEOUT",
    secret: false,
    description: "Timeout of one HTTP attempt, as a duration (default 10s)",
  },
  maxRetries: {
    configKey: "huaweicloud:maxRetries",
    envVar: "HW_MAX_RETRIES",
    secret: false,
    description: "Retries of a throttled or failed request (default 5)",
  },
} as const satisfies Record<string, SettingSpec>;

/** Where a setting came from. */
export type SettingSource = "input" | "config" | "environment";

/** Settings a resource may override as inputs (never credentials). */
export interface SettingOverrides {
  readonly projectId?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

/** Where calls go, resolved offline: no credentials needed. */
export interface ResolvedLocation {
  readonly projectId?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

/** Everything a provider call needs, resolved. */
export interface ResolvedSettings {
  readonly projectId: string;
  readonly region?: string;
  /** Base URL to call. */
  readonly endpoint: string;
  readonly credentials: MediaLiveCredentials;
  readonly requestsPerSecond: number;
  readonly maxRetries: number;
  /** Timeout of one HTTP attempt, in milliseconds. */
  readonly requestTimeoutMs: number;
  readonly sources: {
    readonly projectId: SettingSource;
    readonly region?: SettingSource;
    readonly endpoint: SettingSource | "region";
  };
}

/** A missing or invalid setting. The message names every key and variable that was tried. */
export class SettingsError extends Error {
  /** @param message - what is missing and where it was looked for */
  constructor(message: string) {
    super(message);
    this.name = "SettingsError";
  }
}

function where(name: keyof typeof SETTINGS, withInput: boolean): string {
  const spec = SETTINGS[name];
  const input = withInput ? `the ${name} input, ` : "";
  return `${input}stack config ${spec.configKey}${spec.secret ? " (--secret)" : ""} or environment variable ${spec.envVar}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Names where a setting's value came from, for error messages. */
function originOf(name: keyof typeof SETTINGS, source: SettingSource): string {
  if (source === "input") return `the ${name} input`;
  return source === "config" ? SETTINGS[name].configKey : SETTINGS[name].envVar;
}

/** Reads one setting from config, then the environment. */
function lookup(
  name: keyof typeof SETTINGS,
  config: SettingsLookup,
  env: SettingsLookup,
): { value: string; source: SettingSource } | undefined {
  const spec = SETTINGS[name];
  const fromConfig = nonEmpty(config.get(spec.configKey));
  if (fromConfig !== undefined) return { value: fromConfig, source: "config" };
  const fromEnv = nonEmpty(env.get(spec.envVar));
  if (fromEnv !== undefined) return { value: fromEnv, source: "environment" };
  return undefined;
}

/** Reads a setting that may be overridden by an input. */
function lookupWithInput(
  name: "projectId" | "region" | "endpoint",
  overrides: SettingOverrides,
  config: SettingsLookup,
  env: SettingsLookup,
): { value: string; source: SettingSource } | undefined {
  const fromInput = nonEmpty(overrides[name]);
  if (fromInput !== undefined) return { value: fromInput, source: "input" };
  return lookup(name, config, env);
}

function positiveNumber(
  name: "requestsPerSecond" | "maxRetries",
  config: SettingsLookup,
  env: SettingsLookup,
  fallback: number,
  allowZero: boolean,
): number {
  const found = lookup(name, config, env);
  if (!found) return fallback;
  const value = Number(found.value);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new SettingsError(
      `${originOf(name, found.source)} must be a ${allowZero ? "non-negative" : "positive"} number, got "${found.value}"`,
    );
  }
  return value;
}

function requestTimeout(config: SettingsLookup, env: SettingsLookup): number {
  const found = lookup("requestTimeout", config, env);
  if (!found) return DEFAULT_REQUEST_TIMEOUT_MS;
  const ms = parseDuration(found.value);
  if (ms === undefined || ms < 100 || ms > 600_000) {
    throw new SettingsError(
      `${originOf("requestTimeout", found.source)} must be a duration from 100ms to 10m, got "${found.value}"`,
    );
  }
  return ms;
}

/**
 * Location settings only (no credentials): what `diff` compares to decide on replacement, without
 * failing when credentials are absent (previews of pull requests often run without them).
 *
 * @param overrides - resource inputs
 * @param config - stack config
 * @param env - environment
 */
export function resolveLocation(
  overrides: SettingOverrides,
  config: SettingsLookup,
  env: SettingsLookup,
): ResolvedLocation {
  const projectId = lookupWithInput("projectId", overrides, config, env)?.value;
  const endpoint = lookupWithInput("endpoint", overrides, config, env)?.value;
  const region = lookupWithInput("region", overrides, config, env)?.value;
  return {
    projectId,
    region,
    endpoint: endpoint
      ? endpoint.replace(/\/+$/, "")
      : region
        ? defaultEndpoint(region)
        : undefined,
  };
}

/**
 * Resolves every setting a call needs. Throws a {@link SettingsError} naming each missing setting
 * with every stack config key and environment variable it looked in.
 *
 * @param overrides - resource inputs (`projectId`, `region`, `endpoint`)
 * @param config - stack config (as given to the dynamic provider's `configure`)
 * @param env - environment variables
 */
export function resolveSettings(
  overrides: SettingOverrides,
  config: SettingsLookup,
  env: SettingsLookup,
): ResolvedSettings {
  const missing: string[] = [];
  const projectId = lookupWithInput("projectId", overrides, config, env);
  if (!projectId) missing.push(`a project id (${where("projectId", true)})`);
  const region = lookupWithInput("region", overrides, config, env);
  const endpoint = lookupWithInput("endpoint", overrides, config, env);
  if (!region && !endpoint) {
    missing.push(`a region (${where("region", true)}) or an endpoint (${where("endpoint", true)})`);
  }
  const accessKey = lookup("accessKey", config, env);
  const secretKey = lookup("secretKey", config, env);
  const securityToken = lookup("securityToken", config, env);
  const authToken = lookup("authToken", config, env);
  let credentials: MediaLiveCredentials | undefined;
  if (accessKey && secretKey) {
    credentials = {
      accessKey: accessKey.value,
      secretKey: secretKey.value,
      ...(securityToken ? { securityToken: securityToken.value } : {}),
    };
  } else if (authToken && !accessKey && !secretKey) {
    credentials = { authToken: authToken.value };
  } else if (accessKey || secretKey) {
    const absent = accessKey ? "secretKey" : "accessKey";
    missing.push(
      `the ${absent} that goes with the ${accessKey ? "accessKey" : "secretKey"} (${where(absent, false)})`,
    );
  } else {
    missing.push(
      `credentials: an access key and secret key (${where("accessKey", false)}; ${where("secretKey", false)}) or an auth token (${where("authToken", false)})`,
    );
  }
  if (missing.length > 0 || !projectId || !credentials) {
    throw new SettingsError(`Media Live settings are missing: ${missing.join("; ")}.`);
  }
  let baseUrl: string;
  try {
    baseUrl = resolveEndpoint({ endpoint: endpoint?.value, region: region?.value });
  } catch (error) {
    const key = endpoint ? "endpoint" : "region";
    const source = (endpoint ?? region)?.source ?? "environment";
    throw new SettingsError(`${originOf(key, source)} is invalid: ${(error as Error).message}`);
  }
  return {
    projectId: projectId.value,
    region: region?.value,
    endpoint: baseUrl,
    credentials,
    requestsPerSecond: positiveNumber("requestsPerSecond", config, env, 20, false),
    maxRetries: Math.floor(positiveNumber("maxRetries", config, env, 5, true)),
    requestTimeoutMs: requestTimeout(config, env),
    sources: {
      projectId: projectId.source,
      ...(region ? { region: region.source } : {}),
      endpoint: endpoint ? endpoint.source : "region",
    },
  };
}

/**
 * A {@link SettingsLookup} over a plain object (e.g. `process.env` or a config snapshot).
 *
 * @param values - key/value pairs
 */
export function lookupFrom(values: Readonly<Record<string, string | undefined>>): SettingsLookup {
  return { get: (key) => values[key] };
}
