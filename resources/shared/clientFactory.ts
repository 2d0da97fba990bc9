/**
 * The Media Live client a provider operation uses: built from resolved settings, with its retries
 * kept within the operation's budget, and redacted debug output when `HW_LIVE_DEBUG` is set.
 */
import { MediaLiveClient, type RequestLogEvent } from "../../client/mediaLiveClient";
import type { ResolvedSettings } from "../../settings/settings";

/**
 * A client whose retries stay within the operation's budget.
 *
 * @param settings - resolved settings, credentials included
 * @param budgetMs - the operation's timeout
 */
export function clientFor(settings: ResolvedSettings, budgetMs: number): MediaLiveClient {
  return new MediaLiveClient({
    projectId: settings.projectId,
    region: settings.region,
    endpoint: settings.endpoint,
    credentials: settings.credentials,
    requestsPerSecond: settings.requestsPerSecond,
    timeoutMs: settings.requestTimeoutMs,
    retry: { maxAttempts: settings.maxRetries + 1, deadlineMs: budgetMs },
    onRequest: process.env.HW_LIVE_DEBUG ? logRequest : undefined,
  });
}

/** Debug output on the provider host's stderr; the event is already redacted. */
function logRequest(event: RequestLogEvent): void {
  console.error(
    `[medialive] ${event.operation} ${event.method} ${event.url} attempt ${event.attempt} -> ${event.outcome} in ${event.elapsedMs}ms${event.requestId ? ` request id ${event.requestId}` : ""}`,
  );
}
