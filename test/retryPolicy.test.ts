import { expect } from "chai";
import {
  backoffDelay,
  decideRetry,
  isRetryable,
  parseRetryAfter,
  type AttemptOutcome,
  type RetryPolicy,
} from "../client/retryPolicy";

const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  deadlineMs: 5_000,
};

describe("retry policy", () => {
  describe("isRetryable", () => {
    const table: [string, AttemptOutcome, boolean][] = [
      ["429 throttling", { kind: "response", status: 429 }, true],
      ["500", { kind: "response", status: 500 }, true],
      ["502", { kind: "response", status: 502 }, true],
      ["503", { kind: "response", status: 503 }, true],
      ["504", { kind: "response", status: 504 }, true],
      ["400", { kind: "response", status: 400 }, false],
      ["401", { kind: "response", status: 401 }, false],
      ["403", { kind: "response", status: 403 }, false],
      ["404", { kind: "response", status: 404 }, false],
      ["connection reset", { kind: "network" }, true],
      ["timeout", { kind: "timeout" }, true],
      ["malformed body", { kind: "invalid-response" }, true],
    ];
    for (const [name, outcome, expected] of table) {
      it(`${name} → ${expected ? "retry" : "fail"}`, () => {
        expect(isRetryable(outcome)).to.equal(expected);
      });
    }
  });

  describe("backoffDelay", () => {
    it("doubles per attempt, with equal jitter between half and all of it", () => {
      expect(backoffDelay(1, policy, 0)).to.equal(50);
      expect(backoffDelay(1, policy, 0.999999)).to.equal(100);
      expect(backoffDelay(2, policy, 0)).to.equal(100);
      expect(backoffDelay(3, policy, 0.5)).to.equal(300);
    });
    it("is capped at maxDelayMs", () => {
      expect(backoffDelay(10, policy, 0.999999)).to.equal(1_000);
      expect(backoffDelay(10, policy, 0)).to.equal(500);
    });
  });

  describe("decideRetry", () => {
    it("retries a 503 after the backoff", () => {
      expect(decideRetry({ kind: "response", status: 503 }, 1, 0, policy, 0)).to.deep.equal({
        retry: true,
        delayMs: 50,
      });
    });
    it("waits at least Retry-After", () => {
      expect(
        decideRetry({ kind: "response", status: 429, retryAfterMs: 2_000 }, 1, 0, policy, 0),
      ).to.deep.equal({ retry: true, delayMs: 2_000 });
    });
    it("does not retry a 400, 401, 403 or 404", () => {
      for (const status of [400, 401, 403, 404]) {
        expect(decideRetry({ kind: "response", status }, 1, 0, policy, 0)).to.deep.equal({
          retry: false,
          reason: "not-retryable",
        });
      }
    });
    it("stops at maxAttempts", () => {
      expect(decideRetry({ kind: "network" }, 4, 0, policy, 0)).to.deep.equal({
        retry: false,
        reason: "attempts",
      });
    });
    it("stops when the wait would pass the deadline", () => {
      expect(
        decideRetry({ kind: "response", status: 429, retryAfterMs: 3_000 }, 1, 2_500, policy, 0),
      ).to.deep.equal({ retry: false, reason: "deadline" });
    });
    it("stops when the wait would end exactly at the deadline, and retries one millisecond sooner", () => {
      // Attempt 1 with no jitter waits 50 ms.
      expect(decideRetry({ kind: "network" }, 1, 4_950, policy, 0)).to.deep.equal({
        retry: false,
        reason: "deadline",
      });
      expect(decideRetry({ kind: "network" }, 1, 4_949, policy, 0)).to.deep.equal({
        retry: true,
        delayMs: 50,
      });
    });
  });

  describe("parseRetryAfter", () => {
    const now = new Date("2026-11-29T12:00:00Z");
    it("reads delta seconds", () => {
      expect(parseRetryAfter("2", now)).to.equal(2_000);
      expect(parseRetryAfter("0.5", now)).to.equal(500);
    });
    it("reads every digit, around surrounding whitespace", () => {
      expect(parseRetryAfter("10", now)).to.equal(10_000);
      expect(parseRetryAfter("0.25", now)).to.equal(250);
      expect(parseRetryAfter(" 2 ", now)).to.equal(2_000);
    });
    it("reads an HTTP date", () => {
      expect(parseRetryAfter("Sun, 29 Nov 2026 12:00:03 GMT", now)).to.equal(3_000);
      expect(parseRetryAfter("Sun, 29 Nov 2026 11:59:00 GMT", now)).to.equal(0);
    });
    it("ignores absent or unreadable values", () => {
      expect(parseRetryAfter(undefined, now)).to.equal(undefined);
      expect(parseRetryAfter("", now)).to.equal(undefined);
      expect(parseRetryAfter("soon", now)).to.equal(undefined);
      expect(parseRetryAfter("x2", now)).to.equal(undefined);
      expect(parseRetryAfter("2abc", now)).to.equal(undefined);
    });
  });
});
