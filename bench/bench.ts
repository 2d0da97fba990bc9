/**
 * `npm run bench`: what the package costs over calling the Media Live API by hand and over the
 * Pulumi engine's own floor, measured side by side in one run against the local simulator and the
 * real `pulumi` CLI (Automation API, file backend, loopback only). Prints a table (or, with
 * `--json`, one JSON object with the same figures).
 *
 * - Client: `MediaLiveClient` against a bare undici request (medians over repeated calls).
 * - API calls per scenario: one flow through preview, create, no-op up, refresh, drift repair,
 *   status change and adoption, each a real CLI run.
 * - Scale: `pulumi up` of N FlowActivations (STANDBY → ACTIVE) at an API limit, against the larger
 *   of two floors measured in the same run: the engine's (N no-op dynamic resources in one `up`, same
 *   `--parallel`) and the API's (the same calls made by the client alone at the same limit); then a
 *   no-op `up` and a `destroy` (flows with `onDelete: "leave"`, so no call) of both stacks, and the
 *   bytes each resource puts in the state file, which the engine rewrites at every snapshot save.
 *
 * Options: `--json`, `--flows N` (default 500), `--parallel N` (default 64).
 * Not part of `npm test`: tests assert behaviour and counts, never timings.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, request } from "undici";
import {
  AutomationStack,
  type ConfigEntry,
  type InlineProgram,
  type OperationOptions,
  type OperationResult,
} from "../engine/automationStack";
import { prepareConsumerProject, type ConsumerProject } from "../engine/consumerProject";
import { locatePulumiCli, PACKAGE_ROOT, type PulumiCli } from "../engine/pulumiCli";
import { MediaLiveClient } from "../client/mediaLiveClient";
import { startSimulator, type Simulator } from "../simulator";

const JSON_OUTPUT = process.argv.includes("--json");
const FLOWS = numberOption("--flows", 500);
const PARALLEL = numberOption("--parallel", 64);
/** The API limit of the scale runs: the simulator's and the provider's (and the client's). */
const API_LIMIT = 100;
const CREDENTIALS = { accessKey: "AKBENCHMARK000000001", secretKey: "SK-benchmark-secret-key" };
const TOKEN = "IAM-benchmark-token";
const PROJECT_NAME = "medialive-bench";
const FLOW_ACTIVATION_TYPE = "pulumi-nodejs:dynamic/medialive:FlowActivation";
const NOOP_TYPE = "pulumi-nodejs:dynamic/bench:Noop";
/** No single CLI run may take longer: the bench stops by itself whatever happens. */
const OPERATION_TIMEOUT_MS = 10 * 60_000;

function numberOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}

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

// ---------------------------------------------------------------------------------------------
// 1. The client against bare undici

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

/** MediaLiveClient vs a bare undici request, detail and start/stop, at one latency. */
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

// ---------------------------------------------------------------------------------------------
// Stacks run by the real CLI

/** What the bench needs to make stacks. */
interface Engine {
  readonly project: ConsumerProject;
  readonly cli: PulumiCli;
}

/** The stack config pointing FlowActivations at a simulator (credentials as secrets). */
function stackConfig(
  simulator: Simulator,
  extra: Record<string, string> = {},
): Record<string, ConfigEntry> {
  const config: Record<string, ConfigEntry> = {
    "huaweicloud:liveEndpoint": { value: simulator.url },
    "huaweicloud:projectId": { value: simulator.projectId },
    "huaweicloud:region": { value: "ap-southeast-3" },
    "huaweicloud:accessKey": { value: CREDENTIALS.accessKey, secret: true },
    "huaweicloud:secretKey": { value: CREDENTIALS.secretKey, secret: true },
  };
  for (const [key, value] of Object.entries(extra)) config[key] = { value };
  return config;
}

/** A stack of the bench project, created (with its config) before anything is timed. */
async function newStack(
  engine: Engine,
  stackName: string,
  program: InlineProgram,
  config: Record<string, ConfigEntry>,
): Promise<AutomationStack> {
  const stack = new AutomationStack({
    project: engine.project,
    cli: engine.cli,
    projectName: PROJECT_NAME,
    stackName,
    program,
    config,
  });
  await stack.stack();
  return stack;
}

