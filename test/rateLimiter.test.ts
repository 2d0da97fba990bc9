import { expect } from "chai";
import { RequestRateLimiter, SlidingWindowBudget } from "../client/rateLimiter";

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
      expect(() => new SlidingWindowBudget(0)).to.throw(RangeError);
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

    it("does not limit an infinite rate, and rejects a non-positive one", async () => {
      const limiter = new RequestRateLimiter(Infinity);
      await Promise.all(Array.from({ length: 100 }, () => limiter.acquire()));
      expect(() => new RequestRateLimiter(0)).to.throw(RangeError);
    });
  });
});
