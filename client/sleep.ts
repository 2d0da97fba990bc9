/**
 * Waiting that an abort signal can cut short: backoff between retries and polling both stop the
 * moment an operation's timeout fires.
 */

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 *
 * @param ms - how long to wait
 * @param signal - aborts the wait
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
