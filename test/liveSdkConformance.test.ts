import { expect } from "chai";
/**
 * The simulator against Huawei Cloud's official Python Live SDK (huaweicloudsdklive 3.1.219): the
 * SDK's own client signs and sends all eleven Flows operations (`conformance/live_sdk_conformance.py`)
 * and deserializes every answer. Per call, the signature must be accepted, the answer 2xx, and its
 * JSON hold no key (nor a value of another type) that the SDK model lacks; the simulator's journal
 * must show the method, path and query the SDK sent; passphrases are masked except where
 * `data_display=true` asks for them.
 *
 * The SDK lives in a cached venv made by `scripts/live-sdk.sh` (`npm test` runs it first, so a
 * test run itself needs no network).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

import { ROUTE_NAMES } from "../simulator/routes";
import {
  SECRET_MASK,
  SIMULATOR_DEFAULTS,
  startSimulator,
  type JournalEntry,
  type RouteName,
  type Simulator,
} from "../simulator/index";

const run = promisify(execFile);
const REPOSITORY = path.resolve(__dirname, "..");
const SCRIPT = path.join(REPOSITORY, "test", "conformance", "live_sdk_conformance.py");
const SDK_VERSION = "3.1.219";

interface CallReport {
  name: string;
  status: number | null;
  ok: boolean;
  unknown_keys: string[];
  type_mismatches: string[];
  body: unknown;
  error: unknown;
}

interface Report {
  sdk: Record<string, string>;
  passphrases: { source: string; output: string };
  calls: CallReport[];
  ok: boolean;
}

/** Which passphrase an answer shows, and where: the mask, or the real one. */
type Passphrase = { at: (body: never) => unknown; shows: "mask" | "source" | "output" };

interface Expected {
  route: RouteName;
  method: string;
  suffix: string;
  /** The query the journal must show; `FLOW` stands for the created flow's id. */
  query: Record<string, string>;
  passphrase?: Passphrase;
}

const FLOW = "<flow id>";

/** What each SDK call must have sent, in the order the script makes them. */
const EXPECTED: Readonly<Record<string, Expected>> = {
  CreateFlows: {
    route: "create",
    method: "POST",
    suffix: "/flows",
    query: {},
    passphrase: {
      at: (body: { flow: { sources: { decryption: { passphrase: string } }[] } }) =>
        body.flow.sources[0]!.decryption.passphrase,
      shows: "mask",
    },
  },
  ListFlows: { route: "list", method: "GET", suffix: "/flows", query: {} },
  "ListFlows limit offset": {
    route: "list",
    method: "GET",
    suffix: "/flows",
    query: { limit: "1", offset: "0" },
  },
  ShowFlowDetail: {
    route: "detail",
    method: "GET",
    suffix: "/flows/detail",
    query: { flow_id: FLOW },
    passphrase: {
      at: (body: { sources: { decryption: { passphrase: string } }[] }) =>
        body.sources[0]!.decryption.passphrase,
      shows: "mask",
    },
  },
  "ShowFlowDetail data_display": {
    route: "detail",
    method: "GET",
    suffix: "/flows/detail",
    query: { flow_id: FLOW, data_display: "true" },
    passphrase: {
      at: (body: { sources: { decryption: { passphrase: string } }[] }) =>
        body.sources[0]!.decryption.passphrase,
      shows: "source",
    },
  },
  ModifyFlowStart: {
    route: "start",
    method: "PUT",
    suffix: "/flows/start",
    query: { flow_id: FLOW },
  },
  ModifyFlowStop: { route: "stop", method: "PUT", suffix: "/flows/stop", query: { flow_id: FLOW } },
  ModifyFlowSources: {
    route: "modifySources",
    method: "PUT",
    suffix: "/flows/sources",
    query: { flow_id: FLOW, source_name: "backup" },
  },
  CreateFlowOutput: {
    route: "createOutputs",
    method: "POST",
    suffix: "/flows/outputs",
    query: { flow_id: FLOW },
    passphrase: {
      at: (body: { outputs: { encryption?: { passphrase: string } }[] }) =>
        body.outputs[0]!.encryption?.passphrase,
      shows: "mask",
    },
  },
  ShowOutputInfo: {
    route: "showOutput",
    method: "GET",
    suffix: "/flows/outputs",
    query: { flow_id: FLOW, output_name: "pull-out" },
    passphrase: {
      at: (body: { encryption: { passphrase: string } }) => body.encryption.passphrase,
      shows: "mask",
    },
  },
  "ShowOutputInfo data_display": {
    route: "showOutput",
    method: "GET",
    suffix: "/flows/outputs",
    query: { flow_id: FLOW, output_name: "pull-out", data_display: "true" },
    passphrase: {
      at: (body: { encryption: { passphrase: string } }) => body.encryption.passphrase,
      shows: "output",
    },
  },
  ModifyFlowOutput: {
    route: "modifyOutput",
    method: "PUT",
    suffix: "/flows/outputs",
    query: { flow_id: FLOW, output_name: "push_out" },
  },
  DeleteFlowOutput: {
    route: "deleteOutput",
    method: "DELETE",
    suffix: "/flows/outputs",
    query: { flow_id: FLOW, output_name: "push_out" },
  },
  DeleteFlow: { route: "delete", method: "DELETE", suffix: "/flows", query: { flow_id: FLOW } },
};

/** The venv's python, made (once, from the cache afterwards) by scripts/live-sdk.sh. */
async function sdkPython(): Promise<string> {
  const { stdout } = await run("bash", [path.join(REPOSITORY, "scripts", "live-sdk.sh")], {
    cwd: REPOSITORY,
  });
  return stdout.trim();
}

