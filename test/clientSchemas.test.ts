/**
 * Unit tests of the client's pure pieces outside the signer: `client/endpoint.ts` (which base URL
 * is called, and why an endpoint is refused), `client/flowItems.ts` (camelCase ↔ snake_case bodies
 * of sources and outputs) and `client/schemas.ts` (which answers are accepted). Every expected value
 * is a literal written from the API reference, never produced by the code under test.
 */
import { expect } from "chai";
import {
  REGION_PATTERN,
  defaultEndpoint,
  endpointProblem,
  isLoopbackHost,
  resolveEndpoint,
} from "../client/endpoint";
import {
  ENCRYPTION_ALGORITHMS,
  KEY_TYPES,
  SRT_PROTOCOLS,
  observedOutput,
  observedSource,
  outputBody,
  outputChangesBody,
  sourceBody,
} from "../client/flowItems";
import {
  FLOW_STATUSES,
  classifyStatus,
  createFlowAnswerBody,
  createOutputsAnswerBody,
  deleteFlowAnswerBody,
  deleteOutputAnswerBody,
  errorBody,
  flowDetailBody,
  flowEncryptionBody,
  flowListBody,
  flowSourceBody,
  flowStatusChangeBody,
  flowSummaryBody,
  flowsOutputBody,
  modifySourceAnswerBody,
} from "../client/schemas";

describe("endpoint: defaultEndpoint", () => {
  it("is https://live.{region}.myhuaweicloud.com", () => {
    expect(defaultEndpoint("eu-west-101")).to.equal("https://live.eu-west-101.myhuaweicloud.com");
  });
});

describe("endpoint: isLoopbackHost", () => {
  const cases: readonly [string, boolean][] = [
    ["localhost", true],
    ["LocalHost", true],
    ["app.localhost", true],
    ["APP.LOCALHOST", true],
    ["xlocalhost", false],
    ["localhost.example.com", false],
    ["[::1]", true],
    ["[::2]", false],
    ["::1", false],
    ["127.0.0.1", true],
    ["127.100.200.255", true],
    ["127.1.22.333", true],
    ["127.1.2", false],
    ["127.0.0.1.example.com", false],
    ["1127.0.0.1", false],
    ["127.0.0.1a", false],
    ["127.0.0.1234", false],
    ["127x0.0.1", false],
    ["127.0x0.1", false],
    ["127.0.0x1", false],
    ["127.a.0.1", false],
    ["127.0.b.1", false],
    ["127.0.0.c", false],
    ["127..0.1", false],
    ["10.0.0.1", false],
    ["", false],
  ];
  for (const [host, expected] of cases) {
    it(`${JSON.stringify(host)} → ${expected}`, () => {
      expect(isLoopbackHost(host)).to.equal(expected);
    });
  }
});

describe("endpoint: endpointProblem", () => {
  const cases: readonly [string, string | undefined][] = [
    ["https://live.ap-southeast-3.myhuaweicloud.com", undefined],
    ["https://proxy.example.com/live/", undefined],
    ["https://192.168.1.2", undefined],
    ["http://localhost:8787", undefined],
    ["http://127.0.0.1:8787/", undefined],
    ["http://[::1]:8787", undefined],
    [
      "not a url",
      '"not a url" is not a valid URL (expected e.g. https://live.ap-southeast-3.myhuaweicloud.com)',
    ],
    ["ftp://example.com", "endpoint must use https:// (got ftp://)"],
    ["ws://localhost:8787", "endpoint must use https:// (got ws://)"],
    [
      "http://192.168.1.2:8787",
      "plain http:// is only allowed for a loopback host such as the local simulator; use https:// for 192.168.1.2",
    ],
    ["https://user@example.com", "endpoint must not contain user information"],
    ["https://:secret@example.com", "endpoint must not contain user information"],
    ["http://user:pw@localhost:8787", "endpoint must not contain user information"],
    ["https://example.com/?a=1", "endpoint must not contain a query or fragment"],
    ["https://example.com/#top", "endpoint must not contain a query or fragment"],
    ["http://localhost:8787/?a=1", "endpoint must not contain a query or fragment"],
  ];
  for (const [endpoint, expected] of cases) {
    it(`${JSON.stringify(endpoint)} → ${JSON.stringify(expected)}`, () => {
      expect(endpointProblem(endpoint)).to.equal(expected);
    });
  }
});

