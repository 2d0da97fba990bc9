/**
 * When to retry a Media Live call, and how long to wait first. Pure: the caller passes the outcome,
 * the attempt number, the time already spent and a random source, so every decision is table-tested.
 *
 * Retried: 429 (`APIG.0308`, throttling), 5xx, connection failures, timeouts and unreadable 2xx
 * bodies. Never retried: other 4xx (400/401/403/404): repeating them cannot succeed, and repeated
 * authentication failures lock an AK/SK pair for 5 minutes. A request that is not idempotent (a
 * create) is retried only after a 429: the gateway throttles before the request reaches the
 * service, while after a 5xx, a timeout or a lost connection it may have landed.
 */

/** Limits of the retry loop. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Backoff before the second attempt; doubles each time. */
  readonly baseDelayMs: number;
  /** Cap of one backoff (a `Retry-After` longer than this is still honoured if the deadline allows). */
  readonly maxDelayMs: number;
  /** Overall budget for one call, retries and waits included. */
  readonly deadlineMs: number;
}

/** Defaults: 6 attempts, 250 ms doubling to at most 8 s, 2 minutes in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  deadlineMs: 120_000,
};

/** What one attempt produced. */
export type AttemptOutcome =
  | { readonly kind: "response"; readonly status: number; readonly retryAfterMs?: number }
  | { readonly kind: "network" }
  | { readonly kind: "timeout" }
  | { readonly kind: "invalid-response" };

/** The decision after a failed attempt. */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: "not-retryable" | "attempts" | "deadline" };

/**
 * True for outcomes that another attempt may fix without risk.
 *
 * @param outcome - the failed attempt
 * @param idempotent - whether repeating the request is harmless even if the first one landed
 */
export function isRetryable(outcome: AttemptOutcome, idempotent = true): boolean {
  const throttled = outcome.kind === "response" && outcome.status === 429;
  if (!idempotent) return throttled;
  if (outcome.kind !== "response") return true;
  return throttled || outcome.status >= 500;
}

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay, plus a random share
 * of the other half, so that many clients throttled together do not retry in lock-step.
 *
 * @param attempt - the attempt that just failed (1-based)
 * @param policy - limits
 * @param random - a number in [0, 1)
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (random * exponential) / 2);
}

/**
 * Decides whether to retry after a failed attempt.
 *
 * @param outcome - what the attempt produced
 * @param attempt - the attempt that just failed (1-based)
 * @param elapsedMs - time spent on this call so far
 * @param policy - limits
 * @param random - a number in [0, 1) for jitter
 * @param idempotent - whether repeating the request is harmless (false for creates)
 */
export function decideRetry(
  outcome: AttemptOutcome,
  attempt: number,
  elapsedMs: number,
  policy: RetryPolicy,
  random: number,
  idempotent = true,
): RetryDecision {
  if (!isRetryable(outcome, idempotent)) return { retry: false, reason: "not-retryable" };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: "attempts" };
  const backoff = backoffDelay(attempt, policy, random);
  const retryAfter = outcome.kind === "response" ? (outcome.retryAfterMs ?? 0) : 0;
  const delayMs = Math.max(backoff, retryAfter);
  if (elapsedMs + delayMs >= policy.deadlineMs) return { retry: false, reason: "deadline" };
  return { retry: true, delayMs };
}

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns `undefined` when absent or unreadable; never negative.
 *
 * @param value - the header value
 * @param now - current time
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
