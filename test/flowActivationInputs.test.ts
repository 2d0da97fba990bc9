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

  const invalid: [string, Record<string, unknown>, string, RegExp][] = [
    ["missing flowId", {}, "flowId", /required/],
    ["empty flowId", { flowId: "" }, "flowId", /empty/],
    ["65-character flowId", { flowId: "f".repeat(65) }, "flowId", /at most 64/],
    ["numeric flowId", { flowId: 42 }, "flowId", /string/],
    ["flowId with a space", { flowId: "a b" }, "flowId", /without spaces/],
    [
      "desiredStatus RUNNING",
      { flowId: FLOW, desiredStatus: "RUNNING" },
      "desiredStatus",
      /ACTIVE/,
    ],
    [
      "lower-case desiredStatus",
      { flowId: FLOW, desiredStatus: "active" },
      "desiredStatus",
      /ACTIVE/,
    ],
    ["unknown onDelete", { flowId: FLOW, onDelete: "destroy" }, "onDelete", /stop/],
    [
      "bad duration",
      { flowId: FLOW, timeouts: { create: "5 minutes" } },
      "timeouts.create",
      /not a duration/,
    ],
    [
      "negative duration",
      { flowId: FLOW, timeouts: { update: "-5m" } },
      "timeouts.update",
      /not a duration/,
    ],
    [
      "absurd duration",
      { flowId: FLOW, timeouts: { delete: "100h" } },
      "timeouts.delete",
      /out of range/,
    ],
    [
      "http to a remote host",
      { flowId: FLOW, endpoint: "http://live.example.com" },
      "endpoint",
      /loopback/,
    ],
    [
      "malformed URL",
      { flowId: FLOW, endpoint: "live.example.com" },
      "endpoint",
      /not a valid URL/,
    ],
    ["bad region", { flowId: FLOW, region: "Singapore" }, "region", /region id/],
    ["bad projectId", { flowId: FLOW, projectId: "p/1" }, "projectId", /letters, digits/],
    [
      "unknown property",
      { flowId: FLOW, desiredState: "ACTIVE" },
      "desiredState",
      /unknown property/,
    ],
    [
      "unknown timeout",
      { flowId: FLOW, timeouts: { read: "1m" } },
      "timeouts.read",
      /unknown property/,
    ],
  ];
  for (const [name, news, property, reason] of invalid) {
    it(`rejects ${name}, naming ${property}`, () => {
      const outcome = checkInputs(news);
      expect(outcome.failures.map((failure) => failure.property)).to.include(property);
      expect(outcome.failures.find((failure) => failure.property === property)!.reason).to.match(
        reason,
      );
    });
  }

  it("lets unknown values through during preview", () => {
    const outcome = checkInputs({
      flowId: UNKNOWN_VALUE,
      desiredStatus: UNKNOWN_VALUE,
      timeouts: { create: UNKNOWN_VALUE },
    });
    expect(outcome.failures).to.deep.equal([]);
    expect(outcome.inputs.flowId).to.equal(UNKNOWN_VALUE);
    expect(outcome.inputs.desiredStatus).to.equal(UNKNOWN_VALUE);
    expect(outcome.inputs.timeouts).to.deep.equal({ create: "5m", update: "5m", delete: "5m" });
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
