import { expect } from "chai";
/**
 * The simulator's sources and outputs over real HTTP: modify a source, create, show, modify and
 * delete outputs, the passphrase mask, health status, and the flow-level rules that came with them
 * (name rule, duplicate names, no delete while ACTIVE). Requests are signed with the provider's
 * `signRequest` and sent with undici; each test asserts what a later read shows and what the journal
 * recorded, not only the status code.
 */
import { request, type Dispatcher } from "undici";

import { signRequest, type SigningCredentials } from "../client/signer";
import {
  SECRET_MASK,
  SIMULATOR_DEFAULTS,
  startSimulator,
  type FlowSeed,
  type JournalEntry,
  type Simulator,
} from "../simulator/index";

const CREDENTIALS: SigningCredentials = {
  accessKey: SIMULATOR_DEFAULTS.accessKey,
  secretKey: SIMULATOR_DEFAULTS.secretKey,
  projectId: SIMULATOR_DEFAULTS.projectId,
};
const FLOW_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const SOURCE_SECRET = "source-passphrase-1234";
const OUTPUT_SECRET = "output-passphrase-5678";
const GENERIC_INVALID = { error_code: "LIVE.100011001", error_msg: "Invalid request parameter." };
const ALREADY_EXISTS = { error_code: "LIVE.103011018", error_msg: "The resource already exists." };

interface Answer {
  status: number;
  body: unknown;
}

/**
 * Sends one signed request to `/v1/{project}{relativePath}` and parses the JSON answer.
 *
 * @param body - a value sent as JSON, or a string sent as it is
 */
async function call(
  simulator: Simulator,
  method: string,
  relativePath: string,
  body?: unknown,
): Promise<Answer> {
  const url = `${simulator.url}/v1/${simulator.projectId}${relativePath}`;
  const text =
    body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const headers = signRequest(
    { method, url, headers: { "content-type": "application/json;charset=utf-8" }, body: text },
    CREDENTIALS,
    new Date(),
  );
  const response = await request(url, {
    method: method as Dispatcher.HttpMethod,
    headers,
    body: text,
  });
  return { status: response.statusCode, body: await response.body.json() };
}

