/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), byte-identical to the official Node SDK
 * (`@huaweicloud/huaweicloud-sdk-core` 3.1.211, `auth/AKSKSigner.js` + `auth/BaseCredentials.js`).
 *
 * Every canonicalization step is a small exported pure function so that each can be unit-tested on
 * its own; {@link signRequest} composes them. The clock is a parameter: nothing here reads globals.
 *
 * Algorithm: https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-003.html
 * (where the published guide and the SDK disagree, this module follows the SDK).
 */
import { createHash, createHmac } from "node:crypto";

/** The signing algorithm name that starts the `Authorization` header and the string to sign. */
export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Header names the SDK looks up by exact key (case-sensitive, as the SDK does). */
export const HEADER = {
  date: "X-Sdk-Date",
  host: "host",
  contentSha256: "X-Sdk-Content-Sha256",
  securityToken: "X-Security-Token",
  projectId: "X-Project-Id",
  authorization: "Authorization",
} as const;

/** The request to sign: a full URL (scheme, authority, path, query), method, headers and body. */
export interface SignableRequest {
  /** HTTP method, upper case (`GET`, `PUT`, …). Signed exactly as given, like the SDK. */
  readonly method: string;
  /** Absolute URL, e.g. `https://live.ap-southeast-3.myhuaweicloud.com/v1/p/flows/start?flow_id=x`. */
  readonly url: string;
  /** Headers to send and sign. Keys keep their case; the SDK's look-ups are by exact key. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Body as the JSON value that will be sent (hashed as `JSON.stringify(body)`), or a string that is
   * already the exact bytes to send. Falsy means no body (empty-string hash).
   */
  readonly body?: unknown;
}

/** AK/SK credentials. `securityToken` marks temporary (STS) credentials. */
export interface SigningCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
  readonly projectId?: string;
}

