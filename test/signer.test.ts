/**
 * Unit tests of `client/signer.ts`, one `describe` per exported step. Every expected value is a
 * literal worked out by hand from the SDK-HMAC-SHA256 algorithm as Huawei's official Node SDK
 * implements it (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-003.html
 * plus the SDK's quirks), or, for hashes and signatures, computed here with node:crypto over a canonical request written out by hand: never
 * by calling the signer under test.
 */
import { createHash, createHmac } from "node:crypto";
import { expect } from "chai";
import {
  EMPTY_BODY_SHA256,
  bodyText,
  canonicalHeaders,
  canonicalHost,
  canonicalPath,
  canonicalQuery,
  computeSignature,
  formatSdkDate,
  isJsonContentType,
  parseAuthorization,
  parseQuery,
  parseSdkDate,
  payloadHash,
  percentEncode,
  sha256Hex,
  signRequest,
  splitUrl,
} from "../client/signer";

/** SHA-256 of the empty string (well known; `printf '' | sha256sum`). */
const EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** The API-signing guide's published worked example. */
const EXAMPLE = {
  accessKey: "QTWAOYTTINDUT2QVKYUC",
  secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
  date: "20191115T033655Z",
  canonicalRequest: [
    "GET",
    "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
    "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
    "content-type:application/json",
    "host:service.region.example.com",
    "x-sdk-date:20191115T033655Z",
    "",
    "content-type;host;x-sdk-date",
    EMPTY_HASH,
  ].join("\n"),
  stringToSign: [
    "SDK-HMAC-SHA256",
    "20191115T033655Z",
    "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  ].join("\n"),
  signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
  authorization:
    "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, " +
    "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
} as const;

const AK = "AK0000000000EXAMPLE1";
const SK = "sk-for-unit-tests";
const NOV_28_NOON = new Date(Date.UTC(2026, 10, 28, 12, 0, 0));
const NOV_28_NOON_SDK = "20261128T120000Z";

/**
 * Independent oracle: the `Authorization` value for a canonical request written out by hand, using
 * only node:crypto (SHA-256 of the canonical request, HMAC-SHA256 of the string to sign, keyed by SK).
 */
function authorizationFor(
  canonicalRequestLines: readonly string[],
  sdkDate: string,
  accessKey = AK,
  secretKey = SK,
): string {
  const signedHeaders = canonicalRequestLines[canonicalRequestLines.length - 2]!;
  const hash = createHash("sha256").update(canonicalRequestLines.join("\n"), "utf8").digest("hex");
  const signature = createHmac("sha256", Buffer.from(secretKey, "utf8"))
    .update(`SDK-HMAC-SHA256\n${sdkDate}\n${hash}`, "utf8")
    .digest("hex");
  return `SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

describe("formatSdkDate", () => {
  it("writes YYYYMMDD'T'HHMMSS'Z' in UTC", () => {
    expect(formatSdkDate(NOV_28_NOON)).to.equal("20261128T120000Z");
  });

  it("zero-pads every field", () => {
    expect(formatSdkDate(new Date(Date.UTC(2026, 0, 1, 0, 0, 0)))).to.equal("20260101T000000Z");
    expect(formatSdkDate(new Date(Date.UTC(2026, 1, 3, 4, 5, 6)))).to.equal("20260203T040506Z");
  });

  it("drops milliseconds without rounding up", () => {
    expect(formatSdkDate(new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 999)))).to.equal(
      "20261231T235959Z",
    );
  });

  it("converts a time given with an offset to UTC", () => {
    expect(formatSdkDate(new Date("2026-11-28T13:00:00+01:00"))).to.equal("20261128T120000Z");
  });

  it("rejects an invalid Date", () => {
    expect(() => formatSdkDate(new Date(Number.NaN))).to.throw(RangeError);
  });
});

describe("parseSdkDate", () => {
  it("reads a YYYYMMDDTHHMMSSZ value as UTC", () => {
    expect(parseSdkDate("20191115T033655Z")?.getTime()).to.equal(Date.UTC(2019, 10, 15, 3, 36, 55));
    expect(parseSdkDate("20261231T235959Z")?.getTime()).to.equal(
      Date.UTC(2026, 11, 31, 23, 59, 59),
    );
  });

  for (const malformed of [
    "",
    "20191115T033655",
    "2019-11-15T03:36:55Z",
    "20191115t033655z",
    "20191115T033655.000Z",
    " 20191115T033655Z",
    "20191115T033655Z ",
    "20260230T000000Z",
    "20261301T000000Z",
    "20261128T240000Z",
    "20261128T120060Z",
  ]) {
    it(`returns undefined for ${JSON.stringify(malformed)}`, () => {
      expect(parseSdkDate(malformed)).to.equal(undefined);
    });
  }
});

describe("percentEncode", () => {
  it("keeps RFC 3986 unreserved characters", () => {
    const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    expect(percentEncode(unreserved)).to.equal(unreserved);
  });

  it("returns the empty string unchanged", () => {
    expect(percentEncode("")).to.equal("");
  });

  const cases: readonly [string, string][] = [
    [" ", "%20"],
    ["+", "%2B"],
    ["*", "%2A"],
    ["/", "%2F"],
    ["=", "%3D"],
    ["&", "%26"],
    ["!", "%21"],
    ["'", "%27"],
    ["(", "%28"],
    [")", "%29"],
    ["%", "%25"],
    ["\n", "%0A"],
    ["é", "%C3%A9"],
    ["中", "%E4%B8%AD"],
    ["😀", "%F0%9F%98%80"],
    ["a b+c", "a%20b%2Bc"],
    ["!'()", "%21%27%28%29"],
    ["x~é😀.", "x~%C3%A9%F0%9F%98%80."],
  ];
  for (const [raw, encoded] of cases) {
    it(`encodes ${JSON.stringify(raw)} as ${encoded} (UTF-8, upper-case hex)`, () => {
      expect(percentEncode(raw)).to.equal(encoded);
    });
  }

  it("throws on a lone surrogate", () => {
    expect(() => percentEncode("\uD83D")).to.throw(URIError);
    expect(() => percentEncode("a\uD83Db")).to.throw(URIError);
    expect(() => percentEncode("\uDE00")).to.throw(URIError);
  });
});

describe("splitUrl", () => {
  it("splits authority, path and query and drops the fragment", () => {
    expect(splitUrl("https://h.example.com:8443/v1/a?x=1&y#frag")).to.deep.equal({
      authority: "h.example.com:8443",
      path: "/v1/a",
      query: "x=1&y",
    });
  });

  it("gives an empty path and query when there are none", () => {
    expect(splitUrl("https://h.example.com")).to.deep.equal({
      authority: "h.example.com",
      path: "",
      query: "",
    });
    expect(splitUrl("https://h.example.com?x=1")).to.deep.equal({
      authority: "h.example.com",
      path: "",
      query: "x=1",
    });
    expect(splitUrl("http://h.example.com/a?")).to.deep.equal({
      authority: "h.example.com",
      path: "/a",
      query: "",
    });
  });

  it("keeps every part exactly as written", () => {
    expect(splitUrl("https://User:Pw@H.Example.com/a b/%20/é?q=é+1")).to.deep.equal({
      authority: "User:Pw@H.Example.com",
      path: "/a b/%20/é",
      query: "q=é+1",
    });
  });

  it("rejects a URL that is not absolute", () => {
    expect(() => splitUrl("/v1/items")).to.throw(TypeError);
    expect(() => splitUrl("h.example.com/v1")).to.throw(TypeError);
  });
});

describe("canonicalHost", () => {
  it("lower-cases the hostname", () => {
    expect(canonicalHost("https://Live.AP-Southeast-3.MyHuaweiCloud.com/v1")).to.equal(
      "live.ap-southeast-3.myhuaweicloud.com",
    );
  });

  it("keeps the port as written, :443 on https and :80 on http included", () => {
    expect(canonicalHost("https://h.example.com:443/x")).to.equal("h.example.com:443");
    expect(canonicalHost("http://h.example.com:80/x")).to.equal("h.example.com:80");
    expect(canonicalHost("https://H.Example.com:8443?x=1")).to.equal("h.example.com:8443");
    expect(canonicalHost("https://h.example.com:0443/")).to.equal("h.example.com:0443");
  });

  it("drops an empty port, as url.parse does", () => {
    expect(canonicalHost("https://h.example.com:/x")).to.equal("h.example.com");
  });

  it("drops user information", () => {
    expect(canonicalHost("https://User:Secret@H.Example.com:8080/")).to.equal("h.example.com:8080");
  });

  it("handles IPv6 literals", () => {
    expect(canonicalHost("https://[::1]:8080/")).to.equal("[::1]:8080");
    expect(canonicalHost("https://[::1]/")).to.equal("[::1]");
  });
});

describe("canonicalPath", () => {
  it("appends a trailing slash", () => {
    expect(canonicalPath("/v1/p/flows/start")).to.equal("/v1/p/flows/start/");
  });

  it("keeps an existing trailing slash (both forms sign alike)", () => {
    expect(canonicalPath("/v1/p/flows/")).to.equal("/v1/p/flows/");
  });

  it("gives / for / and for the empty path", () => {
    expect(canonicalPath("/")).to.equal("/");
    expect(canonicalPath("")).to.equal("/");
  });

  it("keeps // as an empty segment", () => {
    expect(canonicalPath("/v1//items")).to.equal("/v1//items/");
  });

  it("encodes an already-encoded %20 again (SDK quirk)", () => {
    expect(canonicalPath("/v1/my%20file")).to.equal("/v1/my%2520file/");
  });

  it("encodes a raw space twice: url.parse escapes it to %20 first", () => {
    expect(canonicalPath("/v1/my file")).to.equal("/v1/my%2520file/");
  });

  it("encodes unicode segments as UTF-8", () => {
    expect(canonicalPath("/v1/中文/é😀")).to.equal("/v1/%E4%B8%AD%E6%96%87/%C3%A9%F0%9F%98%80/");
  });

  it("encodes reserved characters in segments", () => {
    expect(canonicalPath("/a*b/u@h/a:b/(x)/a+b")).to.equal("/a%2Ab/u%40h/a%3Ab/%28x%29/a%2Bb/");
  });

  it("escapes what url.parse escapes, then encodes the escape", () => {
    expect(canonicalPath("/{project_id}/a|b")).to.equal("/%257Bproject_id%257D/a%257Cb/");
  });

  it("turns a backslash into a slash, as url.parse does", () => {
    expect(canonicalPath("/v1/a\\b")).to.equal("/v1/a/b/");
  });
});

describe("parseQuery", () => {
  it("gives an empty model for an empty query", () => {
    expect(parseQuery("")).to.deep.equal({});
  });

  it("reads name=value pairs", () => {
    expect(parseQuery("limit=2&marker=abc")).to.deep.equal({ limit: "2", marker: "abc" });
  });

  it("turns a repeated name into an array in order of appearance", () => {
    expect(parseQuery("a=1&b=x&a=3&a=2")).to.deep.equal({ a: ["1", "3", "2"], b: "x" });
  });

  it("gives a bare flag and an empty value the value ''", () => {
    expect(parseQuery("flag&x=")).to.deep.equal({ flag: "", x: "" });
  });

  it("keeps + as a literal plus", () => {
    expect(parseQuery("a+b=1+1")).to.deep.equal({ "a+b": "1+1" });
  });

  it("percent-decodes names and values", () => {
    expect(parseQuery("q=a%20b%2Bc&%C3%A9=%F0%9F%98%80")).to.deep.equal({ q: "a b+c", é: "😀" });
  });

  it("splits at the first =", () => {
    expect(parseQuery("x=a=b")).to.deep.equal({ x: "a=b" });
  });

  it("stores names such as __proto__ as plain keys", () => {
    expect(Object.keys(parseQuery("__proto__=1&constructor=2"))).to.deep.equal([
      "__proto__",
      "constructor",
    ]);
  });
});

describe("canonicalQuery", () => {
  it("gives the empty string for no parameters", () => {
    expect(canonicalQuery({})).to.equal("");
  });

  it("sorts names by UTF-16 code unit", () => {
    expect(
      canonicalQuery({
        b: "1",
        "a~b": "1",
        a_b: "1",
        "a.b": "1",
        "a-b": "1",
        a: "1",
        _x: "1",
        B: "1",
        A1: "1",
      }),
    ).to.equal("A1=1&B=1&_x=1&a=1&a-b=1&a.b=1&a_b=1&a~b=1&b=1");
  });

  it("sorts by the decoded name: ~ before é although %C3%A9 < ~", () => {
    expect(canonicalQuery({ é: "1", "~": "2" })).to.equal("~=2&%C3%A9=1");
  });

  it("sorts repeated values as strings and keeps duplicates", () => {
    expect(canonicalQuery({ n: ["10", "9", "100"] })).to.equal("n=10&n=100&n=9");
    expect(canonicalQuery({ id: ["b", "a", "b"] })).to.equal("id=a&id=b&id=b");
  });

  it("does not reorder the caller's array", () => {
    const values = ["10", "9", "100"];
    canonicalQuery({ n: values });
    expect(values).to.deep.equal(["10", "9", "100"]);
  });

  it("writes an empty value as name= and an empty array as nothing", () => {
    expect(canonicalQuery({ name: "" })).to.equal("name=");
    expect(canonicalQuery({ none: [], x: "1" })).to.equal("x=1");
  });

  it("percent-encodes names and values", () => {
    expect(canonicalQuery({ "a+b": "1+1", "a b": "c d", "*": "/" })).to.equal(
      "%2A=%2F&a%20b=c%20d&a%2Bb=1%2B1",
    );
  });

  it("canonicalizes the worked example's query", () => {
    expect(canonicalQuery({ marker: "13551d6b-755d-4757-b956-536f674975c0", limit: "2" })).to.equal(
      "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
    );
  });
});

describe("canonicalHeaders", () => {
  it("lower-cases names, sorts them and ends every line with a newline", () => {
    expect(
      canonicalHeaders({
        "X-Sdk-Date": "20191115T033655Z",
        "Content-Type": "application/json",
        host: "service.region.example.com",
      }),
    ).to.deep.equal({
      lines:
        "content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n",
      signedHeaders: "content-type;host;x-sdk-date",
    });
  });

  it("uses values untrimmed", () => {
    expect(canonicalHeaders({ "X-Padded": "  a   b  ", "x-empty": "" })).to.deep.equal({
      lines: "x-empty:\nx-padded:  a   b  \n",
      signedHeaders: "x-empty;x-padded",
    });
  });

  it("sorts lines with localeCompare but SignedHeaders by code unit (names with _)", () => {
    expect(canonicalHeaders({ "x-a": "1", x_b: "2" })).to.deep.equal({
      lines: "x_b:2\nx-a:1\n",
      signedHeaders: "x-a;x_b",
    });
  });

  it("signs both of two names that differ only in case, in insertion order", () => {
    expect(canonicalHeaders({ Host: "a", host: "b" })).to.deep.equal({
      lines: "host:a\nhost:b\n",
      signedHeaders: "host;host",
    });
  });

  it("gives empty lines and names for no headers", () => {
    expect(canonicalHeaders({})).to.deep.equal({ lines: "", signedHeaders: "" });
  });
});

describe("sha256Hex", () => {
  it("hashes UTF-8 text to lowercase hex", () => {
    expect(sha256Hex("")).to.equal(EMPTY_HASH);
    expect(sha256Hex("abc")).to.equal(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("bodyText", () => {
  it("sends a string as is, any other truthy value as JSON, a falsy value as no body", () => {
    expect(bodyText("raw text")).to.equal("raw text");
    expect(bodyText({ a: 1 })).to.equal('{"a":1}');
    expect(bodyText([])).to.equal("[]");
    expect(bodyText(42)).to.equal("42");
    for (const falsy of [undefined, null, 0, false, ""])
      expect(bodyText(falsy)).to.equal(undefined);
  });
});

describe("payloadHash", () => {
  it("is the empty-string hash without a body", () => {
    expect(EMPTY_BODY_SHA256).to.equal(EMPTY_HASH);
    expect(payloadHash({}, undefined)).to.equal(EMPTY_HASH);
  });

  it("is the empty-string hash for falsy bodies, as in the SDK", () => {
    for (const falsy of [null, 0, false, ""]) expect(payloadHash({}, falsy)).to.equal(EMPTY_HASH);
  });

  it("hashes the JSON text of a body value", () => {
    // printf '%s' '{"a":1}' | sha256sum ; printf '%s' '[]' | sha256sum
    expect(payloadHash({}, { a: 1 })).to.equal(
      "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
    );
    expect(payloadHash({}, [])).to.equal(
      "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    );
  });

  it("hashes a string body as the exact bytes sent", () => {
    expect(payloadHash({}, "abc")).to.equal(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("uses X-Sdk-Content-Sha256 verbatim when present", () => {
    expect(payloadHash({ "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD" }, { a: 1 })).to.equal(
      "UNSIGNED-PAYLOAD",
    );
  });

  it("ignores an empty X-Sdk-Content-Sha256 and other spellings of the key", () => {
    const hashOfA1 = "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862";
    expect(payloadHash({ "X-Sdk-Content-Sha256": "" }, { a: 1 })).to.equal(hashOfA1);
    expect(payloadHash({ "x-sdk-content-sha256": "UNSIGNED-PAYLOAD" }, { a: 1 })).to.equal(
      hashOfA1,
    );
  });
});

describe("isJsonContentType", () => {
  const cases: readonly [Record<string, string>, boolean][] = [
    [{}, true],
    [{ "content-type": "application/json" }, true],
    [{ "Content-Type": "application/json" }, true],
    [{ "content-type": "APPLICATION/JSON" }, true],
    [{ "content-type": "" }, true],
    [{ "content-type": "application/json;charset=UTF-8" }, false],
    [{ "content-type": "application/json; charset=utf-8" }, false],
    [{ "content-type": "text/plain" }, false],
    [{ "Content-Type": "application/octet-stream" }, false],
    [{ "content-type": "multipart/form-data; boundary=x" }, false],
    [{ "content-type": "application/json", "Content-Type": "text/plain" }, true],
    [{ "content-type": "", "Content-Type": "text/plain" }, false],
    [{ "CONTENT-TYPE": "text/plain" }, true],
  ];
  for (const [headers, expected] of cases) {
    it(`${JSON.stringify(headers)} → ${expected}`, () => {
      expect(isJsonContentType(headers)).to.equal(expected);
    });
  }
});

describe("parseAuthorization", () => {
  it("reads the three fields", () => {
    expect(parseAuthorization(EXAMPLE.authorization)).to.deep.equal({
      accessKey: "QTWAOYTTINDUT2QVKYUC",
      signedHeaders: ["content-type", "host", "x-sdk-date"],
      signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    });
  });

  const signature = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";
  for (const malformed of [
    "",
    `SDK-HMAC-SHA256 Access=AK,SignedHeaders=host,Signature=${signature}`,
    `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${signature.toUpperCase()}`,
    `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${signature.slice(1)}`,
    `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${signature} `,
    `SDK-HMAC-SHA256 Credential=AK/20191115/region/service, SignedHeaders=host, Signature=${signature}`,
    `V11-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${signature}`,
    `SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=${signature}`,
    `Bearer SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${signature}`,
  ]) {
    it(`returns undefined for ${JSON.stringify(malformed.slice(0, 60))}…`, () => {
      expect(parseAuthorization(malformed)).to.equal(undefined);
    });
  }
});

describe("computeSignature", () => {
  it("reproduces the published worked example, canonical request included", () => {
    const parts = computeSignature(
      {
        method: "GET",
        url: EXAMPLE.url,
        signedHeaderSet: {
          "content-type": "application/json",
          host: "service.region.example.com",
          "X-Sdk-Date": EXAMPLE.date,
        },
        sdkDate: EXAMPLE.date,
        payloadHash: EMPTY_HASH,
      },
      EXAMPLE.secretKey,
    );
    expect(parts).to.deep.equal({
      canonicalRequest: EXAMPLE.canonicalRequest,
      stringToSign: EXAMPLE.stringToSign,
      signedHeaders: "content-type;host;x-sdk-date",
      signature: EXAMPLE.signature,
    });
  });
});

describe("signRequest", () => {
  const credentials = { accessKey: AK, secretKey: SK };

  it("reproduces the published worked example", () => {
    const headers = signRequest(
      { method: "GET", url: EXAMPLE.url, headers: { "content-type": "application/json" } },
      { accessKey: EXAMPLE.accessKey, secretKey: EXAMPLE.secretKey },
      new Date(Date.UTC(2019, 10, 15, 3, 36, 55)),
    );
    expect(headers).to.deep.equal({
      "content-type": "application/json",
      "X-Sdk-Date": "20191115T033655Z",
      host: "service.region.example.com",
      Authorization: EXAMPLE.authorization,
    });
  });

  it("signs a bare GET with host;x-sdk-date", () => {
    const headers = signRequest(
      { method: "GET", url: "https://H.Example.com/v1/items" },
      credentials,
      NOV_28_NOON,
    );
    expect(headers).to.deep.equal({
      "X-Sdk-Date": NOV_28_NOON_SDK,
      host: "h.example.com",
      Authorization: authorizationFor(
        [
          "GET",
          "/v1/items/",
          "",
          "host:h.example.com",
          "x-sdk-date:20261128T120000Z",
          "",
          "host;x-sdk-date",
          EMPTY_HASH,
        ],
        NOV_28_NOON_SDK,
      ),
    });
  });

  it("hashes a JSON body and signs query, headers and method as given", () => {
    const headers = signRequest(
      {
        method: "PUT",
        url: "https://live.example.com:443/v1/p1/flows/start?flow_id=f%201&a=2&a=10",
        headers: { "Content-Type": "application/json", "X-Request-Id": " r1 " },
        body: { a: 1 },
      },
      credentials,
      NOV_28_NOON,
    );
    expect(headers.Authorization).to.equal(
      authorizationFor(
        [
          "PUT",
          "/v1/p1/flows/start/",
          "a=10&a=2&flow_id=f%201",
          "content-type:application/json",
          "host:live.example.com:443",
          "x-request-id: r1 ",
          "x-sdk-date:20261128T120000Z",
          "",
          "content-type;host;x-request-id;x-sdk-date",
          "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
        ],
        NOV_28_NOON_SDK,
      ),
    );
  });

  it("adds X-Project-Id and X-Security-Token when set, and signs them", () => {
    const headers = signRequest(
      { method: "GET", url: "https://h.example.com/v1/p1/flows" },
      { ...credentials, projectId: "p1", securityToken: "token+/=" },
      NOV_28_NOON,
    );
    expect(headers).to.deep.equal({
      "X-Security-Token": "token+/=",
      "X-Project-Id": "p1",
      "X-Sdk-Date": NOV_28_NOON_SDK,
      host: "h.example.com",
      Authorization: authorizationFor(
        [
          "GET",
          "/v1/p1/flows/",
          "",
          "host:h.example.com",
          "x-project-id:p1",
          "x-sdk-date:20261128T120000Z",
          "x-security-token:token+/=",
          "",
          "host;x-project-id;x-sdk-date;x-security-token",
          EMPTY_HASH,
        ],
        NOV_28_NOON_SDK,
      ),
    });
  });

  it("does not add X-Project-Id or X-Security-Token when unset or empty", () => {
    const headers = signRequest(
      { method: "GET", url: "https://h.example.com/" },
      { ...credentials, projectId: "", securityToken: "" },
      NOV_28_NOON,
    );
    expect(Object.keys(headers)).to.deep.equal(["X-Sdk-Date", "host", "Authorization"]);
  });

  it("keeps the caller's X-Project-Id and X-Security-Token (exact keys)", () => {
    const headers = signRequest(
      {
        method: "GET",
        url: "https://h.example.com/",
        headers: { "X-Project-Id": "caller-project", "X-Security-Token": "caller-token" },
      },
      { ...credentials, projectId: "p1", securityToken: "t1" },
      NOV_28_NOON,
    );
    expect(headers["X-Project-Id"]).to.equal("caller-project");
    expect(headers["X-Security-Token"]).to.equal("caller-token");
    expect(parseAuthorization(headers.Authorization!)?.signedHeaders).to.deep.equal([
      "host",
      "x-project-id",
      "x-sdk-date",
      "x-security-token",
    ]);
  });

  it("adds X-Project-Id beside a lower-case x-project-id (the look-up is by exact key)", () => {
    const headers = signRequest(
      { method: "GET", url: "https://h.example.com/", headers: { "x-project-id": "lower" } },
      { ...credentials, projectId: "p1" },
      NOV_28_NOON,
    );
    expect(headers["X-Project-Id"]).to.equal("p1");
    expect(headers["x-project-id"]).to.equal("lower");
    expect(headers.Authorization).to.equal(
      authorizationFor(
        [
          "GET",
          "/",
          "",
          "host:h.example.com",
          "x-project-id:p1",
          "x-project-id:lower",
          "x-sdk-date:20261128T120000Z",
          "",
          "host;x-project-id;x-project-id;x-sdk-date",
          EMPTY_HASH,
        ],
        NOV_28_NOON_SDK,
      ),
    );
  });

  for (const contentType of [
    "text/plain",
    "application/octet-stream",
    "application/json;charset=UTF-8",
  ]) {
    it(`adds and signs X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD for ${contentType}`, () => {
      const headers = signRequest(
        {
          method: "POST",
          url: "https://h.example.com/upload",
          headers: { "Content-Type": contentType },
          body: { ignored: true },
        },
        credentials,
        NOV_28_NOON,
      );
      expect(headers["X-Sdk-Content-Sha256"]).to.equal("UNSIGNED-PAYLOAD");
      expect(headers.Authorization).to.equal(
        authorizationFor(
          [
            "POST",
            "/upload/",
            "",
            `content-type:${contentType}`,
            "host:h.example.com",
            "x-sdk-content-sha256:UNSIGNED-PAYLOAD",
            "x-sdk-date:20261128T120000Z",
            "",
            "content-type;host;x-sdk-content-sha256;x-sdk-date",
            "UNSIGNED-PAYLOAD",
          ],
          NOV_28_NOON_SDK,
        ),
      );
    });
  }

  const jsonContentTypes: readonly Record<string, string>[] = [
    {},
    { "content-type": "application/json" },
    { "Content-Type": "APPLICATION/JSON" },
  ];
  for (const headers of jsonContentTypes) {
    it(`does not add X-Sdk-Content-Sha256 for ${JSON.stringify(headers)}`, () => {
      const signed = signRequest(
        { method: "POST", url: "https://h.example.com/", headers, body: { a: 1 } },
        credentials,
        NOV_28_NOON,
      );
      expect(signed).to.not.have.property("X-Sdk-Content-Sha256");
    });
  }

  it("keeps a caller-supplied X-Sdk-Content-Sha256 as the payload line", () => {
    const declared = "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";
    const headers = signRequest(
      {
        method: "PUT",
        url: "https://h.example.com/",
        headers: { "Content-Type": "text/plain", "X-Sdk-Content-Sha256": declared },
        body: "[]",
      },
      credentials,
      NOV_28_NOON,
    );
    expect(headers["X-Sdk-Content-Sha256"]).to.equal(declared);
    expect(headers.Authorization).to.equal(
      authorizationFor(
        [
          "PUT",
          "/",
          "",
          "content-type:text/plain",
          "host:h.example.com",
          `x-sdk-content-sha256:${declared}`,
          "x-sdk-date:20261128T120000Z",
          "",
          "content-type;host;x-sdk-content-sha256;x-sdk-date",
          declared,
        ],
        NOV_28_NOON_SDK,
      ),
    );
  });

  it("honours a supplied X-Sdk-Date over the date argument", () => {
    const headers = signRequest(
      {
        method: "GET",
        url: "https://h.example.com/",
        headers: { "X-Sdk-Date": "20191115T033655Z" },
      },
      credentials,
      NOV_28_NOON,
    );
    expect(headers["X-Sdk-Date"]).to.equal("20191115T033655Z");
    expect(headers.Authorization).to.equal(
      authorizationFor(
        [
          "GET",
          "/",
          "",
          "host:h.example.com",
          "x-sdk-date:20191115T033655Z",
          "",
          "host;x-sdk-date",
          EMPTY_HASH,
        ],
        "20191115T033655Z",
      ),
    );
  });

  for (const malformed of ["", "2019-11-15T03:36:55Z", "20191115T033655", "20260230T000000Z"]) {
    it(`rejects a malformed X-Sdk-Date ${JSON.stringify(malformed)}`, () => {
      expect(() =>
        signRequest(
          { method: "GET", url: "https://h.example.com/", headers: { "X-Sdk-Date": malformed } },
          credentials,
          NOV_28_NOON,
        ),
      ).to.throw(TypeError, "X-Sdk-Date must have the form YYYYMMDDTHHMMSSZ");
    });
  }

  it("signs the URL host, lower-cased, with the port as written", () => {
    const headers = signRequest(
      { method: "GET", url: "https://User:Pw@LIVE.Example.com:443/" },
      credentials,
      NOV_28_NOON,
    );
    expect(headers.host).to.equal("live.example.com:443");
  });

  it("signs a lower-case host header instead of the URL host", () => {
    const headers = signRequest(
      {
        method: "GET",
        url: "https://h.example.com/",
        headers: { host: "Gateway.Example.com:8443" },
      },
      credentials,
      NOV_28_NOON,
    );
    expect(headers.host).to.equal("Gateway.Example.com:8443");
    expect(headers.Authorization).to.equal(
      authorizationFor(
        [
          "GET",
          "/",
          "",
          "host:Gateway.Example.com:8443",
          "x-sdk-date:20261128T120000Z",
          "",
          "host;x-sdk-date",
          EMPTY_HASH,
        ],
        NOV_28_NOON_SDK,
      ),
    );
  });

  it("replaces an empty host header with the URL host", () => {
    const headers = signRequest(
      { method: "GET", url: "https://h.example.com/", headers: { host: "" } },
      credentials,
      NOV_28_NOON,
    );
    expect(headers.host).to.equal("h.example.com");
  });

  it("signs a Host header (other case) beside the URL host", () => {
    const headers = signRequest(
      { method: "GET", url: "https://h.example.com/", headers: { Host: "other.example.com" } },
      credentials,
      NOV_28_NOON,
    );
    expect(headers.Authorization).to.equal(
      authorizationFor(
        [
          "GET",
          "/",
          "",
          "host:other.example.com",
          "host:h.example.com",
          "x-sdk-date:20261128T120000Z",
          "",
          "host;host;x-sdk-date",
          EMPTY_HASH,
        ],
        NOV_28_NOON_SDK,
      ),
    );
  });

  it("sends but does not sign a multipart content-type (lower-case key)", () => {
    const contentType = "multipart/form-data; boundary=xyz";
    const headers = signRequest(
      {
        method: "POST",
        url: "https://h.example.com/files",
        headers: { "content-type": contentType },
      },
      credentials,
      NOV_28_NOON,
    );
    expect(headers["content-type"]).to.equal(contentType);
    expect(headers.Authorization).to.equal(
      authorizationFor(
        [
          "POST",
          "/files/",
          "",
          "host:h.example.com",
          "x-sdk-content-sha256:UNSIGNED-PAYLOAD",
          "x-sdk-date:20261128T120000Z",
          "",
          "host;x-sdk-content-sha256;x-sdk-date",
          "UNSIGNED-PAYLOAD",
        ],
        NOV_28_NOON_SDK,
      ),
    );
  });

  it("signs a multipart Content-Type (the exclusion looks at the lower-case key only)", () => {
    const headers = signRequest(
      {
        method: "POST",
        url: "https://h.example.com/files",
        headers: { "Content-Type": "multipart/form-data; boundary=xyz" },
      },
      credentials,
      NOV_28_NOON,
    );
    expect(parseAuthorization(headers.Authorization!)?.signedHeaders).to.deep.equal([
      "content-type",
      "host",
      "x-sdk-content-sha256",
      "x-sdk-date",
    ]);
  });

  it("is pure: same inputs give the same output, and the inputs are not changed", () => {
    const request = {
      method: "POST",
      url: "https://h.example.com/v1/p1/flows?b=2&a=1",
      headers: Object.freeze({ "content-type": "application/json", "X-Custom": "v" }),
      body: Object.freeze({ name: "flow-1" }),
    };
    const creds = Object.freeze({ ...credentials, projectId: "p1", securityToken: "t1" });
    const first = signRequest(request, creds, NOV_28_NOON);
    const second = signRequest(request, creds, new Date(NOV_28_NOON.getTime()));
    expect(second).to.deep.equal(first);
    expect(second).to.not.equal(first);
    expect(request.headers).to.deep.equal({ "content-type": "application/json", "X-Custom": "v" });
  });

  it("defaults the date to now", () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const headers = signRequest({ method: "GET", url: "https://h.example.com/" }, credentials);
    const after = Date.now();
    const signedAt = parseSdkDate(headers["X-Sdk-Date"]!)!.getTime();
    expect(signedAt).to.be.within(before, after);
  });
});

describe("edge cases of the canonicalization steps", () => {
  it("formatSdkDate names the invalid Date in its RangeError", () => {
    expect(() => formatSdkDate(new Date(Number.NaN)))
      .to.throw(RangeError)
      .with.property("message", "signing date is not a valid Date");
  });

  it("percentEncode refuses the first and the last lone surrogate code unit", () => {
    for (const lone of ["\uD800", "\uDFFF"]) {
      expect(() => percentEncode(lone))
        .to.throw(URIError)
        .with.property("message", "lone surrogate in value to sign");
    }
  });

  it("splitUrl refuses text before the scheme and names the URL", () => {
    for (const url of [" https://host/", "relative/path"]) {
      expect(() => splitUrl(url))
        .to.throw(TypeError)
        .with.property("message", `not an absolute URL: ${url}`);
    }
  });

  it("canonicalHost keeps a non-numeric suffix as part of the (lower-cased) hostname", () => {
    expect(canonicalHost("https://EXAMPLE.com:ABC/")).to.equal("example.com:abc");
  });

  it("canonicalHost looks for user information on the authority's first line only", () => {
    expect(canonicalHost("https://a\nB@C/")).to.equal("a\nb@c");
  });

  it("canonicalPath escapes a raw line feed and carriage return, then encodes the escapes", () => {
    // url.parse: LF → %0A, CR → %0D; the SDK then encodes each % as %25.
    expect(canonicalPath("/a\nb\rc")).to.equal("/a%250Ab%250Dc/");
  });

  it("canonicalHeaders compares lines by the lower-cased names of both sides", () => {
    // Root collation puts dotless ı after i, but its upper case I level with i: "ib" < "ıa".
    // SignedHeaders sorts by code unit: i (U+0069) < ı (U+0131).
    expect(canonicalHeaders({ ib: "1", ıa: "2" })).to.deep.equal({
      lines: "ib:1\nıa:2\n",
      signedHeaders: "ib;ıa",
    });
  });
});
