import { expect } from "chai";
/**
 * The simulator's own signature verifier (`simulator/signatureVerifier.ts`), checked without this
 * package's client signer. Expected values come from outside the package: the worked example of
 * Huawei's API-signing guide
 * (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-003.html), and
 * requests signed and sent by Huawei's official Node SDK, recorded in
 * `fixtures/sdkSignedRequests.json` by `fixtures/recordSdkSignedRequests.ts`. Each recorded request
 * must verify, and every one-byte change to a signed part of it must not, both in the verifier and
 * through the running simulator.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { request as httpRequest } from "node:http";

import { startSimulator, type Simulator } from "../simulator/index";
import {
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  encodeRfc3986,
  parseAuthorization,
  parseSdkDate,
  signatureMatches,
  signatureOf,
  stringToSign,
  type ReceivedSignedRequest,
} from "../simulator/signatureVerifier";
import {
  FIXTURE_PATH,
  SDK_CALLS,
  sendWithSdk,
  type RecordedRequest,
  type SdkSignedRequests,
} from "./fixtures/recordSdkSignedRequests";

const recorded = JSON.parse(readFileSync(FIXTURE_PATH, "utf8")) as SdkSignedRequests;

/** Headers as Node's HTTP parser presents them: names lower-cased. */
function asReceived(headers: readonly (readonly [string, string])[]): IncomingHttpHeaders {
  return Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value]));
}

function receivedRequest(request: RecordedRequest): ReceivedSignedRequest {
  return {
    method: request.method,
    target: request.target,
    headers: asReceived(request.headers),
    body: Buffer.from(request.body, "utf8"),
  };
}

function authorizationOf(request: ReceivedSignedRequest) {
  const parsed = parseAuthorization(String(request.headers["authorization"]));
  if (!parsed) throw new Error("the recorded Authorization header does not parse");
  return parsed;
}

/** Verifies `request` with the secret key of the recording it came from. */
function verifies(request: ReceivedSignedRequest, secretKey: string): boolean {
  const authorization = parseAuthorization(String(request.headers["authorization"] ?? ""));
  return authorization !== undefined && signatureMatches(request, authorization, secretKey);
}

/**
 * `text` with the character at `index` replaced by one that is not its upper- or lower-case twin
 * (`%A9` and `%a9` decode alike, so a case flip of a hex digit is not a change).
 */
