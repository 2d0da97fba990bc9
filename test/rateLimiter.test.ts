import { expect } from "chai";
import { getEventListeners } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { RequestRateLimiter, sharedRateLimiter, SlidingWindowBudget } from "../client/rateLimiter";

/** Timers currently keeping the process alive. */
const referencedTimers = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

/**
 * Whether `promise` settles from work already queued (microtasks), before the event loop turns:
 * a limiter admits a request without waiting exactly when its acquire settles this way.
 */
async function settlesWithoutWaiting(promise: Promise<unknown>): Promise<boolean> {
  const turn = new Promise<"waiting">((resolve) => setImmediate(() => resolve("waiting")));
  return (await Promise.race([promise.then(() => "settled" as const), turn])) === "settled";
}

/**
 * A full garbage collection, through V8's own `gc` (exposed at run time, as Jest's leak detector
 * does), after one turn of the event loop so that no `WeakRef` is still held for the current job.
 */
async function collectGarbage(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe("rate limit", () => {
  describe("SlidingWindowBudget", () => {
    it("starts up to the limit, counting requests in flight and completed in the window", () => {
      const budget = new SlidingWindowBudget(3);
      expect([budget.tryStart(0), budget.tryStart(0), budget.tryStart(0)]).to.deep.equal([0, 0, 0]);
      // All three in flight: wait for one to complete.
      expect(budget.tryStart(5)).to.equal(Number.POSITIVE_INFINITY);
      budget.finish(40);
      // Completed at 40: it may have arrived as late as 40, so its slot frees at 1040.
      expect(budget.tryStart(41)).to.equal(999);
      expect(budget.tryStart(1040)).to.equal(0);
    });

    it("never lets more than the limit arrive within any window, whatever the latency", () => {
      // Requests take 0–300 ms (a simulated network); the server sees each arrive at some point
      // between its start and its completion. Check the worst case: arrival at either end.
      const limit = 5;
      const budget = new SlidingWindowBudget(limit);
      const intervals: [number, number][] = [];
      let now = 0;
      const running: { end: number; start: number }[] = [];
      for (let step = 0; intervals.length < 60; step++) {
        now += 7;
        for (const request of running.filter((item) => item.end <= now)) {
          budget.finish(request.end);
          intervals.push([request.start, request.end]);
          running.splice(running.indexOf(request), 1);
        }
        if (budget.tryStart(now) === 0)
          running.push({ start: now, end: now + ((step * 37) % 300) });
      }
      // When a request starts, fewer than `limit` earlier ones may still arrive in its window (they
      // end less than a window before it): so no window can ever hold more than `limit` arrivals.
      expect(intervals.length).to.equal(60);
      const started = [...intervals].sort((left, right) => left[0] - right[0]);
      started.forEach(([start], index) => {
        const overlapping = started.slice(0, index).filter(([, end]) => end > start - 1_000).length;
        expect(overlapping, `request ${index}`).to.be.lessThan(limit);
      });
    });

    it("pauses after a 429", () => {
      const budget = new SlidingWindowBudget(10);
      budget.pauseUntil(500);
      expect(budget.tryStart(100)).to.equal(400);
      expect(budget.tryStart(500)).to.equal(0);
    });

    it("rejects a limit below one request per window", () => {
      expect(() => new SlidingWindowBudget(0)).to.throw(
        RangeError,
        /^the request limit must be at least 1 per second$/,
      );
    });

    it("counts the request it starts at the very end of a pause", () => {
      const budget = new SlidingWindowBudget(1);
      budget.pauseUntil(500);
      expect(budget.tryStart(499)).to.equal(1);
      expect(budget.tryStart(500)).to.equal(0);
      // That start used the only slot.
      expect(budget.tryStart(500)).to.equal(Number.POSITIVE_INFINITY);
    });
  });

  describe("RequestRateLimiter", () => {
    it("admits requests first come, first served, and only as completions age out", async () => {
      let now = 0;
      const limiter = new RequestRateLimiter(2, () => now);
      const order: number[] = [];
      const first = await limiter.acquire();
      const second = await limiter.acquire();
      const third = limiter.acquire().then((release) => {
        order.push(3);
        return release;
      });
      const fourth = limiter.acquire().then((release) => {
        order.push(4);
        return release;
      });
      first();
      second();
      // Both completed at 0; the clock moves past the window, and the timers fire.
      now = 1_000;
      (await third)();
      (await fourth)();
      expect(order).to.deep.equal([3, 4]);
    });

    it("stops waiting when aborted", async () => {
      const limiter = new RequestRateLimiter(1, () => 0);
      await limiter.acquire();
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal);
      controller.abort(new Error("cancelled"));
      let error: unknown;
      try {
        await waiting;
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(Error).with.property("message", "cancelled");
    });

    it("stops a timed wait when aborted, leaving no timer or listener behind", async () => {
      const limiter = new RequestRateLimiter(1, () => 0);
      (await limiter.acquire())();
      // The one slot is held by a completion at 0: the next request must wait 1 s.
      const timersBefore = referencedTimers();
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal);
      expect(await settlesWithoutWaiting(waiting)).to.equal(false);
      expect(referencedTimers(), "the wait's timer").to.equal(timersBefore + 1);
      controller.abort(new Error("cancelled"));
      const error = await waiting.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(Error).with.property("message", "cancelled");
      expect(referencedTimers(), "timers after the abort").to.equal(timersBefore);
      expect(getEventListeners(controller.signal, "abort")).to.have.length(0);
    });

    it("stops waiting for a completion when aborted", async () => {
      const limiter = new RequestRateLimiter(1, () => 0);
      const held = await limiter.acquire();
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal);
      expect(await settlesWithoutWaiting(waiting)).to.equal(false);
      controller.abort(new Error("cancelled"));
      const error = await waiting.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(Error).with.property("message", "cancelled");
      held();
    });

    it("wakes a request waiting for a completion, and drops its abort listener", async () => {
      let now = 0;
      const limiter = new RequestRateLimiter(2, () => now);
      const first = await limiter.acquire();
      await limiter.acquire();
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal);
      expect(await settlesWithoutWaiting(waiting)).to.equal(false);
      // The first completes at 0 and the clock moves a window on before the waiter looks again:
      // its slot is free, so the waiter starts without a timed wait.
      first();
      now = 1_000;
      expect(await settlesWithoutWaiting(waiting)).to.equal(true);
      expect(getEventListeners(controller.signal, "abort")).to.have.length(0);
    });

    it("lets go of a request it has woken: nothing it waited with is kept", async () => {
      let now = 0;
      const limiter = new RequestRateLimiter(1, () => now);
      const held = await limiter.acquire();
      /** Waits for the held request's completion with a signal of its own, and is admitted. */
      const waitWithSignal = async (): Promise<WeakRef<AbortSignal>> => {
        const controller = new AbortController();
        const waiting = limiter.acquire(controller.signal);
        expect(await settlesWithoutWaiting(waiting)).to.equal(false);
        held();
        now = 1_000;
        expect(await settlesWithoutWaiting(waiting)).to.equal(true);
        (await waiting)();
        return new WeakRef(controller.signal);
      };
      const signal = await waitWithSignal();
      await collectGarbage();
      expect(signal.deref(), "the signal of the admitted request").to.equal(undefined);
    });

    it("keeps a timed wait to its timer: a completion wakes only requests waiting for one", async () => {
      let now = 0;
      const limiter = new RequestRateLimiter(2, () => now);
      const held = await limiter.acquire();
      (await limiter.acquire())();
      // One in flight and one completion at 0: the next request waits until 1000 on a timer.
      const waiting = limiter.acquire();
      expect(await settlesWithoutWaiting(waiting)).to.equal(false);
      // By the injected clock the window has passed and another request completes, yet the
      // waiter does not look again before its own timer fires.
      now = 1_000;
      held();
      expect(await settlesWithoutWaiting(waiting)).to.equal(false);
      (await waiting)();
    });

    it("counts a completion once however often its release is called", async () => {
      const limiter = new RequestRateLimiter(2, () => 0);
      const release = await limiter.acquire();
      release();
      release();
      // One completion in the window: a second request still fits, a third does not.
      expect(await settlesWithoutWaiting(limiter.acquire())).to.equal(true);
      const controller = new AbortController();
      const third = limiter.acquire(controller.signal);
      expect(await settlesWithoutWaiting(third)).to.equal(false);
      controller.abort(new Error("done"));
      await third.catch(() => undefined);
    });

    it("does not limit an infinite rate, and rejects a non-positive one", async () => {
      const limiter = new RequestRateLimiter(Infinity);
      await Promise.all(Array.from({ length: 100 }, () => limiter.acquire()));
      expect(() => new RequestRateLimiter(0)).to.throw(
        RangeError,
        /^requestsPerSecond must be positive$/,
      );
    });
  });

  describe("sharedRateLimiter", () => {
    it("shares one limiter per endpoint and credential, and a new rate replaces it", () => {
      const endpoint = "http://127.0.0.1:1/shared-rate-limiter-test";
      const limiter = sharedRateLimiter(endpoint, "AK-ONE", 5);
      expect(sharedRateLimiter(endpoint, "AK-ONE", 5)).to.equal(limiter);
      expect(sharedRateLimiter(endpoint, "AK-TWO", 5)).not.to.equal(limiter);
      expect(sharedRateLimiter(`${endpoint}/other`, "AK-ONE", 5)).not.to.equal(limiter);
      const faster = sharedRateLimiter(endpoint, "AK-ONE", 10);
      expect(faster).not.to.equal(limiter);
      expect(faster.requestsPerSecond).to.equal(10);
      expect(sharedRateLimiter(endpoint, "AK-ONE", 10)).to.equal(faster);
    });
  });
});
