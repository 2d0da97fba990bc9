/**
 * The one error type: the exact one-line message for every kind of failure and HTTP status, which
 * errors count as "flow not found" and "already in that status", and what is redacted.
 */
import { expect } from "chai";
import {
  describeFailure,
  isAlreadyInStatus,
  isFlowNotFound,
  MediaLiveError,
  type MediaLiveErrorDetails,
  redactSecrets,
} from "../client/errors";

/** An HTTP failure of startFlow after one attempt, with `overrides`. */
const http = (overrides: Partial<MediaLiveErrorDetails>): MediaLiveError =>
  new MediaLiveError({ operation: "startFlow", kind: "http", attempts: 1, ...overrides });

describe("MediaLiveError messages", () => {
  const table: [string, MediaLiveErrorDetails, string][] = [
    [
      "401 with every detail",
      {
        operation: "showFlowDetail",
        kind: "http",
        httpStatus: 401,
        errorCode: "APIG.0301",
        errorMessage: "Incorrect IAM authentication information",
        requestId: "req-1",
        projectId: "p1",
        region: "ap-southeast-3",
        attempts: 1,
      },
      'Media Live showFlowDetail failed: HTTP 401 APIG.0301 "Incorrect IAM authentication information" (request id req-1); check the access key and secret key (or the auth token and its expiry), the machine clock, and that the project id belongs to the region (project p1, region ap-southeast-3).',
    ],
    [
      "403 with no project or region",
      { operation: "stopFlow", kind: "http", httpStatus: 403, flowId: "f-1", attempts: 1 },
      "Media Live stopFlow for flow f-1 failed: HTTP 403; check that the IAM user may perform live:ott:updateFlowStatusStop.",
    ],
    [
      "403 with a region only",
      { operation: "listFlows", kind: "http", httpStatus: 403, region: "cn-north-4", attempts: 1 },
      "Media Live listFlows failed: HTTP 403; check that the IAM user may perform live:ott:listFlow (region cn-north-4).",
    ],
    [
      "401 with a project only",
      { operation: "startFlow", kind: "http", httpStatus: 401, projectId: "p2", attempts: 1 },
      "Media Live startFlow failed: HTTP 401; check the access key and secret key (or the auth token and its expiry), the machine clock, and that the project id belongs to the region (project p2).",
    ],
    [
      "429 after retries",
      {
        operation: "listFlows",
        kind: "http",
        httpStatus: 429,
        errorCode: "APIG.0308",
        attempts: 6,
      },
      "Media Live listFlows failed after 6 attempts: HTTP 429 APIG.0308; the API is throttling this account; lower the request rate or retry later.",
    ],
    [
      "500",
      { operation: "startFlow", kind: "http", httpStatus: 500, attempts: 2 },
      "Media Live startFlow failed after 2 attempts: HTTP 500; the service failed; retry later.",
    ],
    [
      "499, just below the 5xx range",
      { operation: "startFlow", kind: "http", httpStatus: 499, attempts: 1 },
      "Media Live startFlow failed: HTTP 499; check the request parameters.",
    ],
    [
      "404",
      { operation: "showFlowDetail", kind: "http", httpStatus: 404, attempts: 1 },
      "Media Live showFlowDetail failed: HTTP 404; check the endpoint, region and project id.",
    ],
    [
      "400 with a multi-line message",
      {
        operation: "startFlow",
        kind: "http",
        httpStatus: 400,
        errorCode: "LIVE.100011001",
        errorMessage: "  Invalid request\n\tparameter  ",
        attempts: 1,
      },
      'Media Live startFlow failed: HTTP 400 LIVE.100011001 "Invalid request parameter"; check the request parameters.',
    ],
    [
      "an HTTP failure with no status",
      { operation: "startFlow", kind: "http", attempts: 1 },
      "Media Live startFlow failed: http; check the request parameters.",
    ],
    [
      "a network failure",
      {
        operation: "startFlow",
        kind: "network",
        errorMessage: "connect ECONNREFUSED",
        attempts: 1,
      },
      'Media Live startFlow failed: "connect ECONNREFUSED"; check the endpoint URL, DNS, proxy settings (HTTPS_PROXY/NO_PROXY) and network access.',
    ],
    [
      "a timeout",
      { operation: "stopFlow", kind: "timeout", attempts: 2 },
      "Media Live stopFlow failed after 2 attempts: timed out; the API did not answer in time; retry later or raise the timeout.",
    ],
    [
      "the deadline",
      { operation: "stopFlow", kind: "deadline", attempts: 3 },
      "Media Live stopFlow failed after 3 attempts: deadline; the API kept failing until the deadline; retry later or raise the timeout.",
    ],
    [
      "a 200 with an unreadable body",
      { operation: "showFlowDetail", kind: "invalid-response", httpStatus: 200, attempts: 1 },
      "Media Live showFlowDetail failed: HTTP 200; the API answered with a body this package does not understand; retry, and report it if it persists.",
    ],
  ];
  for (const [name, details, message] of table) {
    it(name, () => {
      expect(describeFailure(details)).to.equal(message);
      expect(new MediaLiveError(details).message).to.equal(message);
    });
  }

  it("keeps at most 500 characters of the API's message", () => {
    const message = describeFailure({
      operation: "startFlow",
      kind: "http",
      httpStatus: 400,
      errorMessage: "x".repeat(600),
      attempts: 1,
    });
    expect(message).to.equal(
      `Media Live startFlow failed: HTTP 400 "${"x".repeat(500)}"; check the request parameters.`,
    );
  });

  it("carries every detail as a field, named MediaLiveError", () => {
    const cause = new Error("socket hang up");
    const error = new MediaLiveError({
      operation: "stopFlow",
      kind: "http",
      httpStatus: 503,
      errorCode: "LIVE.1",
      errorMessage: "busy",
      requestId: "req-2",
      flowId: "f-2",
      projectId: "p3",
      region: "ap-southeast-3",
      attempts: 4,
      cause,
    });
    expect(error.name).to.equal("MediaLiveError");
    expect(error).to.include({
      operation: "stopFlow",
      kind: "http",
      httpStatus: 503,
      errorCode: "LIVE.1",
      errorMessage: "busy",
      requestId: "req-2",
      flowId: "f-2",
      projectId: "p3",
      region: "ap-southeast-3",
      attempts: 4,
      cause,
    });
  });
});