/** Removes a stack, its workspace and its backend folder. */
async function disposeStack(stack: AutomationStack): Promise<void> {
  await stack.remove();
  fs.rmSync(stack.backendDir, { recursive: true, force: true });
}

/** A program declaring one FlowActivation per flow id. */
function flowProgram(
  flowIds: readonly string[],
  args: { desiredStatus?: "ACTIVE" | "STANDBY"; onDelete?: "stop" | "leave" } = {},
): InlineProgram {
  return async ({ medialive }) => {
    flowIds.forEach(
      (flowId, index) => new medialive.FlowActivation(`flow${index}`, { flowId, ...args }),
    );
  };
}

/**
 * The trivial dynamic provider of the engine floor: nothing to check, diff, read or delete, and a
 * create that calls nothing. Module-level and free of captured variables, so its serialized text
 * is the smallest a dynamic provider gets.
 */
const noopProvider = {
  async create() {
    return { id: "x", outs: {} };
  },
};

/** A program declaring `count` no-op dynamic resources. */
function noopProgram(count: number): InlineProgram {
  return async ({ pulumi }) => {
    // The SDK's class is abstract in its types only.
    class Noop extends pulumi.dynamic.Resource {
      constructor(name: string) {
        super(noopProvider, name, {}, undefined, "bench", "Noop");
      }
    }
    for (let index = 0; index < count; index++) new Noop(`noop${index}`);
  };
}

/** CPU seconds one run cost, by process. */
interface CpuSeconds {
  /** The `pulumi` CLI processes (the engine). */
  readonly cli: number;
  /** The dynamic-provider host. */
  readonly providerHost: number;
  /** This process: the inline program's language runtime, the Automation API and the simulator. */
  readonly bench: number;
}

/** One timed CLI run with what it cost. */
interface Run {
  readonly seconds: number;
  readonly calls: number;
  readonly throttled: number;
  /** Peak resident memory of the run's dynamic-provider host, MiB (0 when none was seen). */
  readonly hostPeakMiB: number;
  readonly cpu: CpuSeconds;
  readonly result: OperationResult;
}

/** Runs one CLI operation, timed; a failed operation or step stops the bench. */
async function run(
  stack: AutomationStack,
  operation: "preview" | "up" | "refresh" | "destroy",
  simulator: Simulator,
  options: OperationOptions = {},
): Promise<Run> {
  const since = simulator.journal.at(-1)?.sequence ?? 0;
  const throttledBefore = simulator.requestCount({ status: 429 });
  const children = new DescendantSampler();
  const ownCpu = process.cpuUsage();
  const start = performance.now();
  const result = await stack[operation]({
    ...options,
    signal: AbortSignal.timeout(OPERATION_TIMEOUT_MS),
  });
  const seconds = (performance.now() - start) / 1000;
  const own = process.cpuUsage(ownCpu);
  const sampled = children.stop();
  const failedSteps = result.steps.filter((step) => step.failed).map((step) => step.name);
  if (result.error || failedSteps.length > 0) {
    const errors = result.diagnostics
      .filter((diagnostic) => diagnostic.severity === "error")
      .map((diagnostic) => diagnostic.message.trim());
    throw new Error(
      `pulumi ${operation} failed (${failedSteps.length} failed steps): ${
        errors.slice(0, 3).join("; ") || result.error
      }`,
    );
  }
  return {
    seconds,
    calls: simulator.journal.filter((entry) => entry.sequence > since).length,
    throttled: simulator.requestCount({ status: 429 }) - throttledBefore,
    hostPeakMiB: sampled.hostPeakMiB,
    cpu: {
      cli: sampled.cliCpuSeconds,
      providerHost: sampled.hostCpuSeconds,
      bench: round((own.user + own.system) / 1e6),
    },
    result,
  };
}

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * Samples this process's descendants every 100 ms: the CPU time of the `pulumi` CLI processes and
 * of the dynamic-provider host (the last value seen of each process, so a process's final 100 ms
 * may be missed), and the host's peak resident memory (VmHWM). Only descendants are looked at, so
 * other processes on the machine (other test runs) are not counted.
 */
class DescendantSampler {
  readonly #seen = new Map<number, { kind: "cli" | "host" | "other"; ticks: number }>();
  readonly #strangers = new Set<number>();
  #hostPeakKb = 0;
  readonly #timer = setInterval(() => this.#sample(), 100);