/**
 * Runs the conformance script against `simulator` and parses its report. Credentials travel in
 * the environment, not on the command line. A non-zero exit still has a report on stdout.
 */
async function runConformance(python: string, simulator: Simulator): Promise<Report> {
  const env = {
    ...process.env,
    HW_LIVE_ENDPOINT: simulator.url,
    HW_PROJECT_ID: simulator.projectId,
    HW_ACCESS_KEY: SIMULATOR_DEFAULTS.accessKey,
    HW_SECRET_KEY: SIMULATOR_DEFAULTS.secretKey,
  };
  let stdout: string;
  try {
    ({ stdout } = await run(python, [SCRIPT], { env, timeout: 60_000 }));
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    if (failed.code !== 1 || !failed.stdout) {
      throw new Error(`the conformance script failed (${String(failed.code)}): ${failed.stderr}`, {
        cause: error,
      });
    }
    stdout = failed.stdout;
  }
  return JSON.parse(stdout) as Report;
}

describe("Huawei's official Python Live SDK against the simulator", function () {
  // A cold cache builds the venv (about 10 s with PyPI reachable); `npm test` has done it already.
  this.timeout(180_000);
  let python: string;
  before(async () => {
    python = await sdkPython();
  });

  describe("all eleven operations, one SDK call after another", () => {
    let simulator: Simulator;
    let report: Report;
    let entries: readonly JournalEntry[];
    let flowId: string;

    before(async () => {
      simulator = await startSimulator();
      report = await runConformance(python, simulator);
      entries = simulator.journal;
      flowId =
        (report.calls[0]?.body as { flow?: { flow_id?: string } } | null)?.flow?.flow_id ?? "";
    });
    after(async () => {
      await simulator.close();
    });

    it(`runs huaweicloudsdklive and huaweicloudsdkcore ${SDK_VERSION}`, () => {
      expect(report.sdk).to.deep.equal({
        huaweicloudsdklive: SDK_VERSION,
        huaweicloudsdkcore: SDK_VERSION,
      });
    });

    it("makes every call of the sequence, and the journal has one entry per call", () => {
      expect(report.calls.map((call) => call.name)).to.deep.equal(Object.keys(EXPECTED));
      expect(entries).to.have.length(report.calls.length);
      expect(report.ok).to.equal(true);
    });

    it("reaches each of the eleven routes", () => {
      expect([...new Set(entries.map((entry) => entry.route))].sort()).to.deep.equal(
        [...ROUTE_NAMES].sort(),
      );
    });

    for (const [index, [name, expected]] of Object.entries(EXPECTED).entries()) {
      describe(name, () => {
        const call = (): CallReport => report.calls[index]!;
        const entry = (): JournalEntry => entries[index]!;

        it("has its AK/SK signature accepted and answers 2xx", () => {
          expect(entry()).to.include({ auth: "aksk", status: 200 });
          expect(call()).to.include({ status: 200, error: null });
        });

        it("answers only keys, and value types, that the SDK model knows", () => {
          expect(call().unknown_keys).to.deep.equal([]);
          expect(call().type_mismatches).to.deep.equal([]);
        });

        it(`is journaled as ${expected.route}: ${expected.method} ${expected.suffix}`, () => {
          const query = Object.fromEntries(
            Object.entries(expected.query).map(([key, value]) => [
              key,
              value === FLOW ? flowId : value,
            ]),
          );
          expect(flowId).to.not.equal("");
          expect(entry()).to.deep.include({
            route: expected.route,
            method: expected.method,
            path: `/v1/${simulator.projectId}${expected.suffix}`,
            query,
          });
        });

        const { passphrase } = expected;
        if (passphrase) {
          it(
            passphrase.shows === "mask"
              ? `masks the passphrase as ${SECRET_MASK}`
              : "reveals the passphrase (data_display=true)",
            () => {
              const wanted =
                passphrase.shows === "mask" ? SECRET_MASK : report.passphrases[passphrase.shows];
              expect(passphrase.at(call().body as never)).to.equal(wanted);
            },
          );
        }
      });
    }

    it("leaves the simulator as the sequence implies: source modified, output deleted, flow gone", () => {
      const modified = report.calls.find((call) => call.name === "ModifyFlowSources")!;
      expect((modified.body as { source: unknown }).source).to.deep.equal({
        source_listener_address: "203.0.113.8",
        source_listener_port: 9001,
        stream_id: "backup-feed-2",
        min_latency: 800,
        protocol: "srt-caller",
        name: "backup",
        health_status: "DISCONNECTED",
      });
      const created = report.calls.find((call) => call.name === "CreateFlowOutput")!;
      expect(
        (created.body as { outputs: { name: string }[] }).outputs.map((output) => output.name),
      ).to.deep.equal(["pull-out", "push_out"]);
      expect(simulator.listFlows()).to.deep.equal([]);
    });
  });

  describe("the conformance check itself", () => {
    it("reports a key the SDK model lacks and a value of the wrong type", async () => {
      const simulator = await startSimulator();
      try {
        simulator.injectFault("showOutput", {
          kind: "body",
          body: { name: "pull-out", port: "20001", colour: "red" },
        });
        const report = await runConformance(python, simulator);
        const shown = report.calls.find((call) => call.name === "ShowOutputInfo")!;
        expect(shown).to.deep.include({
          ok: false,
          unknown_keys: ["colour"],
          type_mismatches: ["port: str, not int"],
        });
        expect(report.ok).to.equal(false);
        expect(report.calls.filter((call) => !call.ok).map((call) => call.name)).to.deep.equal([
          "ShowOutputInfo",
        ]);
      } finally {
        await simulator.close();
      }
    });
  });
});
