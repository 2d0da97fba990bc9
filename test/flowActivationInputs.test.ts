import { expect } from "chai";
import { parseDuration, timeoutProblem } from "../settings/durations";
import { endpointProblem, isLoopbackHost, resolveEndpoint } from "../client/endpoint";
import { checkInputs, UNKNOWN_VALUE } from "../resources/flowActivation/inputs";

const FLOW = "ec897482-d24b-4d64-aa39-407980902b1d";

describe("FlowActivation check (inputs)", () => {
  it("fills in defaults and keeps what was given", () => {
    expect(checkInputs({ flowId: FLOW, __provider: "code" })).to.deep.equal({
      inputs: {
        flowId: FLOW,
        desiredStatus: "ACTIVE",
        onDelete: "stop",
        timeouts: { create: "5m", update: "5m", delete: "5m" },
      },
      failures: [],
    });
    const given = checkInputs({
      flowId: FLOW,
      desiredStatus: "STANDBY",
      projectId: "0a1b2c3d",
      region: "ap-southeast-3",
      endpoint: "http://127.0.0.1:8787/",
      onDelete: "restore",
      timeouts: { create: "30s" },
    });
    expect(given.failures).to.deep.equal([]);
    expect(given.inputs).to.deep.equal({
      flowId: FLOW,
      desiredStatus: "STANDBY",
      projectId: "0a1b2c3d",
      region: "ap-southeast-3",
      endpoint: "http://127.0.0.1:8787",
      onDelete: "restore",
      timeouts: { create: "30s", update: "5m", delete: "5m" },
    });
  });

  const ACCEPTED =
    "FlowActivation accepts flowId, desiredStatus, projectId, region, endpoint, onDelete and timeouts { create, update, delete }";
  const invalid: [string, Record<string, unknown>, string, string][] = [
    ["missing flowId", {}, "flowId", "flowId is required"],
    ["empty flowId", { flowId: "" }, "flowId", "flowId must not be empty"],
    [
      "65-character flowId",
      { flowId: "f".repeat(65) },
      "flowId",
      "flowId must be at most 64 characters (the API's limit)",
    ],
    ["numeric flowId", { flowId: 42 }, "flowId", "flowId must be a string"],
    [
      "flowId with a space",
      { flowId: "a b" },
      "flowId",
      "flowId must be printable ASCII without spaces",
    ],
    [
      "flowId with a leading space",
      { flowId: " ab" },
      "flowId",
      "flowId must be printable ASCII without spaces",
    ],
    [
      "flowId with a trailing space",
      { flowId: "ab " },
      "flowId",
      "flowId must be printable ASCII without spaces",
    ],
    [
      "non-ASCII flowId",
      { flowId: "é" },
      "flowId",
      "flowId must be printable ASCII without spaces",
    ],
    [
      "desiredStatus RUNNING",
      { flowId: FLOW, desiredStatus: "RUNNING" },
      "desiredStatus",
      'desiredStatus must be "ACTIVE" or "STANDBY"',
    ],
    [
      "lower-case desiredStatus",
      { flowId: FLOW, desiredStatus: "active" },
      "desiredStatus",
      'desiredStatus must be "ACTIVE" or "STANDBY"',
    ],
    [
      "unknown onDelete",
      { flowId: FLOW, onDelete: "destroy" },
      "onDelete",
      'onDelete must be "stop", "leave" or "restore"',
    ],
    [
      "bad duration",
      { flowId: FLOW, timeouts: { create: "5 minutes" } },
      "timeouts.create",
      '"5 minutes" is not a duration; write it like "30s", "5m" or "1h30m"',
    ],
    [
      "negative duration",
      { flowId: FLOW, timeouts: { update: "-5m" } },
      "timeouts.update",
      '"-5m" is not a duration; write it like "30s", "5m" or "1h30m"',
    ],
    [
      "absurd duration",
      { flowId: FLOW, timeouts: { delete: "100h" } },
      "timeouts.delete",
      '"100h" is out of range; a timeout must be between 1s and 6h',
    ],
    [
      "timeouts that are not an object",
      { flowId: FLOW, timeouts: "5m" },
      "timeouts",
      "Invalid input: expected object, received string",
    ],
    [
      "http to a remote host",
      { flowId: FLOW, endpoint: "http://live.example.com" },
      "endpoint",
      "plain http:// is only allowed for a loopback host such as the local simulator; use https:// for live.example.com",
    ],
    [
      "malformed URL",
      { flowId: FLOW, endpoint: "live.example.com" },
      "endpoint",
      '"live.example.com" is not a valid URL (expected e.g. https://live.ap-southeast-3.myhuaweicloud.com)',
    ],
    [
      "bad region",
      { flowId: FLOW, region: "Singapore" },
      "region",
      "region must be a region id such as ap-southeast-3",
    ],
    [
      "bad projectId",
      { flowId: FLOW, projectId: "p/1" },
      "projectId",
      "projectId must be 1-64 letters, digits, '-' or '_'",
    ],
    [
      "unknown property",
      { flowId: FLOW, desiredState: "ACTIVE" },
      "desiredState",
      `unknown property "desiredState"; ${ACCEPTED}`,
    ],
    [
      "unknown property whose value is unknown",
      { flowId: FLOW, extra: UNKNOWN_VALUE },
      "extra",
      `unknown property "extra"; ${ACCEPTED}`,
    ],
    [
      "unknown timeout",
      { flowId: FLOW, timeouts: { read: "1m" } },
      "timeouts.read",
      `unknown property "read"; ${ACCEPTED}`,
    ],
  ];
  for (const [name, news, property, reason] of invalid) {
    it(`rejects ${name}, naming ${property}`, () => {
      expect(checkInputs(news)).to.deep.equal({
        inputs: news,
        failures: [{ property, reason }],
      });
    });
  }

  it("reports every failure at once and returns the inputs as given", () => {
    const news = { flowId: 42, desiredStatus: "RUNNING", __provider: "code" };
    const outcome = checkInputs(news);
    expect(outcome).to.deep.equal({
      inputs: news,
      failures: [
        { property: "flowId", reason: "flowId must be a string" },
        { property: "desiredStatus", reason: 'desiredStatus must be "ACTIVE" or "STANDBY"' },
      ],
    });
    expect(outcome.inputs).to.not.equal(news);
  });

  it("accepts a 64-character flowId", () => {
    expect(checkInputs({ flowId: "f".repeat(64) }).failures).to.deep.equal([]);
  });

  it("treats null and undefined members as not given", () => {
    expect(
      checkInputs({
        flowId: FLOW,
        desiredStatus: null,
        onDelete: undefined,
        extra: undefined,
        timeouts: { create: null, update: undefined, read: undefined, delete: "1m" },
      }),
    ).to.deep.equal({
      inputs: {
        flowId: FLOW,
        desiredStatus: "ACTIVE",
        onDelete: "stop",
        timeouts: { create: "5m", update: "5m", delete: "1m" },
      },
      failures: [],
    });
  });

  it("passes every unknown input through as unknown", () => {
    const news = {
      flowId: UNKNOWN_VALUE,
      desiredStatus: UNKNOWN_VALUE,
      projectId: UNKNOWN_VALUE,
      region: UNKNOWN_VALUE,
      endpoint: UNKNOWN_VALUE,
      onDelete: UNKNOWN_VALUE,
      timeouts: UNKNOWN_VALUE,
    };
    expect(checkInputs(news)).to.deep.equal({ inputs: news, failures: [] });
  });

  it("lets unknown values through during preview", () => {
    const outcome = checkInputs({
      flowId: UNKNOWN_VALUE,
      desiredStatus: UNKNOWN_VALUE,
      timeouts: { create: UNKNOWN_VALUE },
    });
    expect(outcome).to.deep.equal({
      inputs: {
        flowId: UNKNOWN_VALUE,
        desiredStatus: UNKNOWN_VALUE,
        onDelete: "stop",
        timeouts: { create: "5m", update: "5m", delete: "5m" },
      },
      failures: [],
    });
  });
});

