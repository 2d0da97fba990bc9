/**
 * Durations written as Go-style strings (`"30s"`, `"5m"`, `"1h30m"`, `"1500ms"`), the form Pulumi and
 * Terraform users write timeouts in.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Smallest and largest timeout accepted: shorter cannot finish one API call, longer is a typo. */
export const TIMEOUT_BOUNDS_MS = { min: 1_000, max: 6 * 3_600_000 } as const;

/**
 * Parses a duration string into milliseconds, or returns `undefined` when it is not one.
 *
 * @param text - e.g. `"5m"`, `"1h30m"`, `"45s"`, `"250ms"`
 */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return Math.round(total);
}

/**
 * Why a timeout string is unusable, or `undefined` when it is fine.
 *
 * @param text - the configured duration
 */
export function timeoutProblem(text: string): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) {
    return `"${text}" is not a duration; write it like "30s", "5m" or "1h30m"`;
  }
  if (ms < TIMEOUT_BOUNDS_MS.min || ms > TIMEOUT_BOUNDS_MS.max) {
    return `"${text}" is out of range; a timeout must be between 1s and 6h`;
  }
  return undefined;
}
