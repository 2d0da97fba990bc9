/**
 * `npm run bench`: what the package costs over calling the Media Live API by hand, measured side by
 * side in one run against the local simulator and Pulumi's real provider host. Prints a table (or,
 * with `--json`, one JSON object with the same figures). Timings are medians over repeated runs;
 * comparisons are ratios of figures taken in the same run, interleaved, so machine speed cancels out.
 *
 * Not part of `npm test`: tests assert behaviour and counts, never timings.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, request } from "undici";
import { MediaLiveClient } from "../provider/client";
import { startSimulator, type Simulator } from "../simulator";
import {
  prepareConsumerProject,
  writeProgram,
  type ConsumerProject,
} from "../engine/consumerProject";
import { LocalEngine, type RunResult } from "../engine/localEngine";
import { runProgram } from "../engine/programRunner";
import { ProviderHost, type PropertyMap } from "../engine/providerHost";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");
const JSON_OUTPUT = process.argv.includes("--json");
const CREDENTIALS = { accessKey: "AKBENCHMARK000000001", secretKey: "SK-benchmark-secret-key" };
const TOKEN = "IAM-benchmark-token";

function log(line: string): void {
  if (!JSON_OUTPUT) process.stderr.write(`${line}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** A bare undici call: the floor any client pays for one HTTP exchange. */
async function bareCall(
  dispatcher: Agent,
  simulator: Simulator,
  method: "GET" | "PUT",
  pathAndQuery: string,
): Promise<unknown> {
  const response = await request(`${simulator.url}/v1/${simulator.projectId}${pathAndQuery}`, {
    method,
    headers: { "X-Auth-Token": TOKEN, "content-type": "application/json" },
    dispatcher,
  });
  const body = JSON.parse(await response.body.text()) as unknown;
  if (response.statusCode !== 200) throw new Error(`bare call answered ${response.statusCode}`);
  return body;
}

/** 1. MediaLiveClient vs a bare undici request, detail and start/stop, at two latencies. */
async function clientOverhead(
  latencyMs: number,
  iterations: number,
): Promise<Record<string, number>> {
  const simulator = await startSimulator({
    credentials: [CREDENTIALS],
    authTokens: [TOKEN],
    latencyMs,
  });
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  try {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const common = {
      endpoint: simulator.url,
      projectId: simulator.projectId,
      requestsPerSecond: Infinity,
      dispatcher,
    };
    const tokenClient = new MediaLiveClient({ ...common, credentials: { authToken: TOKEN } });
    const signedClient = new MediaLiveClient({ ...common, credentials: CREDENTIALS });
    const samples = {
      bareDetail: [] as number[],
      tokenDetail: [] as number[],
      signedDetail: [] as number[],
      bareChange: [] as number[],
      clientChange: [] as number[],
    };
    // Warm up connections and JIT.
    for (let index = 0; index < 20; index++) {
      await bareCall(dispatcher, simulator, "GET", `/flows/detail?flow_id=${flowId}`);
      await tokenClient.showFlowDetail(flowId);
      await signedClient.showFlowDetail(flowId);
    }
    for (let index = 0; index < iterations; index++) {
      samples.bareDetail.push(
        await timed(() =>
          bareCall(dispatcher, simulator, "GET", `/flows/detail?flow_id=${flowId}`),
        ),
      );
      samples.tokenDetail.push(await timed(() => tokenClient.showFlowDetail(flowId)));
      samples.signedDetail.push(await timed(() => signedClient.showFlowDetail(flowId)));
      // start then stop, alternating bare and client, so each call really changes the flow.
      samples.bareChange.push(
        await timed(() => bareCall(dispatcher, simulator, "PUT", `/flows/start?flow_id=${flowId}`)),
      );
      samples.clientChange.push(await timed(() => signedClient.stopFlow(flowId)));
      samples.clientChange.push(await timed(() => signedClient.startFlow(flowId)));
      samples.bareChange.push(
        await timed(() => bareCall(dispatcher, simulator, "PUT", `/flows/stop?flow_id=${flowId}`)),
      );
    }
    const bareDetail = median(samples.bareDetail);
    const bareChange = median(samples.bareChange);
    return {
      bareDetailMs: round(bareDetail, 3),
      clientDetailTokenMs: round(median(samples.tokenDetail), 3),
      clientDetailSignedMs: round(median(samples.signedDetail), 3),
      detailRatioToken: round(median(samples.tokenDetail) / bareDetail),
      detailRatioSigned: round(median(samples.signedDetail) / bareDetail),
      bareStartStopMs: round(bareChange, 3),
      clientStartStopMs: round(median(samples.clientChange), 3),
      startStopRatio: round(median(samples.clientChange) / bareChange),
    };
  } finally {
    await dispatcher.close();
    await simulator.close();
  }
}

