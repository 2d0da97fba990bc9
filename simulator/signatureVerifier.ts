/**
 * The gateway's check of an AK/SK signature (`SDK-HMAC-SHA256`), rebuilt from exactly what was
 * received and written from Huawei's published algorithm: the API-signing guide ("API Signature
 * Authentication Mechanism": standard request, string to sign, signature, Authorization header,
 * https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-001.html to `-005`).
 *
 * It deliberately shares nothing with this package's client signer (`client/signer.ts`): if the two
 * agreed only because they were one module, a signer defect would be invisible to every test and
 * to everyone testing against this simulator. It is checked on its own against the guide's worked
 * example and against requests signed by Huawei's official Node SDK
 * (`test/simulatorSignature.test.ts`, fixture `test/fixtures/sdkSignedRequests.json`).
 *
 * The canonical request, from the received method, target, headers and body:
 *
 * 1. the method as received;
 * 2. the path: each `/`-separated segment percent-decoded, then encoded with {@link encodeRfc3986},
 *    and a `/` appended unless it already ends in one;
 * 3. the query: decoded parameters sorted by name, a repeated name's values sorted too (UTF-16 code
 *    unit order, both), each written `name=value` with both parts encoded, joined by `&`;
 * 4. one `name:value\n` line per signed header, in SignedHeaders order, the value as received;
 * 5. the SignedHeaders list;
 * 6. the payload hash: the signed `X-Sdk-Content-Sha256` value when there is one (the SDK sends
 *    `UNSIGNED-PAYLOAD` for non-JSON bodies), otherwise the lowercase hex SHA-256 of the body bytes.
 *
 * String to sign: `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the canonical request>`;
 * signature: lowercase hex HMAC-SHA256 keyed with the secret key's UTF-8 bytes.
 *
 * Where the guide and Huawei's Node SDK differ, this follows the guide, so such requests are
 * refused (none arise for the Media Live paths and headers): the SDK encodes an already
 * percent-encoded path segment a second time (`%20` → `%2520`); it signs header values untrimmed,
 * while HTTP parsing trims them before they reach any server; and it orders canonical header lines
 * by locale for names containing `_`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

import { parseQueryPairs } from "./queryString.js";

/** The algorithm name that opens the `Authorization` header and the string to sign. */
export const SIGNATURE_ALGORITHM = "SDK-HMAC-SHA256";

/** Header carrying a declared payload hash instead of the body's. */
const CONTENT_SHA256_HEADER = "x-sdk-content-sha256";

/** A request as the server received it. */
export interface ReceivedSignedRequest {
  /** Method as received. */
  readonly method: string;
  /** Request target as received (raw path and query, e.g. `req.url`). */
  readonly target: string;
  /** Headers as Node parsed them (names lower-cased, repeated values joined). */
  readonly headers: IncomingHttpHeaders;
  /** Body bytes as received. */
  readonly body: Uint8Array;
}

/** The three fields of an `SDK-HMAC-SHA256` `Authorization` header. */
export interface AuthorizationFields {
  readonly accessKey: string;
  /** Lower-case header names, in strictly ascending code-unit order. */
  readonly signedHeaders: readonly string[];
  /** 64 lowercase hex digits. */
  readonly signature: string;
}

// Guide: "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>", exactly.
const AUTHORIZATION =
  /^SDK-HMAC-SHA256 Access=([^\s,]+), SignedHeaders=([^\s,]+), Signature=([0-9a-f]{64})$/;
// An HTTP field name (RFC 9110 token), lower case as the guide requires in SignedHeaders.
const HEADER_NAME_TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const UNRESERVED = /^[A-Za-z0-9_.~-]$/;

/**
 * Reads an `Authorization` header; `undefined` unless it has exactly the guide's form and its
 * SignedHeaders are lower-case names, sorted and without repeats, as the guide builds them.
 *
 * @param value - the header value
 */
export function parseAuthorization(value: string): AuthorizationFields | undefined {
  const match = AUTHORIZATION.exec(value);
  if (!match) return undefined;
  const signedHeaders = match[2]!.split(";");
  const valid = signedHeaders.every(
    (name, index) =>
      HEADER_NAME_TOKEN.test(name) && (index === 0 || signedHeaders[index - 1]! < name),
  );
  return valid ? { accessKey: match[1]!, signedHeaders, signature: match[3]! } : undefined;
}

/**
 * Reads an `X-Sdk-Date` value (`YYYYMMDD'T'HHMMSS'Z'`, UTC); `undefined` for any other form or a
 * date that does not exist.
 *
 * @param value - the header value
 */
export function parseSdkDate(value: string): Date | undefined {
  const match = SDK_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const sameFields =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return sameFields ? date : undefined;
}

