import { expect } from "chai";
/**
 * `sleep`: a wait that an abort signal cuts short. Nothing here bounds how long a wait took; the
 * tests observe outcomes (resolved or rejected, with which reason) and the listeners the wait leaves
 * on its signal, read with Node's `getEventListeners` or recorded by a signal built for the test.
 * Where a test needs "after the wait's own timer would have fired", it waits on a later, longer
 * timer: Node fires timers in order of expiry, so that order does not depend on machine speed.
 */
import { getEventListeners } from "node:events";
import { setTimeout as delay } from "node:timers/promises";

import { sleep } from "../client/sleep";

/** Far longer than any test runs: a wait of this length only ends early by an abort. */
const FOREVER_MS = 600_000;

/** How `promise` settled, without letting a rejection escape. */
async function settlement(
  promise: Promise<unknown>,
): Promise<{ state: "resolved"; value: unknown } | { state: "rejected"; reason: unknown }> {
  try {
    return { state: "resolved", value: await promise };
  } catch (reason) {
    return { state: "rejected", reason };
  }
}

/**
 * An EventTarget that passes for an AbortSignal and records every listener removal, so a test can
 * see whether the wait's timer callback ran after an abort (it removes the listener).
 */
class RecordingSignal extends EventTarget {
  aborted = false;
  reason: unknown = undefined;
  readonly removals: string[] = [];

  override removeEventListener(...args: Parameters<EventTarget["removeEventListener"]>): void {
    this.removals.push(args[0]);
    super.removeEventListener(...args);
  }

  abort(reason: unknown): void {
    this.aborted = true;
    this.reason = reason;
    this.dispatchEvent(new Event("abort"));
  }

  asSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}

describe("sleep", () => {
  it("resolves with no signal", async () => {
    expect(await settlement(sleep(1))).to.deep.equal({ state: "resolved", value: undefined });
  });

  it("resolves when its signal never aborts, and leaves no listener on it", async () => {
    const controller = new AbortController();
    const wait = sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).to.have.length(1);
    expect(await settlement(wait)).to.deep.equal({ state: "resolved", value: undefined });
    expect(getEventListeners(controller.signal, "abort")).to.have.length(0);
  });

  it("rejects with the reason of a signal that has already aborted", async () => {
    const reason = new Error("aborted before");
    // A short wait: were the abort missed, the wait would resolve instead of hanging the test.
    const outcome = await settlement(sleep(1, AbortSignal.abort(reason)));
    expect(outcome).to.deep.equal({ state: "rejected", reason });
    if (outcome.state === "rejected") expect(outcome.reason).to.equal(reason);
  });

  it("adds no listener to a signal that has already aborted", async () => {
    const signal = new RecordingSignal();
    signal.abort(new Error("aborted before"));
    await settlement(sleep(1, signal.asSignal()));
    // With no listener ever added, the wait's timer (which removes one) was never set either.
    await delay(20);
    expect(signal.removals).to.deep.equal([]);
  });

  it("rejects with the signal's reason when it aborts during the wait", async () => {
    const controller = new AbortController();
    const reason = new Error("operation timed out");
    const wait = settlement(sleep(FOREVER_MS, controller.signal));
    expect(getEventListeners(controller.signal, "abort")).to.have.length(1);
    controller.abort(reason);
    const outcome = await wait;
    expect(outcome).to.deep.equal({ state: "rejected", reason });
    if (outcome.state === "rejected") expect(outcome.reason).to.equal(reason);
  });

  it("drops its listener once the abort has called it", async () => {
    const controller = new AbortController();
    const wait = settlement(sleep(FOREVER_MS, controller.signal));
    controller.abort(new Error("stop"));
    await wait;
    expect(getEventListeners(controller.signal, "abort")).to.have.length(0);
  });

  it("cancels its timer on abort: the timer callback never runs", async () => {
    const signal = new RecordingSignal();
    const reason = new Error("stop");
    const wait = settlement(sleep(1, signal.asSignal()));
    signal.abort(reason);
    expect(await wait).to.deep.equal({ state: "rejected", reason });
    // A timer of 20 ms set now expires after the wait's 1 ms timer would have.
    await delay(20);
    expect(signal.removals).to.deep.equal([]);
  });

  it("removes the abort listener it added when the timer fires", async () => {
    const signal = new RecordingSignal();
    expect(await settlement(sleep(1, signal.asSignal()))).to.deep.equal({
      state: "resolved",
      value: undefined,
    });
    expect(signal.removals).to.deep.equal(["abort"]);
  });
});
