/**
 * A sliding-window rate limiter like the gateway's "N requests per 1 second" policy: a request is
 * accepted while fewer than N accepted requests arrived in the last window. Rejected requests do
 * not count, so a client that backs off recovers as soon as the window slides.
 */

/** Milliseconds from an arbitrary origin; only differences matter. */
export type MillisecondClock = () => number;

/** Accepts or throttles requests over a sliding window. */
export class SlidingWindowRateLimiter {
  readonly #windowMs: number;
  readonly #clock: MillisecondClock;
  #limit: number | undefined;
  // Arrival times of accepted requests still inside the window, oldest first.
  #accepted: number[] = [];

  /**
   * @param limit - accepted requests allowed per window; `undefined` means unlimited
   * @param windowMs - window length in milliseconds
   * @param clock - time source, injectable so tests need not race the wall clock
   */
  constructor(limit: number | undefined, windowMs: number, clock: MillisecondClock) {
    this.#windowMs = windowMs;
    this.#clock = clock;
    this.#limit = validateLimit(limit);
  }

  /** The current limit per window, `undefined` when unlimited. */
  get limit(): number | undefined {
    return this.#limit;
  }

  /**
   * Changes the limit; requests already accepted keep counting toward the new one.
   *
   * @param limit - accepted requests allowed per window; `undefined` means unlimited
   */
  setLimit(limit: number | undefined): void {
    this.#limit = validateLimit(limit);
  }

  /** Records a request arriving now; `false` means it must be throttled (and was not counted). */
  tryAcquire(): boolean {
    const now = this.#clock();
    const windowStart = now - this.#windowMs;
    while (this.#accepted.length > 0 && this.#accepted[0]! <= windowStart) this.#accepted.shift();
    if (this.#limit !== undefined && this.#accepted.length >= this.#limit) return false;
    this.#accepted.push(now);
    return true;
  }
}

function validateLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    throw new RangeError(`requests per second must be a positive integer, got ${limit}`);
  }
  return limit;
}
