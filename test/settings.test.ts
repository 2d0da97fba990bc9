import { createRequire } from "node:module";
import { expect } from "chai";
import {
  describeFailure,
  isAlreadyInStatus,
  isFlowNotFound,
  MediaLiveError,
  redactSecrets,
} from "../client/errors";
import { lookupFrom, resolveLocation, resolveSettings, SettingsError } from "../settings/settings";

const none = lookupFrom({});

describe("settings resolution", () => {
  it("takes the input first, then stack config, then the environment", () => {
    const config = lookupFrom({
      "huaweicloud:projectId": "from-config",
      "huaweicloud:region": "cn-north-4",
      "huaweicloud:accessKey": "AK-CONFIG",
      "huaweicloud:secretKey": "SK-CONFIG",
    });
    const env = lookupFrom({
      HW_PROJECT_ID: "from-env",
      HW_REGION_NAME: "ap-southeast-3",
      HW_ACCESS_KEY: "AK-ENV",
      HW_SECRET_KEY: "SK-ENV",
    });
    const fromInput = resolveSettings({ projectId: "from-input" }, config, env);
    expect(fromInput.projectId).to.equal("from-input");
    expect(fromInput.sources.projectId).to.equal("input");
    expect(fromInput.region).to.equal("cn-north-4");
    expect(fromInput.endpoint).to.equal("https://live.cn-north-4.myhuaweicloud.com");
    expect(fromInput.credentials).to.deep.equal({ accessKey: "AK-CONFIG", secretKey: "SK-CONFIG" });
    const fromEnv = resolveSettings({}, none, env);
    expect(fromEnv.projectId).to.equal("from-env");
    expect(fromEnv.sources).to.deep.equal({
      projectId: "environment",
      region: "environment",
      endpoint: "region",
    });
    expect(fromEnv.credentials).to.deep.equal({ accessKey: "AK-ENV", secretKey: "SK-ENV" });
  });

  it("uses an endpoint instead of a region, and temporary credentials or a token", () => {
    const settings = resolveSettings(
      {},
      none,
      lookupFrom({
        HW_PROJECT_ID: "p",
        HW_LIVE_ENDPOINT: "http://127.0.0.1:8787/",
        HW_ACCESS_KEY: "AK",
        HW_SECRET_KEY: "SK",
        HW_SECURITY_TOKEN: "TOKEN",
        HW_LIVE_REQUESTS_PER_SECOND: "50",
        HW_MAX_RETRIES: "2",
      }),
    );
    expect(settings.endpoint).to.equal("http://127.0.0.1:8787");
    expect(settings.region).to.equal(undefined);
    expect(settings.credentials).to.deep.equal({
      accessKey: "AK",
      secretKey: "SK",
      securityToken: "TOKEN",
    });
    expect(settings.requestsPerSecond).to.equal(50);
    expect(settings.maxRetries).to.equal(2);
    const token = resolveSettings(
      {},
      lookupFrom({ "huaweicloud:authToken": "IAM-TOKEN" }),
      lookupFrom({ HW_PROJECT_ID: "p", HW_REGION_NAME: "ap-southeast-3" }),
    );
    expect(token.credentials).to.deep.equal({ authToken: "IAM-TOKEN" });
  });

  it("names every key and variable it tried when settings are missing", () => {
    expect(() => resolveSettings({}, none, none))
      .to.throw(SettingsError)
      .with.property("message")
      .that.satisfies((message: string) =>
        [
          "huaweicloud:projectId",
          "HW_PROJECT_ID",
          "huaweicloud:region",
          "HW_REGION_NAME",
          "huaweicloud:liveEndpoint",
          "HW_LIVE_ENDPOINT",
          "huaweicloud:accessKey",
          "HW_ACCESS_KEY",
          "huaweicloud:secretKey",
          "HW_SECRET_KEY",
          "huaweicloud:authToken",
          "HW_AUTH_TOKEN",
          "projectId input",
        ].every((key) => message.includes(key)),
      );
  });

  it("names the missing half of an AK/SK pair without echoing the other", () => {
    const env = lookupFrom({
      HW_PROJECT_ID: "p",
      HW_REGION_NAME: "ap-southeast-3",
      HW_ACCESS_KEY: "AKVISIBLE",
    });
    expect(() => resolveSettings({}, none, env)).to.throw(
      SettingsError,
      /secretKey.*HW_SECRET_KEY/,
    );
    try {
      resolveSettings({}, none, env);
    } catch (error) {
      expect((error as Error).message).not.to.include("AKVISIBLE");
    }
  });

  it("rejects invalid numbers and endpoints, naming where they came from", () => {
    const base = {
      HW_PROJECT_ID: "p",
      HW_REGION_NAME: "ap-southeast-3",
      HW_ACCESS_KEY: "A",
      HW_SECRET_KEY: "S",
    };
    expect(() =>
      resolveSettings({}, none, lookupFrom({ ...base, HW_LIVE_REQUESTS_PER_SECOND: "0" })),
    ).to.throw(/HW_LIVE_REQUESTS_PER_SECOND must be a positive number/);
    expect(() =>
      resolveSettings(
        {},
        lookupFrom({ "huaweicloud:liveEndpoint": "http://live.example.com" }),
        lookupFrom(base),
      ),
    ).to.throw(/huaweicloud:liveEndpoint is invalid: .*loopback/);
  });

  it("resolves the location offline, without credentials", () => {
    expect(
      resolveLocation(
        {},
        lookupFrom({ "huaweicloud:region": "ap-southeast-3" }),
        lookupFrom({ HW_PROJECT_ID: "p" }),
      ),
    ).to.deep.equal({
      projectId: "p",
      region: "ap-southeast-3",
      endpoint: "https://live.ap-southeast-3.myhuaweicloud.com",
    });
    expect(resolveLocation({ endpoint: "http://127.0.0.1:1/" }, none, none)).to.deep.equal({
      projectId: undefined,
      region: undefined,
      endpoint: "http://127.0.0.1:1",
    });
  });
});

