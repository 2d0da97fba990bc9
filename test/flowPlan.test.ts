/**
 * Flow's pure decisions: input checking (failures named by property, unknowns tolerated), the diff
 * the engine gets, the item calls an update makes, and how a refresh maps observed items back.
 */
import { expect } from "chai";
import {
  checkFlowInputs,
  type FlowInputs,
  type FlowOutputInput,
  type FlowSourceInput,
} from "../resources/flow/inputs";
import {
  canonicalJson,
  diffFlow,
  flowInputsAfterRefresh,
  outputEndpoint,
  PASSPHRASE_SET_ELSEWHERE,
  planItemChanges,
  previewUpdatedState,
  refreshedOutput,
  refreshedSource,
  sourceEndpoint,
  type FlowState,
} from "../resources/flow/plan";
import {
  failuresOf as failuresOfIssue,
  isRecord,
  withoutUndefined,
} from "../resources/shared/checkFailures";
import { UNKNOWN_VALUE } from "../resources/shared/inputFields";

const listener = { protocol: "srt-listener", decryption: { passphrase: "0123456789abc" } };
const caller = { protocol: "srt-caller", address: "203.0.113.7", port: 9000 };
const cdn = { protocol: "srt-caller", destination: "cdn.example.com", port: 9001 };
const monitor = { protocol: "srt-listener", minLatency: 500 };

function checked(raw: Record<string, unknown>): FlowInputs {
  const outcome = checkFlowInputs(raw);
  expect(outcome.failures).to.deep.equal([]);
  return outcome.inputs as unknown as FlowInputs;
}

function failuresOf(raw: Record<string, unknown>): string[] {
  return checkFlowInputs(raw).failures.map((failure) => `${failure.property}: ${failure.reason}`);
}

const base = { name: "news", sources: { main: listener } };

