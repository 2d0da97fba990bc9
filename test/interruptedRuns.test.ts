/**
 * Interrupted runs through the real Pulumi engine: the `pulumi` process is SIGKILLed in the middle
 * of an `up` (after the simulator applied a start or a stop, and while a create is still reading),
 * the provider host it leaves behind must stop calling the API and exit, and the recovery the README
 * documents (`pulumi cancel`, `pulumi refresh --clear-pending-creates`, `pulumi up`) converges with
 * nothing applied twice.
 */
import { expect } from "chai";
import type { RouteName, Simulator } from "../simulator";
import { descendantsOf, isRunning, processTable, waitFor } from "./support/processes";
import { useEngineSimulator } from "./support/engineSuite";
import { TestStack, type StackCredentials } from "./support/stack";

const CREDENTIALS: StackCredentials = {
  accessKey: "AKINTERRUPTEDRUNS001",
  secretKey: "SK-interrupted-runs-9f8e7d6c5b4a",
};

/** The provider must notice its engine is gone and exit within this. */
const PROVIDER_EXIT_BUDGET_MS = 10_000;

describe("interrupted runs through the real Pulumi engine", function () {
  this.timeout(180_000);
  let simulator: Simulator;
  useEngineSimulator({ credentials: [CREDENTIALS] }, (started) => (simulator = started));
  afterEach(() => simulator.clearFaults());

  /**
   * Runs `up` and SIGKILLs the `pulumi` process once the simulator has received a request on
   * `route` for `flowId` (which hangs, applied or not), then checks that the provider host left
   * behind exits in time without another request.
   */
  async function upKilledDuring(
    stack: TestStack,
    route: RouteName,
    flowId: string,
    afterApply: boolean,
  ): Promise<void> {
    simulator.injectFault(route, { kind: "hang", afterApply }, 1, flowId);
    const before = simulator.requestCount({ route, flowId });
    const run = stack.run("up");
    const cli = await waitForCli();
    await waitForProviderHost(cli);
    // The simulator journals a hanging request as soon as it starts to hang.
    await waitFor(
      () => simulator.requestCount({ route, flowId }) > before,
      60_000,
      `the ${route} request`,
    );
    // Everything the CLI started (the provider host and its shell launcher) must end with it.
    const hosts = descendantsOf(cli).map((entry) => entry.pid);
    expect(hosts, "the provider host runs below the CLI").to.have.length.greaterThan(0);
    process.kill(cli, "SIGKILL");
    const killedAt = simulator.journal.at(-1)?.sequence ?? 0;
    const result = await run;
    expect(result.error, "the interrupted run fails").to.be.a("string");
    const waited = await waitFor(
      () => hosts.every((pid) => !isRunning(pid)),
      PROVIDER_EXIT_BUDGET_MS,
      "the orphaned provider host to exit",
    );
    expect(waited).to.be.at.most(PROVIDER_EXIT_BUDGET_MS);
    simulator.clearFaults();
    // A little longer, for any request already on its way when the host exited.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const afterKill = simulator.journal.filter((entry) => entry.sequence > killedAt);
    expect(afterKill.map((entry) => `${entry.route} ${entry.flowId}`)).to.deep.equal([]);
  }

  /** The `pulumi` process this test process started. */
  async function waitForCli(): Promise<number> {
    let pid = 0;
    await waitFor(
      () => {
        const cli = descendantsOf(process.pid).find((entry) =>
          /\/pulumi up\b/.test(entry.commandLine),
        );
        pid = cli?.pid ?? 0;
        return pid !== 0;
      },
      30_000,
      "pulumi up to start",
    );
    return pid;
  }

  /** Waits for the dynamic-provider host below the CLI (started with the engine's address). */
  async function waitForProviderHost(cli: number): Promise<void> {
    await waitFor(
      () =>
        descendantsOf(cli, processTable()).some((entry) =>
          /cmd\/dynamic-provider\/index\.js \S+:\d+/.test(entry.commandLine),
        ),
      30_000,
      "the provider host to start",
    );
  }

  /** The recovery the README documents after a killed `pulumi up`. */
  async function recover(stack: TestStack): Promise<void> {
    const locked = await stack.run("up");
    expect(locked.error).to.match(/locked/);
    expect(locked.requests).to.equal(0);
    const cancel = await stack.automation.cli(["cancel", "--yes"]);
    expect(cancel.code, cancel.stderr).to.equal(0);
    const refresh = await stack.run("refresh", { clearPendingCreates: true });
    expect(refresh.error, refresh.error).to.equal(undefined);
  }

  it("a start applied before the kill is adopted on re-run, never sent again", async () => {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const stack = new TestStack(simulator, CREDENTIALS, [
      { name: "news", args: { flowId, onDelete: "restore" } },
    ]);
    await upKilledDuring(stack, "start", flowId, true);
    expect(simulator.getFlow(flowId)!.status, "the start was applied").to.equal("ACTIVE");
    expect(await stack.activations(), "the engine recorded nothing").to.deep.equal([]);

    await recover(stack);
    const rerun = await stack.run("up");
    expect(rerun.error, rerun.error).to.equal(undefined);
    expect(rerun.routes, "adopted: no second start").to.deep.equal(["detail"]);
    // What restore remembers for a flow whose first start was interrupted: the status found.
    expect(await stack.outputsOf("news")).to.include({
      status: "ACTIVE",
      statusBeforeActivation: "ACTIVE",
    });
    expect(simulator.requestCount({ route: "start", flowId })).to.equal(1);
  });

  it("a create killed while still reading starts the flow once on re-run", async () => {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const stack = new TestStack(simulator, CREDENTIALS, [{ name: "news", args: { flowId } }]);
    await upKilledDuring(stack, "detail", flowId, false);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");

    await recover(stack);
    const rerun = await stack.run("up");
    expect(rerun.error, rerun.error).to.equal(undefined);
    expect(rerun.routes).to.deep.equal(["detail", "start"]);
    expect((await stack.outputsOf("news")).status).to.equal("ACTIVE");
    expect(simulator.requestCount({ route: "start", flowId })).to.equal(1);
  });

  it("a stop applied before the kill is settled on re-run with no second change", async () => {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const stack = new TestStack(simulator, CREDENTIALS, [{ name: "news", args: { flowId } }]);
    expect((await stack.run("up")).error).to.equal(undefined);
    stack.declare([{ name: "news", args: { flowId, desiredStatus: "STANDBY" } }]);
    await upKilledDuring(stack, "stop", flowId, true);
    expect(simulator.getFlow(flowId)!.status, "the stop was applied").to.equal("STANDBY");
    expect((await stack.outputsOf("news")).status, "state still says ACTIVE").to.equal("ACTIVE");

    await recover(stack);
    // The refresh found STANDBY, so the state is true again and the up has nothing to do.
    expect((await stack.outputsOf("news")).status).to.equal("STANDBY");
    const rerun = await stack.run("up");
    expect(rerun.error, rerun.error).to.equal(undefined);
    expect(rerun.routes).to.deep.equal([]);
    expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
  });
});
