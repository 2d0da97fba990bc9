/**
 * A process-wide request rate limit per endpoint and credential. Pulumi runs every resource of a
 * stack through one provider host process, concurrently; without a shared limit a stack of many
 * flows bursts into the account's API quota and collects 429s. Requests are spaced evenly (a token
 * bucket with a burst of one second's worth is what the gateway's per-second window tolerates).
 */
import { createHash } from "node:crypto";

/**
 * Spaces requests evenly at a requests-per-second limit (the generic cell rate algorithm with no
 * burst): the gateway counts requests in a sliding one-second window, and any burst on top of a
 * steady stream at the limit would overflow it.
 */
export class RequestRateLimiter {
  private theoreticalArrivalMs = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  /**
   * @param requestsPerSecond - sustained rate; `Infinity` disables limiting
   * @param now - clock in milliseconds (injected for tests)
   */
  constructor(
    readonly requestsPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(requestsPerSecond > 0)) throw new RangeError("requestsPerSecond must be positive");
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Reserves the next free slot and returns how long to wait for it (0: send now). */
  reserve(): number {
    if (!Number.isFinite(this.requestsPerSecond)) return 0;
    const now = this.now();
    const sendAt = Math.max(now, this.theoreticalArrivalMs);
    this.theoreticalArrivalMs = sendAt + this.intervalMs;
    return sendAt - now;
  }

  /**
   * Holds every later request back after the server answered 429, so that waiting requests do not
   * keep hitting a window that is already full.
   *
   * @param pauseMs - how long nothing more should be sent
   */
  pause(pauseMs: number): void {
    this.theoreticalArrivalMs = Math.max(this.theoreticalArrivalMs, this.now() + pauseMs);
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