function hostConfig(
  simulator: Simulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    "huaweicloud:liveEndpoint": simulator.url,
    "huaweicloud:projectId": simulator.projectId,
    "huaweicloud:accessKey": CREDENTIALS.accessKey,
    "huaweicloud:secretKey": CREDENTIALS.secretKey,
    ...extra,
  };
}

/** The `__provider` text and checked inputs of a FlowActivation, from a real program run. */
async function serializedProvider(project: ConsumerProject, simulator: Simulator): Promise<string> {
  const engine = new LocalEngine({
    project,
    projectName: "medialive-bench",
    stackName: "bench",
    programFile: writeProgram(project, "bench-n", programFor(1)),
    config: {
      values: { ...hostConfig(simulator), "medialive-bench:flowIds": JSON.stringify(["probe"]) },
      secretKeys: [],
    },
  });
  const preview = await engine.preview();
  const provider = preview.steps[0]?.outputs?.__provider;
  if (typeof provider !== "string") throw new Error(`no __provider: ${preview.errors.join("; ")}`);
  return provider;
}

/** 2. A create/update through the provider host vs the raw calls it makes. */
async function providerOverhead(
  project: ConsumerProject,
  iterations: number,
): Promise<Record<string, number>> {
  const simulator = await startSimulator({
    credentials: [CREDENTIALS],
    authTokens: [TOKEN],
    latencyMs: 20,
  });
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const provider = await serializedProvider(project, simulator);
  const host = await ProviderHost.start({
    projectDir: project.dir,
    env: { PULUMI_CONFIG: JSON.stringify(hostConfig(simulator)) },
  });
  try {
    await host.configure(
      hostConfig(simulator, { "huaweicloud:liveRequestsPerSecond": "1000" }),
      [],
    );
    const urn =
      "urn:pulumi:bench::medialive-bench::pulumi-nodejs:dynamic/medialive:FlowActivation::flow";
    const inputs = (flowId: string, desiredStatus: string): PropertyMap => ({
      flowId,
      desiredStatus,
      onDelete: "stop",
      timeouts: { create: "5m", update: "5m", delete: "5m" },
      __provider: provider,
    });
    const createSamples: number[] = [];
    const rawCreateSamples: number[] = [];
    const updateSamples: number[] = [];
    const rawUpdateSamples: number[] = [];
    const checkSamples: number[] = [];
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    let state = await host.create(urn, inputs(flowId, "ACTIVE"));
    let current = inputs(flowId, "ACTIVE");
    for (let index = 0; index < iterations; index++) {
      const fresh = simulator.createFlow({ status: "STANDBY" }).flowId;
      createSamples.push(await timed(() => host.create(urn, inputs(fresh, "ACTIVE"))));
      const rawFresh = simulator.createFlow({ status: "STANDBY" }).flowId;
      rawCreateSamples.push(
        await timed(async () => {
          await bareCall(dispatcher, simulator, "GET", `/flows/detail?flow_id=${rawFresh}`);
          await bareCall(dispatcher, simulator, "PUT", `/flows/start?flow_id=${rawFresh}`);
        }),
      );
      checkSamples.push(await timed(() => host.check(urn, current, current)));
      const next = inputs(flowId, current.desiredStatus === "ACTIVE" ? "STANDBY" : "ACTIVE");
      const before = state.properties;
      let updated: { properties: PropertyMap } | undefined;
      updateSamples.push(
        await timed(
          async () => (updated = await host.update(state.id, urn, before, next, current)),
        ),
      );
      state = { id: state.id, properties: updated!.properties };
      current = next;
      const rawFlow = simulator.createFlow({ status: index % 2 ? "ACTIVE" : "STANDBY" }).flowId;
      rawUpdateSamples.push(
        await timed(() =>
          bareCall(
            dispatcher,
            simulator,
            "PUT",
            `/flows/${index % 2 ? "stop" : "start"}?flow_id=${rawFlow}`,
          ),
        ),
      );
    }
    return {
      hostCreateMs: round(median(createSamples)),
      rawDetailPlusStartMs: round(median(rawCreateSamples)),
      createRatio: round(median(createSamples) / median(rawCreateSamples)),
      hostUpdateMs: round(median(updateSamples)),
      rawStartMs: round(median(rawUpdateSamples)),
      updateRatio: round(median(updateSamples) / median(rawUpdateSamples)),
      hostCheckMs: round(median(checkSamples)),
    };
  } finally {
    await host.stop();
    await dispatcher.close();
    await simulator.close();
  }
}

