/**
 * A seeded, deterministic generator of requests to sign, for the conformance test that feeds the
 * same request to our signer and to Huawei's official SDK. Every request is described by its parts
 * (endpoint, path template, query model, headers, body, credentials), from which each signer's input
 * is built; nothing here signs anything.
 */

/** A random number in [0, 1), like `Math.random`, but reproducible. */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, good enough to spread test inputs and fully determined by its seed.
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 *
 * @param seed - any 32-bit integer
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One query value as the SDK's `queryParams` model holds it. */
export type QueryScalar = string | number;

/** The SDK's query model: name → value, or an array of values for a repeated name. */
export type QueryModel = Record<string, QueryScalar | QueryScalar[]>;

/** A request described by its parts, before either signer sees it. */
export interface RequestParts {
  /** `scheme://authority`, no path (the SDK's `endpoint`). */
  readonly endpoint: string;
  /** Path, possibly with `{project_id}` (the SDK's `url`). */
  readonly pathTemplate: string;
  readonly method: string;
  /** Headers in insertion order, `X-Sdk-Date` included (it fixes the clock of both signers). */
  readonly headers: Readonly<Record<string, string>>;
  /** Query model in insertion order. */
  readonly query: Readonly<QueryModel>;
  /** In our URL, write an empty value as a bare `name` rather than `name=`. */
  readonly emptyValuesAsBareNames: boolean;
  /** The body value (JSON value, or a falsy value for none). */
  readonly body?: unknown;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
  readonly projectId?: string;
}

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

const chance = (random: Random, probability: number): boolean => random() < probability;

const integer = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

