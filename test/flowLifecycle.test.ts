/**
 * `Flow` with `FlowActivation` on top, through the real `pulumi` CLI and engine: one program declares
 * a flow with two sources and two outputs and its running state; the scenarios assert the requests
 * the simulator received, the flow as the simulator holds it, and the state the engine recorded.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { MediaLiveClient } from "../client/mediaLiveClient";
import type { InlineProgram } from "../engine/automationStack";
import type { Simulator } from "../simulator";
import { useEngineSimulator } from "./support/engineSuite";
import { FLOW_TYPE, TestStack, type StackCredentials } from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKFLOWLIFECYCLE00001",
  secretKey: "SK-flow-lifecycle-5e4d3c2b1a09",
};

/** Distinctive, so a scan for it finds every copy in clear. */
const PASSPHRASE = "srt-passphrase-7c1e9a44";

interface Declared {
  flow: Record<string, unknown>;
  activation?: Record<string, unknown>;
}

function broadcast(name: string): Declared {
  return {
    flow: {
      name,
      sources: {
        main: { protocol: "srt-listener", decryption: { passphrase: PASSPHRASE } },
        backup: { protocol: "srt-caller", address: "203.0.113.7", port: 9000 },
      },
      outputs: {
        cdn: { protocol: "srt-caller", destination: "cdn.example.com", port: 9001 },
        monitor: { protocol: "srt-listener", minLatency: 500 },
      },
    },
    activation: { desiredStatus: "ACTIVE" },
  };
}

/** A program declaring one Flow (and a FlowActivation of it), read afresh at each run. */
function program(declared: () => Declared): InlineProgram {
  return async ({ medialive }) => {
    const { flow: flowArgs, activation } = declared();
    const flow = new medialive.Flow(
      "news",
      flowArgs as unknown as ConstructorParameters<typeof medialive.Flow>[1],
    );
    const live = activation
      ? new medialive.FlowActivation("news-live", { flowId: flow.flowId, ...activation })
      : undefined;
    return { flowId: flow.flowId, ingest: flow.sourceEndpoints, status: live?.status };
  };
}

function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "latin1"));
}