describe("MediaLiveError.isInstance", () => {
  it("recognises the brand of any copy of the package, and nothing else", () => {
    expect(MediaLiveError.isInstance(http({ httpStatus: 400 }))).to.equal(true);
    const fromAnotherCopy = {
      [Symbol.for("pulumi-huaweicloud-medialive:MediaLiveError")]: true,
    };
    expect(MediaLiveError.isInstance(fromAnotherCopy)).to.equal(true);
    expect(MediaLiveError.isInstance({ name: "MediaLiveError", httpStatus: 400 })).to.equal(false);
    expect(MediaLiveError.isInstance(null)).to.equal(false);
    expect(MediaLiveError.isInstance("MediaLiveError")).to.equal(false);
    expect(MediaLiveError.isInstance(undefined)).to.equal(false);
  });
});

describe("isFlowNotFound", () => {
  const table: [string, unknown, boolean][] = [
    ["a 404 from the service", http({ httpStatus: 404, errorCode: "LIVE.100011404" }), true],
    ["a 404 with no code", http({ httpStatus: 404 }), true],
    [
      "a 404 from the gateway (a wrong URL)",
      http({ httpStatus: 404, errorCode: "APIG.0101" }),
      false,
    ],
    ["400 not found", http({ httpStatus: 400, errorMessage: "flow not found: abc" }), true],
    ["400 NotFound", http({ httpStatus: 400, errorMessage: "FlowNotFound" }), true],
    ["400 does not exist", http({ httpStatus: 400, errorMessage: "flow does not exist" }), true],
    ["400 doesnotexist", http({ httpStatus: 400, errorMessage: "flow doesnotexist" }), true],
    ["400 not exist", http({ httpStatus: 400, errorMessage: "flow not  exist" }), true],
    ["400 no such flow", http({ httpStatus: 400, errorMessage: "No such flow" }), true],
    ["400 nosuchflow", http({ httpStatus: 400, errorMessage: "NOSUCHFLOW" }), true],
    ["400 other", http({ httpStatus: 400, errorMessage: "flow task is in active status" }), false],
    ["400 without a message", http({ httpStatus: 400 }), false],
    ["403 saying not found", http({ httpStatus: 403, errorMessage: "user not found" }), false],
    [
      "a network failure saying not found",
      new MediaLiveError({
        operation: "startFlow",
        kind: "network",
        httpStatus: 404,
        errorMessage: "host not found",
        attempts: 1,
      }),
      false,
    ],
    ["a plain error", new Error("flow not found"), false],
    ["a look-alike object", { kind: "http", httpStatus: 404 }, false],
  ];
  for (const [name, error, expected] of table) {
    it(`${name} → ${expected}`, () => {
      expect(isFlowNotFound(error)).to.equal(expected);
    });
  }
});

describe("isAlreadyInStatus", () => {
  const table: [string, unknown, boolean][] = [
    ["400 active", http({ httpStatus: 400, errorMessage: "flow task is in active status" }), true],
    [
      "400 STANDBY",
      http({ httpStatus: 400, errorMessage: "Flow task is IN STANDBY STATUS" }),
      true,
    ],
    ["400 other", http({ httpStatus: 400, errorMessage: "Invalid request parameter" }), false],
    ["400 without a message", http({ httpStatus: 400 }), false],
    ["409 active", http({ httpStatus: 409, errorMessage: "flow task is in active status" }), false],
    [
      "a look-alike object",
      { httpStatus: 400, errorMessage: "flow task is in active status" },
      false,
    ],
  ];
  for (const [name, error, expected] of table) {
    it(`${name} → ${expected}`, () => {
      expect(isAlreadyInStatus(error)).to.equal(expected);
    });
  }
});

describe("redactSecrets", () => {
  it("replaces every occurrence of secrets of four characters or more, and only those", () => {
    expect(redactSecrets("abcd abc abcd", ["abcd", "abc"])).to.equal("[REDACTED] abc [REDACTED]");
    expect(redactSecrets("nothing secret", [undefined, ""])).to.equal("nothing secret");
  });
});