/** A program with one FlowActivation per flow id in config. */
function programFor(_count: number): string {
  return `
import * as pulumi from "@pulumi/pulumi";
import { FlowActivation } from "pulumi-huaweicloud-medialive";
const config = new pulumi.Config();
const flowIds = config.requireObject<string[]>("flowIds");
const desiredStatus = (config.get("desiredStatus") ?? "ACTIVE") as "ACTIVE" | "STANDBY";
flowIds.forEach((flowId, index) => new FlowActivation("flow" + index, { flowId, desiredStatus }));
`;
}

/** 3. `__provider` size, and program-side registration time for 1, 100 and 1,000 resources. */
async function registrationCost(project: ConsumerProject): Promise<Record<string, number>> {
  const file = writeProgram(project, "bench-registrations", programFor(0));
  const results: Record<string, number> = {};
  let providerBytes = 0;
  const timeFor = async (count: number): Promise<number> => {
    const samples: number[] = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      const result = await runProgram(
        project,
        file,
        {
          PULUMI_CONFIG: JSON.stringify({
            "medialive-bench:flowIds": JSON.stringify(
              Array.from({ length: count }, (_, index) => `flow-${index}`),
            ),
          }),
          PULUMI_PROJECT: "medialive-bench",
          PULUMI_STACK: "bench",
          PULUMI_DRY_RUN: "true",
        },
        async (registration) => {
          const provider = registration.inputs.__provider;
          if (typeof provider === "string") providerBytes = Buffer.byteLength(provider);
          return { id: "", outputs: registration.inputs };
        },
      );
      if (result.type === "error") throw new Error(result.message);
      samples.push(performance.now() - start);
    }
    return median(samples);
  };
  const empty = await timeFor(0);
  results.programWithoutResourcesMs = round(empty);
  for (const count of [1, 100, 1000]) {
    const total = await timeFor(count);
    results[`registration${count}TotalMs`] = round(total);
    results[`registration${count}PerResourceMs`] = round((total - empty) / count, 3);
  }
  results.providerBytesPerResource = providerBytes;
  // The text is stored twice per resource in state (inputs and outputs).
  results.providerStateBytesPerResource = providerBytes * 2;
  return results;
}

function engineFor(
  project: ConsumerProject,
  simulator: Simulator,
  flowIds: readonly string[],
  extra: Record<string, string> = {},
): LocalEngine {
  return new LocalEngine({
    project,
    projectName: "medialive-bench",
    stackName: "bench",
    programFile: writeProgram(project, "bench-n", programFor(flowIds.length)),
    config: {
      values: {
        ...hostConfig(simulator, extra),
        "medialive-bench:flowIds": JSON.stringify(flowIds),
      },
      secretKeys: ["huaweicloud:secretKey"],
    },
    parallel: 64,
  });
}

async function counted(
  simulator: Simulator,
  run: () => Promise<RunResult>,
): Promise<{ calls: number; result: RunResult }> {
  const since = simulator.journal.at(-1)?.sequence ?? 0;
  const result = await run();
  if (result.errors.length > 0) throw new Error(result.errors.join("; "));
  return { calls: simulator.journal.filter((entry) => entry.sequence > since).length, result };
}

