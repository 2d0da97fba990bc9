/**
 * Reliability through Pulumi's real provider host: every fault the simulator can inject against
 * every operation (one table, one generated `it` per cell), interrupted runs, a corpus of bad
 * inputs, a secrets scan over a whole lifecycle, and a 200-resource stack under a rate limit.
 */
import { expect } from "chai";
import type { ProviderHost } from "../engine/providerHost";
import { startSimulator, type Fault, type RouteName, type Simulator } from "../simulator";
import { consumerProject } from "./support/consumer";
import {
  applyStep,
  deleteStep,
  providerText,
  refreshStep,
  startConfiguredHost,
  URN,
  type HostResource,
  type StepOutcome,
} from "./support/directHost";
import { TestStack, type StackCredentials } from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKRELIABILITYSUITE01",
  secretKey: "SK-reliability-suite-5e4d3c2b1a09",
};

/** How a fault is expected to end. */
type FaultClass = "transient" | "permanent" | "unknown-status" | "not-found";

interface FaultCase {
  readonly name: string;
  readonly fault: (flowId: string, route: RouteName) => Fault;
  readonly class: FaultClass;
  /** For permanent faults: the text the one-line error must contain. */
  readonly signature?: RegExp;
}

/** Every fault the simulator can inject, and how the provider must come out of it. */
const FAULT_CASES: readonly FaultCase[] = [
  {
    name: "429 APIG.0308 with Retry-After",
    class: "transient",
    fault: () => ({ kind: "status", status: 429, retryAfterSeconds: 1 }),
  },
  {
    name: "429 APIG.0308 without Retry-After",
    class: "transient",
    fault: () => ({ kind: "status", status: 429 }),
  },
  { name: "500", class: "transient", fault: () => ({ kind: "status", status: 500 }) },
  { name: "502", class: "transient", fault: () => ({ kind: "status", status: 502 }) },
  { name: "503", class: "transient", fault: () => ({ kind: "status", status: 503 }) },
  { name: "connection reset", class: "transient", fault: () => ({ kind: "reset" }) },
  {
    name: "answer slower than the client timeout",
    class: "transient",
    fault: () => ({ kind: "delay", ms: 1_500 }),
  },
  { name: "malformed JSON", class: "transient", fault: () => ({ kind: "malformed" }) },
  {
    name: "unknown status value",
    class: "unknown-status",
    fault: (flowId, route) => ({
      kind: "body",
      body:
        route === "detail"
          ? {
              flow_id: flowId,
              status: "STARTING",
              name: "flow",
              region: "ap-southeast-3",
              sources: [],
              outputs: [],
            }
          : { flow_id: flowId, status: "STARTING" },
    }),
  },
  {
    name: "401 APIG.0301",
    class: "permanent",
    signature: /HTTP 401 APIG\.0301 .*check the access key and secret key/,
    fault: () => ({ kind: "status", status: 401 }),
  },
  {
    name: "403 APIG.0302",
    class: "permanent",
    signature: /HTTP 403 APIG\.0302 .*check that the IAM user may perform live:ott:/,
    fault: () => ({ kind: "status", status: 403 }),
  },
  {
    name: "400 unknown flow",
    class: "not-found",
    fault: (flowId) => ({
      kind: "status",
      status: 400,
      errorCode: "LIVE.100011001",
      errorMsg: `flow not found: ${flowId}`,
    }),
  },
];

type OperationName = "create" | "update" | "refresh" | "delete";

/** Each operation: the route its fault goes to, the Media Live operation it names. */
const OPERATIONS: readonly { name: OperationName; route: RouteName; apiOperation: string }[] = [
  { name: "create", route: "start", apiOperation: "startFlow" },
  { name: "update", route: "stop", apiOperation: "stopFlow" },
  { name: "refresh", route: "detail", apiOperation: "showFlowDetail" },
  { name: "delete", route: "stop", apiOperation: "stopFlow" },
];

const TIMEOUTS = { create: "2s", update: "2s", delete: "2s" };