describe("endpoint: REGION_PATTERN", () => {
  const cases: readonly [string, boolean][] = [
    ["ap-southeast-3", true],
    ["cn-north-4", true],
    ["eu-west-101", true],
    ["cn-south-foo-1", true],
    ["a-south-1", false],
    ["abc-south-1", false],
    ["xap-southeast-3", false],
    ["ap-southeast", false],
    ["ap-southeast-", false],
    ["ap-southeast-3x", false],
    ["ap-southeast-a", false],
    ["ap--3", false],
    ["ap-3", false],
    ["ap-South-3", false],
    ["AP-south-3", false],
    ["12-south-1", false],
    ["ap_southeast_3", false],
    ["ap southeast 3", false],
  ];
  for (const [region, expected] of cases) {
    it(`${JSON.stringify(region)} → ${expected}`, () => {
      expect(REGION_PATTERN.test(region)).to.equal(expected);
    });
  }
});

describe("endpoint: resolveEndpoint", () => {
  it("uses the region's default endpoint when no endpoint is set or it is empty", () => {
    expect(resolveEndpoint({ region: "cn-north-4" })).to.equal(
      "https://live.cn-north-4.myhuaweicloud.com",
    );
    expect(resolveEndpoint({ endpoint: "", region: "cn-north-4" })).to.equal(
      "https://live.cn-north-4.myhuaweicloud.com",
    );
  });
  it("takes an explicit endpoint over the region, without every trailing slash", () => {
    expect(
      resolveEndpoint({ endpoint: "https://proxy.example.com/live///", region: "x" }),
    ).to.equal("https://proxy.example.com/live");
    expect(resolveEndpoint({ endpoint: "http://127.0.0.1:8787" })).to.equal(
      "http://127.0.0.1:8787",
    );
  });
  it("throws the endpoint's problem as a TypeError, whatever the region", () => {
    expect(() => resolveEndpoint({ endpoint: "ftp://example.com", region: "cn-north-4" }))
      .to.throw(TypeError)
      .with.property("message", "endpoint must use https:// (got ftp://)");
  });
  it("requires an endpoint or a region", () => {
    for (const settings of [{}, { region: "" }, { endpoint: "", region: "" }]) {
      expect(() => resolveEndpoint(settings))
        .to.throw(TypeError)
        .with.property("message", "either an endpoint or a region is required");
    }
  });
  it("refuses a region that is not a region id", () => {
    expect(() => resolveEndpoint({ region: "AP-southeast-3" }))
      .to.throw(TypeError)
      .with.property("message", '"AP-southeast-3" is not a region id (e.g. ap-southeast-3)');
  });
});

describe("flowItems: constants", () => {
  it("names the SRT roles, key types and algorithms of the API", () => {
    expect(SRT_PROTOCOLS).to.deep.equal(["srt-listener", "srt-caller"]);
    expect(KEY_TYPES).to.deep.equal(["srt-password", "static-key", "speke"]);
    expect(ENCRYPTION_ALGORITHMS).to.deep.equal(["aes128", "aes192", "aes256"]);
  });
});

describe("flowItems: sourceBody", () => {
  it("maps every field to the API's FlowSource names", () => {
    expect(
      sourceBody({
        name: "cam-1",
        protocol: "srt-caller",
        listenerAddress: "203.0.113.7",
        listenerPort: 9001,
        streamId: "live/cam1",
        minLatency: 120,
        cidrWhitelist: ["10.0.0.0/8"],
        description: "main camera",
        decryption: { keyType: "srt-password", passphrase: "0123456789ab", algorithm: "aes256" },
      }),
    ).to.deep.equal({
      name: "cam-1",
      protocol: "srt-caller",
      source_listener_address: "203.0.113.7",
      source_listener_port: 9001,
      stream_id: "live/cam1",
      min_latency: 120,
      cidr_whitelist: ["10.0.0.0/8"],
      description: "main camera",
      decryption: { algorithm: "aes256", key_type: "srt-password", passphrase: "0123456789ab" },
    });
  });
  it("leaves absent fields out, the decryption's algorithm included", () => {
    const minimal = sourceBody({ name: "cam-2", protocol: "srt-listener" });
    expect(minimal).to.deep.equal({ name: "cam-2", protocol: "srt-listener" });
    expect(Object.keys(minimal)).to.deep.equal(["name", "protocol"]);
    const noAlgorithm = sourceBody({
      name: "cam-3",
      protocol: "srt-listener",
      decryption: { keyType: "srt-password", passphrase: "secret-pass-1" },
    });
    expect(noAlgorithm).to.deep.equal({
      name: "cam-3",
      protocol: "srt-listener",
      decryption: { key_type: "srt-password", passphrase: "secret-pass-1" },
    });
    expect(Object.keys(noAlgorithm.decryption as object)).to.deep.equal(["key_type", "passphrase"]);
  });
});