/** 4. API calls per scenario, against their floors. */
async function callsPerScenario(project: ConsumerProject): Promise<Record<string, number>> {
  const simulator = await startSimulator({ credentials: [CREDENTIALS] });
  try {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const engine = engineFor(project, simulator, [flowId]);
    const preview = await counted(simulator, () => engine.preview());
    const create = await counted(simulator, () => engine.up());
    const noop = await counted(simulator, () => engine.up());
    simulator.setFlowStatus(flowId, "STANDBY");
    const refresh = await counted(simulator, () => engine.refresh());
    const repair = await counted(simulator, () => engine.up());
    engine.config = {
      ...engine.config,
      values: { ...engine.config.values, "medialive-bench:desiredStatus": "STANDBY" },
    };
    const change = await counted(simulator, () => engine.up());
    const adoptedFlow = simulator.createFlow({ status: "ACTIVE" }).flowId;
    const adopter = engineFor(project, simulator, [adoptedFlow]);
    const adopt = await counted(simulator, () => adopter.up());
    return {
      previewCalls: preview.calls,
      createFromStandbyCalls: create.calls,
      noopUpCalls: noop.calls,
      refreshCalls: refresh.calls,
      driftRepairCalls: repair.calls,
      statusChangeCalls: change.calls,
      adoptCalls: adopt.calls,
    };
  } finally {
    await simulator.close();
  }
}

function peakMemoryKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** 5 and 6. 500 flows changing status under a 100 requests/second limit; the host's peak memory. */
async function reconcileAtScale(project: ConsumerProject): Promise<Record<string, number>> {
  const count = 500;
  const limit = 100;
  const simulator = await startSimulator({ credentials: [CREDENTIALS], requestsPerSecond: limit });
  try {
    const flowIds = Array.from(
      { length: count },
      () => simulator.createFlow({ status: "STANDBY" }).flowId,
    );
    const engine = engineFor(project, simulator, flowIds, {
      "huaweicloud:liveRequestsPerSecond": String(limit),
    });
    let peakKb = 0;
    engine.onHostStopping = (host) => {
      peakKb = Math.max(peakKb, peakMemoryKb(host.pid));
    };
    const createStart = performance.now();
    const create = await counted(simulator, () => engine.up());
    const createSeconds = (performance.now() - createStart) / 1000;
    // A no-op up of the same stack: the program, Check and Diff of every resource, no API call.
    const noopStart = performance.now();
    const noop = await counted(simulator, () => engine.up());
    const noopSeconds = (performance.now() - noopStart) / 1000;
    const throttledBefore = simulator.requestCount({ status: 429 });
    engine.config = {
      ...engine.config,
      values: { ...engine.config.values, "medialive-bench:desiredStatus": "STANDBY" },
    };
    const changeStart = performance.now();
    const change = await counted(simulator, () => engine.up());
    const changeSeconds = (performance.now() - changeStart) / 1000;
    const throttled = simulator.requestCount({ status: 429 });
    const stopped = flowIds.filter(
      (flowId) => simulator.getFlow(flowId)!.status === "STANDBY",
    ).length;
    return {
      flows: count,
      apiLimitPerSecond: limit,
      createRequests: create.calls,
      createSeconds: round(createSeconds),
      createFloorSeconds: round(create.calls / limit),
      createRatioToFloor: round(createSeconds / (create.calls / limit)),
      createThrottled: throttledBefore,
      changeRequests: change.calls,
      changeSeconds: round(changeSeconds),
      changeFloorSeconds: round(change.calls / limit),
      changeRatioToFloor: round(changeSeconds / (change.calls / limit)),
      changeThrottled: throttled - throttledBefore,
      changeFailures: count - stopped,
      noopUpSeconds: round(noopSeconds),
      noopUpRequests: noop.calls,
      hostPeakMemoryMiB: round(peakKb / 1024, 1),
    };
  } finally {
    await simulator.close();
  }
}