describe("settings resolution: exact messages, blanks and bounds", () => {
  const located = { HW_PROJECT_ID: "p", HW_REGION_NAME: "ap-southeast-3" };
  const complete = { ...located, HW_ACCESS_KEY: "A", HW_SECRET_KEY: "S" };
  /** The message of the SettingsError that resolving these settings throws. */
  const failureOf = (
    overrides: Parameters<typeof resolveSettings>[0],
    config: Record<string, string>,
    env: Record<string, string>,
  ): string => {
    try {
      resolveSettings(overrides, lookupFrom(config), lookupFrom(env));
    } catch (error) {
      expect(error).to.be.instanceOf(SettingsError);
      expect((error as Error).name).to.equal("SettingsError");
      return (error as Error).message;
    }
    throw new Error("resolveSettings did not throw");
  };

  it("lists every missing setting, separated by semicolons, with each key it tried", () => {
    expect(failureOf({}, {}, {})).to.equal(
      "Media Live settings are missing: " +
        "a project id (the projectId input, stack config huaweicloud:projectId or environment variable HW_PROJECT_ID); " +
        "a region (the region input, stack config huaweicloud:region or environment variable HW_REGION_NAME) " +
        "or an endpoint (the endpoint input, stack config huaweicloud:liveEndpoint or environment variable HW_LIVE_ENDPOINT); " +
        "credentials: an access key and secret key (stack config huaweicloud:accessKey (--secret) or environment variable HW_ACCESS_KEY; " +
        "stack config huaweicloud:secretKey (--secret) or environment variable HW_SECRET_KEY) " +
        "or an auth token (stack config huaweicloud:authToken (--secret) or environment variable HW_AUTH_TOKEN).",
    );
  });

  it("reports a missing region and endpoint alone when the project and credentials are set", () => {
    expect(failureOf({}, {}, { HW_PROJECT_ID: "p", HW_AUTH_TOKEN: "T" })).to.equal(
      "Media Live settings are missing: " +
        "a region (the region input, stack config huaweicloud:region or environment variable HW_REGION_NAME) " +
        "or an endpoint (the endpoint input, stack config huaweicloud:liveEndpoint or environment variable HW_LIVE_ENDPOINT).",
    );
  });

  it("names the missing half of an AK/SK pair, whichever half it is", () => {
    expect(failureOf({}, {}, { ...located, HW_ACCESS_KEY: "A" })).to.equal(
      "Media Live settings are missing: the secretKey that goes with the accessKey " +
        "(stack config huaweicloud:secretKey (--secret) or environment variable HW_SECRET_KEY).",
    );
    expect(failureOf({}, { "huaweicloud:secretKey": "S" }, located)).to.equal(
      "Media Live settings are missing: the accessKey that goes with the secretKey " +
        "(stack config huaweicloud:accessKey (--secret) or environment variable HW_ACCESS_KEY).",
    );
  });

  it("treats a blank value as absent and trims the one it uses", () => {
    const settings = resolveSettings(
      { projectId: "   " },
      lookupFrom({ "huaweicloud:projectId": " \t ", "huaweicloud:region": " ap-southeast-3 " }),
      lookupFrom({ HW_PROJECT_ID: " p-env ", HW_ACCESS_KEY: "A", HW_SECRET_KEY: "S" }),
    );
    expect(settings.projectId).to.equal("p-env");
    expect(settings.sources.projectId).to.equal("environment");
    expect(settings.region).to.equal("ap-southeast-3");
    expect(settings.endpoint).to.equal("https://live.ap-southeast-3.myhuaweicloud.com");
  });

  it("names the input, not a config key, when an endpoint input is invalid", () => {
    expect(failureOf({ endpoint: "http://live.example.com" }, {}, complete)).to.equal(
      "the endpoint input is invalid: plain http:// is only allowed for a loopback host such as the local simulator; use https:// for live.example.com",
    );
  });

  it("accepts zero retries but no negative or non-numeric counts", () => {
    expect(
      resolveSettings({}, lookupFrom({}), lookupFrom({ ...complete, HW_MAX_RETRIES: "0" })),
    ).to.have.property("maxRetries", 0);
    expect(resolveSettings({}, lookupFrom({}), lookupFrom(complete))).to.include({
      maxRetries: 5,
      requestsPerSecond: 20,
    });
    expect(failureOf({}, {}, { ...complete, HW_MAX_RETRIES: "-1" })).to.equal(
      'HW_MAX_RETRIES must be a non-negative number, got "-1"',
    );
    expect(failureOf({}, { "huaweicloud:liveRequestsPerSecond": "fast" }, complete)).to.equal(
      'huaweicloud:liveRequestsPerSecond must be a positive number, got "fast"',
    );
    expect(failureOf({}, {}, { ...complete, HW_LIVE_REQUESTS_PER_SECOND: "-5" })).to.equal(
      'HW_LIVE_REQUESTS_PER_SECOND must be a positive number, got "-5"',
    );
  });

  it("accepts a request timeout from 100ms to 10m inclusive, and nothing outside", () => {
    const timeoutOf = (text: string): number =>
      resolveSettings(
        {},
        lookupFrom({}),
        lookupFrom({ ...complete, HW_LIVE_REQUEST_TIMEOUT: text }),
      ).requestTimeoutMs;
    expect(resolveSettings({}, lookupFrom({}), lookupFrom(complete)).requestTimeoutMs).to.equal(
      10_000,
    );
    expect(timeoutOf("100ms")).to.equal(100);
    expect(timeoutOf("10m")).to.equal(600_000);
    expect(failureOf({}, {}, { ...complete, HW_LIVE_REQUEST_TIMEOUT: "99ms" })).to.equal(
      'HW_LIVE_REQUEST_TIMEOUT must be a duration from 100ms to 10m, got "99ms"',
    );
    expect(failureOf({}, {}, { ...complete, HW_LIVE_REQUEST_TIMEOUT: "10m1ms" })).to.equal(
      'HW_LIVE_REQUEST_TIMEOUT must be a duration from 100ms to 10m, got "10m1ms"',
    );
    expect(failureOf({}, { "huaweicloud:liveRequestTimeout": "soon" }, complete)).to.equal(
      'huaweicloud:liveRequestTimeout must be a duration from 100ms to 10m, got "soon"',
    );
  });

  it("strips every trailing slash from an offline endpoint", () => {
    expect(resolveLocation({ endpoint: "http://127.0.0.1:1///" }, none, none).endpoint).to.equal(
      "http://127.0.0.1:1",
    );
  });
});