function randomString(random: Random, alphabet: string, min: number, max: number): string {
  const characters = Array.from(alphabet);
  let out = "";
  for (let i = integer(random, min, max); i > 0; i--) out += pick(random, characters);
  return out;
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const HEX = "0123456789abcdef";

const two = (value: number): string => String(value).padStart(2, "0");

/** A valid `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`), written out by hand rather than by the signer. */
function randomSdkDate(random: Random): string {
  const year = integer(random, 2000, 2099);
  return (
    `${year}${two(integer(random, 1, 12))}${two(integer(random, 1, 28))}T` +
    `${two(integer(random, 0, 23))}${two(integer(random, 0, 59))}${two(integer(random, 0, 59))}Z`
  );
}

function randomEndpoint(random: Random): string {
  const scheme = pick(random, ["https", "https", "http"]);
  const userInfo = chance(random, 0.05) ? "user:secret@" : "";
  const host = chance(random, 0.3)
    ? pick(random, [
        "live.ap-southeast-3.myhuaweicloud.com",
        "LIVE.cn-north-4.MyHuaweiCloud.com",
        "127.0.0.1",
        "localhost",
      ])
    : Array.from({ length: integer(random, 1, 4) }, () =>
        randomString(random, LOWER + UPPER + DIGITS + "-", 1, 8).replace(/^-|-$/g, "h"),
      ).join(".");
  const port = pick(random, ["", "", "", ":443", ":80", ":8443", ":19000", ":"]);
  return `${scheme}://${userInfo}${host}${port}`;
}

// Pieces of path segments: unreserved words, unicode, reserved and sub-delimiter characters, the
// characters Node's legacy url.parse escapes, already-encoded sequences, dot segments.
const PATH_PIECES = [
  "v1",
  "v2",
  "flows",
  "start",
  "stop",
  "detail",
  "a",
  "Z9",
  "-",
  "_",
  ".",
  "..",
  "~",
  "中文",
  "é",
  "😀",
  "*",
  "@",
  ":",
  "(",
  ")",
  "!",
  "$",
  "&",
  "'",
  "+",
  ",",
  ";",
  "=",
  "[",
  "]",
  "%",
  "%20",
  "%2F",
  "%zz",
  " ",
  '"',
  "<",
  ">",
  "`",
  "{",
  "}",
  "|",
  "^",
  "\\",
  "\t",
];

function randomPath(random: Random, projectId: string | undefined): string {
  if (chance(random, 0.04)) return "";
  const segments: string[] = [];
  if (projectId !== undefined && chance(random, 0.6)) segments.push("v1", "{project_id}");
  for (let i = integer(random, 0, 5); i > 0; i--) {
    segments.push(
      chance(random, 0.1)
        ? "" // an empty segment: `//`
        : Array.from({ length: integer(random, 1, 3) }, () => pick(random, PATH_PIECES)).join(""),
    );
  }
  let path = "/" + segments.join("/");
  if (chance(random, 0.2)) path += "/";
  // url.parse trims trailing whitespace off the whole URL; a real path never ends in a raw space.
  if (/\s$/.test(path)) path += "x";
  return path;
}

const QUERY_NAMES = [
  "limit",
  "offset",
  "flow_id",
  "A1",
  "B",
  "_x",
  "a",
  "a-b",
  "a.b",
  "a_b",
  "a~b",
  "b",
  "Z",
  "~",
  "é",
  "中",
  "😀",
  "a+b",
  "a b",
  "*",
  "a/b",
  "a=b",
  "a&b",
  "x%y",
  "10",
  "constructor",
];

const QUERY_VALUES = [
  "",
  "0",
  "9",
  "10",
  "100",
  "a+b",
  "a b",
  " lead",
  "trail ",
  "*",
  "~",
  "é",
  "😀",
  "中文",
  "a=b",
  "a&b",
  "%",
  "%20",
  "'!()",
  "/",
  "?#",
  "UNSIGNED-PAYLOAD",
];

const printable = LOWER + UPPER + DIGITS + " -_.~+*/=&%!'()@:;,é中😀";

function randomQueryValue(random: Random): string {
  return chance(random, 0.7) ? pick(random, QUERY_VALUES) : randomString(random, printable, 0, 10);
}

function randomQuery(random: Random): QueryModel {
  const query: QueryModel = {};
  for (let i = integer(random, 0, 5); i > 0; i--) {
    const name = chance(random, 0.7)
      ? pick(random, QUERY_NAMES)
      : randomString(random, LOWER + UPPER + DIGITS + "-_.~ +é", 1, 8);
    query[name] = chance(random, 0.25)
      ? Array.from({ length: integer(random, 0, 4) }, () => randomQueryValue(random))
      : randomQueryValue(random);
  }
  return query;
}

const HEADER_NAMES = [
  "X-Custom",
  "x-request-id",
  "Accept",
  "X-Trace_Id",
  "x_b",
  "x-a",
  "X.Dot",
  "x~tilde",
  "X-UPPER",
  "x-upper",
  "a",
  "Z",
  "x-1",
  "x-sdk-date",
  "Host",
];

const HEADER_VALUES = [
  "",
  "value",
  " padded ",
  "inner  spaces",
  "é",
  "中文",
  "42",
  "UNSIGNED-PAYLOAD",
  "a;b,c=d",
];

const CONTENT_TYPES = [
  "application/json",
  "APPLICATION/JSON",
  "application/json;charset=UTF-8",
  "text/plain",
  "application/octet-stream",
  "multipart/form-data; boundary=xyz",
  "",
];

const BODIES: readonly unknown[] = [
  undefined,
  undefined,
  undefined,
  null,
  0,
  false,
  "",
  {},
  [],
  true,
  42,
  { name: "flow-1", input: { protocol: "SRT_PUSH" } },
  { é: "😀", nested: { list: [1, "two", null], empty: "" } },
  [1, "a", { b: false }],
];

function randomHeaders(
  random: Random,
  sdkDate: string,
  projectId: string | undefined,
): Record<string, string> {
  const entries: [string, string][] = [["X-Sdk-Date", sdkDate]];
  const value = (): string =>
    chance(random, 0.6) ? pick(random, HEADER_VALUES) : randomString(random, printable, 0, 12);
  if (chance(random, 0.5)) {
    entries.push([pick(random, ["content-type", "Content-Type"]), pick(random, CONTENT_TYPES)]);
  }
  for (let i = integer(random, 0, 4); i > 0; i--) {
    const name = chance(random, 0.6)
      ? pick(random, HEADER_NAMES)
      : randomString(random, LOWER + UPPER + DIGITS + "-_", 1, 10);
    entries.push([name, value()]);
  }
  // Headers the SDK looks up by exact key, sometimes in another case.
  if (chance(random, 0.08)) entries.push(["X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"]);
  if (chance(random, 0.08)) entries.push(["host", pick(random, ["Override.Example.com:8080", ""])]);
  const caseVariants = (exact: string): string[] =>
    pick(random, [[exact], [exact.toLowerCase()], [exact, exact.toLowerCase()]]);
  if (chance(random, 0.1)) {
    for (const name of caseVariants("X-Project-Id")) {
      entries.push([name, projectId !== undefined && chance(random, 0.5) ? projectId : value()]);
    }
  }
  if (chance(random, 0.1)) {
    for (const name of caseVariants("X-Security-Token")) entries.push([name, value()]);
  }
  // Shuffle (Fisher–Yates) so that insertion order varies too.
  for (let i = entries.length - 1; i > 0; i--) {
    const j = integer(random, 0, i);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of entries) headers[name] = headerValue;
  return headers;
}

/**
 * One random request.
 *
 * @param random - the seeded source of randomness
 */
export function randomRequest(random: Random): RequestParts {
  const securityToken = chance(random, 0.25)
    ? randomString(random, LOWER + UPPER + DIGITS + "+/=", 20, 60)
    : undefined;
  const projectId = chance(random, 0.4) ? randomString(random, HEX, 32, 32) : undefined;
  return {
    endpoint: randomEndpoint(random),
    pathTemplate: randomPath(random, projectId),
    method: pick(random, ["GET", "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "get"]),
    headers: randomHeaders(random, randomSdkDate(random), projectId),
    query: randomQuery(random),
    emptyValuesAsBareNames: chance(random, 0.5),
    body: pick(random, BODIES),
    accessKey: randomString(random, UPPER + DIGITS, 20, 20),
    secretKey: randomString(
      random,
      LOWER + UPPER + DIGITS + (chance(random, 0.1) ? "é😀" : ""),
      40,
      40,
    ),
    ...(securityToken === undefined ? {} : { securityToken }),
    ...(projectId === undefined ? {} : { projectId }),
  };
}

/**
 * `count` random requests from `seed`: the same seed always gives the same list.
 *
 * @param seed - PRNG seed
 * @param count - number of requests
 */
export function randomRequests(seed: number, count: number): RequestParts[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => randomRequest(random));
}
