/**
 * The client's shared machinery against the simulator over HTTP: a 429 pauses every call waiting
 * on the process-wide limiter (not only the one that got it), an abort releases a call at once
 * whether it waits in backoff or in the limiter, and listing pages through empty pages and a total
 * that changes between pages. Waits are observed (the simulator's journal), never slept through.
 */
import { expect } from "chai";
import { performance } from "node:perf_hooks";
import { MediaLiveClient } from "../client/mediaLiveClient";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";

const FLOW_ID = "c0ffee00-d24b-4d64-aa39-407980902b1d";

function clientFor(
  simulator: Simulator,
  options: Partial<ConstructorParameters<typeof MediaLiveClient>[0]> = {},
): MediaLiveClient {
  return new MediaLiveClient({
    projectId: simulator.projectId,
    region: "ap-southeast-3",
    endpoint: simulator.url,
    credentials: {
      accessKey: SIMULATOR_DEFAULTS.accessKey,
      secretKey: SIMULATOR_DEFAULTS.secretKey,
    },
    ...options,
  });
}

/** Resolves once `condition` holds (checked every 5 ms), or rejects after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("the client's shared limiter, aborts and paging", function () {
  this.timeout(30_000);
  let simulator: Simulator;
  beforeEach(async () => {
    // A new simulator is a new endpoint, hence a limiter of its own for each test.
    simulator = await startSimulator({ flows: [{ flowId: FLOW_ID }] });
  });
  afterEach(() => simulator.close());

  it("a 429 with Retry-After pauses every call sharing the limiter, not only the throttled one", async () => {
    simulator.injectFault("detail", { kind: "status", status: 429, retryAfterSeconds: 2 });
    // Two clients of the same endpoint and credential share one process-wide limiter; at one
    // request a second, the calls queue in it behind the first.
    const first = clientFor(simulator, { requestsPerSecond: 1 });
    const second = clientFor(simulator, { requestsPerSecond: 1 });
    const calls = [
      first.showFlowDetail(FLOW_ID),
      second.showFlowDetail(FLOW_ID),
      second.showFlowDetail(FLOW_ID),
    ];
    await Promise.all(calls);
    const [throttled, ...rest] = simulator.journal;
    expect(throttled!.status).to.equal(429);
    expect(rest.map((entry) => entry.status)).to.deep.equal([200, 200, 200]);
    // Without the pause the next queued call would go out one limiter window (1 s) after the 429;
    // with it, nothing is sent for the 2 s the gateway asked for.
    for (const entry of rest) {
      expect(Date.parse(entry.at) - Date.parse(throttled!.at)).to.be.at.least(1_990);
    }
  });

  it("a failure other than a 429 pauses no other call, however long its own backoff", async () => {
    simulator.injectFault("detail", { kind: "status", status: 503, retryAfterSeconds: 60 });
    const backingOff = clientFor(simulator, {
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 600_000 },
    });
    const other = clientFor(simulator);
    const controller = new AbortController();
    const first = backingOff
      .showFlowDetail(FLOW_ID, controller.signal)
      .catch((error: unknown) => error);
    await until(() => simulator.requestCount({ route: "detail" }) === 1);
    try {
      // Were the 503's backoff a pause of the shared limiter, this call would wait 60 s in it and
      // be cut off by its own 10 s signal.
      const detail = await other.showFlowDetail(FLOW_ID, AbortSignal.timeout(10_000));
      expect(detail.flowId).to.equal(FLOW_ID);
    } finally {
      controller.abort(new Error("cancelled by the caller"));
      await first;
    }
    expect(simulator.journal.map((entry) => entry.status)).to.deep.equal([503, 200]);
  });

  it("an abort during the backoff after a failure releases the call at once", async () => {
    simulator.injectFault("detail", { kind: "status", status: 503 });
    // A backoff of 30-60 s: only the abort can end the wait this soon.
    const client = clientFor(simulator, {
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 600_000 },
    });
    const controller = new AbortController();
    const call = client.showFlowDetail(FLOW_ID, controller.signal).then(
      () => "resolved",
      (error: unknown) => error,
    );
    await until(() => simulator.requestCount({ route: "detail" }) === 1);
    const abortedAt = performance.now();
    controller.abort(new Error("cancelled by the caller"));
    const outcome = await call;
    expect(performance.now() - abortedAt).to.be.below(1_000);
    expect(outcome).to.be.instanceOf(Error);
    expect(simulator.requestCount({ route: "detail" })).to.equal(1);
  });

  it("an abort while waiting in the limiter releases the call, which is never sent", async () => {
    const client = clientFor(simulator, { requestsPerSecond: 1 });
    await client.showFlowDetail(FLOW_ID);
    // The window is full for about a second: this call waits in the limiter.
    const controller = new AbortController();
    const waiting = client.showFlowDetail(FLOW_ID, controller.signal).then(
      () => "resolved",
      (error: unknown) => error,
    );
    const abortedAt = performance.now();
    controller.abort(new Error("cancelled by the caller"));
    expect(await waiting).to.be.instanceOf(Error);
    expect(performance.now() - abortedAt).to.be.below(500);
    // The next call takes the slot the aborted one gave up: the simulator saw two requests, not 3.
    await client.showFlowDetail(FLOW_ID);
    expect(simulator.requestCount({ route: "detail" })).to.equal(2);
  });

  it("listAllFlows ends at an empty page even when the total says more", async () => {
    const summary = (flowId: string) => ({ flow_id: flowId, status: "STANDBY" });
    simulator.injectFault("list", {
      kind: "body",
      body: { total: 4, flows: [summary("a"), summary("b")] },
    });
    // Meanwhile two more flows were created: the total grows, then a page comes back empty.
    simulator.injectFault("list", {
      kind: "body",
      body: { total: 6, flows: [summary("c"), summary("d")] },
    });
    simulator.injectFault("list", { kind: "body", body: { total: 6, flows: [] } });
    const flows = await clientFor(simulator).listAllFlows(2);
    expect(flows.map((flow) => flow.flowId)).to.deep.equal(["a", "b", "c", "d"]);
    expect(simulator.journal.map((entry) => entry.query)).to.deep.equal([
      { limit: "2", offset: "0" },
      { limit: "2", offset: "2" },
      { limit: "2", offset: "4" },
    ]);
  });

  it("listAllFlows stops once it has as many flows as a shrunken total", async () => {
    const summary = (flowId: string) => ({ flow_id: flowId, status: "ACTIVE" });
    simulator.injectFault("list", {
      kind: "body",
      body: { total: 5, flows: [summary("a"), summary("b")] },
    });
    // A flow was deleted between the pages: the total is now 3, and the second page reaches it.
    simulator.injectFault("list", { kind: "body", body: { total: 3, flows: [summary("c")] } });
    const flows = await clientFor(simulator).listAllFlows(2);
    expect(flows.map((flow) => flow.flowId)).to.deep.equal(["a", "b", "c"]);
    expect(simulator.requestCount({ route: "list" })).to.equal(2);
  });
});