/** Resolves with the rejection of `promise`, failing when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the request to fail");
}

const LISTENER_SOURCE = {
  name: "primary",
  protocol: "srt-listener",
  min_latency: 1200,
  cidr_whitelist: ["198.51.100.0/24"],
  decryption: { algorithm: "aes256", key_type: "srt-password", passphrase: SOURCE_SECRET },
} as const;
const CALLER_SOURCE = {
  name: "backup",
  protocol: "srt-caller",
  source_listener_address: "203.0.113.7",
  source_listener_port: 9000,
  stream_id: "backup-feed",
} as const;
const LISTENER_OUTPUT = {
  name: "pull-out",
  protocol: "srt-listener",
  cidr_whitelist: ["198.51.100.10/32"],
  encryption: { key_type: "srt-password", passphrase: OUTPUT_SECRET },
} as const;
const CALLER_OUTPUT = {
  name: "push_out",
  protocol: "srt-caller",
  destination: "cdn.example.com",
  port: 7001,
  stream_id: "push",
  min_latency: 300,
  description: "to the CDN",
} as const;

describe("simulator flow sources and outputs", () => {
  let simulator: Simulator;

  /** Starts a simulator with one STANDBY flow: a listener source with decryption and a caller. */
  async function launch(seed: FlowSeed = {}): Promise<void> {
    simulator = await startSimulator({
      flows: [
        {
          flowId: FLOW_ID,
          name: "news",
          sources: [{ ...LISTENER_SOURCE }, { ...CALLER_SOURCE }],
          ...seed,
        },
      ],
    });
  }

  const last = (): JournalEntry => simulator.journal.at(-1)!;
  const detail = async (query = ""): Promise<Record<string, unknown>> =>
    (await call(simulator, "GET", `/flows/detail?flow_id=${FLOW_ID}${query}`)).body as Record<
      string,
      unknown
    >;
  const createOutputs = (outputs: unknown) =>
    call(simulator, "POST", `/flows/outputs?flow_id=${FLOW_ID}`, outputs);
  const showOutput = (name: string, query = "") =>
    call(simulator, "GET", `/flows/outputs?flow_id=${FLOW_ID}&output_name=${name}${query}`);
  const outputNames = (): string[] =>
    (simulator.getFlowOutputs(FLOW_ID) ?? []).map((output) => output.name);

  beforeEach(async () => {
    await launch();
  });
  afterEach(async () => {
    await simulator.close();
  });

  describe("sources", () => {
    it("creates a flow with two sources: the listener gets an address and a port, the caller keeps its remote", async () => {
      const answer = await call(simulator, "POST", "/flows", {
        name: "sports",
        region: "ap-southeast-3",
        sources: [LISTENER_SOURCE, CALLER_SOURCE],
      });
      expect(answer.status).to.equal(200);
      const { flow } = answer.body as { flow: { flow_id: string; sources: unknown[] } };
      // The seeded flow took 192.0.2.1 and port 20000; this is the simulator's second flow.
      expect(flow.sources).to.deep.equal([
        {
          source_listener_address: "192.0.2.2",
          source_listener_port: 20001,
          min_latency: 1200,
          cidr_whitelist: ["198.51.100.0/24"],
          protocol: "srt-listener",
          name: "primary",
          decryption: { algorithm: "aes256", key_type: "srt-password", passphrase: SECRET_MASK },
          health_status: "DISCONNECTED",
        },
        { ...CALLER_SOURCE, health_status: "DISCONNECTED" },
      ]);
      expect(simulator.getFlowSources(flow.flow_id)?.[0]?.decryption?.passphrase).to.equal(
        SOURCE_SECRET,
      );
      expect(simulator.getFlow(flow.flow_id)).to.include({
        status: "STANDBY",
        protocol: "srt-listener",
      });
      expect(last()).to.include({ route: "create", status: 200, flowId: flow.flow_id });
    });

    it("keeps a listener port that is given, and refuses 2077 and 2088", async () => {
      const created = await call(simulator, "POST", "/flows", {
        name: "ported",
        sources: [{ name: "in", protocol: "srt-listener", source_listener_port: 31000 }],
      });
      const { flow } = created.body as { flow: { sources: { source_listener_port: number }[] } };
      expect(flow.sources[0]!.source_listener_port).to.equal(31000);
      for (const port of [2077, 2088]) {
        const answer = await call(simulator, "POST", "/flows", {
          name: `refused${port}`,
          sources: [{ name: "in", protocol: "srt-listener", source_listener_port: port }],
        });
        expect([answer.status, answer.body]).to.deep.equal([400, GENERIC_INVALID]);
        expect(last().reason).to.equal(
          "sources[0].source_listener_port is 2077 or 2088, which the API does not allow",
        );
      }
      expect(simulator.listFlows().map((flow) => flow.name)).to.deep.equal(["news", "ported"]);
    });

    it("refuses sources outside the documented rules with the generic 400, naming the rule in the journal", async () => {
      const ok = { name: "in", protocol: "srt-caller" };
      const cases: [unknown[], string][] = [
        [[ok, { ...ok, name: "b" }, { ...ok, name: "c" }], "not 1 or 2 sources"],
        [[ok, { ...ok }], "two sources named in"],
        [
          [{ ...ok, name: "1st" }],
          "sources[0].name does not start with a letter, holds characters other than letters, digits, - and _, or is longer than 64",
        ],
        [[{ ...ok, min_latency: 1.5 }], "sources[0].min_latency is not an integer of 0 or more"],
        [
          [{ ...ok, cidr_whitelist: Array.from({ length: 21 }, (_, i) => `10.0.${i}.0/24`) }],
          "sources[0].cidr_whitelist is not a list of at most 20 strings",
        ],
        [
          [{ ...ok, decryption: { key_type: "static-key", passphrase: "x" } }],
          "sources[0].decryption.key_type is not srt-password, the only key type the API supports",
        ],
        [
          [{ ...ok, decryption: { key_type: "pgp", passphrase: "x" } }],
          "sources[0].decryption.key_type is not one of speke, static-key, srt-password",
        ],
        [
          [{ ...ok, decryption: { key_type: "srt-password", algorithm: "des", passphrase: "x" } }],
          "sources[0].decryption.algorithm is not one of aes128, aes192, aes256",
        ],
        [
          [{ ...ok, decryption: { key_type: "srt-password" } }],
          "sources[0].decryption.passphrase is missing or empty",
        ],
        [
          [{ ...ok, source_listener_port: 70000 }],
          "sources[0].source_listener_port is not an integer from 1 to 65535",
        ],
        [
          [
            { name: "a", protocol: "srt-listener", source_listener_port: 30000 },
            { name: "b", protocol: "srt-listener", source_listener_port: 30000 },
          ],
          "listener port 30000 is already used in the flow",
        ],
      ];
      for (const [sources, reason] of cases) {
        const answer = await call(simulator, "POST", "/flows", { name: "refused", sources });
        expect([answer.status, answer.body], reason).to.deep.equal([400, GENERIC_INVALID]);
        expect(last().reason).to.equal(reason);
      }
      expect(simulator.listFlows()).to.have.length(1);
    });
  });

  describe("flows", () => {
    it("follows the console's name rule: a letter first, at most 64 letters, digits, - and _", async () => {
      const sources = [{ name: "in", protocol: "srt-caller" }];
      for (const name of ["1news", "news desk", "news.desk", `n${"x".repeat(64)}`]) {
        const answer = await call(simulator, "POST", "/flows", { name, sources });
        expect([answer.status, answer.body], name).to.deep.equal([400, GENERIC_INVALID]);
        expect(last().reason).to.match(/^name does not start with a letter/);
      }
      const longest = `N${"a-_9".repeat(15)}xyz`;
      expect(longest).to.have.length(64);
      expect((await call(simulator, "POST", "/flows", { name: longest, sources })).status).to.equal(
        200,
      );
    });

    it("refuses a flow name already used in the project with LIVE.103011018", async () => {
      const answer = await call(simulator, "POST", "/flows", {
        name: "news",
        sources: [{ name: "in", protocol: "srt-caller" }],
      });
      expect([answer.status, answer.body]).to.deep.equal([400, ALREADY_EXISTS]);
      expect(last()).to.include({
        errorCode: "LIVE.103011018",
        reason: "a flow named news already exists in the project",
      });
      expect(simulator.listFlows().map((flow) => flow.name)).to.deep.equal(["news"]);
    });

    it("refuses to delete an ACTIVE flow; once stopped, the delete goes through", async () => {
      await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      const refused = await call(simulator, "DELETE", `/flows?flow_id=${FLOW_ID}`);
      expect([refused.status, refused.body]).to.deep.equal([400, GENERIC_INVALID]);
      expect(last()).to.include({
        route: "delete",
        flowId: FLOW_ID,
        reason: "delete of an ACTIVE flow (stop it first)",
      });
      expect(simulator.getFlow(FLOW_ID)?.status).to.equal("ACTIVE");
      await call(simulator, "PUT", `/flows/stop?flow_id=${FLOW_ID}`);
      const deleted = await call(simulator, "DELETE", `/flows?flow_id=${FLOW_ID}`);
      expect([deleted.status, deleted.body]).to.deep.equal([
        200,
        { flow_id: FLOW_ID, status: "STANDBY" },
      ]);
      expect(simulator.getFlow(FLOW_ID)).to.equal(undefined);
    });
  });

  describe("passphrases", () => {
    it("masks them in the detail unless data_display=true, and refuses any other data_display", async () => {
      const masked = (await detail()) as { sources: { decryption?: { passphrase: string } }[] };
      expect(masked.sources[0]!.decryption).to.deep.equal({
        algorithm: "aes256",
        key_type: "srt-password",
        passphrase: SECRET_MASK,
      });
      const revealed = (await detail("&data_display=true")) as typeof masked;
      expect(revealed.sources[0]!.decryption?.passphrase).to.equal(SOURCE_SECRET);
      const other = await call(
        simulator,
        "GET",
        `/flows/detail?flow_id=${FLOW_ID}&data_display=false`,
      );
      expect([other.status, other.body]).to.deep.equal([400, GENERIC_INVALID]);
      expect(last().reason).to.equal('data_display is not "true"');
      expect(SECRET_MASK).to.equal("******");
    });

    it("masks them in every output answer unless showOutput asks for data_display=true", async () => {
      const created = await createOutputs([LISTENER_OUTPUT]);
      const { outputs } = created.body as { outputs: { encryption: { passphrase: string } }[] };
      expect(outputs[0]!.encryption.passphrase).to.equal(SECRET_MASK);
      const modified = await call(
        simulator,
        "PUT",
        `/flows/outputs?flow_id=${FLOW_ID}&output_name=pull-out`,
        { description: "changed" },
      );
      expect(
        (modified.body as { encryption: { passphrase: string } }).encryption.passphrase,
      ).to.equal(SECRET_MASK);
      const shown = (await showOutput("pull-out")).body as { encryption: { passphrase: string } };
      expect(shown.encryption).to.deep.equal({ key_type: "srt-password", passphrase: SECRET_MASK });
      const revealed = (await showOutput("pull-out", "&data_display=true")).body as typeof shown;
      expect(revealed.encryption.passphrase).to.equal(OUTPUT_SECRET);
      expect(simulator.getFlowOutputs(FLOW_ID)?.[0]?.encryption?.passphrase).to.equal(
        OUTPUT_SECRET,
      );
    });

    it("never reach the journal", async () => {
      await createOutputs([LISTENER_OUTPUT]);
      await showOutput("pull-out", "&data_display=true");
      await detail("&data_display=true");
      await call(simulator, "PUT", `/flows/sources?flow_id=${FLOW_ID}&source_name=primary`, {
        source: LISTENER_SOURCE,
      });
      const journal = JSON.stringify(simulator.journal);
      expect(journal).not.to.include(SOURCE_SECRET);
      expect(journal).not.to.include(OUTPUT_SECRET);
    });
  });

  describe("health status", () => {
    it("is CONNECTED while the flow is ACTIVE (outputs: and ENABLED), DISCONNECTED otherwise", async () => {
      await createOutputs([LISTENER_OUTPUT, { ...CALLER_OUTPUT, output_status: "DISABLED" }]);
      const health = async () => {
        const sources = ((await detail()) as { sources: { health_status: string }[] }).sources;
        const outputs = await Promise.all(
          ["pull-out", "push_out"].map(
            async (name) =>
              ((await showOutput(name)).body as { health_status: string }).health_status,
          ),
        );
        return { sources: sources.map((source) => source.health_status), outputs };
      };
      expect(await health()).to.deep.equal({
        sources: ["DISCONNECTED", "DISCONNECTED"],
        outputs: ["DISCONNECTED", "DISCONNECTED"],
      });
      await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      expect(await health()).to.deep.equal({
        sources: ["CONNECTED", "CONNECTED"],
        outputs: ["CONNECTED", "DISCONNECTED"],
      });
      await call(simulator, "PUT", `/flows/outputs?flow_id=${FLOW_ID}&output_name=push_out`, {
        output_status: "ENABLED",
      });
      expect((await health()).outputs).to.deep.equal(["CONNECTED", "CONNECTED"]);
      await call(simulator, "PUT", `/flows/stop?flow_id=${FLOW_ID}`);
      expect(await health()).to.deep.equal({
        sources: ["DISCONNECTED", "DISCONNECTED"],
        outputs: ["DISCONNECTED", "DISCONNECTED"],
      });
    });
  });

  describe("modifySources", () => {
    const modify = (sourceName: string, body: unknown, flowId = FLOW_ID) =>
      call(simulator, "PUT", `/flows/sources?flow_id=${flowId}&source_name=${sourceName}`, body);

    it("replaces the named source, answers {flow_id, source} masked, and works while ACTIVE", async () => {
      await call(simulator, "PUT", `/flows/start?flow_id=${FLOW_ID}`);
      const replacement = {
        name: "primary",
        protocol: "srt-listener",
        stream_id: "main",
        decryption: { key_type: "srt-password", passphrase: "new-passphrase-0001" },
      };
      const answer = await modify("primary", { source: replacement });
      expect(answer.status).to.equal(200);
      // No port given: the listener keeps the one it had.
      expect(answer.body).to.deep.equal({
        flow_id: FLOW_ID,
        source: {
          source_listener_address: "192.0.2.1",
          source_listener_port: 20000,
          stream_id: "main",
          protocol: "srt-listener",
          name: "primary",
          decryption: { key_type: "srt-password", passphrase: SECRET_MASK },
          health_status: "CONNECTED",
        },
      });
      const sources = simulator.getFlowSources(FLOW_ID)!;
      expect(sources.map((source) => source.name)).to.deep.equal(["primary", "backup"]);
      expect(sources[0]).to.deep.equal({
        ...replacement,
        source_listener_address: "192.0.2.1",
        source_listener_port: 20000,
      });
      expect(last()).to.deep.include({
        method: "PUT",
        path: `/v1/${simulator.projectId}/flows/sources`,
        route: "modifySources",
        query: { flow_id: FLOW_ID, source_name: "primary" },
        flowId: FLOW_ID,
        status: 200,
      });
    });

    it("turns the first source into a caller, which keeps its remote, and ListFlows reports the new protocol", async () => {
      const caller = {
        name: "primary",
        protocol: "srt-caller",
        source_listener_address: "203.0.113.9",
        source_listener_port: 9100,
      };
      const answer = await modify("primary", { source: caller });
      expect((answer.body as { source: unknown }).source).to.deep.equal({
        ...caller,
        health_status: "DISCONNECTED",
      });
      const list = (await call(simulator, "GET", "/flows")).body as {
        flows: { protocol: string }[];
      };
      expect(list.flows[0]!.protocol).to.equal("srt-caller");
    });

    it("refuses an unknown or missing source_name, a renamed source, a bad body and a taken port", async () => {
      await createOutputs([{ name: "out", protocol: "srt-listener", port: 25000 }]);
      const before = simulator.getFlowSources(FLOW_ID);
      const cases: [() => Promise<Answer>, string][] = [
        [() => modify("nobody", { source: LISTENER_SOURCE }), "unknown source_name"],
        [
          () =>
            call(simulator, "PUT", `/flows/sources?flow_id=${FLOW_ID}`, {
              source: LISTENER_SOURCE,
            }),
          "source_name missing or empty",
        ],
        [
          () => modify("primary", { source: { ...LISTENER_SOURCE, name: "renamed" } }),
          "source.name differs from source_name (a source cannot be renamed)",
        ],
        [() => modify("primary", { other: 1 }), "body lacks a source object"],
        [() => modify("primary", "{not json"), "body is not JSON"],
        [
          () => modify("primary", { source: { ...LISTENER_SOURCE, source_listener_port: 2088 } }),
          "source.source_listener_port is 2077 or 2088, which the API does not allow",
        ],
        [
          () => modify("primary", { source: { ...LISTENER_SOURCE, source_listener_port: 25000 } }),
          "listener port 25000 is already used in the flow",
        ],
        [
          () => modify("primary", { source: { name: "primary", protocol: "rtmp" } }),
          "source lacks a name or a protocol of srt-listener or srt-caller",
        ],
        [() => modify("primary", { source: LISTENER_SOURCE }, "missing-flow"), "unknown flow_id"],
      ];
      for (const [send, reason] of cases) {
        const answer = await send();
        expect([answer.status, answer.body], reason).to.deep.equal([400, GENERIC_INVALID]);
        expect(last()).to.include({ route: "modifySources", reason });
      }
      expect(simulator.getFlowSources(FLOW_ID)).to.deep.equal(before);
    });
  });

  describe("createOutputs", () => {
    it("adds outputs and answers every output of the flow as FlowsOutput", async () => {
      const first = await createOutputs([LISTENER_OUTPUT]);
      expect(first.status).to.equal(200);
      const listener = {
        cidr_whitelist: ["198.51.100.10/32"],
        name: "pull-out",
        encryption: { key_type: "srt-password", passphrase: SECRET_MASK },
        output_status: "ENABLED",
        listener_address: "192.0.2.1",
        port: 20001,
        protocol: "srt-listener",
        min_latency: 2000,
        health_status: "DISCONNECTED",
        type: "srt-listener",
      };
      expect(first.body).to.deep.equal({ flow_id: FLOW_ID, outputs: [listener] });
      const second = await createOutputs([CALLER_OUTPUT]);
      expect(second.body).to.deep.equal({
        flow_id: FLOW_ID,
        outputs: [
          listener,
          {
            ...CALLER_OUTPUT,
            output_status: "ENABLED",
            health_status: "DISCONNECTED",
            type: "srt-caller",
          },
        ],
      });
      expect((await detail()).outputs).to.deep.equal([
        { name: "pull-out", type: "srt-listener" },
        { name: "push_out", type: "srt-caller" },
      ]);
      expect(last()).to.deep.include({ route: "detail", status: 200 });
      expect(
        simulator.journal
          .filter((entry) => entry.route === "createOutputs")
          .map((entry) => [entry.method, entry.query, entry.status]),
      ).to.deep.equal([
        ["POST", { flow_id: FLOW_ID }, 200],
        ["POST", { flow_id: FLOW_ID }, 200],
      ]);
    });

    it("refuses a name already in the flow or twice in one request with LIVE.103011018", async () => {
      await createOutputs([CALLER_OUTPUT]);
      const taken = await createOutputs([{ ...LISTENER_OUTPUT, name: "push_out" }]);
      expect([taken.status, taken.body]).to.deep.equal([400, ALREADY_EXISTS]);
      expect(last()).to.include({
        errorCode: "LIVE.103011018",
        reason: "an output named push_out already exists in the flow",
      });
      const twice = await createOutputs([LISTENER_OUTPUT, { ...CALLER_OUTPUT, name: "pull-out" }]);
      expect([twice.status, twice.body]).to.deep.equal([400, ALREADY_EXISTS]);
      expect(last().reason).to.equal("two outputs named pull-out in the request");
      expect(outputNames()).to.deep.equal(["push_out"]);
    });

    it("is all or nothing: one invalid output leaves the flow's outputs as they were", async () => {
      const answer = await createOutputs([LISTENER_OUTPUT, { ...CALLER_OUTPUT, min_latency: 9 }]);
      expect([answer.status, answer.body]).to.deep.equal([400, GENERIC_INVALID]);
      expect(last().reason).to.equal("outputs[1].min_latency is not an integer from 10 to 15000");
      expect(simulator.getFlowOutputs(FLOW_ID)).to.deep.equal([]);
      expect((await detail()).outputs).to.deep.equal([]);
    });

    it("refuses bodies and fields outside the documented rules with the generic 400", async () => {
      const ok = { name: "out", protocol: "srt-caller" };
      const cases: [unknown, string][] = [
        [{ outputs: [ok] }, "body is not a JSON array"],
        [[], "body is an empty array"],
        [
          [{ ...ok, name: "_out" }],
          "outputs[0].name does not start with a letter or holds characters other than letters, digits, - and _",
        ],
        [
          [{ name: "out", protocol: "rtmp" }],
          "outputs[0] lacks a name or a protocol of srt-listener or srt-caller",
        ],
        [
          [{ ...ok, min_latency: 15001 }],
          "outputs[0].min_latency is not an integer from 10 to 15000",
        ],
        [
          [{ ...ok, destination: "d".repeat(65) }],
          "outputs[0].destination is not a string of at most 64 characters",
        ],
        [
          [{ ...ok, output_status: "PAUSED" }],
          "outputs[0].output_status is not one of ENABLED, DISABLED",
        ],
        [
          [{ ...ok, cidr_whitelist: Array.from({ length: 21 }, () => "10.0.0.0/8") }],
          "outputs[0].cidr_whitelist is not a list of at most 20 strings",
        ],
        [
          [{ name: "taken", protocol: "srt-listener", port: 20000 }],
          "listener port 20000 is already used in the flow",
        ],
        ["[", "body is not JSON"],
      ];
      for (const [body, reason] of cases) {
        const answer = await createOutputs(body);
        expect([answer.status, answer.body], reason).to.deep.equal([400, GENERIC_INVALID]);
        expect(last()).to.include({ route: "createOutputs", reason });
      }
      expect(outputNames()).to.deep.equal([]);
    });
  });

  describe("showOutput, modifyOutput, deleteOutput", () => {
    beforeEach(async () => {
      await createOutputs([LISTENER_OUTPUT, CALLER_OUTPUT]);
    });
    const modify = (name: string, body: unknown) =>
      call(simulator, "PUT", `/flows/outputs?flow_id=${FLOW_ID}&output_name=${name}`, body);

    it("shows one output as FlowsOutput", async () => {
      const answer = await showOutput("push_out");
      expect([answer.status, answer.body]).to.deep.equal([
        200,
        {
          ...CALLER_OUTPUT,
          output_status: "ENABLED",
          health_status: "DISCONNECTED",
          type: "srt-caller",
        },
      ]);
      expect(last()).to.deep.include({
        method: "GET",
        route: "showOutput",
        query: { flow_id: FLOW_ID, output_name: "push_out" },
        flowId: FLOW_ID,
      });
    });

    it("modifies only the fields in the body, keeping name, protocol and the rest", async () => {
      const answer = await modify("push_out", {
        destination: "203.0.113.50",
        min_latency: 4000,
        name: "push_out",
      });
      const changed = {
        ...CALLER_OUTPUT,
        destination: "203.0.113.50",
        min_latency: 4000,
        output_status: "ENABLED",
        health_status: "DISCONNECTED",
        type: "srt-caller",
      };
      expect([answer.status, answer.body]).to.deep.equal([200, changed]);
      expect((await showOutput("push_out")).body).to.deep.equal(changed);
      expect(simulator.getFlowOutputs(FLOW_ID)?.[0]).to.include({ name: "pull-out", port: 20001 });
      expect(simulator.journal.find((entry) => entry.route === "modifyOutput")).to.deep.include({
        method: "PUT",
        query: { flow_id: FLOW_ID, output_name: "push_out" },
        status: 200,
      });
    });

    it("refuses an unknown or missing output, a changed name or protocol and bad fields", async () => {
      const before = simulator.getFlowOutputs(FLOW_ID);
      const cases: [() => Promise<Answer>, string, string][] = [
        [() => showOutput("nothing"), "showOutput", "unknown output_name"],
        [
          () => call(simulator, "GET", `/flows/outputs?flow_id=${FLOW_ID}`),
          "showOutput",
          "output_name missing or empty",
        ],
        [
          () => showOutput("push_out", "&data_display=yes"),
          "showOutput",
          'data_display is not "true"',
        ],
        [() => modify("nothing", { port: 1 }), "modifyOutput", "unknown output_name"],
        [
          () => modify("push_out", { protocol: "srt-listener" }),
          "modifyOutput",
          "name or protocol differs from the output's (neither can change)",
        ],
        [
          () => modify("push_out", { name: "renamed" }),
          "modifyOutput",
          "name or protocol differs from the output's (neither can change)",
        ],
        [
          () => modify("push_out", { port: 0 }),
          "modifyOutput",
          "body.port is not an integer from 1 to 65535",
        ],
        [() => modify("push_out", [1]), "modifyOutput", "body is not a JSON object"],
        [
          () => modify("pull-out", { port: 20000 }),
          "modifyOutput",
          "listener port 20000 is already used in the flow",
        ],
        [
          () => call(simulator, "DELETE", `/flows/outputs?flow_id=${FLOW_ID}&output_name=nothing`),
          "deleteOutput",
          "unknown output_name",
        ],
        [
          () => call(simulator, "DELETE", `/flows/outputs?flow_id=other&output_name=push_out`),
          "deleteOutput",
          "unknown flow_id",
        ],
      ];
      for (const [send, route, reason] of cases) {
        const answer = await send();
        expect([answer.status, answer.body], reason).to.deep.equal([400, GENERIC_INVALID]);
        expect(last(), reason).to.include({ route, reason });
      }
      expect(simulator.getFlowOutputs(FLOW_ID)).to.deep.equal(before);
    });

    it("deletes one output and answers {flow_id, output_name}", async () => {
      const answer = await call(
        simulator,
        "DELETE",
        `/flows/outputs?flow_id=${FLOW_ID}&output_name=pull-out`,
      );
      expect([answer.status, answer.body]).to.deep.equal([
        200,
        { flow_id: FLOW_ID, output_name: "pull-out" },
      ]);
      expect(outputNames()).to.deep.equal(["push_out"]);
      expect((await detail()).outputs).to.deep.equal([{ name: "push_out", type: "srt-caller" }]);
      expect((await showOutput("pull-out")).status).to.equal(400);
      expect(
        simulator.requestCount({ route: "deleteOutput", method: "DELETE", status: 200 }),
      ).to.equal(1);
    });
  });

  describe("faults on the new routes", () => {
    it("reset with afterApply on createOutputs: the outputs exist though the answer was lost", async () => {
      simulator.injectFault("createOutputs", { kind: "reset", afterApply: true });
      await rejectionOf(createOutputs([CALLER_OUTPUT]));
      expect(outputNames()).to.deep.equal(["push_out"]);
      expect(simulator.journal[0]).to.include({
        route: "createOutputs",
        status: "reset",
        fault: "reset",
        flowId: FLOW_ID,
      });
      // The blind retry meets the output it created.
      const retry = await createOutputs([CALLER_OUTPUT]);
      expect([retry.status, retry.body]).to.deep.equal([400, ALREADY_EXISTS]);
    });

    it("hang with afterApply on modifySources and deleteOutput: applied, never answered", async () => {
      await createOutputs([CALLER_OUTPUT]);
      simulator.injectFault("modifySources", { kind: "hang", afterApply: true });
      simulator.injectFault("deleteOutput", { kind: "hang", afterApply: true });
      const url = `${simulator.url}/v1/${simulator.projectId}`;
      const send = (method: string, path: string, body?: unknown) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const headers = signRequest(
          { method, url: url + path, headers: {}, body: text },
          CREDENTIALS,
          new Date(),
        );
        return request(url + path, {
          method: method as Dispatcher.HttpMethod,
          headers,
          body: text,
          headersTimeout: 200,
        });
      };
      await rejectionOf(
        send("PUT", `/flows/sources?flow_id=${FLOW_ID}&source_name=backup`, {
          source: { ...CALLER_SOURCE, stream_id: "changed" },
        }),
      );
      await rejectionOf(send("DELETE", `/flows/outputs?flow_id=${FLOW_ID}&output_name=push_out`));
      expect(simulator.getFlowSources(FLOW_ID)?.[1]?.stream_id).to.equal("changed");
      expect(outputNames()).to.deep.equal([]);
      expect(
        simulator.journal.slice(-2).map((entry) => [entry.route, entry.status, entry.fault]),
      ).to.deep.equal([
        ["modifySources", "dropped", "hang"],
        ["deleteOutput", "dropped", "hang"],
      ]);
    });

    it("status and body faults on showOutput and modifyOutput change nothing", async () => {
      await createOutputs([CALLER_OUTPUT]);
      simulator.injectFault("modifyOutput", { kind: "status", status: 503 });
      simulator.injectFault("showOutput", { kind: "body", body: { name: "fake" } });
      const failed = await call(
        simulator,
        "PUT",
        `/flows/outputs?flow_id=${FLOW_ID}&output_name=push_out`,
        { description: "lost" },
      );
      expect(failed.status).to.equal(503);
      expect((await showOutput("push_out")).body).to.deep.equal({ name: "fake" });
      expect(simulator.getFlowOutputs(FLOW_ID)?.[0]?.description).to.equal("to the CDN");
      expect(simulator.journal.slice(-2).map((entry) => [entry.route, entry.fault])).to.deep.equal([
        ["modifyOutput", "status"],
        ["showOutput", "body"],
      ]);
    });
  });

  describe("control surface", () => {
    it("seeds sources and outputs, checked like request bodies, and hands out copies", async () => {
      const flow = simulator.createFlow({
        name: "seeded",
        status: "ACTIVE",
        sources: [{ name: "in", protocol: "srt-listener", source_listener_port: 40000 }],
        outputs: [{ name: "out", protocol: "srt-listener" }, { ...CALLER_OUTPUT }],
      });
      const outputs = simulator.getFlowOutputs(flow.flowId)!;
      expect(
        outputs.map((output) => [output.name, output.listener_address, output.port]),
      ).to.deep.equal([
        ["out", "192.0.2.2", 20001],
        ["push_out", undefined, 7001],
      ]);
      outputs[0]!.port = 1;
      simulator.getFlowSources(flow.flowId)![0]!.name = "changed";
      expect(simulator.getFlowOutputs(flow.flowId)?.[0]?.port).to.equal(20001);
      expect(simulator.getFlowSources(flow.flowId)?.[0]?.name).to.equal("in");
      const shown = await call(
        simulator,
        "GET",
        `/flows/outputs?flow_id=${flow.flowId}&output_name=out`,
      );
      expect(shown.body).to.include({ health_status: "CONNECTED", listener_address: "192.0.2.2" });
      expect(() =>
        simulator.createFlow({
          sources: [{ name: "in", protocol: "srt-listener", source_listener_port: 2077 }],
        }),
      ).to.throw("invalid seed: sources[0].source_listener_port is 2077 or 2088");
      expect(() =>
        simulator.createFlow({ outputs: [{ ...CALLER_OUTPUT }, { ...CALLER_OUTPUT }] }),
      ).to.throw("invalid seed: two outputs named push_out in the request");
      expect(simulator.getFlowSources("missing")).to.equal(undefined);
      expect(simulator.getFlowOutputs("missing")).to.equal(undefined);
    });

    it("answers 404 APIG.0101 for methods the source and output paths do not have", async () => {
      for (const [method, path] of [
        ["GET", "/flows/sources"],
        ["POST", "/flows/sources"],
        ["PATCH", "/flows/outputs"],
      ] as const) {
        const answer = await call(simulator, method, `${path}?flow_id=${FLOW_ID}`);
        expect(answer.status, `${method} ${path}`).to.equal(404);
        expect(last().route).to.equal("unknown");
      }
    });
  });
});