  /** Stops sampling and returns what was seen. */
  stop(): { hostPeakMiB: number; hostCpuSeconds: number; cliCpuSeconds: number } {
    clearInterval(this.#timer);
    this.#sample();
    const seconds = (kind: string): number =>
      round(
        [...this.#seen.values()]
          .filter((entry) => entry.kind === kind)
          .reduce((sum, entry) => sum + entry.ticks, 0) / USER_HZ,
      );
    return {
      hostPeakMiB: round(this.#hostPeakKb / 1024, 1),
      hostCpuSeconds: seconds("host"),
      cliCpuSeconds: seconds("cli"),
    };
  }

  #sample(): void {
    let pids: number[];
    try {
      pids = fs
        .readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .map(Number);
    } catch {
      return;
    }
    for (const pid of pids) {
      if (pid === process.pid || this.#strangers.has(pid)) continue;
      try {
        let entry = this.#seen.get(pid);
        if (!entry) {
          if (!descendsFromThisProcess(pid)) {
            this.#strangers.add(pid);
            continue;
          }
          const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
          const kind = argv.some((arg) => arg.includes("dynamic-provider"))
            ? "host"
            : path.basename(argv[0] ?? "") === "pulumi"
              ? "cli"
              : "other";
          entry = { kind, ticks: 0 };
          this.#seen.set(pid, entry);
        }
        const fields = statFields(pid);
        // utime and stime: fields 14 and 15 of /proc/<pid>/stat.
        entry.ticks = Math.max(entry.ticks, Number(fields[11]) + Number(fields[12]));
        if (entry.kind === "host") {
          const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
          const hwm = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
          this.#hostPeakKb = Math.max(this.#hostPeakKb, hwm);
        }
      } catch {
        // The process ended meanwhile.
      }
    }
  }
}

/** The fields of `/proc/<pid>/stat` from field 3 (state) on, after the parenthesized name. */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function descendsFromThisProcess(pid: number): boolean {
  for (let current = pid, depth = 0; current > 1 && depth < 16; depth++) {
    if (current === process.pid) return true;
    current = Number(statFields(current)[1]); // field 4, the parent's pid
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// 2. API calls per scenario

/** API calls per scenario for one flow, each a real CLI run, against their floors. */
async function callsPerScenario(engine: Engine): Promise<Record<string, number>> {
  const simulator = await startSimulator({ credentials: [CREDENTIALS] });
  const stacks: AutomationStack[] = [];
  try {
    const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
    const stack = await newStack(engine, "calls", flowProgram([flowId]), stackConfig(simulator));
    stacks.push(stack);
    const preview = await run(stack, "preview", simulator);
    const create = await run(stack, "up", simulator);
    const noop = await run(stack, "up", simulator);
    simulator.setFlowStatus(flowId, "STANDBY");
    const refresh = await run(stack, "refresh", simulator);
    const repair = await run(stack, "up", simulator);
    stack.setProgram(flowProgram([flowId], { desiredStatus: "STANDBY" }));
    const change = await run(stack, "up", simulator);
    const adoptedFlow = simulator.createFlow({ status: "ACTIVE" }).flowId;
    const adopter = await newStack(
      engine,
      "adopt",
      flowProgram([adoptedFlow]),
      stackConfig(simulator),
    );
    stacks.push(adopter);
    const adopt = await run(adopter, "up", simulator);
    return {
      previewCalls: preview.calls,
      createFromStandbyCalls: create.calls,
      noopUpCalls: noop.calls,
      refreshCalls: refresh.calls,
      driftRepairCalls: repair.calls,
      statusChangeCalls: change.calls,
      adoptCalls: adopt.calls,
      oneFlowCreateSeconds: round(create.seconds),
      oneFlowNoopUpSeconds: round(noop.seconds),
    };
  } finally {
    for (const stack of stacks) await disposeStack(stack);
    await simulator.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Scale: N flows against the engine's and the API's floors

/**
 * The API floor measured: the calls `pulumi up` makes for N flows from STANDBY (a detail and a
 * start each), made by the client alone, `--parallel` at a time, its limiter and the simulator
 * both at the limit.
 */
async function apiFloor(count: number): Promise<Record<string, number>> {
  const simulator = await startSimulator({
    credentials: [CREDENTIALS],
    requestsPerSecond: API_LIMIT,
  });
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  try {
    const flowIds = Array.from(
      { length: count },
      () => simulator.createFlow({ status: "STANDBY" }).flowId,
    );
    const client = new MediaLiveClient({
      endpoint: simulator.url,
      projectId: simulator.projectId,
      credentials: CREDENTIALS,
      requestsPerSecond: API_LIMIT,
      dispatcher,
    });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < flowIds.length) {
        const flowId = flowIds[next++]!;
        await client.showFlowDetail(flowId);
        await client.startFlow(flowId);
      }
    };
    const ownCpu = process.cpuUsage();
    const seconds =
      (await timed(() => Promise.all(Array.from({ length: PARALLEL }, () => worker())))) / 1000;
    const own = process.cpuUsage(ownCpu);
    const calls = simulator.requestCount();
    return {
      calls,
      seconds: round(seconds),
      /** CPU of the client and the simulator together (this process). */
      cpuSeconds: round((own.user + own.system) / 1e6),
      callsPerSecond: round(calls / seconds, 1),
      computedSeconds: round((2 * count) / API_LIMIT),
      throttled: simulator.requestCount({ status: 429 }),
    };
  } finally {
    await dispatcher.close();
    await simulator.close();
  }
}

/** What each resource of one type puts in the stack's state file. */
interface StateCost {
  /** Bytes of the `__provider` text. */
  readonly providerBytes: number;
  /** How many times the text is stored per resource (inputs, outputs). */
  readonly providerCopies: number;
  /** Median bytes of a resource's entry, as compact JSON. */
  readonly entryBytes: number;
  /** Values (strings, numbers, booleans, nulls) in a resource's inputs and outputs. */
  readonly propertyValues: number;
  /** The state file's size divided by the number of resources of the type. */
  readonly fileBytesPerResource: number;
  /** The state file's size. */
  readonly fileBytes: number;
}

function stateCost(stack: AutomationStack, stackName: string, type: string): StateCost {
  const file = path.join(stack.backendDir, ".pulumi", "stacks", PROJECT_NAME, `${stackName}.json`);
  const text = fs.readFileSync(file, "utf8");
  const checkpoint = JSON.parse(text) as {
    checkpoint?: { latest?: { resources?: Record<string, unknown>[] } };
  };
  const resources = (checkpoint.checkpoint?.latest?.resources ?? []).filter(
    (resource) => resource.type === type,
  );
  const first = resources[0];
  if (!first) throw new Error(`no ${type} in ${file}`);
  const bag = (key: string): Record<string, unknown> =>
    (first[key] ?? {}) as Record<string, unknown>;
  const provider = bag("inputs").__provider;
  return {
    providerBytes: typeof provider === "string" ? Buffer.byteLength(provider) : 0,
    providerCopies: ["inputs", "outputs"].filter((key) => bag(key).__provider !== undefined).length,
    entryBytes: Math.round(
      median(resources.map((resource) => Buffer.byteLength(JSON.stringify(resource)))),
    ),
    propertyValues: leafValues(bag("inputs")) + leafValues(bag("outputs")),
    fileBytesPerResource: Math.round(Buffer.byteLength(text) / resources.length),
    fileBytes: Buffer.byteLength(text),
  };
}

/** How many scalar values a JSON value holds. */
function leafValues(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + leafValues(item), 0);
  if (value !== null && typeof value === "object") return leafValues(Object.values(value));
  return 1;
}

/**
 * `pulumi up`, a no-op `up` and `destroy` of N FlowActivations at the API limit, interleaved with
 * the same three of N no-op dynamic resources, at the same `--parallel`.
 */
async function scale(engine: Engine, count: number) {
  log(`  API floor: ${count} detail + start with the client alone at ${API_LIMIT}/s…`);
  const api = await apiFloor(count);
  const simulator = await startSimulator({
    credentials: [CREDENTIALS],
    requestsPerSecond: API_LIMIT,
  });
  const stacks: AutomationStack[] = [];
  try {
    const flowIds = Array.from(
      { length: count },
      () => simulator.createFlow({ status: "STANDBY" }).flowId,
    );
    const noopStack = await newStack(engine, "noop", noopProgram(count), stackConfig(simulator));
    stacks.push(noopStack);
    const flowStack = await newStack(
      engine,
      "flows",
      flowProgram(flowIds, { desiredStatus: "ACTIVE", onDelete: "leave" }),
      stackConfig(simulator, { "huaweicloud:liveRequestsPerSecond": String(API_LIMIT) }),
    );
    stacks.push(flowStack);
    const options = { parallel: PARALLEL };

    log(`  engine floor: pulumi up of ${count} no-op dynamic resources…`);
    const noopUp = await run(noopStack, "up", simulator, options);
    log(`  pulumi up of ${count} FlowActivations at ${API_LIMIT}/s…`);
    const flowUp = await run(flowStack, "up", simulator, options);
    const started = flowIds.filter(
      (flowId) => simulator.getFlow(flowId)?.status === "ACTIVE",
    ).length;
    if (started !== count) throw new Error(`only ${started} of ${count} flows were started`);
    const noopState = stateCost(noopStack, "noop", NOOP_TYPE);
    const flowState = stateCost(flowStack, "flows", FLOW_ACTIVATION_TYPE);

    log("  no-op up of both…");
    const noopNoop = await run(noopStack, "up", simulator, options);
    const flowNoop = await run(flowStack, "up", simulator, options);
    log("  destroy of both…");
    const noopDestroy = await run(noopStack, "destroy", simulator, options);
    const flowDestroy = await run(flowStack, "destroy", simulator, options);

    const floor = Math.max(noopUp.seconds, api.seconds);
    return {
      flows: count,
      parallel: PARALLEL,
      apiLimitPerSecond: API_LIMIT,
      apiFloor: api,
      engineFloorUpSeconds: round(noopUp.seconds),
      upSeconds: round(flowUp.seconds),
      upCalls: flowUp.calls,
      upThrottled: flowUp.throttled,
      upFloorSeconds: round(floor),
      upFloorIs: noopUp.seconds >= api.seconds ? ("engine" as const) : ("api" as const),
      upRatioToFloor: round(flowUp.seconds / floor),
      upRatioToEngineFloor: round(flowUp.seconds / noopUp.seconds),
      upRatioToApiFloor: round(flowUp.seconds / api.seconds),
      noopUpSeconds: round(flowNoop.seconds),
      noopUpCalls: flowNoop.calls,
      engineFloorNoopUpSeconds: round(noopNoop.seconds),
      noopUpRatio: round(flowNoop.seconds / noopNoop.seconds),
      destroySeconds: round(flowDestroy.seconds),
      destroyCalls: flowDestroy.calls,
      engineFloorDestroySeconds: round(noopDestroy.seconds),
      destroyRatio: round(flowDestroy.seconds / noopDestroy.seconds),
      state: { flowActivation: flowState, noop: noopState },
      stateEntryRatio: round(flowState.entryBytes / noopState.entryBytes),
      stateFileRatio: round(flowState.fileBytes / noopState.fileBytes),
      cpuSeconds: {
        up: { flowActivation: flowUp.cpu, noop: noopUp.cpu },
        noopUp: { flowActivation: flowNoop.cpu, noop: noopNoop.cpu },
        destroy: { flowActivation: flowDestroy.cpu, noop: noopDestroy.cpu },
      },
      hostPeakMemoryMiB: round(Math.max(flowUp.hostPeakMiB, flowNoop.hostPeakMiB), 1),
      engineFloorHostPeakMemoryMiB: round(Math.max(noopUp.hostPeakMiB, noopNoop.hostPeakMiB), 1),
    };
  } finally {
    for (const stack of stacks) await disposeStack(stack);
    await simulator.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const benchStart = performance.now();
  const cli = locatePulumiCli();
  log("Preparing the consumer project (packed package + @pulumi/pulumi)…");
  const project = prepareConsumerProject({ packageRoot: PACKAGE_ROOT, log });
  const engine: Engine = { project, cli };
  const machine = {
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()}`,
    pulumiCli: cli.version,
    pulumiSdk: project.pulumiVersion,
  };
  log(
    `Machine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `pulumi ${machine.pulumiCli}, @pulumi/pulumi ${machine.pulumiSdk}`,
  );
  log("1/4 client overhead at 0 ms latency…");
  const client0 = await clientOverhead(0, 300);
  log("2/4 client overhead at 20 ms latency…");
  const client20 = await clientOverhead(20, 40);
  log("3/4 API calls per scenario (one flow, real CLI)…");
  const calls = await callsPerScenario(engine);
  log(`4/4 ${FLOWS} flows under a ${API_LIMIT} requests/second limit, --parallel ${PARALLEL}…`);
  const at = await scale(engine, FLOWS);
  const results = {
    machine,
    clientOverhead0ms: client0,
    clientOverhead20ms: client20,
    apiCalls: calls,
    scale: at,
    benchSeconds: round((performance.now() - benchStart) / 1000, 1),
  };
  if (JSON_OUTPUT) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  const flows = at.state.flowActivation;
  const noop = at.state.noop;
  const n = at.flows;
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
      `API floor: ${at.apiFloor.calls} calls by the client alone at ${at.apiLimitPerSecond}/s`,
      `${at.apiFloor.seconds} s measured (${at.apiFloor.callsPerSecond}/s, ${at.apiFloor.throttled} × 429, ${at.apiFloor.cpuSeconds} s CPU)`,
      `computed ${at.apiFloor.computedSeconds} s`,
    ],
    [
      `engine floor: up of ${n} no-op dynamic resources`,
      `${at.engineFloorUpSeconds} s`,
      `--parallel ${at.parallel}`,
    ],
    [
      `up of ${n} FlowActivations, STANDBY → ACTIVE at ${at.apiLimitPerSecond}/s`,
      `${at.upSeconds} s, ${at.upCalls} calls, ${at.upThrottled} × 429`,
      `×${at.upRatioToFloor} of ${at.upFloorIs} floor (goal ≤ 1.2)`,
    ],
    [
      `no-op up of ${n}: FlowActivations vs no-op resources`,
      `${at.noopUpSeconds} s vs ${at.engineFloorNoopUpSeconds} s, ${at.noopUpCalls} calls`,
      `×${at.noopUpRatio}`,
    ],
    [
      `destroy of ${n} (onDelete leave) vs no-op resources`,
      `${at.destroySeconds} s vs ${at.engineFloorDestroySeconds} s, ${at.destroyCalls} calls`,
      `×${at.destroyRatio}`,
    ],
    [
      "__provider per resource: FlowActivation vs no-op",
      `${flows.providerBytes} B vs ${noop.providerBytes} B, stored ${flows.providerCopies}×`,
      "goal ≤ 1,024 B",
    ],
    [
      "state entry per resource: FlowActivation vs no-op",
      `${flows.entryBytes} B (${flows.propertyValues} values) vs ${noop.entryBytes} B (${noop.propertyValues})`,
      `×${at.stateEntryRatio}`,
    ],
    [
      `state file of ${n}: FlowActivations vs no-op`,
      `${flows.fileBytes} B vs ${noop.fileBytes} B (${flows.fileBytesPerResource} vs ${noop.fileBytesPerResource} B each)`,
      `×${at.stateFileRatio}`,
    ],
    ...(["up", "noopUp", "destroy"] as const).map((operation): [string, string, string] => {
      const { flowActivation, noop } = at.cpuSeconds[operation];
      const total = (cpu: CpuSeconds): number => cpu.cli + cpu.providerHost + cpu.bench;
      const label = { up: "up", noopUp: "no-op up", destroy: "destroy" }[operation];
      return [
        `CPU of the ${label}: FlowActivations vs no-op (CLI / host / bench)`,
        `${flowActivation.cli} / ${flowActivation.providerHost} / ${flowActivation.bench} s vs ` +
          `${noop.cli} / ${noop.providerHost} / ${noop.bench} s`,
        `×${round(total(flowActivation) / total(noop))} in total`,
      ];
    }),
    [
      `provider host peak memory at ${n}: FlowActivations vs no-op`,
      `${at.hostPeakMemoryMiB} MiB vs ${at.engineFloorHostPeakMemoryMiB} MiB`,
      "",
    ],
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length), 8));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(" | ")} |`;
  console.log(line(["measure", "value", "ratio / floor"]));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
  log(
    `Machine: ${machine.cpus}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}, ` +
      `pulumi ${machine.pulumiCli}, @pulumi/pulumi ${machine.pulumiSdk}; bench ${results.benchSeconds} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});