describe("reliability through Pulumi's provider host", function () {
  this.timeout(60_000);
  let simulator: Simulator;
  let host: ProviderHost;
  let provider: string;

  before(async function () {
    this.timeout(300_000);
    consumerProject();
    simulator = await startSimulator({ credentials: [CREDENTIALS] });
    provider = await providerText(simulator, CREDENTIALS);
    host = await startConfiguredHost(
      {
        "huaweicloud:liveEndpoint": simulator.url,
        "huaweicloud:projectId": simulator.projectId,
        "huaweicloud:accessKey": CREDENTIALS.accessKey,
        "huaweicloud:secretKey": CREDENTIALS.secretKey,
        "huaweicloud:liveRequestTimeout": "400ms",
        "huaweicloud:maxRetries": "3",
        "huaweicloud:liveRequestsPerSecond": "1000",
      },
      ["huaweicloud:accessKey", "huaweicloud:secretKey"],
    );
  });
  after(async () => {
    await host?.stop();
    await simulator?.close();
  });
  afterEach(() => simulator.clearFaults());

  const inputs = (flowId: string, desiredStatus: "ACTIVE" | "STANDBY") => ({
    flowId,
    desiredStatus,
    onDelete: "stop",
    timeouts: TIMEOUTS,
    __provider: provider,
  });

  /** Brings a flow to the state each operation starts from, without faults. */
  async function arrange(
    operation: OperationName,
  ): Promise<{ flowId: string; state?: HostResource }> {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    if (operation === "create") return { flowId };
    const created = await applyStep(host, undefined, inputs(flowId, "ACTIVE"));
    expect(created.ok, "arrange").to.equal(true);
    return { flowId, state: created.resource };
  }

  /** Runs one operation as the engine would. */
  function act(
    operation: OperationName,
    flowId: string,
    state: HostResource | undefined,
  ): Promise<StepOutcome> {
    switch (operation) {
      case "create":
        return applyStep(host, undefined, inputs(flowId, "ACTIVE"));
      case "update":
        return applyStep(host, state, inputs(flowId, "STANDBY"));
      case "refresh":
        return refreshStep(host, state!);
      case "delete":
        return deleteStep(host, state!);
    }
  }

  /** The status the operation aims for. */
  const target = (operation: OperationName): string =>
    operation === "create" || operation === "refresh" ? "ACTIVE" : "STANDBY";

  for (const faultCase of FAULT_CASES) {
    describe(`fault: ${faultCase.name}`, () => {
      for (const operation of OPERATIONS) {
        it(`during ${operation.name}`, async () => {
          const { flowId, state } = await arrange(operation.name);
          simulator.injectFault(operation.route, faultCase.fault(flowId, operation.route));
          const since = simulator.journal.at(-1)?.sequence ?? 0;
          const outcome = await act(operation.name, flowId, state);
          const onRoute = simulator.journal.filter(
            (entry) => entry.sequence > since && entry.route === operation.route,
          ).length;
          const live = simulator.getFlow(flowId)!.status;
          const recorded = outcome.resource?.outputs.status;

          switch (faultCase.class) {
            case "transient":
              expect(outcome.ok, outcome.ok ? "" : outcome.error.message).to.equal(true);
              expect(onRoute, "one failed attempt, one retry").to.equal(2);
              expect(live).to.equal(target(operation.name));
              if (operation.name !== "delete") expect(recorded).to.equal(live);
              break;
            case "permanent":
              expect(outcome.ok).to.equal(false);
              if (!outcome.ok) {
                expect(outcome.error.message).to.match(
                  new RegExp(`Media Live ${operation.apiOperation} for flow ${flowId} failed`),
                );
                expect(outcome.error.message).to.match(faultCase.signature!);
                expect(outcome.error.message).not.to.include("\n");
              }
              expect(onRoute, "not retried").to.equal(1);
              // Nothing changed. The state holds what was observed: the old state, or for a create
              // the flow as read before the failing call.
              expect(recorded).to.equal(state ? state.outputs.status : live);
              break;
            case "not-found":
              if (operation.name === "refresh") {
                // A read that says the flow is gone removes the resource from the state.
                expect(outcome.ok).to.equal(true);
                expect(outcome.resource).to.equal(undefined);
              } else {
                // The start/stop said "not found" but a read shows the flow: the error stands.
                expect(outcome.ok).to.equal(false);
                if (!outcome.ok) {
                  expect(outcome.error.message).to.match(
                    /HTTP 400 LIVE\.100011001 "flow not found: .*" .*The flow is (ACTIVE|STANDBY)\./,
                  );
                }
                expect(recorded).to.equal(live);
              }
              break;
            case "unknown-status":
              if (operation.name === "refresh") {
                expect(outcome.ok).to.equal(true);
                // The status is stored exactly as the API reported it.
                expect(recorded).to.equal("STARTING");
              } else {
                // The answer never reaches the target: polling ends at the timeout, state truthful.
                expect(outcome.ok).to.equal(false);
                if (!outcome.ok) {
                  expect(outcome.error.message).to.match(
                    new RegExp(
                      `FlowActivation ${operation.name} of flow ${flowId} timed out after 2s \\(last observed status (STARTING|ACTIVE|STANDBY)\\); raise timeouts\\.${operation.name}`,
                    ),
                  );
                }
                expect(recorded).to.equal(live);
              }
              break;
          }

          // Re-running, with the fault gone, converges without manual repair.
          simulator.clearFaults();
          const rerun =
            operation.name === "refresh"
              ? outcome.resource
                ? await refreshStep(host, outcome.resource)
                : await applyStep(host, undefined, inputs(flowId, "ACTIVE"))
              : operation.name === "delete" && outcome.ok
                ? outcome
                : operation.name === "delete"
                  ? await deleteStep(host, outcome.resource!)
                  : await applyStep(
                      host,
                      outcome.resource,
                      inputs(flowId, target(operation.name) as "ACTIVE" | "STANDBY"),
                    );
          expect(rerun.ok, rerun.ok ? "" : rerun.error.message).to.equal(true);
          expect(simulator.getFlow(flowId)!.status).to.equal(target(operation.name));
          if (rerun.resource)
            expect(rerun.resource.outputs.status).to.equal(simulator.getFlow(flowId)!.status);
        });
      }
    });
  }

  describe("bad input corpus", () => {
    const longId = "f".repeat(65);
    const CORPUS: readonly [string, Record<string, unknown>, string][] = [
      ["missing flowId", { flowId: undefined }, "flowId"],
      ["empty flowId", { flowId: "" }, "flowId"],
      ["65-character flowId", { flowId: longId }, "flowId"],
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
    for (const [name, overrides, property] of CORPUS) {
      it(`${name} fails in check naming ${property}, with no request`, async () => {
        const news = Object.fromEntries(
          Object.entries({ flowId: "flow-under-check", ...overrides, __provider: provider }).filter(
            ([, value]) => value !== undefined,
          ),
        );
        const before = simulator.journal.length;
        const checked = await host.check(URN, {}, news);
        expect(checked.failures.map((failure) => failure.property)).to.include(property);
        for (const failure of checked.failures)
          expect(failure.reason).to.be.a("string").and.not.equal("");
        expect(simulator.journal.length).to.equal(before);
      });
    }

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
        { "huaweicloud:liveEndpoint": "" },
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
        const base: Record<string, string> = {
          "huaweicloud:liveEndpoint": simulator.url,
          "huaweicloud:projectId": simulator.projectId,
          ...(name === "no credentials" || name.startsWith("an access key")
            ? {}
            : {
                "huaweicloud:accessKey": CREDENTIALS.accessKey,
                "huaweicloud:secretKey": CREDENTIALS.secretKey,
              }),
        };
        const config = Object.fromEntries(
          Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== ""),
        );
        const misconfigured = await startConfiguredHost(config);
        try {
          const before = simulator.journal.length;
          const outcome = await applyStep(misconfigured, undefined, {
            flowId: simulator.createFlow({}).flowId,
            __provider: provider,
          });
          expect(outcome.ok).to.equal(false);
          if (!outcome.ok) expect(outcome.error.message).to.match(message);
          expect(simulator.journal.length).to.equal(before);
        } finally {
          await misconfigured.stop();
        }
      });
    }
  });
});

