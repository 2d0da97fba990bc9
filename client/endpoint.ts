/**
 * Where Media Live lives: `https://live.{region}.myhuaweicloud.com` unless an explicit base URL is
 * given. Plain `http://` is refused except on a loopback host, where the local simulator runs: the
 * real API rejects HTTP (`LIVE.100011004`) and credentials must never cross a network in clear.
 */

/** Region and endpoint value patterns, shared by the client and by input validation. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The default endpoint of a region.
 *
 * @param region - e.g. `ap-southeast-3`
 */
export function defaultEndpoint(region: string): string {
  return `https://live.${region}.myhuaweicloud.com`;
}

/**
 * True for `localhost`, `127.0.0.0/8` and `[::1]`.
 *
 * @param hostname - a URL hostname (IPv6 in brackets, as WHATWG URL gives it)
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * Why an explicit endpoint is unusable, or `undefined` when it is fine. Pure, for `check`.
 *
 * @param endpoint - the configured base URL
 */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `"${endpoint}" is not a valid URL (expected e.g. https://live.ap-southeast-3.myhuaweicloud.com)`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `endpoint must use https:// (got ${url.protocol}//)`;
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    return `plain http:// is only allowed for a loopback host such as the local simulator; use https:// for ${url.hostname}`;
  }
  if (url.username || url.password) return "endpoint must not contain user information";
  if (url.search || url.hash) return "endpoint must not contain a query or fragment";
  return undefined;
}

/**
 * The base URL to call, without a trailing slash. Throws a TypeError naming the problem.
 *
 * @param settings - an explicit endpoint, or the region for the default one
 */
export function resolveEndpoint(settings: { endpoint?: string; region?: string }): string {
  if (settings.endpoint) {
    const problem = endpointProblem(settings.endpoint);
    if (problem) throw new TypeError(problem);
    return settings.endpoint.replace(/\/+$/, "");
  }
  if (!settings.region) throw new TypeError("either an endpoint or a region is required");
  if (!REGION_PATTERN.test(settings.region)) {
    throw new TypeError(`"${settings.region}" is not a region id (e.g. ap-southeast-3)`);
  }
  return defaultEndpoint(settings.region);
}
