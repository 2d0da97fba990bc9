/**
 * Bad input through the real Pulumi engine: every invalid input fails in `check` before any
 * request, and the CLI's own output names the property; every bad or missing setting fails at the
 * first call with the keys it tried named, again with no request.
 */
import { expect } from "chai";
import type { Simulator } from "../simulator";
import { useEngineSimulator } from "./support/engineSuite";
import { TestStack, type StackCredentials } from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKBADINPUTSUITE00001",
  secretKey: "SK-bad-input-suite-1a2b3c4d5e6f",
};

const LONG_ID = "f".repeat(65);

/** Each invalid input: what the program passes, and the property the failure must name. */
const CORPUS: readonly [string, Record<string, unknown>, string][] = [
  ["missing flowId", { flowId: undefined }, "flowId"],
  ["empty flowId", { flowId: "" }, "flowId"],
  ["65-character flowId", { flowId: LONG_ID }, "flowId"],
  ["numeric flowId", { flowId: 42 }, "flowId"],
  ["boolean flowId", { flowId: true }, "flowId"],
  ["object flowId", { flowId: { id: "x" } }, "flowId"],
  ["flowId with a space", { flowId: "a b" }, "flowId"],
  ["flowId with a newline", { flowId: "a\nb" }, "flowId"],
  ["non-ASCII flowId", { flowId: "flów" }, "flowId"],
  ["desiredStatus RUNNING", { desiredStatus: "RUNNING" }, "desiredStatus"],
  ["desiredStatus lower case", { desiredStatus: "active" }, "desiredStatus"],
  ["desiredStatus mixed case", { desiredStatus: "Standby" }, "desiredStatus"],
  ["desiredStatus empty", { desiredStatus: "" }, "desiredStatus"],
  ["desiredStatus number", { desiredStatus: 1 }, "desiredStatus"],
  ["desiredStatus STOPPED", { desiredStatus: "STOPPED" }, "desiredStatus"],
  ["onDelete destroy", { onDelete: "destroy" }, "onDelete"],
  ["onDelete upper case", { onDelete: "STOP" }, "onDelete"],
  ["onDelete boolean", { onDelete: true }, "onDelete"],
  ["timeout in words", { timeouts: { create: "5 minutes" } }, "timeouts.create"],
  ["negative timeout", { timeouts: { create: "-5m" } }, "timeouts.create"],
  ["zero timeout", { timeouts: { update: "0s" } }, "timeouts.update"],
  ["absurd timeout", { timeouts: { delete: "100h" } }, "timeouts.delete"],
  ["timeout without unit", { timeouts: { create: "5" } }, "timeouts.create"],
  ["timeout as a number", { timeouts: { update: 300 } }, "timeouts.update"],
  ["sub-second timeout", { timeouts: { delete: "999ms" } }, "timeouts.delete"],
  ["timeouts as a string", { timeouts: "5m" }, "timeouts"],
  ["unknown timeout", { timeouts: { read: "1m" } }, "timeouts.read"],
  ["http to a remote host", { endpoint: "http://live.example.com" }, "endpoint"],
  ["malformed URL", { endpoint: "not a url" }, "endpoint"],
  ["ftp endpoint", { endpoint: "ftp://live.example.com" }, "endpoint"],
  ["endpoint with credentials", { endpoint: "https://user:pw@live.example.com" }, "endpoint"],
  ["endpoint with a query", { endpoint: "https://live.example.com/?x=1" }, "endpoint"],
  ["region name instead of id", { region: "Singapore" }, "region"],
  ["projectId with a slash", { projectId: "p/1" }, "projectId"],
  ["empty projectId", { projectId: "" }, "projectId"],
  ["misspelled property", { desiredState: "ACTIVE" }, "desiredState"],
  ["credentials as an input", { accessKey: "AKINPUT" }, "accessKey"],
];

describe("bad input through the real Pulumi engine", function () {
  this.timeout(120_000);
  let simulator: Simulator;
  useEngineSimulator({ credentials: [CREDENTIALS] }, (started) => (simulator = started));

  describe("invalid inputs fail in check, naming the property, with no request", () => {
    let stack: TestStack;
    before(() => {
      stack = new TestStack(simulator, CREDENTIALS, []);
    });

    for (const [name, overrides, property] of CORPUS) {
      it(`${name}: the CLI names ${property}`, async () => {
        const args = Object.fromEntries(
          Object.entries({ flowId: "flow-under-check", ...overrides }).filter(
            ([, value]) => value !== undefined,
          ),
        );
        stack.declare([{ name: "bad", args }]);
        const up = await stack.run("up");
        expect(up.requests).to.equal(0);
        expect(up.error).to.be.a("string");
        // The CLI prints `property <name> value {…} has a problem: <reason>` per failure.
        expect(up.stdout + up.stderr).to.match(
          new RegExp(
            `property ${property.replace(".", "\\.")} value [\\s\\S]*? has a problem: \\S`,
          ),
        );
        expect(await stack.activations()).to.deep.equal([]);
      });
    }
  });

  /** Each bad or missing setting, and what the error must name. */
  const SETTINGS_CASES: readonly [string, Record<string, string>, RegExp][] = [
    [
      "no credentials",
      {},
      /huaweicloud:accessKey.*HW_ACCESS_KEY.*huaweicloud:secretKey.*HW_SECRET_KEY.*huaweicloud:authToken.*HW_AUTH_TOKEN/,
    ],
    [
      "an access key without its secret key",
      { "huaweicloud:accessKey": "AKHALF" },
      /secretKey.*huaweicloud:secretKey.*HW_SECRET_KEY/,
    ],
    [
      "no project id",
      { "huaweicloud:projectId": "" },
      /project id.*huaweicloud:projectId.*HW_PROJECT_ID/,
    ],
    [
      "neither region nor endpoint",
      { "huaweicloud:liveEndpoint": "", "huaweicloud:region": "" },
      /region.*huaweicloud:region.*HW_REGION_NAME.*huaweicloud:liveEndpoint.*HW_LIVE_ENDPOINT/,
    ],
    [
      "a remote http endpoint",
      { "huaweicloud:liveEndpoint": "http://live.example.com" },
      /huaweicloud:liveEndpoint is invalid: .*loopback/,
    ],
    [
      "a zero request rate",
      { "huaweicloud:liveRequestsPerSecond": "0" },
      /huaweicloud:liveRequestsPerSecond must be a positive number/,
    ],
    [
      "an unreadable request timeout",
      { "huaweicloud:liveRequestTimeout": "fast" },
      /huaweicloud:liveRequestTimeout must be a duration/,
    ],
  ];

  for (const [name, overrides, message] of SETTINGS_CASES) {
    it(`${name} fails at the first call with the keys named, with no request`, async () => {
      const withoutKeys = name === "no credentials" || name.startsWith("an access key");
      const stack = new TestStack(
        simulator,
        withoutKeys ? { accessKey: "", secretKey: "" } : CREDENTIALS,
        [{ name: "news", args: { flowId: simulator.createFlow({}).flowId } }],
        { extraConfig: overrides },
      );
      // An empty value stands for "not set": remove it from the stack config.
      const unset = Object.entries(overrides).filter(([, value]) => value === "");
      await stack.automation.setConfig(Object.fromEntries(unset.map(([key]) => [key, undefined])));
      const up = await stack.run("up");
      expect(up.requests).to.equal(0);
      expect(up.errors.join("\n")).to.match(message);
      expect(await stack.activations()).to.deep.equal([]);
    });
  }
});