describe("interrupted runs", function () {
  this.timeout(120_000);
  let simulator: Simulator;
  before(async function () {
    this.timeout(300_000);
    consumerProject();
    simulator = await startSimulator({ credentials: [CREDENTIALS] });
  });
  after(() => simulator?.close());

  /** Runs `up`, kills the provider host once the simulator has applied the call on `route`. */
  async function upKilledAfterApply(stack: TestStack, route: RouteName): Promise<void> {
    simulator.injectFault(route, { kind: "hang", afterApply: true });
    const before = simulator.requestCount({ route });
    let host: ProviderHost | undefined;
    const killed = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (host && simulator.requestCount({ route }) > before) {
          clearInterval(timer);
          host.kill();
          resolve();
        }
      }, 10);
    });
    stack.engine.onHostStarted = (started) => {
      host = started;
    };
    const run = stack.engine.up();
    await killed;
    const result = await run;
    expect(result.errors, "the interrupted run fails").to.have.length.greaterThan(0);
    simulator.clearFaults();
  }

  it("converges after the host dies between an accepted start and its answer", async () => {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const stack = new TestStack(simulator, CREDENTIALS, [{ name: "news", args: { flowId } }]);
    await upKilledAfterApply(stack, "start");
    expect(simulator.getFlow(flowId)!.status, "the start was applied").to.equal("ACTIVE");
    const startsBefore = simulator.requestCount({ route: "start", flowId });
    const rerun = await stack.run("up");
    expect(rerun.errors).to.deep.equal([]);
    expect(rerun.routes, "adopted: no second start").to.deep.equal(["detail"]);
    expect(simulator.requestCount({ route: "start", flowId })).to.equal(startsBefore);
    expect([...stack.engine.state.values()][0]!.outputs.status).to.equal("ACTIVE");
  });

  it("converges after the host dies between an accepted stop and its answer", async () => {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const stack = new TestStack(simulator, CREDENTIALS, [{ name: "news", args: { flowId } }]);
    expect((await stack.run("up")).errors).to.deep.equal([]);
    stack.declare([{ name: "news", args: { flowId, desiredStatus: "STANDBY" } }]);
    await upKilledAfterApply(stack, "stop");
    expect(simulator.getFlow(flowId)!.status, "the stop was applied").to.equal("STANDBY");
    const rerun = await stack.run("up");
    expect(rerun.errors).to.deep.equal([]);
    // The state still said ACTIVE, so the stop is repeated; its "already standby" 400 is settled
    // by one read, with no error and no second change.
    expect(rerun.routes).to.deep.equal(["stop", "detail"]);
    expect([...stack.engine.state.values()][0]!.outputs.status).to.equal("STANDBY");
  });
});