describe("flowItems: observedSource", () => {
  it("maps every FlowSource field to camelCase", () => {
    expect(
      observedSource({
        name: "cam-1",
        protocol: "srt-listener",
        source_listener_address: "198.51.100.1",
        source_listener_port: 2090,
        stream_id: "s1",
        min_latency: 200,
        cidr_whitelist: ["192.0.2.0/24"],
        description: "d",
        decryption: { key_type: "srt-password", algorithm: "aes128", passphrase: "******" },
        health_status: "CONNECTED",
      }),
    ).to.deep.equal({
      name: "cam-1",
      protocol: "srt-listener",
      listenerAddress: "198.51.100.1",
      listenerPort: 2090,
      streamId: "s1",
      minLatency: 200,
      cidrWhitelist: ["192.0.2.0/24"],
      description: "d",
      decryption: { keyType: "srt-password", algorithm: "aes128", passphrase: "******" },
      healthStatus: "CONNECTED",
    });
  });
  it("leaves out what the answer leaves out, inside the decryption too", () => {
    const minimal = observedSource({ name: "cam-2" });
    expect(minimal).to.deep.equal({ name: "cam-2" });
    expect(Object.keys(minimal)).to.deep.equal(["name"]);
    const masked = observedSource({ name: "cam-3", decryption: { key_type: "srt-password" } });
    expect(masked).to.deep.equal({ name: "cam-3", decryption: { keyType: "srt-password" } });
    expect(Object.keys(masked.decryption!)).to.deep.equal(["keyType"]);
  });
});

describe("flowItems: outputChangesBody and outputBody", () => {
  const changes = {
    destination: "203.0.113.9",
    port: 9100,
    streamId: "out/1",
    cidrWhitelist: ["0.0.0.0/0"],
    encryption: { keyType: "srt-password", passphrase: "pass-phrase-2", algorithm: "aes192" },
    outputStatus: "DISABLED",
    description: "backup",
    minLatency: 2000,
  } as const;
  const changesBody = {
    destination: "203.0.113.9",
    port: 9100,
    stream_id: "out/1",
    cidr_whitelist: ["0.0.0.0/0"],
    encryption: { algorithm: "aes192", key_type: "srt-password", passphrase: "pass-phrase-2" },
    output_status: "DISABLED",
    description: "backup",
    min_latency: 2000,
  };
  it("maps every changeable field to UpdateFlowOutputRequestBody names", () => {
    expect(outputChangesBody(changes)).to.deep.equal(changesBody);
  });
  it("sends nothing for no changes", () => {
    const empty = outputChangesBody({});
    expect(empty).to.deep.equal({});
    expect(Object.keys(empty)).to.deep.equal([]);
  });
  it("adds the name and protocol for a new output", () => {
    expect(outputBody({ name: "out-1", protocol: "srt-caller", ...changes })).to.deep.equal({
      name: "out-1",
      protocol: "srt-caller",
      ...changesBody,
    });
    const minimal = outputBody({ name: "out-2", protocol: "srt-listener", port: 9200 });
    expect(minimal).to.deep.equal({ name: "out-2", protocol: "srt-listener", port: 9200 });
    expect(Object.keys(minimal)).to.deep.equal(["name", "protocol", "port"]);
  });
});