/** Intermediate values of one signature, exposed for tests and for the simulator's verifier. */
export interface SignatureParts {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

/**
 * Formats a date as `YYYYMMDDTHHMMSSZ` in UTC, the only form `X-Sdk-Date` takes.
 *
 * @param date - the signing time
 */
export function formatSdkDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("signing date is not a valid Date");
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/**
 * Parses an `X-Sdk-Date` value (`YYYYMMDDTHHMMSSZ`) back into a Date, or returns `undefined` when the
 * value is not of that form.
 *
 * @param value - the header value
 */
export function parseSdkDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  return formatSdkDate(date) === value ? date : undefined;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/**
 * Percent-encodes a string as the SDK does: RFC 3986 unreserved characters stay, every other UTF-8
 * byte becomes `%XY` with upper-case hex (space is `%20`, never `+`). A lone surrogate throws.
 *
 * @param value - raw (decoded) text
 */
export function percentEncode(value: string): string {
  let out = "";
  for (const char of value) {
    if (char.length === 1 && UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) throw new URIError("lone surrogate in value to sign");
    for (const byte of Buffer.from(char, "utf8")) {
      out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
  }
  return out;
}

/** Splits an absolute URL into authority, raw path and raw query without normalizing anything. */
export function splitUrl(url: string): { authority: string; path: string; query: string } {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!match) throw new TypeError(`not an absolute URL: ${url}`);
  return { authority: match[1]!, path: match[2]!, query: match[3] ?? "" };
}

/**
 * The value the SDK signs as `host`: the URL authority with the hostname lower-cased and the port
 * kept exactly as written (`:443` included), user information dropped (Node's legacy `url.parse`).
 *
 * @param url - absolute request URL
 */
export function canonicalHost(url: string): string {
  const authority = splitUrl(url).authority.replace(/^.*@/, "");
  const portMatch = /(:\d*)$/.exec(authority);
  // An IPv6 literal ends in `]`, which the pattern cannot end on: its colons are never a port.
  const port = portMatch ? portMatch[1]! : "";
  const hostname = authority.slice(0, authority.length - port.length);
  // url.parse drops an empty port (`host:`), as WHATWG URL does.
  return hostname.toLowerCase() + (port === ":" ? "" : port);
}

// Characters Node's legacy url.parse escapes in a pathname before the SDK sees it.
const LEGACY_AUTO_ESCAPE: Readonly<Record<string, string>> = {
  " ": "%20",
  '"': "%22",
  "'": "%27",
  "<": "%3C",
  ">": "%3E",
  "`": "%60",
  "{": "%7B",
  "}": "%7D",
  "|": "%7C",
  "^": "%5E",
  "\t": "%09",
  "\n": "%0A",
  "\r": "%0D",
};

/**
 * Canonical path (line 2): each `/`-separated segment of the path *as written* is percent-encoded
 * (so an existing `%20` becomes `%2520`, an SDK quirk), and a `/` is appended unless present.
 *
 * @param rawPath - the path part of the URL, e.g. `/v1/p/flows/start`
 */
export function canonicalPath(rawPath: string): string {
  // url.parse turns `\` into `/` before the query, as WHATWG URL does for http(s).
  const escaped = rawPath
    .replace(/\\/g, "/")
    .replace(/[ "'<>`{}|^\t\n\r]/g, (char) => LEGACY_AUTO_ESCAPE[char]!);
  // The empty path needs no case of its own: it encodes to "" and gets the trailing "/" below.
  const encoded = escaped.split("/").map(percentEncode).join("/");
  return encoded.endsWith("/") ? encoded : encoded + "/";
}

/**
 * Parses a raw query string into the SDK's query model: names and values percent-decoded
 * (`+` stays a literal plus), a bare `flag` has the value `""`, a repeated name becomes an array in
 * order of appearance.
 *
 * @param rawQuery - the part after `?`, without `#fragment`
 */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  if (rawQuery === "") return params;
  for (const pair of rawQuery.split("&")) {
    const separator = pair.indexOf("=");
    const name = decodeURIComponent(separator === -1 ? pair : pair.slice(0, separator));
    const value = separator === -1 ? "" : decodeURIComponent(pair.slice(separator + 1));
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[name] = [existing, value];
  }
  return params;
}

/**
 * Canonical query string (line 3): names sorted by UTF-16 code unit of the decoded name, repeated
 * values sorted the same way (duplicates kept), each name and value percent-encoded, `name=value`
 * pairs joined by `&`.
 *
 * @param params - the query model, e.g. from {@link parseQuery}
 */
export function canonicalQuery(
  params: Readonly<Record<string, string | readonly string[]>>,
): string {
  const pairs: string[] = [];
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = typeof value === "string" ? [value] : [...value].sort();
    for (const item of values) pairs.push(`${percentEncode(name)}=${percentEncode(item)}`);
  }
  return pairs.join("&");
}

/**
 * Canonical header lines (line 4) and the SignedHeaders list (line 5). Values are used exactly as
 * given (not trimmed). The two lists are sorted differently, as in the SDK: lines with
 * `localeCompare`, names by code unit. They agree for names made of `a–z 0–9 -`.
 *
 * @param headers - every header to sign, keys in any case
 */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): {
  lines: string;
  signedHeaders: string;
} {
  const keys = Object.keys(headers);
  const byLocale = [...keys].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const lines = byLocale.map((key) => `${key.toLowerCase()}:${headers[key]}\n`).join("");
  // lodash sortBy is stable and compares with `<`, i.e. by UTF-16 code unit.
  const byCodeUnit = [...keys].sort((a, b) => {
    const left = a.toLowerCase();
    const right = b.toLowerCase();
    return left < right ? -1 : left > right ? 1 : 0;
  });
  return { lines, signedHeaders: byCodeUnit.join(";").toLowerCase() };
}