describe("MediaLiveError", () => {
  it("is one actionable line with status, code, message and request id", () => {
    const error = new MediaLiveError({
      operation: "startFlow",
      kind: "http",
      httpStatus: 403,
      errorCode: "APIG.0302",
      errorMessage: "The IAM user is not authorized\n to access the API",
      requestId: "req-123",
      flowId: "flow-1",
      projectId: "p1",
      region: "ap-southeast-3",
      attempts: 1,
    });
    expect(error.message).to.equal(
      'Media Live startFlow for flow flow-1 failed: HTTP 403 APIG.0302 "The IAM user is not authorized to access the API" (request id req-123); check that the IAM user may perform live:ott:updateFlowStatusStart (project p1, region ap-southeast-3).',
    );
    expect(error.message).not.to.include("\n");
    expect(MediaLiveError.isInstance(error)).to.equal(true);
    expect(MediaLiveError.isInstance(new Error("x"))).to.equal(false);
  });

  it("explains 401, 429, 5xx, timeouts and network failures", () => {
    const base = { operation: "showFlowDetail" as const, attempts: 3 };
    expect(
      describeFailure({ ...base, kind: "http", httpStatus: 401, errorCode: "APIG.0301" }),
    ).to.match(/after 3 attempts: HTTP 401 APIG\.0301; check the access key and secret key/);
    expect(describeFailure({ ...base, kind: "http", httpStatus: 429 })).to.match(/throttling/);
    expect(describeFailure({ ...base, kind: "http", httpStatus: 503 })).to.match(
      /service failed; retry later/,
    );
    expect(describeFailure({ ...base, kind: "timeout" })).to.match(
      /failed after 3 attempts: timed out; the API did not answer in time/,
    );
    expect(
      describeFailure({ ...base, kind: "network", errorMessage: "ECONNRESET: other side closed" }),
    ).to.match(/proxy settings/);
  });

  it("recognises the documented 400s", () => {
    const error = (errorMessage: string, httpStatus = 400): MediaLiveError =>
      new MediaLiveError({
        operation: "startFlow",
        kind: "http",
        httpStatus,
        errorCode: "LIVE.100011001",
        errorMessage,
        attempts: 1,
      });
    expect(isAlreadyInStatus(error("flow task is in active status"))).to.equal(true);
    expect(isAlreadyInStatus(error("flow task is in standby status"))).to.equal(true);
    expect(isAlreadyInStatus(error("Invalid request parameter"))).to.equal(false);
    expect(isFlowNotFound(error("flow not found: abc"))).to.equal(true);
    expect(isFlowNotFound(error("flow does not exist"))).to.equal(true);
    expect(isFlowNotFound(error("flow task is in active status"))).to.equal(false);
  });

  it("redacts secrets from text", () => {
    expect(
      redactSecrets("key SECRETVALUE and TOKEN123 here", [
        "SECRETVALUE",
        "TOKEN123",
        undefined,
        "",
      ]),
    ).to.equal("key [REDACTED] and [REDACTED] here");
  });
});