describe("flowItems: observedOutput", () => {
  it("maps every FlowsOutput field to camelCase", () => {
    expect(
      observedOutput({
        name: "out-1",
        protocol: "srt-listener",
        destination: "203.0.113.9",
        port: 9100,
        stream_id: "o1",
        cidr_whitelist: ["10.1.0.0/16"],
        encryption: { key_type: "srt-password", algorithm: "aes256", passphrase: "******" },
        output_status: "ENABLED",
        description: "primary",
        min_latency: 300,
        listener_address: "198.51.100.20",
        health_status: "DISCONNECTED",
        type: "SRT",
      }),
    ).to.deep.equal({
      name: "out-1",
      protocol: "srt-listener",
      destination: "203.0.113.9",
      port: 9100,
      streamId: "o1",
      cidrWhitelist: ["10.1.0.0/16"],
      encryption: { keyType: "srt-password", algorithm: "aes256", passphrase: "******" },
      outputStatus: "ENABLED",
      description: "primary",
      minLatency: 300,
      listenerAddress: "198.51.100.20",
      healthStatus: "DISCONNECTED",
      type: "SRT",
    });
  });
  it("leaves out what the answer leaves out", () => {
    const minimal = observedOutput({ name: "out-2" });
    expect(minimal).to.deep.equal({ name: "out-2" });
    expect(Object.keys(minimal)).to.deep.equal(["name"]);
    const noPassphrase = observedOutput({ name: "out-3", encryption: { algorithm: "aes128" } });
    expect(noPassphrase).to.deep.equal({ name: "out-3", encryption: { algorithm: "aes128" } });
    expect(Object.keys(noPassphrase.encryption!)).to.deep.equal(["algorithm"]);
  });
});

describe("schemas: classifyStatus", () => {
  const cases: readonly [string, string][] = [
    ["ACTIVE", "ACTIVE"],
    ["STANDBY", "STANDBY"],
    ["active", "UNKNOWN"],
    ["RUNNING", "UNKNOWN"],
    ["", "UNKNOWN"],
  ];
  for (const [reported, expected] of cases) {
    it(`${JSON.stringify(reported)} → ${expected}`, () => {
      expect(classifyStatus(reported)).to.equal(expected);
    });
  }
  it("documents ACTIVE and STANDBY only", () => {
    expect(FLOW_STATUSES).to.deep.equal(["ACTIVE", "STANDBY"]);
  });
});