/** Lowercase hex SHA-256 of UTF-8 text. */
export function sha256Hex(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The body text a request sends for a given body value: a string is sent as is, any other truthy
 * value as its JSON text, and a falsy value means no body.
 *
 * @param body - the body value handed to {@link signRequest}
 */
export function bodyText(body: unknown): string | undefined {
  if (!body) return undefined;
  return typeof body === "string" ? body : JSON.stringify(body);
}

/**
 * Payload hash (line 6): the value of `X-Sdk-Content-Sha256` when present, else the SHA-256 of the
 * body bytes, else the empty-string hash.
 *
 * @param headers - request headers
 * @param body - the body value
 */
export function payloadHash(headers: Readonly<Record<string, string>>, body: unknown): string {
  const declared = headers[HEADER.contentSha256];
  if (declared) return declared;
  const text = bodyText(body);
  return text === undefined ? EMPTY_BODY_SHA256 : sha256Hex(text);
}

/**
 * True when the SDK's credentials layer considers the content type JSON: absent, or exactly
 * `application/json` (case-insensitive). `application/json;charset=UTF-8` is not JSON by this test.
 */
export function isJsonContentType(headers: Readonly<Record<string, string>>): boolean {
  // Falsy look-ups, as in the SDK's ICredential.isJsonContentType: an empty value counts as absent.
  const contentType = headers["content-type"] || headers["Content-Type"];
  return !contentType || contentType.toLowerCase() === "application/json";
}

/** Everything that goes into one signature once the header set is complete. */
export interface CanonicalInput {
  /** HTTP method, exactly as signed. */
  readonly method: string;
  /** Absolute URL: its path and query are canonicalized. */
  readonly url: string;
  /** Every header that takes part in the signature (host and date included). */
  readonly signedHeaderSet: Readonly<Record<string, string>>;
  /** The `X-Sdk-Date` value, line 2 of the string to sign. */
  readonly sdkDate: string;
  /** Line 6 of the canonical request, from {@link payloadHash}. */
  readonly payloadHash: string;
}

/**
 * Computes the canonical request, string to sign and signature. Used by {@link signRequest} and by
 * the simulator's verifier, which rebuilds the same input from what it received.
 *
 * @param input - the canonical input
 * @param secretKey - the SK, used as the HMAC key (UTF-8 bytes)
 */
export function computeSignature(input: CanonicalInput, secretKey: string): SignatureParts {
  const { path, query } = splitUrl(input.url);
  const { lines, signedHeaders } = canonicalHeaders(input.signedHeaderSet);
  const canonicalRequest = [
    input.method,
    canonicalPath(path),
    canonicalQuery(parseQuery(query)),
    lines,
    signedHeaders,
    input.payloadHash,
  ].join("\n");
  const stringToSign = [SIGNING_ALGORITHM, input.sdkDate, sha256Hex(canonicalRequest)].join("\n");
  const signature = createHmac("sha256", Buffer.from(secretKey, "utf8"))
    .update(stringToSign, "utf8")
    .digest("hex");
  return { canonicalRequest, stringToSign, signedHeaders, signature };
}

/**
 * Signs a request with AK/SK and returns the complete header set to send: the given headers plus
 * `X-Security-Token` / `X-Project-Id` when set, `X-Sdk-Content-Sha256` for non-JSON bodies,
 * `X-Sdk-Date`, `host` and `Authorization`. Pure: the clock is the `date` parameter.
 *
 * @param request - method, absolute URL, headers, body
 * @param credentials - access key, secret key, optional security token and project id
 * @param date - signing time (defaults to now); ignored when the headers already carry `X-Sdk-Date`
 * @returns headers to send, `Authorization` included
 */
export function signRequest(
  request: SignableRequest,
  credentials: SigningCredentials,
  date: Date = new Date(),
): Record<string, string> {
  const given = request.headers ?? {};
  // Credentials layer (BaseCredentials.processAuthRequest): these go in first, then the caller's
  // headers are copied on top, so a caller's header with the exact same key keeps its value but takes
  // this first position (which decides the order of two names differing only in case).
  const headers: Record<string, string> = {};
  if (credentials.securityToken) headers[HEADER.securityToken] = credentials.securityToken;
  if (credentials.projectId) headers[HEADER.projectId] = credentials.projectId;
  if (!isJsonContentType(given)) headers[HEADER.contentSha256] = "UNSIGNED-PAYLOAD";
  Object.assign(headers, given);

  if (headers[HEADER.date] === undefined) {
    headers[HEADER.date] = formatSdkDate(date);
  } else if (parseSdkDate(headers[HEADER.date]!) === undefined) {
    throw new TypeError(`${HEADER.date} must have the form YYYYMMDDTHHMMSSZ`);
  }
  // Truthy look-up, as in the SDK: an empty `host` header is replaced by the URL's.
  headers[HEADER.host] = headers[HEADER.host] || canonicalHost(request.url);

  const signedHeaderSet = { ...headers };
  // The SDK leaves a multipart content type out of the signature (lower-case key only).
  if (signedHeaderSet["content-type"]?.includes("multipart/form-data")) {
    delete signedHeaderSet["content-type"];
  }
  const { signedHeaders, signature } = computeSignature(
    {
      method: request.method,
      url: request.url,
      signedHeaderSet,
      sdkDate: headers[HEADER.date]!,
      payloadHash: payloadHash(signedHeaderSet, request.body),
    },
    credentials.secretKey,
  );
  headers[HEADER.authorization] =
    `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, ` +
    `Signature=${signature}`;
  return headers;
}

/** The three fields of an `SDK-HMAC-SHA256` `Authorization` header. */
export interface ParsedAuthorization {
  readonly accessKey: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/**
 * Parses an `Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` header, or
 * returns `undefined` when it is not of that form.
 *
 * @param value - the header value
 */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const match =
    /^SDK-HMAC-SHA256 Access=([^,\s]+), SignedHeaders=([^,\s]+), Signature=([0-9a-f]{64})$/.exec(
      value,
    );
  if (!match) return undefined;
  return { accessKey: match[1]!, signedHeaders: match[2]!.split(";"), signature: match[3]! };
}