function withByteChanged(text: string, index: number): string {
  const replacement = text[index] === "Z" ? "Y" : "Z";
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** Positions of the access key's characters in an `Authorization` header. */
function accessKeySpan(authorization: string): number[] {
  const start = authorization.indexOf("Access=") + "Access=".length;
  const end = authorization.indexOf(",", start);
  return Array.from({ length: end - start }, (_, offset) => start + offset);
}

/** Every string that differs from `text` in exactly one position. */
function oneByteChanges(text: string): string[] {
  return Array.from(text, (_, index) => withByteChanged(text, index));
}

describe("simulator signature verifier", () => {
  describe("Huawei's published worked example (API-signing guide)", () => {
    const secretKey = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    const authorization =
      "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, " +
      "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";
    const example: ReceivedSignedRequest = {
      method: "GET",
      target:
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
      headers: {
        "content-type": "application/json",
        host: "service.region.example.com",
        "x-sdk-date": "20191115T033655Z",
        authorization,
      },
      body: new Uint8Array(),
    };
    const publishedCanonicalRequest = [
      "GET",
      "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
      "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
      "content-type:application/json",
      "host:service.region.example.com",
      "x-sdk-date:20191115T033655Z",
      "",
      "content-type;host;x-sdk-date",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ].join("\n");

    it("rebuilds the published canonical request, hash, string to sign and signature", () => {
      const canonical = canonicalRequest(example, ["content-type", "host", "x-sdk-date"]);
      expect(canonical).to.equal(publishedCanonicalRequest);
      expect(createHash("sha256").update(canonical!).digest("hex")).to.equal(
        "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
      );
      const toSign = stringToSign("20191115T033655Z", canonical!);
      expect(toSign).to.equal(
        "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
      );
      expect(signatureOf(secretKey, toSign)).to.equal(
        "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
      );
    });

    it("accepts the published request and parses its Authorization header", () => {
      expect(parseAuthorization(authorization)).to.deep.equal({
        accessKey: "QTWAOYTTINDUT2QVKYUC",
        signedHeaders: ["content-type", "host", "x-sdk-date"],
        signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
      });
      expect(verifies(example, secretKey)).to.equal(true);
    });

    it("refuses it with any one byte of the target, a header value or the signature changed", () => {
      const changed: ReceivedSignedRequest[] = [
        ...oneByteChanges(example.target).map((target) => ({ ...example, target })),
        ...["content-type", "host", "x-sdk-date"].flatMap((name) =>
          oneByteChanges(String(example.headers[name])).map((value) => ({
            ...example,
            headers: { ...example.headers, [name]: value },
          })),
        ),
        // The access key is not signed: it only picks the secret key, which the caller does.
        ...oneByteChanges(authorization)
          .filter((_, index) => !accessKeySpan(authorization).includes(index))
          .map((value) => ({ ...example, headers: { ...example.headers, authorization: value } })),
        { ...example, body: Buffer.from("x") },
        { ...example, method: "PUT" },
      ];
      const accepted = changed.filter((request) => verifies(request, secretKey));
      expect(accepted).to.deep.equal([]);
      expect(verifies(example, secretKey.replace("M", "N"))).to.equal(false);
    });
  });

  describe("canonical parts, as the guide defines them", () => {
    it("percent-encodes everything but RFC 3986 unreserved characters, in upper-case UTF-8 hex", () => {
      expect(encodeRfc3986("AZaz09-_.~")).to.equal("AZaz09-_.~");
      expect(encodeRfc3986(" +*/=&!'()")).to.equal("%20%2B%2A%2F%3D%26%21%27%28%29");
      expect(encodeRfc3986("\u00e9\u{1F600}")).to.equal("%C3%A9%F0%9F%98%80");
    });

    it("encodes each decoded path segment and ends the path with one slash", () => {
      expect(canonicalPath("/v1/p/flows/start")).to.equal("/v1/p/flows/start/");
      expect(canonicalPath("/v1/p/flows/")).to.equal("/v1/p/flows/");
      expect(canonicalPath("/")).to.equal("/");
      expect(canonicalPath("")).to.equal("/");
      expect(canonicalPath("/v1//items")).to.equal("/v1//items/");
      expect(canonicalPath("/a*b/%E6%97%A5/x%20y/@:(")).to.equal(
        "/a%2Ab/%E6%97%A5/x%20y/%40%3A%28/",
      );
      expect(canonicalPath("/bad%ZZ")).to.equal(undefined);
    });

    it("sorts query names and repeated values by code unit, encoding both and keeping `=`", () => {
      const names = ["b", "a~b", "a_b", "a.b", "a-b", "a", "_x", "B", "A1"];
      expect(canonicalQuery(names.map((name) => `${name}=1`).join("&"))).to.equal(
        "A1=1&B=1&_x=1&a=1&a-b=1&a.b=1&a_b=1&a~b=1&b=1",
      );
      // By decoded name: `~` (0x7E) sorts before `é` (0xE9) although `%C3%A9` < `~`.
      expect(canonicalQuery("%C3%A9=1&~=2")).to.equal("~=2&%C3%A9=1");
      expect(canonicalQuery("n=10&n=9&n=100&n=9")).to.equal("n=10&n=100&n=9&n=9");
      expect(canonicalQuery("flag&empty=&a+b=c%20d*")).to.equal("a%2Bb=c%20d%2A&empty=&flag=");
      expect(canonicalQuery("")).to.equal("");
      expect(canonicalQuery("a=%ZZ")).to.equal(undefined);
    });

    it("reads only the guide's Authorization form, with sorted lower-case signed headers", () => {
      const signature = "0".repeat(64);
      const valid = `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=${signature}`;
      expect(parseAuthorization(valid)).to.deep.equal({
        accessKey: "AK",
        signedHeaders: ["host", "x-sdk-date"],
        signature,
      });
      for (const invalid of [
        valid.replace("SDK-HMAC-SHA256", "V11-HMAC-SHA256"),
        valid.replace("Access=", "Credential="),
        valid.replace(", SignedHeaders", ",SignedHeaders"),
        valid.replace("host;x-sdk-date", "x-sdk-date;host"),
        valid.replace("host;x-sdk-date", "Host;x-sdk-date"),
        valid.replace("host;x-sdk-date", "host;host;x-sdk-date"),
        valid.replace("host;x-sdk-date", "host;;x-sdk-date"),
        valid.replace(signature, "A".repeat(64)),
        valid.replace(signature, "0".repeat(63)),
        `${valid} `,
      ]) {
        expect(parseAuthorization(invalid), invalid).to.equal(undefined);
      }
    });

    it("reads X-Sdk-Date only as YYYYMMDDTHHMMSSZ of a real UTC time", () => {
      expect(parseSdkDate("20261128T120000Z")?.toISOString()).to.equal("2026-11-28T12:00:00.000Z");
      for (const invalid of [
        "20261128T120000",
        "2026-11-28T12:00:00Z",
        "20261328T120000Z",
        "20260230T120000Z",
        "20261128T240000Z",
        "20261128T120000.000Z",
      ]) {
        expect(parseSdkDate(invalid), invalid).to.equal(undefined);
      }
    });
  });

  describe("requests signed by Huawei's official SDK", () => {
    it("records the Media Live operations and the signing cases the fixture claims", () => {
      expect(recorded.sdk).to.equal("@huaweicloud/huaweicloud-sdk-core 3.1.211");
      expect(recorded.requests.map((request) => request.title)).to.deep.equal(
        SDK_CALLS.map((call) => call.title),
      );
      const signedLists = recorded.requests.map(
        (request) => authorizationOf(receivedRequest(request)).signedHeaders,
      );
      expect(signedLists).to.deep.include(["content-type", "host", "x-project-id", "x-sdk-date"]);
      expect(signedLists.some((names) => names.includes("x-security-token"))).to.equal(true);
      expect(signedLists.some((names) => names.includes("x-sdk-content-sha256"))).to.equal(true);
    });

    for (const request of recorded.requests) {
      describe(request.title, () => {
        const received = receivedRequest(request);
        const { secretKey } = request.credentials;
        const authorization = authorizationOf(received);

        it("verifies", () => {
          expect(verifies(received, secretKey)).to.equal(true);
          expect(verifies(received, `${secretKey}x`)).to.equal(false);
        });

        it("is refused with one byte of its target changed", () => {
          const accepted = oneByteChanges(received.target).filter((target) =>
            verifies({ ...received, target }, secretKey),
          );
          expect(accepted).to.deep.equal([]);
        });

        it("is refused with one byte of a signed header value changed, the date included", () => {
          const accepted = authorization.signedHeaders.flatMap((name) =>
            oneByteChanges(String(received.headers[name]))
              .filter((value) =>
                verifies(
                  { ...received, headers: { ...received.headers, [name]: value } },
                  secretKey,
                ),
              )
              .map((value) => `${name}: ${value}`),
          );
          expect(accepted).to.deep.equal([]);
        });

        it("is refused with a signed header missing, or one more or one fewer name signed", () => {
          const header = String(received.headers["authorization"]);
          const list = authorization.signedHeaders.join(";");
          const variants: ReceivedSignedRequest[] = [
            ...authorization.signedHeaders.map((name) => {
              const headers = { ...received.headers };
              delete headers[name];
              return { ...received, headers };
            }),
            ...authorization.signedHeaders.map((name) => {
              const fewer = authorization.signedHeaders.filter((other) => other !== name);
              const headers = {
                ...received.headers,
                authorization: header.replace(list, fewer.join(";")),
              };
              return { ...received, headers };
            }),
            {
              ...received,
              // `accept` was sent, unsigned; claiming it signed changes the canonical request.
              headers: {
                ...received.headers,
                authorization: header.replace(list, `accept;${list}`),
              },
            },
            ...oneByteChanges(list).map((changed) => ({
              ...received,
              headers: { ...received.headers, authorization: header.replace(list, changed) },
            })),
          ];
          const accepted = variants.filter((variant) => verifies(variant, secretKey));
          expect(accepted).to.deep.equal([]);
        });

        if (!authorization.signedHeaders.includes("x-sdk-content-sha256")) {
          it("is refused with one byte of its body changed, or a body added", () => {
            const bodies =
              request.body === "" ? ["{}", " "] : oneByteChanges(request.body).concat("");
            const accepted = bodies.filter((body) =>
              verifies({ ...received, body: Buffer.from(body, "utf8") }, secretKey),
            );
            expect(accepted).to.deep.equal([]);
          });
        } else {
          it("with a signed UNSIGNED-PAYLOAD, verifies whatever the body (the SDK's contract)", () => {
            expect(received.headers["x-sdk-content-sha256"]).to.equal("UNSIGNED-PAYLOAD");
            expect(verifies({ ...received, body: Buffer.from("other body") }, secretKey)).to.equal(
              true,
            );
          });
        }
      });
    }
  });

  describe("the running simulator", () => {
    const FLOW_ID = "ec897482-d24b-4d64-aa39-407980902b1d";
    const signedAt = parseSdkDate(recorded.sdkDate)!;
    let simulator: Simulator;
    beforeEach(async () => {
      const credentials = [
        ...new Map(recorded.requests.map((request) => [request.credentials.accessKey, request])),
      ].map(([, request]) => ({ ...request.credentials }));
      simulator = await startSimulator({
        projectId: recorded.requests[0]!.credentials.projectId,
        credentials,
        flows: [{ flowId: FLOW_ID }],
        now: () => signedAt,
      });
    });
    afterEach(async () => {
      await simulator.close();
    });

    interface Reply {
      status: number;
      body: { error_code?: string; error_msg?: string; request_id?: string };
      requestId: string | undefined;
    }

    /** Sends a recorded request byte for byte (its own Host header included) to the simulator. */
    function replay(request: RecordedRequest): Promise<Reply> {
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) {
        if (name.toLowerCase() !== "connection") headers[name] = value;
      }
      const body = Buffer.from(request.body, "utf8");
      if ("Content-Length" in headers || body.length > 0) {
        headers["Content-Length"] = String(body.length);
      }
      return new Promise((resolve, reject) => {
        const outgoing = httpRequest(
          {
            host: "127.0.0.1",
            port: simulator.port,
            method: request.method,
            path: request.target,
            headers,
            agent: false,
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.once("end", () =>
              resolve({
                status: response.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Reply["body"],
                requestId: response.headers["x-request-id"] as string | undefined,
              }),
            );
          },
        );
        outgoing.once("error", reject);
        outgoing.end(body);
      });
    }

    function changeHeader(request: RecordedRequest, name: string, value: string): RecordedRequest {
      return {
        ...request,
        headers: request.headers.map(([other, old]) => [
          other,
          other.toLowerCase() === name ? value : old,
        ]),
      };
    }

    const headerOf = (request: RecordedRequest, name: string): string =>
      request.headers.find(([other]) => other.toLowerCase() === name)![1];

    it("admits every recorded request and runs its operation", async () => {
      const statuses: number[] = [];
      for (const request of recorded.requests) statuses.push((await replay(request)).status);
      // start, stop, detail, list, create, delete; then the deleted flow's detail, a list, and a
      // create whose text/plain body is not JSON: each reached its operation.
      expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 200, 400, 200, 400]);
      expect(simulator.journal.map((entry) => entry.auth)).to.deep.equal(
        recorded.requests.map(() => "aksk"),
      );
      expect(simulator.requestCount({ status: 401 })).to.equal(0);
    });

    it("refuses with 401 APIG.0301 a recorded request changed by one byte after signing", async () => {
      const start = recorded.requests[0]!;
      const create = recorded.requests[4]!;
      const date = headerOf(start, "x-sdk-date");
      const authorization = headerOf(start, "authorization");
      const changed: [string, RecordedRequest][] = [
        ["query", { ...start, target: start.target.replace(/d$/, "e") }],
        // The project segment: the path still names an operation, so the signature check decides.
        ["path", { ...start, target: withByteChanged(start.target, "/v1/".length) }],
        [
          "signed header",
          changeHeader(start, "x-project-id", withByteChanged(headerOf(start, "x-project-id"), 0)),
        ],
        ["date", changeHeader(start, "x-sdk-date", date.replace(/0Z$/, "1Z"))],
        [
          "host",
          changeHeader(start, "host", headerOf(start, "host").replace("127.0.0.1", "127.0.0.2")),
        ],
        [
          "signed-header list",
          changeHeader(start, "authorization", authorization.replace("content-type;", "")),
        ],
        [
          "signature",
          changeHeader(
            start,
            "authorization",
            authorization.replace(/.$/, (last) => (last === "0" ? "1" : "0")),
          ),
        ],
        ["body", { ...create, body: create.body.replace("news-desk", "news-desz") }],
      ];
      for (const [what, request] of changed) {
        const reply = await replay(request);
        expect(reply.status, what).to.equal(401);
        expect(reply.body, what).to.deep.equal({
          error_code: "APIG.0301",
          error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
          request_id: reply.requestId,
        });
      }
      expect(simulator.requestCount({ status: 401 })).to.equal(changed.length);
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("STANDBY");
      expect(simulator.listFlows()).to.have.length(1);
    });
  });

  describe("Huawei's official SDK against the simulator, signing with the current time", () => {
    it("is admitted for start, detail, list and create", async () => {
      const simulator = await startSimulator({
        projectId: SDK_CALLS[0]!.credentials.projectId,
        credentials: [{ ...SDK_CALLS[0]!.credentials }],
        flows: [{ flowId: "ec897482-d24b-4d64-aa39-407980902b1d" }],
      });
      try {
        const titles = ["ModifyFlowStart", "ShowFlowDetail", "ListFlows", "CreateFlows"];
        for (const title of titles) {
          const call = SDK_CALLS.find((candidate) => candidate.title.startsWith(title))!;
          await sendWithSdk(simulator.url, call);
        }
        expect(simulator.journal.map((entry) => [entry.route, entry.status])).to.deep.equal([
          ["start", 200],
          ["detail", 200],
          ["list", 200],
          ["create", 200],
        ]);
      } finally {
        await simulator.close();
      }
    });
  });
});