describe("schemas: answers accepted and refused", () => {
  /** A schema, answers it must accept (with the parsed value), and answers it must refuse. */
  interface Case {
    readonly name: string;
    readonly schema: { safeParse(value: unknown): { success: boolean; data?: unknown } };
    readonly accepts: readonly (readonly [unknown, unknown])[];
    readonly refuses: readonly unknown[];
  }
  const flow = { flow_id: "f-1", status: "STANDBY" };
  const cases: readonly Case[] = [
    {
      name: "flowStatusChangeBody",
      schema: flowStatusChangeBody,
      accepts: [
        [
          { flow_id: "f-1", status: "ACTIVE", extra: 1 },
          { flow_id: "f-1", status: "ACTIVE" },
        ],
      ],
      refuses: [
        {},
        { flow_id: "", status: "ACTIVE" },
        { flow_id: "f-1" },
        { flow_id: "f-1", status: 1 },
      ],
    },
    {
      name: "flowEncryptionBody",
      schema: flowEncryptionBody,
      accepts: [
        [{}, {}],
        [
          { algorithm: "aes128", key_type: "srt-password", passphrase: "*", extra: true },
          { algorithm: "aes128", key_type: "srt-password", passphrase: "*", extra: true },
        ],
      ],
      refuses: [{ algorithm: 128 }, { key_type: 1 }, { passphrase: null }],
    },
    {
      name: "flowSourceBody",
      schema: flowSourceBody,
      accepts: [
        [{ name: "s" }, { name: "s" }],
        [
          { name: "s", source_listener_port: 2090, decryption: {}, cidr_whitelist: [] },
          { name: "s", source_listener_port: 2090, decryption: {}, cidr_whitelist: [] },
        ],
      ],
      refuses: [
        {},
        { name: "s", protocol: 1 },
        { name: "s", source_listener_address: 1 },
        { name: "s", source_listener_port: 1.5 },
        { name: "s", source_listener_port: "2090" },
        { name: "s", stream_id: 1 },
        { name: "s", min_latency: 0.5 },
        { name: "s", cidr_whitelist: [1] },
        { name: "s", description: 1 },
        { name: "s", decryption: { key_type: 1 } },
        { name: "s", health_status: 1 },
      ],
    },
    {
      name: "flowsOutputBody",
      schema: flowsOutputBody,
      accepts: [
        [
          { name: "o", port: 9100 },
          { name: "o", port: 9100 },
        ],
      ],
      refuses: [
        {},
        { name: "o", protocol: 1 },
        { name: "o", destination: 1 },
        { name: "o", port: 1.5 },
        { name: "o", stream_id: 1 },
        { name: "o", cidr_whitelist: "x" },
        { name: "o", encryption: { passphrase: 1 } },
        { name: "o", output_status: 1 },
        { name: "o", description: 1 },
        { name: "o", min_latency: 1.5 },
        { name: "o", listener_address: 1 },
        { name: "o", health_status: 1 },
        { name: "o", type: 1 },
      ],
    },
    {
      name: "flowDetailBody",
      schema: flowDetailBody,
      accepts: [
        [flow, flow],
        [
          {
            ...flow,
            name: "n",
            region: "r",
            sources: [{ name: "s" }],
            outputs: [{}, { name: "o", type: "SRT" }],
          },
          {
            ...flow,
            name: "n",
            region: "r",
            sources: [{ name: "s" }],
            outputs: [{}, { name: "o", type: "SRT" }],
          },
        ],
      ],
      refuses: [
        {},
        { ...flow, flow_id: "" },
        { flow_id: "f-1" },
        { ...flow, name: 1 },
        { ...flow, region: 1 },
        { ...flow, sources: [{}] },
        { ...flow, outputs: [{ name: 1 }] },
        { ...flow, outputs: [{ type: 1 }] },
      ],
    },
    {
      name: "createFlowAnswerBody",
      schema: createFlowAnswerBody,
      accepts: [[{ flow }, { flow }]],
      refuses: [{}, { flow: {} }],
    },
    {
      name: "deleteFlowAnswerBody",
      schema: deleteFlowAnswerBody,
      accepts: [
        [{}, {}],
        [flow, flow],
      ],
      refuses: [{ flow_id: 1 }, { status: 1 }],
    },
    {
      name: "modifySourceAnswerBody",
      schema: modifySourceAnswerBody,
      accepts: [[{ source: { name: "s" } }, { source: { name: "s" } }]],
      refuses: [{}, { flow_id: 1, source: { name: "s" } }, { source: {} }],
    },
    {
      name: "createOutputsAnswerBody",
      schema: createOutputsAnswerBody,
      accepts: [
        [
          { flow_id: "f-1", outputs: [] },
          { flow_id: "f-1", outputs: [] },
        ],
      ],
      refuses: [{}, { flow_id: 1, outputs: [] }, { outputs: [{}] }],
    },
    {
      name: "deleteOutputAnswerBody",
      schema: deleteOutputAnswerBody,
      accepts: [
        [{}, {}],
        [
          { flow_id: "f-1", output_name: "o" },
          { flow_id: "f-1", output_name: "o" },
        ],
      ],
      refuses: [{ flow_id: 1 }, { output_name: 1 }],
    },
    {
      name: "flowSummaryBody",
      schema: flowSummaryBody,
      accepts: [[flow, flow]],
      refuses: [
        {},
        { ...flow, flow_id: "" },
        { flow_id: "f-1" },
        { ...flow, name: 1 },
        { ...flow, region: 1 },
        { ...flow, description: 1 },
        { ...flow, protocol: 1 },
      ],
    },
    {
      name: "flowListBody",
      schema: flowListBody,
      accepts: [
        [
          { total: 1, flows: [flow] },
          { total: 1, flows: [flow] },
        ],
      ],
      refuses: [
        {},
        { total: -1, flows: [] },
        { total: 1.5, flows: [] },
        { total: 0 },
        { total: 1, flows: [{}] },
      ],
    },
    {
      name: "errorBody",
      schema: errorBody,
      accepts: [
        [{}, {}],
        [
          { error_code: "LIVE.100011004", error_msg: "m", request_id: "r", extra: 1 },
          { error_code: "LIVE.100011004", error_msg: "m", request_id: "r", extra: 1 },
        ],
      ],
      refuses: [{ error_code: 1 }, { error_msg: 1 }, { request_id: 1 }],
    },
  ];
  for (const { name, schema, accepts, refuses } of cases) {
    it(`${name} accepts its documented shape and refuses every mistyped field`, () => {
      for (const [input, parsed] of accepts) {
        const result = schema.safeParse(input);
        expect(result.success, JSON.stringify(input)).to.equal(true);
        expect(result.data).to.deep.equal(parsed);
      }
      for (const input of refuses) {
        expect(schema.safeParse(input).success, JSON.stringify(input)).to.equal(false);
      }
    });
  }
});