async function main(): Promise<void> {
  const machine = {
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()}`,
  };
  log(`Machine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  log("Preparing the consumer project (packed package + @pulumi/pulumi)…");
  const project = prepareConsumerProject({ packageRoot: PACKAGE_ROOT, log });
  log("1/6 client overhead at 0 ms latency…");
  const client0 = await clientOverhead(0, 300);
  log("2/6 client overhead at 20 ms latency…");
  const client20 = await clientOverhead(20, 40);
  log("3/6 provider overhead at 20 ms latency…");
  const provider = await providerOverhead(project, 20);
  log("4/6 __provider size and registration time…");
  const registration = await registrationCost(project);
  log("5/6 API calls per scenario…");
  const calls = await callsPerScenario(project);
  log("6/6 500 flows under a 100 requests/second limit…");
  const scale = await reconcileAtScale(project);
  const results = {
    machine,
    clientOverhead0ms: client0,
    clientOverhead20ms: client20,
    providerOverhead20ms: provider,
    registration,
    apiCalls: calls,
    scale,
  };
  if (JSON_OUTPUT) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  const rows: [string, string, string][] = [
    [
      "client detail vs bare undici, 0 ms (token / AK/SK)",
      `${client0.clientDetailTokenMs} / ${client0.clientDetailSignedMs} ms vs ${client0.bareDetailMs} ms`,
      `×${client0.detailRatioToken} / ×${client0.detailRatioSigned}`,
    ],
    [
      "client start/stop vs bare undici, 0 ms",
      `${client0.clientStartStopMs} ms vs ${client0.bareStartStopMs} ms`,
      `×${client0.startStopRatio}`,
    ],
    [
      "client detail vs bare undici, 20 ms (token / AK/SK)",
      `${client20.clientDetailTokenMs} / ${client20.clientDetailSignedMs} ms vs ${client20.bareDetailMs} ms`,
      `×${client20.detailRatioToken} / ×${client20.detailRatioSigned}`,
    ],
    [
      "client start/stop vs bare undici, 20 ms",
      `${client20.clientStartStopMs} ms vs ${client20.bareStartStopMs} ms`,
      `×${client20.startStopRatio}`,
    ],
    [
      "provider update (1 call) vs raw start, 20 ms",
      `${provider.hostUpdateMs} ms vs ${provider.rawStartMs} ms`,
      `×${provider.updateRatio}`,
    ],
    [
      "provider host round trip with no API call (Check)",
      `${provider.hostCheckMs} ms`,
      "the gRPC floor of any step",
    ],
    [
      "provider create (2 calls) vs raw detail+start, 20 ms",
      `${provider.hostCreateMs} ms vs ${provider.rawDetailPlusStartMs} ms`,
      `×${provider.createRatio}`,
    ],
    [
      "__provider per resource (stored twice in state)",
      `${registration.providerBytesPerResource} B`,
      "",
    ],
    [
      "program registration per resource, 1 / 100 / 1,000",
      `${registration.registration1PerResourceMs} / ${registration.registration100PerResourceMs} / ${registration.registration1000PerResourceMs} ms`,
      `over a ${registration.programWithoutResourcesMs} ms program start`,
    ],
    [
      "API calls: preview / no-op up / refresh",
      `${calls.previewCalls} / ${calls.noopUpCalls} / ${calls.refreshCalls}`,
      "floor 0 / 0 / 1",
    ],
    [
      "API calls: create from STANDBY / adopt ACTIVE",
      `${calls.createFromStandbyCalls} / ${calls.adoptCalls}`,
      "floor 2 / 1 (read + change / read)",
    ],
    [
      "API calls: status change / drift repair",
      `${calls.statusChangeCalls} / ${calls.driftRepairCalls}`,
      "floor 1 / 1",
    ],
    [
      `500 flows created at ${scale.apiLimitPerSecond}/s (${scale.createRequests} requests)`,
      `${scale.createSeconds} s, floor ${scale.createFloorSeconds} s, ${scale.createThrottled} × 429`,
      `×${scale.createRatioToFloor} of floor`,
    ],
    [
      `500 flows changing status at ${scale.apiLimitPerSecond}/s (${scale.changeRequests} requests)`,
      `${scale.changeSeconds} s, floor ${scale.changeFloorSeconds} s, ${scale.changeThrottled} × 429, ${scale.changeFailures} failed`,
      `×${scale.changeRatioToFloor} of floor`,
    ],
    [
      "no-op up of the same 500 (program, Check, Diff; no call)",
      `${scale.noopUpSeconds} s, ${scale.noopUpRequests} requests`,
      "Pulumi's per-resource cost",
    ],
    ["provider host peak memory at 500 resources", `${scale.hostPeakMemoryMiB} MiB`, ""],
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length), 8));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(" | ")} |`;
  console.log(line(["measure", "value", "ratio / floor"]));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});
