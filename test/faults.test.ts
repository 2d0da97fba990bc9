/**
 * The fault matrix through the real Pulumi engine: every fault the simulator can inject against
 * every operation (create, update, refresh, delete). One stack per operation declares one flow per
 * fault, each flow gets its own fault, and one CLI run covers the whole row; then the same run
 * without faults must converge. State and per-flow request counts are asserted for each cell.
 */
import { expect } from "chai";
import type { Fault, RouteName, Simulator } from "../simulator";
import { useEngineSimulator } from "./support/engineSuite";
import {
  TestStack,
  type ActivationSpec,
  type StackCredentials,
  type StackRun,
} from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKFAULTMATRIXSUITE01",
  secretKey: "SK-fault-matrix-5e4d3c2b1a09",
};

/** How a fault is expected to end. */
type FaultClass = "transient" | "permanent" | "unknown-status" | "not-found" | "lost-answer";

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
    name: "change applied, connection reset before the answer",
    class: "lost-answer",
    fault: () => ({ kind: "reset", afterApply: true }),
  },
  {
    name: "change applied, no answer before the client timeout",
    class: "lost-answer",
    fault: () => ({ kind: "hang", afterApply: true }),
  },
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

/** Each operation: the route its fault goes to and the Media Live operation it names. */
const OPERATIONS: readonly { name: OperationName; route: RouteName; apiOperation: string }[] = [
  { name: "create", route: "start", apiOperation: "startFlow" },
  { name: "update", route: "stop", apiOperation: "stopFlow" },
  { name: "refresh", route: "detail", apiOperation: "showFlowDetail" },
  { name: "delete", route: "stop", apiOperation: "stopFlow" },
];

const TIMEOUTS = { create: "2s", update: "2s", delete: "2s" };
const RUN = { parallel: 64, continueOnError: true } as const;

/** The status each operation aims for. */
const target = (operation: OperationName): "ACTIVE" | "STANDBY" =>
  operation === "create" || operation === "refresh" ? "ACTIVE" : "STANDBY";

