/**
 * Flow's pure decisions: input checking (failures named by property, unknowns tolerated), the diff
 * the engine gets, the item calls an update makes, and how a refresh maps observed items back.
 */
import { expect } from "chai";
import { checkFlowInputs, type FlowInputs, type FlowOutputInput } from "../resources/flow/inputs";
import {
  diffFlow,
  PASSPHRASE_SET_ELSEWHERE,
  planItemChanges,
  refreshedOutput,
  refreshedSource,
  type FlowState,
} from "../resources/flow/plan";
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
