/**
 * FlowActivation's lifecycle through the real `pulumi` CLI and engine: the packed package installed
 * in a consumer project, inline programs run by the Automation API on a file backend, Pulumi's own
 * dynamic-provider host started by the engine. Every scenario counts the requests the simulator
 * received and asserts the state the engine recorded.
 */
import { expect } from "chai";
import type { Simulator } from "../simulator";
import { useEngineSimulator } from "./support/engineSuite";
import { TestStack, type ActivationSpec, type StackCredentials } from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKLIFECYCLETESTS0001",
  secretKey: "SK-lifecycle-secret-0f9e8d7c6b5a",
};

const activation = (
  name: string,
  flowId: string,
  args: Record<string, unknown> = {},
  options?: Record<string, unknown>,
): ActivationSpec => ({
  name,
  args: { flowId, ...args },
  ...(options ? { options } : {}),
});

describe("FlowActivation through the real Pulumi engine", function () {
  this.timeout(120_000);
  let simulator: Simulator;
  useEngineSimulator({ credentials: [CREDENTIALS] }, (started) => (simulator = started));
  afterEach(() => simulator.clearFaults());

  const newFlow = (status: "ACTIVE" | "STANDBY" = "STANDBY"): string =>
    simulator.createFlow({ status }).flowId;

  it("previews without a request, starts a STANDBY flow on up, and makes no call on a second up", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);

    const preview = await stack.run("preview");
    expect(preview.error).to.equal(undefined);
    expect(preview.steps.map((step) => step.op)).to.deep.equal(["create"]);
    expect(preview.requests).to.equal(0);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");

    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.routes).to.deep.equal(["detail", "start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    expect(up.outputs).to.deep.equal({ statuses: { news: "ACTIVE" } });
    const outputs = await stack.outputsOf("news");
    expect(outputs).to.include({
      flowId,
      desiredStatus: "ACTIVE",
      status: "ACTIVE",
      statusBeforeActivation: "STANDBY",
      projectId: simulator.projectId,
      region: "ap-southeast-3",
      endpoint: simulator.url,
      onDelete: "stop",
    });
    expect(outputs.timeouts).to.deep.equal({ create: "5m", update: "5m", delete: "5m" });

    const again = await stack.run("up");
    expect(again.error).to.equal(undefined);
    expect(again.steps.map((step) => step.op)).to.deep.equal(["same"]);
    expect(again.requests).to.equal(0);
  });

  it("adopts a flow that is already ACTIVE without a start call", async () => {
    const flowId = newFlow("ACTIVE");
    const stack = new TestStack(simulator, CREDENTIALS, [activation("adopted", flowId)]);
    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.routes).to.deep.equal(["detail"]);
    expect(await stack.outputsOf("adopted")).to.include({
      status: "ACTIVE",
      statusBeforeActivation: "ACTIVE",
    });
  });

  it("finds an out-of-band stop on refresh, shows the repair in preview --diff, and restarts on up", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    expect((await stack.run("up")).error).to.equal(undefined);
    simulator.setFlowStatus(flowId, "STANDBY");

    const refresh = await stack.run("refresh");
    expect(refresh.error).to.equal(undefined);
    expect(refresh.routes).to.deep.equal(["detail"]);
    // The CLI shows the refreshed input that now differs from the program.
    expect(refresh.stdout).to.match(
      /~ {2}pulumi-nodejs:dynamic\/medialive:FlowActivation news updated .*\[diff: ~desiredStatus\]/,
    );
    const [refreshed] = await stack.activations();
    expect(refreshed!.outputs.status).to.equal("STANDBY");
    expect(refreshed!.inputs.desiredStatus).to.equal("STANDBY");

    // What a reviewer reads in the pull request: the one property that will change, old => new.
    const preview = await stack.run("preview", { diff: true });
    expect(preview.requests).to.equal(0);
    expect(preview.steps.map((step) => step.op)).to.deep.equal(["update"]);
    expect(preview.stdout).to.match(
      /~ pulumi-nodejs:dynamic\/medialive:FlowActivation: \(update\)[\s\S]*~ desiredStatus: "STANDBY" => "ACTIVE"/,
    );
    expect(preview.stdout).to.match(/~ 1 to update/);

    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.routes).to.deep.equal(["start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
    expect((await stack.outputsOf("news")).status).to.equal("ACTIVE");
    expect((await stack.run("up")).requests).to.equal(0);
  });

  it("respects a manual change with ignoreChanges: [desiredStatus]", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("news", flowId, {}, { ignoreChanges: ["desiredStatus"] }),
    ]);
    expect((await stack.run("up")).error).to.equal(undefined);
    simulator.setFlowStatus(flowId, "STANDBY");
    expect((await stack.run("refresh")).error).to.equal(undefined);
    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.requests).to.equal(0);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    expect(await stack.outputsOf("news")).to.include({
      status: "STANDBY",
      desiredStatus: "STANDBY",
    });
  });

  it("waits out an undocumented status before acting, and times out naming it", async () => {
    const settling = newFlow();
    simulator.setFlowStatus(settling, "STARTING");
    // Whoever is starting the flow finishes just after our first read.
    const watcher = setInterval(() => {
      if (simulator.requestCount({ route: "detail", flowId: settling }) > 0) {
        clearInterval(watcher);
        simulator.setFlowStatus(settling, "ACTIVE");
      }
    }, 5);
    const stack = new TestStack(simulator, CREDENTIALS, [activation("settling", settling)]);
    const up = await stack.run("up");
    clearInterval(watcher);
    expect(up.error).to.equal(undefined);
    // One read, one poll that finds ACTIVE: adopted, no start call.
    expect(up.routes).to.deep.equal(["detail", "detail"]);
    expect(await stack.outputsOf("settling")).to.include({
      status: "ACTIVE",
      statusBeforeActivation: "STARTING",
    });

    const stuck = newFlow();
    simulator.setFlowStatus(stuck, "ERROR");
    const stuckStack = new TestStack(simulator, CREDENTIALS, [
      activation("stuck", stuck, { timeouts: { create: "2s" } }),
    ]);
    const failed = await stuckStack.run("up");
    expect(failed.errors.join("\n")).to.match(
      new RegExp(
        `FlowActivation create of flow ${stuck} timed out after 2s \\(last observed status ERROR\\)`,
      ),
    );
    expect(failed.routes.every((route) => route === "detail")).to.equal(true);
    // A partial failure: the engine records the resource with the status actually observed.
    expect((await stuckStack.outputsOf("stuck")).status).to.equal("ERROR");
  });

  it("stops the flow when desiredStatus becomes STANDBY, with one call", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    expect((await stack.run("up")).error).to.equal(undefined);
    stack.declare([activation("news", flowId, { desiredStatus: "STANDBY" })]);
    const preview = await stack.run("preview", { diff: true });
    expect(preview.requests).to.equal(0);
    expect(preview.stdout).to.match(/~ desiredStatus: "ACTIVE" => "STANDBY"/);
    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.routes).to.deep.equal(["stop"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    expect((await stack.outputsOf("news")).status).to.equal("STANDBY");
  });

  it("changes onDelete or timeouts without any API call", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("news", flowId)]);
    expect((await stack.run("up")).error).to.equal(undefined);
    stack.declare([activation("news", flowId, { onDelete: "leave", timeouts: { update: "30s" } })]);
    const preview = await stack.run("preview", { diff: true });
    expect(preview.stdout).to.match(/~ onDelete\s*: "stop" => "leave"/);
    expect(preview.stdout).to.match(/~ update: "5m" => "30s"/);
    const up = await stack.run("up");
    expect(up.error).to.equal(undefined);
    expect(up.steps.map((step) => step.op)).to.deep.equal(["update"]);
    expect(up.requests).to.equal(0);
    expect(await stack.outputsOf("news")).to.include({ onDelete: "leave" });
  });

  for (const deleteBeforeReplace of [undefined, true] as const) {
    it(`replaces on a flowId change, old flow stopped first (deleteBeforeReplace ${deleteBeforeReplace ?? "unset"})`, async () => {
      const oldFlow = newFlow();
      const nextFlow = newFlow();
      const options = deleteBeforeReplace ? { deleteBeforeReplace } : undefined;
      const stack = new TestStack(simulator, CREDENTIALS, [
        activation("news", oldFlow, {}, options),
      ]);
      expect((await stack.run("up")).error).to.equal(undefined);
      stack.declare([activation("news", nextFlow, {}, options)]);
      const preview = await stack.run("preview", { diff: true });
      expect(preview.requests).to.equal(0);
      expect(preview.stdout).to.match(
        /\+-pulumi-nodejs:dynamic\/medialive:FlowActivation: \(replace\)/,
      );
      expect(preview.stdout).to.include(`~ flowId       : "${oldFlow}" => "${nextFlow}"`);
      const since = simulator.journal.at(-1)!.sequence;
      const up = await stack.run("up");
      expect(up.error).to.equal(undefined);
      // The provider asks for delete-before-replace, so the old flow's onDelete runs first
      // whether or not the program sets the option.
      const calls = simulator.journal
        .filter((entry) => entry.sequence > since)
        .map((entry) => `${entry.route} ${entry.flowId === oldFlow ? "old" : "new"}`);
      expect(calls).to.deep.equal(["stop old", "detail new", "start new"]);
      expect(simulator.getFlow(oldFlow)!.status).to.equal("STANDBY");
      expect(simulator.getFlow(nextFlow)!.status).to.equal("ACTIVE");
      expect((await stack.activations()).map((resource) => resource.outputs.flowId)).to.deep.equal([
        nextFlow,
      ]);
    });
  }

  it("honours each onDelete mode on destroy", async () => {
    const stopped = newFlow();
    const left = newFlow();
    const restored = newFlow();
    const adoptedRestore = newFlow("ACTIVE");
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("stopped", stopped, { onDelete: "stop" }),
      activation("left", left, { onDelete: "leave" }),
      activation("restored", restored, { onDelete: "restore" }),
      activation("adopted", adoptedRestore, { onDelete: "restore" }),
    ]);
    expect((await stack.run("up")).error).to.equal(undefined);
    const destroy = await stack.run("destroy");
    expect(destroy.error).to.equal(undefined);
    expect([...destroy.routes].sort()).to.deep.equal(["stop", "stop"]);
    expect(simulator.getFlow(stopped)!.status).to.equal("STANDBY");
    expect(simulator.getFlow(left)!.status).to.equal("ACTIVE");
    expect(simulator.getFlow(restored)!.status).to.equal("STANDBY");
    expect(simulator.getFlow(adoptedRestore)!.status).to.equal("ACTIVE");
    expect(await stack.activations()).to.deep.equal([]);
  });

  it("restores the status first seen, not the last one, after updates", async () => {
    const flowId = newFlow("ACTIVE");
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("news", flowId, { desiredStatus: "ACTIVE", onDelete: "restore" }),
    ]);
    expect((await stack.run("up")).routes).to.deep.equal(["detail"]);
    stack.declare([activation("news", flowId, { desiredStatus: "STANDBY", onDelete: "restore" })]);
    expect((await stack.run("up")).routes).to.deep.equal(["stop"]);
    stack.declare([activation("news", flowId, { desiredStatus: "ACTIVE", onDelete: "restore" })]);
    expect((await stack.run("up")).routes).to.deep.equal(["start"]);
    stack.declare([activation("news", flowId, { desiredStatus: "STANDBY", onDelete: "restore" })]);
    expect((await stack.run("up")).routes).to.deep.equal(["stop"]);
    expect((await stack.outputsOf("news")).statusBeforeActivation).to.equal("ACTIVE");
    const destroy = await stack.run("destroy");
    expect(destroy.error).to.equal(undefined);
    expect(destroy.routes).to.deep.equal(["start"]);
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
  });

  it("treats a flow already stopped, or already gone, as deleted", async () => {
    const stoppedElsewhere = newFlow();
    const deletedElsewhere = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("a", stoppedElsewhere),
      activation("b", deletedElsewhere),
    ]);
    expect((await stack.run("up")).error).to.equal(undefined);
    simulator.setFlowStatus(stoppedElsewhere, "STANDBY");
    simulator.deleteFlow(deletedElsewhere);
    const destroy = await stack.run("destroy");
    expect(destroy.error).to.equal(undefined);
    expect(await stack.activations()).to.deep.equal([]);
    // Each stop is answered 400 (the API's generic LIVE.100011001) and settled by one read; the
    // read of the deleted flow is refused too, and one list of the project's flows confirms that
    // it is gone.
    expect([...destroy.routes].sort()).to.deep.equal(["detail", "detail", "list", "stop", "stop"]);
  });

  it("drops a resource whose flow no longer exists on refresh", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [activation("gone", flowId)]);
    expect((await stack.run("up")).error).to.equal(undefined);
    simulator.deleteFlow(flowId);
    const refresh = await stack.run("refresh");
    expect(refresh.error).to.equal(undefined);
    // The API documents no answer for an unknown flow: the refused read is settled by a list.
    expect(refresh.routes).to.deep.equal(["detail", "list"]);
    expect(refresh.stdout).to.match(
      /- {2}pulumi-nodejs:dynamic\/medialive:FlowActivation gone deleted/,
    );
    expect(await stack.activations()).to.deep.equal([]);
  });

  it("keeps protected resources, and leaves retained flows running on destroy", async () => {
    const kept = newFlow();
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("retained", kept, {}, { retainOnDelete: true }),
    ]);
    expect((await stack.run("up")).error).to.equal(undefined);
    const destroy = await stack.run("destroy");
    expect(destroy.error).to.equal(undefined);
    expect(destroy.requests).to.equal(0);
    expect(simulator.getFlow(kept)!.status).to.equal("ACTIVE");
    expect(await stack.activations()).to.deep.equal([]);

    const guarded = newFlow();
    const protectedStack = new TestStack(simulator, CREDENTIALS, [
      activation("guarded", guarded, {}, { protect: true }),
    ]);
    expect((await protectedStack.run("up")).error).to.equal(undefined);
    const refused = await protectedStack.run("destroy");
    expect(refused.error).to.match(/protected/);
    expect(refused.requests).to.equal(0);
    expect(simulator.getFlow(guarded)!.status).to.equal("ACTIVE");
    expect(await protectedStack.activations()).to.have.length(1);
  });

  it("cannot import (a limit of Pulumi's dynamic resources): it fails with no request, and adoption takes its place", async () => {
    const flowId = newFlow("ACTIVE");
    const stack = new TestStack(simulator, CREDENTIALS, [
      activation("imported", flowId, {}, { import: flowId }),
    ]);
    const imported = await stack.run("up");
    expect(imported.error).to.match(/imported/);
    expect(imported.requests).to.equal(0);
    expect(await stack.activations()).to.deep.equal([]);

    const command = await stack.automation.cli([
      "import",
      "pulumi-nodejs:dynamic/medialive:FlowActivation",
      "imported",
      flowId,
      "--yes",
      "--generate-code=false",
    ]);
    expect(command.code).to.not.equal(0);
    expect(await stack.activations()).to.deep.equal([]);

    // What the README offers instead: declare it; create reads it and adopts it as found.
    stack.declare([activation("imported", flowId)]);
    const adopted = await stack.run("up");
    expect(adopted.error).to.equal(undefined);
    expect(adopted.routes).to.deep.equal(["detail"]);
    expect(await stack.outputsOf("imported")).to.include({
      status: "ACTIVE",
      statusBeforeActivation: "ACTIVE",
    });
    expect(simulator.getFlow(flowId)!.status).to.equal("ACTIVE");
  });

  it("fails with every key and variable named when no credentials are configured", async () => {
    const flowId = newFlow();
    const stack = new TestStack(simulator, { accessKey: "", secretKey: "" }, [
      activation("news", flowId),
    ]);
    const up = await stack.run("up");
    expect(up.requests).to.equal(0);
    expect(up.errors.join("\n")).to.match(
      /huaweicloud:accessKey.*HW_ACCESS_KEY.*huaweicloud:secretKey.*HW_SECRET_KEY.*huaweicloud:authToken.*HW_AUTH_TOKEN/,
    );
    expect(await stack.activations()).to.deep.equal([]);
  });

  it("stores one small, identical, secret-free __provider that requires the installed package", async () => {
    const flows = [newFlow(), newFlow()];
    const stack = new TestStack(
      simulator,
      CREDENTIALS,
      flows.map((flowId, index) => activation(`flow${index}`, flowId)),
    );
    expect((await stack.run("up")).error).to.equal(undefined);
    const stored = (await stack.activations()).map((resource) => resource.outputs.__provider);
    expect(new Set(stored).size).to.equal(1);
    const provider = stored[0] as string;
    expect(Buffer.byteLength(provider)).to.be.at.most(1024);
    expect(provider).to.include('require("pulumi-huaweicloud-medialive/dynamic-provider")');
    expect(provider).not.to.include(CREDENTIALS.accessKey);
    expect(provider).not.to.include(CREDENTIALS.secretKey);
  });
});