describe("durations", () => {
  it("parses Go-style durations", () => {
    expect(parseDuration("30s")).to.equal(30_000);
    expect(parseDuration("5m")).to.equal(300_000);
    expect(parseDuration("1h30m")).to.equal(5_400_000);
    expect(parseDuration("1500ms")).to.equal(1_500);
    expect(parseDuration("1.5s")).to.equal(1_500);
    expect(parseDuration("5")).to.equal(undefined);
    expect(parseDuration("")).to.equal(undefined);
  });
  it("reads every digit of a fraction and refuses trailing text", () => {
    expect(parseDuration("1.25s")).to.equal(1_250);
    expect(parseDuration("0.125m")).to.equal(7_500);
    expect(parseDuration("5mx")).to.equal(undefined);
    expect(parseDuration("30s ")).to.equal(undefined);
  });
  it("bounds timeouts between 1s and 6h", () => {
    expect(timeoutProblem("1s")).to.equal(undefined);
    expect(timeoutProblem("6h")).to.equal(undefined);
    expect(timeoutProblem("999ms")).to.match(/out of range/);
    expect(timeoutProblem("7h")).to.match(/out of range/);
  });
});

describe("endpoint", () => {
  it("defaults to the regional Media Live host", () => {
    expect(resolveEndpoint({ region: "ap-southeast-3" })).to.equal(
      "https://live.ap-southeast-3.myhuaweicloud.com",
    );
  });
  it("takes an explicit base URL without its trailing slash", () => {
    expect(resolveEndpoint({ endpoint: "https://proxy.example.com/live/", region: "x" })).to.equal(
      "https://proxy.example.com/live",
    );
  });
  it("allows http only on loopback", () => {
    expect(isLoopbackHost("127.0.0.1")).to.equal(true);
    expect(isLoopbackHost("127.10.0.3")).to.equal(true);
    expect(isLoopbackHost("localhost")).to.equal(true);
    expect(isLoopbackHost("[::1]")).to.equal(true);
    expect(isLoopbackHost("10.0.0.1")).to.equal(false);
    expect(endpointProblem("http://localhost:8787")).to.equal(undefined);
    expect(endpointProblem("http://192.168.1.2:8787")).to.match(/loopback/);
    expect(endpointProblem("ftp://example.com")).to.match(/https/);
    expect(endpointProblem("https://user:pw@example.com")).to.match(/user information/);
    expect(() => resolveEndpoint({ endpoint: "http://example.com" })).to.throw(
      TypeError,
      /loopback/,
    );
    expect(() => resolveEndpoint({})).to.throw(TypeError, /endpoint or a region/);
  });
});