describe("Flow inputs", () => {
  it("fills in the defaults: no outputs, outputs enabled, srt-password keys, 5m timeouts", () => {
    expect(checked({ ...base, outputs: { cdn } })).to.deep.equal({
      name: "news",
      sources: {
        main: {
          protocol: "srt-listener",
          decryption: { passphrase: "0123456789abc", keyType: "srt-password" },
        },
      },
      outputs: { cdn: { ...cdn, enabled: true } },
      timeouts: { create: "5m", update: "5m", delete: "5m" },
    });
    expect(checked(base).outputs).to.deep.equal({});
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ["no source", { name: "news", sources: {} }, "sources: a flow has one or two sources"],
    [
      "three sources",
      { name: "news", sources: { a: listener, b: listener, c: listener } },
      "sources: a flow has one or two sources",
    ],
    ["a bad flow name", { ...base, name: "1news" }, "name: name must start with a letter"],
    [
      "a reserved port",
      { name: "news", sources: { main: { protocol: "srt-listener", port: 2077 } } },
      "sources.main.port: 2077 and 2088 are reserved",
    ],
    [
      "a caller source without address",
      { name: "news", sources: { main: { protocol: "srt-caller", port: 9000 } } },
      "sources.main.address: address is required for an srt-caller source",
    ],
    [
      "an address on a listener source",
      { name: "news", sources: { main: { protocol: "srt-listener", address: "x" } } },
      "sources.main.address: address is for srt-caller sources",
    ],
    [
      "a short passphrase",
      {
        name: "news",
        sources: { main: { protocol: "srt-listener", decryption: { passphrase: "short" } } },
      },
      "sources.main.decryption.passphrase: passphrase must be 10-79 characters",
    ],
    [
      "an unsupported key type",
      {
        name: "news",
        sources: {
          main: {
            protocol: "srt-listener",
            decryption: { passphrase: "0123456789", keyType: "speke" },
          },
        },
      },
      "sources.main.decryption.keyType: only srt-password is supported",
    ],
    [
      "a caller output without destination",
      { ...base, outputs: { cdn: { protocol: "srt-caller", port: 1 } } },
      "outputs.cdn.destination: destination is required for an srt-caller output",
    ],
    [
      "a stream id on a listener output",
      { ...base, outputs: { mon: { protocol: "srt-listener", streamId: "s" } } },
      "outputs.mon.streamId: streamId is for srt-caller outputs only",
    ],
    [
      "a latency out of range",
      { ...base, outputs: { mon: { protocol: "srt-listener", minLatency: 5 } } },
      "outputs.mon.minLatency: must be at least 10 ms",
    ],
    [
      "a bad output name",
      { ...base, outputs: { "9x": monitor } },
      "outputs.9x: output names must start with a letter",
    ],
    [
      "an unknown source property",
      { name: "news", sources: { main: { ...listener, colour: "red" } } },
      'sources.main.colour: unknown property "colour"; a source accepts protocol',
    ],
    [
      "an unknown property",
      { ...base, flowId: "x" },
      'flowId: unknown property "flowId"; Flow accepts',
    ],
  ];
  for (const [title, raw, expected] of cases) {
    it(`names the property for ${title}`, () => {
      const failures = failuresOf(raw);
      expect(failures, failures.join("\n")).to.have.lengthOf(1);
      expect(failures[0]).to.contain(expected);
    });
  }

  const exactCases: [string, Record<string, unknown>, string[]][] = [
    [
      "a name of 65 characters",
      { ...base, name: "a".repeat(65) },
      ["name: name must start with a letter and hold at most 64 letters, digits, '-' or '_'"],
    ],
    [
      "an output name of 65 characters",
      { ...base, outputs: { ["a".repeat(65)]: monitor } },
      [
        `outputs.${"a".repeat(65)}: output names must start with a letter and hold at most 64 letters, digits, '-' or '_'`,
      ],
    ],
    ["a name that is not a string", { ...base, name: 5 }, ["name: name must be a string"]],
    [
      "a bad source name",
      { name: "news", sources: { "9x": listener } },
      [
        "sources.9x: source names must start with a letter and hold at most 64 letters, digits, '-' or '_'",
      ],
    ],
    [
      "sources that are not a map",
      { name: "news", sources: "main" },
      ["sources: sources must map source names to sources"],
    ],
    [
      "outputs that are not a map",
      { ...base, outputs: "cdn" },
      ["outputs: outputs must map output names to outputs"],
    ],
    [
      "latencies that are not whole milliseconds in range",
      {
        ...base,
        outputs: {
          a: { ...monitor, minLatency: "x" },
          b: { ...monitor, minLatency: 1.5 },
          c: { ...monitor, minLatency: 15_001 },
        },
      },
      [
        "outputs.a.minLatency: must be a number of milliseconds",
        "outputs.b.minLatency: must be a whole number of milliseconds",
        "outputs.c.minLatency: must be at most 15000 ms",
      ],
    ],
    [
      "ports that are not whole numbers from 1 to 65535",
      {
        ...base,
        outputs: {
          a: { ...cdn, port: "x" },
          b: { ...cdn, port: 1.5 },
          c: { ...cdn, port: 0 },
          d: { ...cdn, port: 65_536 },
        },
      },
      [
        "outputs.a.port: must be a port number",
        "outputs.b.port: must be a whole number",
        "outputs.c.port: must be 1-65535",
        "outputs.d.port: must be 1-65535",
      ],
    ],
    [
      "CIDR blocks with text around them, and too many of them",
      {
        name: "news",
        sources: { main: { ...listener, cidrWhitelist: ["x203.0.113.0/24", "203.0.113.0/24x"] } },
        outputs: { mon: { ...monitor, cidrWhitelist: Array(21).fill("203.0.113.0/24") } },
      },
      [
        "sources.main.cidrWhitelist.0: must be an IPv4 CIDR block such as 203.0.113.0/24",
        "sources.main.cidrWhitelist.1: must be an IPv4 CIDR block such as 203.0.113.0/24",
        "outputs.mon.cidrWhitelist: must hold at most 20 CIDR blocks",
      ],
    ],
    [
      "encryption settings the API refuses",
      {
        ...base,
        outputs: {
          a: { ...monitor, encryption: { passphrase: 1234567890 } },
          b: { ...monitor, encryption: { passphrase: "p".repeat(80) } },
          c: { ...monitor, encryption: { passphrase: "0123456789", keyType: "rsa" } },
          d: { ...monitor, encryption: { passphrase: "0123456789", algorithm: "aes512" } },
        },
      },
      [
        "outputs.a.encryption.passphrase: passphrase must be a string",
        "outputs.b.encryption.passphrase: passphrase must be 10-79 characters (SRT's limit)",
        "outputs.c.encryption.keyType: keyType must be one of srt-password, static-key, speke",
        "outputs.d.encryption.algorithm: algorithm must be one of aes128, aes192, aes256",
      ],
    ],
    [
      "a protocol other than SRT",
      { name: "news", sources: { main: { protocol: "rtmp" } } },
      ['sources.main.protocol: protocol must be "srt-listener" or "srt-caller"'],
    ],
    [
      "an empty address, destination or existingFlowId, and enabled not a boolean",
      {
        name: "news",
        sources: { main: { ...caller, address: "" } },
        outputs: { cdn: { ...cdn, destination: "" }, mon: { ...monitor, enabled: "yes" } },
        existingFlowId: "",
      },
      [
        "sources.main.address: address must not be empty",
        "outputs.cdn.destination: destination must not be empty",
        "outputs.mon.enabled: enabled must be true or false",
        "existingFlowId: existingFlowId must not be empty",
      ],
    ],
    [
      "an existingFlowId longer than the API allows",
      { ...base, existingFlowId: "f".repeat(65) },
      ["existingFlowId: existingFlowId must be at most 64 characters (the API's limit)"],
    ],
    [
      "unknown properties of an output, an encryption and the timeouts",
      {
        ...base,
        outputs: { mon: { ...monitor, colour: 1, encryption: { passphrase: "0123456789", x: 1 } } },
        timeouts: { create: "1m", later: "2m" },
      },
      [
        'outputs.mon.encryption.x: unknown property "x"; encryption accepts passphrase, keyType and algorithm',
        'outputs.mon.colour: unknown property "colour"; an output accepts protocol, destination, port, streamId, cidrWhitelist, encryption, enabled, description and minLatency',
        'timeouts.later: unknown property "later"; timeouts accepts create, update and delete',
      ],
    ],
  ];
  for (const [title, raw, expected] of exactCases) {
    it(`reports exactly what is wrong for ${title}`, () => {
      expect(failuresOf(raw)).to.deep.equal(expected);
    });
  }

  it("accepts CIDR blocks, descriptions, an algorithm, nulls for unset inputs, and trims the endpoint", () => {
    const inputs = checked({
      name: "news",
      sources: {
        main: {
          ...listener,
          cidrWhitelist: ["203.0.113.0/24", "10.0.0.0/8"],
          description: "studio",
          decryption: { passphrase: "0123456789abc", algorithm: "aes256" },
        },
      },
      outputs: null,
      existingFlowId: null,
      region: null,
      endpoint: "http://127.0.0.1:8080//",
    });
    expect(inputs).to.deep.equal({
      name: "news",
      endpoint: "http://127.0.0.1:8080",
      sources: {
        main: {
          protocol: "srt-listener",
          cidrWhitelist: ["203.0.113.0/24", "10.0.0.0/8"],
          description: "studio",
          decryption: { passphrase: "0123456789abc", keyType: "srt-password", algorithm: "aes256" },
        },
      },
      outputs: {},
      timeouts: { create: "5m", update: "5m", delete: "5m" },
    });
    expect(
      checked({ ...base, outputs: { mon: { ...monitor, description: "feed" } } }).outputs,
    ).to.deep.equal({ mon: { ...monitor, description: "feed", enabled: true } });
  });

  it("tolerates an unknown passphrase and keeps it unknown", () => {
    const inputs = checked({
      name: "news",
      sources: { main: { protocol: "srt-listener", decryption: { passphrase: UNKNOWN_VALUE } } },
      outputs: { cdn: { ...cdn, port: UNKNOWN_VALUE } },
    });
    expect(inputs.sources.main!.decryption).to.deep.equal({
      passphrase: UNKNOWN_VALUE,
      keyType: "srt-password",
    });
    expect(inputs.outputs.cdn!.port).to.equal(UNKNOWN_VALUE);
  });

  it("counts an input set to undefined as unset, even one Flow does not know", () => {
    expect(checkFlowInputs({ ...base, colour: undefined, outputs: undefined })).to.deep.equal({
      inputs: checked(base),
      failures: [],
    });
  });

  it("tries each stand-in for several unknown numbers at once and fills in the defaults", () => {
    const inputs = checked({
      name: "news",
      sources: { main: { protocol: "srt-listener", minLatency: UNKNOWN_VALUE } },
      outputs: { mon: { protocol: "srt-listener", port: UNKNOWN_VALUE, enabled: UNKNOWN_VALUE } },
    });
    expect(inputs).to.deep.equal({
      name: "news",
      sources: { main: { protocol: "srt-listener", minLatency: UNKNOWN_VALUE } },
      outputs: { mon: { protocol: "srt-listener", port: UNKNOWN_VALUE, enabled: UNKNOWN_VALUE } },
      timeouts: { create: "5m", update: "5m", delete: "5m" },
    });
  });

  it("passes inputs unchanged when only an unknown value is refused by every stand-in", () => {
    for (const cidrWhitelist of [UNKNOWN_VALUE, [UNKNOWN_VALUE]]) {
      const raw = { name: "news", sources: { main: { protocol: "srt-listener", cidrWhitelist } } };
      expect(checkFlowInputs(raw)).to.deep.equal({ inputs: raw, failures: [] });
    }
  });

  it("reports a known bad value beside an unknown one of the same item or another", () => {
    const port = (value: unknown): Record<string, unknown> => ({
      protocol: "srt-listener",
      port: value,
    });
    for (const raw of [
      { name: "news", sources: { main: { ...port(2077), minLatency: UNKNOWN_VALUE } } },
      { name: "news", sources: { main: port(2077) }, outputs: { mon: port(UNKNOWN_VALUE) } },
      { name: "news", sources: { main: { ...port(2077), cidrWhitelist: UNKNOWN_VALUE } } },
      { name: "news", sources: { main: { ...port(2077), cidrWhitelist: [UNKNOWN_VALUE] } } },
    ]) {
      expect(failuresOf(raw)).to.deep.equal(["sources.main.port: 2077 and 2088 are reserved"]);
    }
    expect(failuresOf({ name: 5, sources: { main: port(UNKNOWN_VALUE) } })).to.deep.equal([
      "name: name must be a string",
    ]);
    // A failure of the whole map is reported even though an item inside it is unknown.
    expect(
      failuresOf({ name: "news", sources: { a: port(UNKNOWN_VALUE), b: port(1), c: port(2) } }),
    ).to.deep.equal(["sources: a flow has one or two sources"]);
  });

  it("still reports a known bad value next to an unknown one", () => {
    expect(
      failuresOf({
        name: UNKNOWN_VALUE,
        sources: { main: { protocol: "srt-listener", port: 2088 } },
      }),
    ).to.deep.equal(["sources.main.port: 2077 and 2088 are reserved"]);
  });
});

function state(overrides: Partial<FlowState> = {}): FlowState {
  const inputs = checked({ ...base, outputs: { cdn, monitor } });
  return {
    flowId: "f-1",
    status: "STANDBY",
    name: inputs.name,
    region: "ap-southeast-3",
    projectId: "p",
    endpoint: "https://live.ap-southeast-3.myhuaweicloud.com",
    sources: inputs.sources,
    outputs: inputs.outputs,
    timeouts: inputs.timeouts,
    sourceEndpoints: {},
    outputEndpoints: {},
    settingSources: { projectId: "config", region: "config", endpoint: "region" },
    ...overrides,
  };
}

const location = {
  projectId: "p",
  region: "ap-southeast-3",
  endpoint: "https://live.ap-southeast-3.myhuaweicloud.com",
};

describe("Flow diff", () => {
  const same = checked({ ...base, outputs: { cdn, monitor } });

  it("reports nothing when the declared flow is unchanged, whatever the observed status", () => {
    expect(diffFlow(state({ status: "ACTIVE" }), same, location)).to.deep.equal({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates in place for a changed output, a new output, a changed source or new timeouts", () => {
    const variants = [
      checked({ ...base, outputs: { cdn: { ...cdn, port: 9002 }, monitor } }),
      checked({ ...base, outputs: { cdn, monitor, extra: monitor } }),
      checked({
        name: "news",
        sources: { main: { ...listener, minLatency: 300 } },
        outputs: { cdn, monitor },
      }),
      checked({ ...base, outputs: { cdn, monitor }, timeouts: { create: "1m" } }),
    ];
    for (const news of variants) {
      expect(diffFlow(state(), news, location)).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    }
  });

  it("replaces, deleting first, for a new name, region, project, endpoint or source set", () => {
    const replaced = (news: Record<string, unknown>, where = location): readonly string[] => {
      const decision = diffFlow(state(), news, where);
      expect(decision.changes && decision.deleteBeforeReplace).to.equal(true);
      return decision.replaces;
    };
    expect(replaced({ ...same, name: "other" })).to.deep.equal(["name"]);
    expect(replaced(same, { ...location, region: "ap-southeast-1" })).to.deep.equal(["region"]);
    expect(replaced(same, { ...location, projectId: "q" })).to.deep.equal(["projectId"]);
    expect(replaced(same, { ...location, endpoint: "http://127.0.0.1:1" })).to.deep.equal([
      "endpoint",
    ]);
    expect(replaced({ ...same, sources: { backup: listener } })).to.deep.equal(["sources"]);
    expect(replaced({ ...same, sources: { ...same.sources, backup: caller } })).to.deep.equal([
      "sources",
    ]);
    expect(replaced({ ...same, existingFlowId: "f-2" })).to.deep.equal(["existingFlowId"]);
  });

  it("keeps an adopted flow when existingFlowId is dropped from the program", () => {
    expect(diffFlow(state({ existingFlowId: "f-1" }), same, location).changes).to.equal(false);
  });

  it("treats unknown sources as a possible replacement and unknown leaves as an update", () => {
    expect(diffFlow(state(), { ...same, sources: UNKNOWN_VALUE }, location).replaces).to.deep.equal(
      ["sources"],
    );
    const leaf = {
      ...same,
      sources: { main: { ...same.sources.main, decryption: { passphrase: UNKNOWN_VALUE } } },
    };
    expect(diffFlow(state(), leaf, location)).to.deep.include({ changes: true, replaces: [] });
  });
});

describe("Flow item changes", () => {
  const current = { sources: state().sources, outputs: state().outputs };

  it("makes one modify call for one changed output, sending every field it declares", () => {
    const desired = checked({ ...base, outputs: { cdn: { ...cdn, port: 9002 }, monitor } });
    expect(planItemChanges(current, desired)).to.deep.equal([
      {
        kind: "modifyOutput",
        name: "cdn",
        changes: {
          destination: "cdn.example.com",
          port: 9002,
          streamId: undefined,
          cidrWhitelist: undefined,
          encryption: undefined,
          outputStatus: "ENABLED",
          description: undefined,
          minLatency: undefined,
        },
      },
    ]);
  });

  it("deletes first, then modifies, then creates", () => {
    const desired = checked({
      name: "news",
      sources: { main: { ...listener, minLatency: 120 } },
      outputs: { cdn: { ...cdn, enabled: false }, extra: monitor },
    });
    expect(
      planItemChanges(current, desired).map((change) => `${change.kind} ${change.name}`),
    ).to.deep.equal([
      "deleteOutput monitor",
      "modifySource main",
      "modifyOutput cdn",
      "createOutput extra",
    ]);
  });

  it("sends a changed source whole, passphrase included", () => {
    const desired = checked({
      name: "news",
      sources: { main: { ...listener, streamId: "s1" } },
      outputs: { cdn, monitor },
    });
    const [change] = planItemChanges(current, desired);
    expect(change).to.deep.equal({
      kind: "modifySource",
      name: "main",
      source: {
        name: "main",
        protocol: "srt-listener",
        listenerAddress: undefined,
        listenerPort: undefined,
        streamId: "s1",
        minLatency: undefined,
        cidrWhitelist: undefined,
        description: undefined,
        decryption: { passphrase: "0123456789abc", keyType: "srt-password" },
      },
    });
  });

  it("recreates an output whose protocol changes or that drops a field", () => {
    const protocolChange = checked({
      ...base,
      outputs: { cdn, monitor: { protocol: "srt-caller", destination: "x", port: 1 } },
    });
    expect(
      planItemChanges(current, protocolChange).map((change) => `${change.kind} ${change.name}`),
    ).to.deep.equal(["deleteOutput monitor", "createOutput monitor"]);
    const dropped = checked({ ...base, outputs: { cdn, monitor: { protocol: "srt-listener" } } });
    expect(
      planItemChanges(current, dropped).map((change) => `${change.kind} ${change.name}`),
    ).to.deep.equal(["deleteOutput monitor", "createOutput monitor"]);
  });

  it("makes no call when nothing declared differs", () => {
    expect(planItemChanges(current, checked({ ...base, outputs: { cdn, monitor } }))).to.deep.equal(
      [],
    );
  });
});

describe("Flow refresh mapping", () => {
  const declared = checked({ ...base, outputs: { cdn, monitor } });

  it("takes declared fields from the API, leaves assigned ones out and keeps the passphrase", () => {
    expect(
      refreshedSource(declared.sources.main!, {
        name: "main",
        protocol: "srt-listener",
        listenerAddress: "192.0.2.10",
        listenerPort: 20001,
        decryption: { keyType: "srt-password", passphrase: "******" },
        healthStatus: "CONNECTED",
      }),
    ).to.deep.equal(declared.sources.main);
  });

  it("records a decryption removed or added outside Pulumi", () => {
    expect(
      refreshedSource(declared.sources.main!, { name: "main", protocol: "srt-listener" }),
    ).to.deep.equal({
      protocol: "srt-listener",
    });
    expect(
      refreshedSource(
        { protocol: "srt-listener" },
        {
          name: "main",
          protocol: "srt-listener",
          decryption: { keyType: "srt-password", passphrase: "******" },
        },
      ).decryption,
    ).to.deep.equal({ keyType: "srt-password", passphrase: PASSPHRASE_SET_ELSEWHERE });
  });

  it("shows a changed output field as drift and records an output nobody declared", () => {
    const output: FlowOutputInput = declared.outputs.cdn!;
    expect(
      refreshedOutput(output, {
        name: "cdn",
        protocol: "srt-caller",
        destination: "cdn.example.com",
        port: 9555,
        outputStatus: "DISABLED",
        healthStatus: "DISCONNECTED",
      }),
    ).to.deep.equal({ ...output, port: 9555, enabled: false });
    expect(
      refreshedOutput(undefined, {
        name: "rogue",
        protocol: "srt-listener",
        port: 30001,
        listenerAddress: "192.0.2.11",
        outputStatus: "ENABLED",
        minLatency: 2000,
      }),
    ).to.deep.equal({ protocol: "srt-listener", enabled: true, port: 30001, minLatency: 2000 });
  });
});

describe("Flow diff, edge by edge", () => {
  const same = checked({ ...base, outputs: { cdn, monitor } });
  const decision = (
    olds: Partial<FlowState>,
    news: Record<string, unknown>,
    where: Record<string, string | undefined> = location,
  ): { changes: boolean; replaces: readonly string[] } => {
    const { changes, replaces } = diffFlow(olds, news, where);
    return { changes, replaces };
  };

  it("replaces for a name, project or endpoint still unknown, whatever they resolve to", () => {
    expect(decision(state(), { ...same, name: UNKNOWN_VALUE }).replaces).to.deep.equal(["name"]);
    expect(decision(state(), { ...same, projectId: UNKNOWN_VALUE }).replaces).to.deep.equal([
      "projectId",
    ]);
    expect(decision(state(), { ...same, endpoint: UNKNOWN_VALUE }).replaces).to.deep.equal([
      "endpoint",
    ]);
  });

  it("replaces for a project or endpoint holding an unknown anywhere inside it", () => {
    expect(
      decision(state(), { ...same, projectId: { known: "p", later: UNKNOWN_VALUE } }).replaces,
    ).to.deep.equal(["projectId"]);
    expect(decision(state(), { ...same, endpoint: ["x", UNKNOWN_VALUE] }).replaces).to.deep.equal([
      "endpoint",
    ]);
  });

  it("keeps the flow when region, project or endpoint resolve to nothing", () => {
    for (const missing of ["region", "projectId", "endpoint"]) {
      expect(decision(state(), same, { ...location, [missing]: undefined })).to.deep.equal({
        changes: false,
        replaces: [],
      });
    }
  });

  it("keeps the flow for the same existingFlowId, and for sources declared in another order", () => {
    expect(
      decision(state({ existingFlowId: "f-1" }), { ...same, existingFlowId: "f-1" }),
    ).to.deep.equal({ changes: false, replaces: [] });
    expect(decision(state(), { ...same, existingFlowId: "f-1" })).to.deep.equal({
      changes: false,
      replaces: [],
    });
    const two = { main: same.sources.main!, backup: caller as FlowInputs["sources"][string] };
    expect(
      decision(state({ sources: two }), {
        ...same,
        sources: { main: two.main, backup: two.backup },
      }),
    ).to.deep.equal({ changes: false, replaces: [] });
  });

  it("replaces when the stored state holds no sources it can compare", () => {
    expect(decision(state({ sources: undefined }), same).replaces).to.deep.equal(["sources"]);
  });
});

describe("Flow item changes, edge by edge", () => {
  it("recreates an output whose protocol alone changes", () => {
    const current = { sources: {}, outputs: { cdn: { ...cdn, enabled: true } as FlowOutputInput } };
    const desired = checked({ ...base, outputs: { cdn: { ...cdn, protocol: "srt-listener" } } });
    expect(
      planItemChanges({ ...current, sources: desired.sources }, desired).map(
        (change) => `${change.kind} ${change.name}`,
      ),
    ).to.deep.equal(["deleteOutput cdn", "createOutput cdn"]);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth, drops undefined members and keeps array order", () => {
    expect(canonicalJson({ b: [2, 1, { d: 1, c: undefined }], a: "x" })).to.equal(
      '{"a":"x","b":[2,1,{"d":1}]}',
    );
    expect(canonicalJson(undefined)).to.equal("null");
  });
});

describe("Flow refresh mapping, edge by edge", () => {
  it("takes the protocol and a caller's address from the API, and keeps what it does not report", () => {
    const declared = { ...caller, minLatency: 300, cidrWhitelist: ["203.0.113.0/24"] };
    expect(
      refreshedSource(declared as FlowSourceInput, {
        name: "backup",
        protocol: "srt-caller",
        listenerAddress: "198.51.100.4",
        listenerPort: 9100,
        cidrWhitelist: ["198.51.100.0/24"],
      }),
    ).to.deep.equal({
      protocol: "srt-caller",
      address: "198.51.100.4",
      port: 9100,
      minLatency: 300,
      cidrWhitelist: ["198.51.100.0/24"],
    });
    // A source turned into a listener keeps the declared address: listeners report their own.
    expect(
      refreshedSource(caller as FlowSourceInput, {
        name: "backup",
        protocol: "srt-listener",
        listenerAddress: "192.0.2.9",
        listenerPort: 20_001,
      }),
    ).to.deep.equal({ protocol: "srt-listener", address: "203.0.113.7", port: 20_001 });
  });

  it("takes a protocol changed outside Pulumi", () => {
    expect(
      refreshedSource(
        { protocol: "srt-listener" },
        { name: "main", protocol: "srt-caller", listenerAddress: "198.51.100.4" },
      ),
    ).to.deep.equal({ protocol: "srt-caller" });
  });

  it("keeps the declared protocol when the API reports none or one it does not know", () => {
    for (const protocol of [undefined, "rtmp"]) {
      expect(
        refreshedSource({ protocol: "srt-listener" }, { name: "main", protocol }),
      ).to.deep.equal({ protocol: "srt-listener" });
    }
  });

  it("records the algorithm the API reports on a source's or an output's encryption", () => {
    const observedEncryption = {
      keyType: "srt-password",
      passphrase: "******",
      algorithm: "aes192",
    };
    expect(
      refreshedSource(
        {
          protocol: "srt-listener",
          decryption: { passphrase: "0123456789abc", keyType: "srt-password" },
        },
        { name: "main", protocol: "srt-listener", decryption: observedEncryption },
      ).decryption,
    ).to.deep.equal({ passphrase: "0123456789abc", keyType: "srt-password", algorithm: "aes192" });
    expect(
      refreshedOutput({ ...monitor, enabled: true } as FlowOutputInput, {
        name: "mon",
        protocol: "srt-listener",
        encryption: observedEncryption,
      }).encryption,
    ).to.deep.equal({
      keyType: "srt-password",
      passphrase: "(set outside Pulumi)",
      algorithm: "aes192",
    });
  });

  it("keeps an output's enabled flag when the API reports no status, and defaults it for one found", () => {
    const declared = {
      ...cdn,
      enabled: false,
      cidrWhitelist: ["203.0.113.0/24"],
    } as FlowOutputInput;
    expect(
      refreshedOutput(declared, {
        name: "cdn",
        protocol: "srt-caller",
        cidrWhitelist: ["198.51.100.0/24"],
      }),
    ).to.deep.equal({ ...declared, cidrWhitelist: ["198.51.100.0/24"] });
    expect(refreshedOutput(undefined, { name: "rogue", protocol: "srt-caller" })).to.deep.equal({
      protocol: "srt-caller",
      enabled: true,
    });
    expect(
      refreshedOutput(undefined, {
        name: "rogue",
        protocol: "srt-caller",
        outputStatus: "DISABLED",
      }),
    ).to.deep.equal({ protocol: "srt-caller", enabled: false });
  });

  it("reports endpoints with empty values for what the API leaves out", () => {
    const empty = { protocol: "", address: "", port: 0, healthStatus: "" };
    expect(sourceEndpoint({ name: "main" })).to.deep.equal(empty);
    expect(outputEndpoint({ name: "cdn" })).to.deep.equal(empty);
    expect(outputEndpoint({ name: "cdn", destination: "cdn.example.com" }).address).to.equal(
      "cdn.example.com",
    );
  });

  it("reports as inputs exactly the location given as input and the adopted flow id", () => {
    const refreshed = state({
      existingFlowId: "f-1",
      settingSources: { projectId: "input", region: "input", endpoint: "input" },
    });
    expect(flowInputsAfterRefresh(refreshed)).to.deep.equal({
      name: "news",
      sources: refreshed.sources,
      outputs: refreshed.outputs,
      timeouts: refreshed.timeouts,
      existingFlowId: "f-1",
      projectId: "p",
      region: "ap-southeast-3",
      endpoint: "https://live.ap-southeast-3.myhuaweicloud.com",
    });
    expect(Object.keys(flowInputsAfterRefresh(state()))).to.deep.equal([
      "name",
      "sources",
      "outputs",
      "timeouts",
    ]);
  });
});

describe("Flow update preview", () => {
  const endpoint = (port: number) => ({
    protocol: "srt-listener",
    address: "192.0.2.1",
    port,
    healthStatus: "CONNECTED",
  });
  const stored = state({
    status: "ACTIVE",
    sourceEndpoints: { main: endpoint(20_000) },
    outputEndpoints: { cdn: endpoint(9001), monitor: endpoint(20_001) },
  });

  it("keeps the endpoints of untouched items and leaves those of changed or new ones unknown", () => {
    const news = checked({
      ...base,
      outputs: { cdn, monitor: { ...monitor, minLatency: 900 }, extra: monitor },
      timeouts: { update: "1m" },
    });
    expect(previewUpdatedState(stored, news)).to.deep.equal({
      ...stored,
      timeouts: { create: "5m", update: "1m", delete: "5m" },
      outputs: news.outputs,
      sourceEndpoints: { main: endpoint(20_000) },
      outputEndpoints: { cdn: endpoint(9001), monitor: UNKNOWN_VALUE, extra: UNKNOWN_VALUE },
    });
  });

  it("leaves a changed source's endpoint unknown, and every endpoint of a map still unknown", () => {
    const changed = checked({
      name: "news",
      sources: { main: { ...listener, minLatency: 300 } },
      outputs: { cdn, monitor },
    });
    const preview = previewUpdatedState(stored, changed);
    expect(preview.sourceEndpoints).to.deep.equal({ main: UNKNOWN_VALUE });
    expect(preview.outputEndpoints).to.deep.equal(stored.outputEndpoints);
    const unknown = previewUpdatedState(stored, {
      ...changed,
      sources: UNKNOWN_VALUE,
      outputs: UNKNOWN_VALUE,
    });
    expect(unknown).to.deep.include({
      sources: UNKNOWN_VALUE,
      outputs: UNKNOWN_VALUE,
      sourceEndpoints: UNKNOWN_VALUE,
      outputEndpoints: UNKNOWN_VALUE,
    });
  });

  it("records no outputs when none are declared, and an untouched item without an endpoint as unknown", () => {
    const preview = previewUpdatedState(state({ sourceEndpoints: {}, outputEndpoints: {} }), {
      name: "news",
      sources: checked(base).sources,
      timeouts: stored.timeouts,
    });
    expect(preview).to.deep.include({ outputs: {}, outputEndpoints: {} });
    expect(preview.sourceEndpoints).to.deep.equal({ main: UNKNOWN_VALUE });
    expect(preview).not.to.have.property("existingFlowId");
  });

  it("records the new name and an existingFlowId given", () => {
    const preview = previewUpdatedState(state({ existingFlowId: "f-1" }), {
      ...checked({ ...base, outputs: { cdn, monitor } }),
      name: "renamed",
      existingFlowId: "f-2",
    });
    expect(preview).to.include({ name: "renamed", existingFlowId: "f-2", flowId: "f-1" });
    expect(previewUpdatedState(state({ existingFlowId: "f-1" }), checked(base))).to.include({
      existingFlowId: "f-1",
    });
  });
});

describe("check failures and JSON hygiene", () => {
  const accepted = (): string => "accepts a and b";

  it("names the inputs themselves for an issue at the root, and keeps a message with no input", () => {
    expect(
      failuresOfIssue({ code: "custom", path: [], message: "not an object", input: 1 }, accepted),
    ).to.deep.equal([{ property: "(inputs)", reason: "not an object" }]);
    expect(
      failuresOfIssue({ code: "custom", path: ["a"], message: "a is odd" }, accepted),
    ).to.deep.equal([{ property: "a", reason: "a is odd" }]);
  });

  it("takes only plain objects for records and drops undefined members at every depth", () => {
    expect([isRecord({}), isRecord([]), isRecord(null), isRecord("x")]).to.deep.equal([
      true,
      false,
      false,
      false,
    ]);
    expect(
      withoutUndefined({ a: undefined, b: { c: undefined, d: [1, { e: undefined }] } }),
    ).to.deep.equal({ b: { d: [1, {}] } });
    expect(Object.keys(withoutUndefined({ a: undefined, b: 1 }))).to.deep.equal(["b"]);
  });
});