describe("secrets", function () {
  this.timeout(120_000);
  const temporary = {
    accessKey: "AKSECRETSCANTEMP0001",
    secretKey: "SK-secret-scan-1f2e3d4c5b6a79",
    securityToken: "STS-secret-scan-token-9a8b7c6d",
  };
  const authToken = "IAM-secret-scan-token-0a9b8c7d6e";

  it("never appear in state, outputs, logs, errors or the journal over a whole lifecycle", async () => {
    const simulator = await startSimulator({ credentials: [temporary], authTokens: [authToken] });
    try {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const env = { HW_LIVE_DEBUG: "1" };
      const stack = new TestStack(simulator, temporary, [{ name: "news", args: { flowId } }], {
        env,
      });
      const runs = [await stack.run("preview"), await stack.run("up"), await stack.run("refresh")];
      stack.declare([{ name: "news", args: { flowId, desiredStatus: "STANDBY" } }]);
      simulator.injectFault("stop", { kind: "status", status: 401 });
      runs.push(await stack.run("up"));
      expect(runs.at(-1)!.errors.join("\n")).to.match(/HTTP 401 APIG\.0301/);
      runs.push(await stack.run("up"));
      const states = [JSON.stringify([...stack.engine.state.values()])];
      runs.push(await stack.run("destroy"));

      // The same with an IAM token instead of AK/SK.
      const tokenStack = new TestStack(
        simulator,
        { accessKey: "", secretKey: "" },
        [{ name: "news", args: { flowId } }],
        {
          env,
          extraConfig: { "huaweicloud:authToken": authToken },
        },
      );
      runs.push(await tokenStack.run("up"));
      simulator.injectFault("stop", { kind: "status", status: 403 });
      runs.push(await tokenStack.run("destroy"));
      expect(runs.at(-1)!.errors.join("\n")).to.match(/HTTP 403/);
      states.push(JSON.stringify([...tokenStack.engine.state.values()]));
      runs.push(await tokenStack.run("destroy"));

      expect(runs.map((run) => run.hostOutput).join("")).to.include("[medialive] startFlow PUT");
      const produced = JSON.stringify({
        states,
        runs: runs.map((run) => ({
          steps: run.steps,
          exports: run.exports,
          errors: run.errors,
          hostOutput: run.hostOutput,
        })),
      });
      for (const secret of [
        temporary.accessKey,
        temporary.secretKey,
        temporary.securityToken,
        authToken,
      ]) {
        expect(produced, secret).not.to.include(secret);
      }
      // The simulator's journal (what a test asserts on) holds none of them either: credential
      // headers are redacted and no access key is recorded.
      const journal = JSON.stringify(simulator.journal);
      for (const secret of [
        temporary.accessKey,
        temporary.secretKey,
        temporary.securityToken,
        authToken,
      ]) {
        expect(journal, secret).not.to.include(secret);
      }
    } finally {
      await simulator.close();
    }
  });
});

describe("scale", function () {
  this.timeout(300_000);

  it("brings 200 flows up in one run under a 50 requests/second API limit", async () => {
    const simulator = await startSimulator({ credentials: [CREDENTIALS], requestsPerSecond: 50 });
    try {
      const flows = Array.from(
        { length: 200 },
        () => simulator.createFlow({ status: "STANDBY" }).flowId,
      );
      const stack = new TestStack(
        simulator,
        CREDENTIALS,
        flows.map((flowId, index) => ({ name: `flow${index}`, args: { flowId } })),
        { extraConfig: { "huaweicloud:liveRequestsPerSecond": "50" } },
      );
      const up = await stack.run("up");
      expect(up.errors).to.deep.equal([]);
      expect(up.steps.filter((step) => step.kind === "create")).to.have.length(200);
      expect(flows.every((flowId) => simulator.getFlow(flowId)!.status === "ACTIVE")).to.equal(
        true,
      );
    } finally {
      await simulator.close();
    }
  });
});