describe("stack config in the dynamic provider", () => {
  type ProviderModule = typeof import("../resources/flowActivation/lifecycle");
  const load = createRequire(__filename);
  const modulePath = load.resolve("../resources/flowActivation/lifecycle");
  // The captured stack config lives in the shared module; a fresh provider needs a fresh copy of it.
  const configModulePath = load.resolve("../resources/shared/stackConfig");
  /** A copy of the provider module that has not been configured yet. */
  const freshProvider = (): ProviderModule => {
    delete load.cache[modulePath];
    delete load.cache[configModulePath];
    return load(modulePath) as ProviderModule;
  };
  const settingVariables = Object.keys(process.env).filter((name) => name.startsWith("HW_"));
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of [...settingVariables, "PULUMI_CONFIG"]) saved[name] = process.env[name];
    for (const name of settingVariables) delete process.env[name];
    // What a provider host would see if PULUMI_CONFIG carried the stack config (the CLI sends `{}`).
    process.env.PULUMI_CONFIG = JSON.stringify({
      "huaweicloud:projectId": "project-from-pulumi-config",
      "huaweicloud:region": "cn-north-4",
      "huaweicloud:accessKey": "AK-FROM-PULUMI-CONFIG",
      "huaweicloud:secretKey": "SK-FROM-PULUMI-CONFIG",
    });
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    delete load.cache[modulePath];
  });

  const olds = {
    flowId: "flow-1",
    desiredStatus: "ACTIVE",
    status: "ACTIVE",
    onDelete: "stop",
    projectId: "project-in-state",
    endpoint: "https://live.ap-southeast-3.myhuaweicloud.com",
    settingSources: { projectId: "config", region: "config", endpoint: "region" },
  };
  const news = { flowId: "flow-1", desiredStatus: "ACTIVE", onDelete: "stop" };

  it("settings come from the environment where neither input nor stack config gives them", () => {
    type StackConfigModule = typeof import("../resources/shared/stackConfig");
    freshProvider();
    const { settingsFor } = load(configModulePath) as StackConfigModule;
    const variables = {
      HW_PROJECT_ID: "project-from-env",
      HW_REGION_NAME: "cn-north-4",
      HW_ACCESS_KEY: "AK-FROM-ENV",
      HW_SECRET_KEY: "SK-FROM-ENV",
    };
    Object.assign(process.env, variables);
    try {
      const settings = settingsFor({ region: "ap-southeast-3" });
      expect(settings.projectId).to.equal("project-from-env");
      expect(settings.region).to.equal("ap-southeast-3");
      expect(settings.credentials).to.deep.equal({
        accessKey: "AK-FROM-ENV",
        secretKey: "SK-FROM-ENV",
      });
    } finally {
      for (const name of Object.keys(variables)) delete process.env[name];
    }
  });

  it("diff ignores PULUMI_CONFIG before configure: no project or region to compare", async () => {
    const result = await freshProvider().diff("flow-1", olds, news);
    expect(result).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("after configure, diff and settings use what it captured, never PULUMI_CONFIG", async () => {
    const provider = freshProvider();
    const config: Record<string, string> = {
      "huaweicloud:projectId": "project-from-configure",
      "huaweicloud:region": "ap-southeast-3",
    };
    await provider.configure({ config: { get: (key) => config[key] } });
    const result = await provider.diff("flow-1", olds, news);
    expect(result.replaces).to.deep.equal(["projectId"]);
    // No credentials were configured: the ones in PULUMI_CONFIG must not be found.
    const failure = await provider.create({ ...news, timeouts: {} }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(SettingsError);
    expect((failure as Error).message).to.match(/huaweicloud:accessKey/);
  });
});
