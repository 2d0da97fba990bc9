/**
 * A process-wide request rate limit per endpoint and credential. Pulumi runs every resource of a
 * stack through one provider host process, concurrently; without a shared limit a stack of many
 * flows bursts into the account's API quota and collects 429s.
 *
 * The API gateway counts requests *arriving* in a sliding one-second window. A client cannot see
 * arrival times, and spacing sends evenly is not enough: a request that waits for a new connection
 * arrives late and shares its window with one sent a full interval later (measured against the
 * simulator: equal spacing at the limit drew 429s on every run). So the limit is kept on what the
 * client does know: a request that has completed arrived no later than its completion, and one in
 * flight may arrive at any moment. A request may start only while fewer than `limit` requests are
 * in flight or completed within the last window: whatever the network delays, no window on the
 * server can then hold more than `limit` of them. The price is one round trip per window
 * (throughput `limit / (1 s + latency)`).
 */
import { createHash } from "node:crypto";

/** The window the gateway's "requests per second" policies count over. */
export const RATE_WINDOW_MS = 1_000;

/**
 * The pure bookkeeping of the limit: requests in flight, recent completions, and a pause after a
 * 429. Time is passed in, so every decision is unit-tested without timers.
 */
export class SlidingWindowBudget {
  private inFlight = 0;
  private readonly completions: number[] = [];
  private blockedUntil = Number.NEGATIVE_INFINITY;

  /**
   * @param limit - requests per window
   * @param windowMs - the window (one second for the gateway)
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number = RATE_WINDOW_MS,
  ) {
    if (!(limit >= 1)) throw new RangeError("the request limit must be at least 1 per second");
  }

  /**
   * Starts a request if the budget allows: returns 0 and counts it as in flight; otherwise returns
   * how long to wait before asking again (`Infinity`: until a request in flight completes).
   *
   * @param now - current time in milliseconds
   */
  tryStart(now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    while (this.completions.length > 0 && this.completions[0]! <= now - this.windowMs) {
      this.completions.shift();
    }
    if (this.inFlight + this.completions.length < this.limit) {
      this.inFlight++;
      return 0;
    }
    return this.completions.length > 0
      ? this.completions[0]! + this.windowMs - now
      : Number.POSITIVE_INFINITY;
  }

  /**
   * Records that a started request completed (answered, failed or gave up).
   *
   * @param now - current time in milliseconds
   */
  finish(now: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.completions.push(now);
  }

  /**
   * Starts nothing until `until`: after a 429 the server's window is full, and requests sent before
   * it drains would only be throttled too.
   *
   * @param until - time in milliseconds
   */
  pauseUntil(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }
}

/** Waits, first come first served, until a request may be sent under a requests-per-second limit. */
export class RequestRateLimiter {
  private readonly budget: SlidingWindowBudget | undefined;
  private queueTail: Promise<void> = Promise.resolve();
  private readonly completionWaiters = new Set<() => void>();

  /**
   * @param requestsPerSecond - the limit; `Infinity` disables limiting
   * @param now - clock in milliseconds
   */
  constructor(
    readonly requestsPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(requestsPerSecond > 0)) throw new RangeError("requestsPerSecond must be positive");
    this.budget = Number.isFinite(requestsPerSecond)
      ? new SlidingWindowBudget(Math.max(1, Math.floor(requestsPerSecond)))
      : undefined;
  }

  /**
   * Waits for a slot and returns the function to call once the request has completed.
   *
   * @param signal - aborts the wait
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const budget = this.budget;
    if (!budget) return () => undefined;
    const previous = this.queueTail;
    let leaveQueue!: () => void;
    this.queueTail = new Promise((resolve) => (leaveQueue = resolve));
    try {
      await previous;
      for (;;) {
        signal?.throwIfAborted();
        const waitMs = budget.tryStart(this.now());
        if (waitMs === 0) break;
        await this.waitFor(waitMs, signal);
      }
    } finally {
      leaveQueue();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      budget.finish(this.now());
      for (const wake of [...this.completionWaiters]) wake();
    };
  }

  /**
   * Holds every later request back after the server answered 429.
   *
   * @param pauseMs - how long nothing more should be sent
   */
  pause(pauseMs: number): void {
    this.budget?.pauseUntil(this.now() + pauseMs);
  }

  /** Waits `ms`, or until a request completes when `ms` is infinite. */
  private waitFor(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.completionWaiters.delete(done);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal?.reason as Error);
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(1, Math.ceil(ms))) : undefined;
      if (!Number.isFinite(ms)) this.completionWaiters.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

const limiters = new Map<string, RequestRateLimiter>();

/**
 * The process-wide limiter for an endpoint and credential, created on first use. A later call with a
 * different rate for the same key replaces the limiter (the newest setting wins).
 *
 * @param endpoint - API base URL
 * @param credentialIdentity - access key or token; only its hash is kept
 * @param requestsPerSecond - the limit
 */
export function sharedRateLimiter(
  endpoint: string,
  credentialIdentity: string,
  requestsPerSecond: number,
): RequestRateLimiter {
  const key = `${endpoint} ${createHash("sha256").update(credentialIdentity).digest("hex").slice(0, 16)}`;
  const existing = limiters.get(key);
  if (existing && existing.requestsPerSecond === requestsPerSecond) return existing;
  const limiter = new RequestRateLimiter(requestsPerSecond);
  limiters.set(key, limiter);
  return limiter;
}