/**
 * Percent-encodes text as the guide requires: RFC 3986 unreserved characters (`A–Z a–z 0–9 - _ . ~`)
 * stay, every other UTF-8 byte becomes `%XY` with upper-case hex (so a space is `%20`, never `+`).
 *
 * @param text - decoded text
 */
export function encodeRfc3986(text: string): string {
  let encoded = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const character = String.fromCharCode(byte);
    encoded += UNRESERVED.test(character)
      ? character
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

/**
 * Line 2 of the canonical request, from the raw received path (no query).
 *
 * @param rawPath - the path part of the request target, still percent-encoded
 * @returns `undefined` when a segment is not valid percent-encoded UTF-8
 */
export function canonicalPath(rawPath: string): string | undefined {
  let encoded: string;
  try {
    encoded = rawPath
      .split("/")
      .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
      .join("/");
  } catch {
    return undefined;
  }
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/**
 * Line 3 of the canonical request, from the raw received query.
 *
 * @param rawQuery - the query part of the request target without `?`, still percent-encoded
 * @returns `undefined` when the percent-encoding is invalid
 */
export function canonicalQuery(rawQuery: string): string | undefined {
  const pairs = parseQueryPairs(rawQuery);
  if (pairs === undefined) return undefined;
  const valuesByName = new Map<string, string[]>();
  for (const { name, value } of pairs) {
    const values = valuesByName.get(name);
    if (values) values.push(value);
    else valuesByName.set(name, [value]);
  }
  // Array.prototype.sort without a comparator orders strings by UTF-16 code unit.
  return [...valuesByName.keys()]
    .sort()
    .flatMap((name) =>
      valuesByName
        .get(name)!
        .sort()
        .map((value) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`),
    )
    .join("&");
}

/**
 * One received header as a single string (Node already joins most repeated headers with `, `).
 *
 * @param headers - headers as Node parsed them
 * @param name - lower-case name
 */
export function receivedHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Lowercase hex SHA-256 of text or bytes. */
function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The canonical request the signer must have built for this request and these signed headers.
 *
 * @param request - what was received
 * @param signedHeaders - the names from the `Authorization` header
 * @returns `undefined` when it cannot be built: a signed header was not received, or the target is
 *   not valid percent-encoding
 */
export function canonicalRequest(
  request: ReceivedSignedRequest,
  signedHeaders: readonly string[],
): string | undefined {
  const queryStart = request.target.indexOf("?");
  const path = canonicalPath(
    queryStart === -1 ? request.target : request.target.slice(0, queryStart),
  );
  const query = canonicalQuery(queryStart === -1 ? "" : request.target.slice(queryStart + 1));
  if (path === undefined || query === undefined) return undefined;
  let headerLines = "";
  for (const name of signedHeaders) {
    const value = receivedHeader(request.headers, name);
    if (value === undefined) return undefined;
    headerLines += `${name}:${value}\n`;
  }
  const declaredHash = signedHeaders.includes(CONTENT_SHA256_HEADER)
    ? receivedHeader(request.headers, CONTENT_SHA256_HEADER)
    : undefined;
  return [
    request.method,
    path,
    query,
    headerLines,
    signedHeaders.join(";"),
    declaredHash ?? sha256Hex(request.body),
  ].join("\n");
}

/**
 * The string to sign for a canonical request.
 *
 * @param sdkDate - the `X-Sdk-Date` value, as received
 * @param canonical - the canonical request
 */
export function stringToSign(sdkDate: string, canonical: string): string {
  return `${SIGNATURE_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/**
 * The signature of a string to sign: lowercase hex HMAC-SHA256 keyed with the secret key.
 *
 * @param secretKey - the SK
 * @param text - the string to sign
 */
export function signatureOf(secretKey: string, text: string): string {
  return createHmac("sha256", Buffer.from(secretKey, "utf8")).update(text, "utf8").digest("hex");
}

/**
 * True when the request carries the signature `secretKey` gives it. The caller has parsed the
 * `Authorization` header and chosen the secret key by its access key; `X-Sdk-Date` is read from the
 * request (its distance from the clock is the caller's check).
 *
 * @param request - what was received
 * @param authorization - the parsed `Authorization` header
 * @param secretKey - the SK of `authorization.accessKey`
 */
export function signatureMatches(
  request: ReceivedSignedRequest,
  authorization: AuthorizationFields,
  secretKey: string,
): boolean {
  const sdkDate = receivedHeader(request.headers, "x-sdk-date");
  if (sdkDate === undefined) return false;
  const canonical = canonicalRequest(request, authorization.signedHeaders);
  if (canonical === undefined) return false;
  const expected = Buffer.from(signatureOf(secretKey, stringToSign(sdkDate, canonical)), "ascii");
  const received = Buffer.from(authorization.signature, "ascii");
  // Both are 64 hex digits (parseAuthorization checked); compare in constant time.
  return expected.length === received.length && timingSafeEqual(expected, received);
}
