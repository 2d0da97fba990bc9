/**
 * Reading a received query string, the one way both the signature check and the operations read
 * it: split on `&`, split each piece at its first `=`, percent-decode name and value as UTF-8.
 *
 * As in Huawei's signing guide and its SDKs' request model, `+` is a literal plus (not a space), a
 * bare `flag` has the value `""`, and a repeated name keeps every value in order of arrival. Empty
 * pieces (`a=1&&b=2`, a trailing `&`) carry no parameter and are skipped.
 */

/** One decoded query parameter. */
export interface QueryPair {
  readonly name: string;
  readonly value: string;
}

/**
 * The decoded parameters of a raw query string (without the `?`), in order of arrival.
 *
 * @param rawQuery - the query part of the request target, still percent-encoded
 * @returns `undefined` when a name or value is not valid percent-encoded UTF-8
 */
export function parseQueryPairs(rawQuery: string): QueryPair[] | undefined {
  const pairs: QueryPair[] = [];
  for (const piece of rawQuery.split("&")) {
    if (piece === "") continue;
    const equals = piece.indexOf("=");
    const rawName = equals === -1 ? piece : piece.slice(0, equals);
    const rawValue = equals === -1 ? "" : piece.slice(equals + 1);
    try {
      pairs.push({ name: decodeURIComponent(rawName), value: decodeURIComponent(rawValue) });
    } catch {
      return undefined;
    }
  }
  return pairs;
}

/**
 * The decoded query as an object holding the first value of each name, as the operations read it.
 *
 * @param rawQuery - the query part of the request target, still percent-encoded
 * @returns `undefined` when the percent-encoding is invalid
 */
export function firstQueryValues(rawQuery: string): Record<string, string> | undefined {
  const pairs = parseQueryPairs(rawQuery);
  if (pairs === undefined) return undefined;
  const query: Record<string, string> = {};
  for (const { name, value } of pairs) {
    // defineProperty, so that a parameter named `__proto__` is an ordinary own property.
    if (!Object.hasOwn(query, name)) {
      Object.defineProperty(query, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return query;
}