describe("fault matrix through the real Pulumi engine", function () {
  this.timeout(300_000);
  let simulator: Simulator;
  useEngineSimulator({ credentials: [CREDENTIALS] }, (started) => (simulator = started));

  for (const operation of OPERATIONS) {
    it(`${operation.name}: each fault ends as its class says, and a re-run converges`, async () => {
      const flows = FAULT_CASES.map(() => simulator.createFlow({ status: "STANDBY" }).flowId);
      const declare = (desiredStatus: "ACTIVE" | "STANDBY"): ActivationSpec[] =>
        flows.map((flowId, index) => ({
          name: `case${index}`,
          args: { flowId, desiredStatus, onDelete: "stop", timeouts: TIMEOUTS },
        }));
      const stack = new TestStack(simulator, CREDENTIALS, declare("ACTIVE"), {
        extraConfig: {
          "huaweicloud:liveRequestTimeout": "400ms",
          "huaweicloud:maxRetries": "3",
          "huaweicloud:liveRequestsPerSecond": "1000",
        },
      });
      if (operation.name !== "create") {
        const arranged = await stack.run("up", RUN);
        expect(arranged.error, "arrange").to.equal(undefined);
      }
      const before = new Map(
        (await stack.activations()).map((resource) => [resource.outputs.flowId, resource]),
      );
      FAULT_CASES.forEach((faultCase, index) =>
        simulator.injectFault(
          operation.route,
          faultCase.fault(flows[index]!, operation.route),
          1,
          flows[index],
        ),
      );
      const since = simulator.journal.at(-1)?.sequence ?? 0;
      if (operation.name === "update") stack.declare(declare("STANDBY"));
      const run = await act(stack, operation.name);
      // Let hung requests settle so the journal holds every attempt.
      simulator.clearFaults();
      const after = new Map(
        (await stack.activations()).map((resource) => [resource.outputs.flowId, resource]),
      );

      FAULT_CASES.forEach((faultCase, index) => {
        const flowId = flows[index]!;
        const cell = `${operation.name} × ${faultCase.name}`;
        const onRoute = simulator.journal.filter(
          (entry) =>
            entry.sequence > since && entry.flowId === flowId && entry.route === operation.route,
        ).length;
        const live = simulator.getFlow(flowId)!.status;
        const recorded = after.get(flowId)?.outputs.status;
        const errors = errorsFor(run, `case${index}`);
        switch (faultCase.class) {
          case "transient":
            expect(errors, cell).to.deep.equal([]);
            expect(onRoute, `${cell}: one failed attempt, one retry`).to.equal(2);
            expect(live, cell).to.equal(target(operation.name));
            if (operation.name === "delete") expect(after.has(flowId), cell).to.equal(false);
            else expect(recorded, cell).to.equal(live);
            break;
          case "lost-answer":
            // The change landed; the state records the status read back, never the one before.
            expect(live, cell).to.equal(target(operation.name));
            if (operation.name === "refresh") {
              expect(errors, cell).to.deep.equal([]);
              expect(recorded, cell).to.equal(live);
            } else if (operation.name === "delete") {
              expect(errors, cell).to.deep.equal([]);
              expect(after.has(flowId), cell).to.equal(false);
            } else {
              expect(errors, cell).to.deep.equal([]);
              expect(recorded, cell).to.equal(live);
            }
            break;
          case "permanent":
            expect(errors.join("\n"), cell).to.match(
              new RegExp(`Media Live ${operation.apiOperation} for flow ${flowId} failed`),
            );
            expect(errors.join("\n"), cell).to.match(faultCase.signature!);
            expect(onRoute, `${cell}: not retried`).to.equal(1);
            // Nothing changed: the state holds the old state, or for a create the flow as read.
            expect(live, cell).to.equal(operation.name === "create" ? "STANDBY" : "ACTIVE");
            expect(recorded, cell).to.equal(before.get(flowId)?.outputs.status ?? live);
            break;
          case "not-found":
            if (operation.name === "refresh") {
              // A read that says the flow is gone removes the resource from the state.
              expect(errors, cell).to.deep.equal([]);
              expect(after.has(flowId), cell).to.equal(false);
            } else {
              // The start/stop said "not found" but a read shows the flow: the error stands.
              expect(errors.join("\n"), cell).to.match(
                /HTTP 400 LIVE\.100011001 "flow not found: .*" .*The flow is (ACTIVE|STANDBY)\./,
              );
              expect(recorded, cell).to.equal(live);
            }
            break;
          case "unknown-status":
            if (operation.name === "refresh") {
              expect(errors, cell).to.deep.equal([]);
              // The status is stored exactly as the API reported it.
              expect(recorded, cell).to.equal("STARTING");
            } else {
              // The answer never reaches the target: polling ends at the timeout, state truthful.
              expect(errors.join("\n"), cell).to.match(
                new RegExp(
                  `FlowActivation ${operation.name} of flow ${flowId} timed out after 2s \\(last observed status (STARTING|ACTIVE|STANDBY)\\); raise timeouts\\.${operation.name}`,
                ),
              );
              expect(recorded, cell).to.equal(live);
            }
            break;
        }
      });

      // Re-running, with the faults gone, converges without manual repair.
      const rerun = await act(stack, operation.name);
      expect(rerun.error, rerun.error).to.equal(undefined);
      if (operation.name === "refresh") {
        const repaired = await stack.run("up", RUN);
        expect(repaired.error, repaired.error).to.equal(undefined);
      }
      const final = await stack.activations();
      for (const flowId of flows) {
        expect(simulator.getFlow(flowId)!.status, flowId).to.equal(target(operation.name));
      }
      if (operation.name === "delete") expect(final).to.deep.equal([]);
      else
        for (const resource of final)
          expect(resource.outputs.status).to.equal(
            simulator.getFlow(resource.outputs.flowId as string)!.status,
          );
    });
  }
});

/** Runs one operation over the whole stack. */
function act(stack: TestStack, operation: OperationName): Promise<StackRun> {
  switch (operation) {
    case "create":
    case "update":
      return stack.run("up", RUN);
    case "refresh":
      return stack.run("refresh", { parallel: RUN.parallel });
    case "delete":
      return stack.run("destroy", RUN);
  }
}

/** The error diagnostics the engine reported for one resource. */
function errorsFor(run: StackRun, name: string): string[] {
  return run.diagnostics
    .filter(
      (diagnostic) => diagnostic.severity === "error" && diagnostic.urn?.endsWith(`::${name}`),
    )
    .map((diagnostic) => diagnostic.message);
}