describe("Flow and FlowActivation through the real Pulumi engine", function () {
  this.timeout(180_000);
  let simulator: Simulator;
  useEngineSimulator({ credentials: [CREDENTIALS] }, (started) => (simulator = started));
  afterEach(() => simulator.clearFaults());

  it("creates, updates one output, repairs drift and destroys in order, passphrase never in clear", async () => {
    let declared = broadcast("news-story");
    const stack = new TestStack(
      simulator,
      CREDENTIALS,
      program(() => declared),
    );

    const preview = await stack.run("preview");
    expect(preview.error).to.equal(undefined);
    expect(preview.steps.map((step) => step.op)).to.deep.equal(["create", "create"]);
    expect(preview.requests).to.equal(0);

    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.routes).to.deep.equal(["create", "createOutputs", "detail", "start"]);
    const flowId = up.outputs.flowId as string;
    expect(simulator.getFlow(flowId)).to.include({ name: "news-story", status: "ACTIVE" });
    const state = await stack.resource(FLOW_TYPE, "news");
    expect(state.id).to.equal(flowId);
    const endpoints = state.outputs.sourceEndpoints as Record<string, Record<string, unknown>>;
    expect(endpoints.main!.protocol).to.equal("srt-listener");
    expect(endpoints.main!.address).to.be.a("string").and.not.equal("");
    expect(endpoints.backup).to.include({ address: "203.0.113.7", port: 9000 });
    expect(Object.keys(state.outputs.outputEndpoints as object).sort()).to.deep.equal([
      "cdn",
      "monitor",
    ]);
    expect(up.outputs.ingest).to.deep.equal(endpoints);

    // One output changes: the preview names just it, and up makes one modify call.
    declared = broadcast("news-story");
    (declared.flow.outputs as Record<string, Record<string, unknown>>).cdn!.port = 9002;
    const diff = await stack.run("preview", { diff: true });
    expect(diff.error).to.equal(undefined);
    expect(diff.requests).to.equal(0);
    expect(diff.steps.map((step) => `${step.name} ${step.op}`)).to.deep.equal([
      "news update",
      "news-live same",
    ]);
    expect(diff.stdout).to.match(/cdn\s*:\s*\{[^}]*port\s*:\s*9001 => 9002/);
    // Only the changed output carries the change marker; its sibling and the sources do not.
    expect(diff.stdout).to.match(/~ cdn\s*:/);
    expect(diff.stdout).not.to.match(/~ (monitor|sources|main|backup)\b/);
    expect(diff.stdout).to.contain("[secret]");
    const changed = await stack.run("up");
    expect(changed.error).to.equal(undefined);
    expect(changed.routes).to.deep.equal(["modifyOutput"]);

    // Drift: someone stops the flow and changes an output in the console. Refresh records both;
    // the preview shows the output put back; the next up makes one call for each.
    simulator.setFlowStatus(flowId, "STANDBY");
    const operator = new MediaLiveClient({
      projectId: simulator.projectId,
      endpoint: simulator.url,
      credentials: CREDENTIALS,
    });
    await operator.modifyFlowOutput(flowId, "monitor", { minLatency: 800 });
    const refresh = await stack.run("refresh");
    expect(refresh.error).to.equal(undefined);
    expect([...refresh.routes].sort()).to.deep.equal(
      ["detail", "detail", "showOutput", "showOutput"].sort(),
    );
    const drift = await stack.run("preview", { diff: true });
    expect(drift.requests).to.equal(0);
    expect(drift.stdout).to.match(/~ monitor\s*:\s*\{[^}]*minLatency\s*:\s*800 => 500/);
    const repair = await stack.run("up");
    expect(repair.error).to.equal(undefined);
    expect([...repair.routes].sort()).to.deep.equal(["modifyOutput", "start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    expect((await operator.showFlowOutput(flowId, "monitor")).minLatency).to.equal(500);

    // Nowhere in clear: not in any backend or workspace file, not in the CLI's output.
    for (const text of [
      ...filesBelow(stack.automation.backendDir),
      ...filesBelow(stack.automation.workDir),
      preview.stdout,
      up.stdout,
      diff.stdout,
      refresh.stdout,
    ]) {
      expect(text.includes(PASSPHRASE)).to.equal(false);
    }

    // Destroy: the activation stops the flow, then the flow is deleted (it is STANDBY by then).
    const destroy = await stack.run("destroy");
    expect(destroy.error).to.equal(undefined);
    expect(destroy.routes).to.deep.equal(["stop", "detail", "delete"]);
    expect(simulator.getFlow(flowId)).to.equal(undefined);
  });

  it("adopts an existing flow by existingFlowId, bringing its outputs to the declared ones", async () => {
    const seeded = broadcast("news-adopted");
    const first = new TestStack(
      simulator,
      CREDENTIALS,
      program(() => ({ flow: seeded.flow })),
    );
    const created = await first.run("up");
    expect(created.error).to.equal(undefined);
    const flowId = created.outputs.flowId as string;
    // Forget it in that stack without deleting it, as if it had been made in the console.
    await first.automation.cli([
      "state",
      "delete",
      "--yes",
      "--force",
      (await first.resource(FLOW_TYPE, "news")).urn,
    ]);

    const declared = broadcast("news-adopted");
    const outputs = declared.flow.outputs as Record<string, unknown>;
    delete outputs.monitor;
    declared.flow.existingFlowId = flowId;
    delete declared.activation;
    const stack = new TestStack(
      simulator,
      CREDENTIALS,
      program(() => declared),
    );
    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.outputs.flowId).to.equal(flowId);
    expect(up.routes.filter((route) => route !== "showOutput")).to.deep.equal([
      "detail",
      "deleteOutput",
      // The API masks the passphrase, so an adopted encrypted source is sent once as declared.
      "modifySources",
    ]);
    expect(simulator.listFlows().filter((flow) => flow.name === "news-adopted")).to.have.lengthOf(
      1,
    );

    const destroy = await stack.run("destroy");
    expect(destroy.error).to.equal(undefined);
    expect(destroy.routes).to.deep.equal(["detail", "delete"]);
    expect(simulator.getFlow(flowId)).to.equal(undefined);
  });

  it("finds a create whose answer was lost by name instead of creating the flow twice", async () => {
    const declared = broadcast("news-lost-answer");
    delete declared.activation;
    const stack = new TestStack(
      simulator,
      CREDENTIALS,
      program(() => declared),
    );
    simulator.injectFault("create", { kind: "reset", afterApply: true }, 1);
    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.routes).to.deep.equal(["create", "list", "detail", "createOutputs"]);
    const flows = simulator.listFlows().filter((flow) => flow.name === "news-lost-answer");
    expect(flows).to.have.lengthOf(1);
    expect(up.outputs.flowId).to.equal(flows[0]!.flowId);
    expect((await stack.run("destroy")).error).to.equal(undefined);
  });

  it("records a flow whose outputs failed, and the next up creates just the outputs", async () => {
    const declared = broadcast("news-partial");
    delete declared.activation;
    const stack = new TestStack(
      simulator,
      CREDENTIALS,
      program(() => declared),
    );
    simulator.injectFault("createOutputs", { kind: "status", status: 403 }, 1);
    const failed = await stack.run("up");
    expect(failed.error).to.be.a("string");
    expect(failed.routes).to.deep.equal(["create", "createOutputs"]);
    const recorded = await stack.resource(FLOW_TYPE, "news");
    const flowId = recorded.id!;
    expect(simulator.getFlow(flowId)).to.include({ name: "news-partial" });
    expect(recorded.outputs.outputs).to.deep.equal({});
    expect(failed.errors.join("\n")).to.contain("createFlowOutputs");

    const retried = await stack.run("up");
    expect(retried.error).to.equal(undefined);
    expect(retried.routes).to.deep.equal(["createOutputs"]);
    expect(
      simulator
        .getFlowOutputs(flowId)!
        .map((output) => output.name)
        .sort(),
    ).to.deep.equal(["cdn", "monitor"]);
    expect((await stack.run("destroy")).routes).to.deep.equal(["detail", "delete"]);
  });

  it("fails check naming the property, before any request", async () => {
    const declared = broadcast("news-bad");
    (declared.flow.sources as Record<string, Record<string, unknown>>).main!.port = 2088;
    const stack = new TestStack(
      simulator,
      CREDENTIALS,
      program(() => declared),
    );
    const up = await stack.run("up");
    expect(up.error).to.be.a("string");
    expect(up.requests).to.equal(0);
    expect(up.stdout + up.stderr).to.contain("sources.main.port");
    expect(up.stdout + up.stderr).to.contain("2077 and 2088 are reserved");
  });
});
