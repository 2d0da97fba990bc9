/**
 * `npm start`: deploys the default example (root `Pulumi.yaml` → `main:`) against the built-in Media
 * Live simulator with the real Pulumi CLI, driven by the Automation API. It finds the CLI (or builds
 * it once, see `scripts/pulumi-cli.sh`), installs the packed package into a throw-away project, and
 * tells the quickstart story: a preview, an up, a second up that changes nothing, a flow stopped out
 * of band found by refresh, the repair shown by `preview --diff` and made by up, and a destroy. Each
 * phase prints what the CLI itself printed, then the API calls the simulator received.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";
import {
  AutomationStack,
  type InlineProgram,
  type OperationOptions,
  type OperationResult,
} from "./automationStack";
import { prepareConsumerProject, writeProgram, type ConsumerProject } from "./consumerProject";
import { locatePulumiCli, PACKAGE_ROOT } from "./pulumiCli";

const STACK = "dev";

/** Reads `name:` and `main:` from a Pulumi.yaml (flat keys only; no YAML dependency needed). */
export function readProjectFile(file: string): { name: string; main?: string } {
  const text = fs.readFileSync(file, "utf8");
  const value = (key: string): string | undefined =>
    new RegExp(`^${key}:\\s*(.+?)\\s*$`, "m").exec(text)?.[1]?.replace(/^["']|["']$/g, "");
  const name = value("name");
  if (!name) throw new Error(`${file} has no name`);
  return { name, main: value("main") };
}

/** An example program compiled into the consumer project. */
export interface ExampleProgram {
  /** The compiled `index.js`. */
  readonly entry: string;
  /** Every compiled module of the example, `entry` included. */
  readonly modules: readonly string[];
  /** Runs the example's `index.js` afresh and returns its exports as the stack outputs. */
  readonly program: InlineProgram;
}

/**
 * Compiles an example's `.ts` files into the consumer project, where `@pulumi/pulumi` and the
 * package resolve as in a user's project, and makes an inline program that runs them.
 *
 * `index.ts` becomes `programs/<name>/index.js`; a sibling such as `flows.ts` becomes
 * `programs/<name>/flows/index.js`, which the compiled `require("./flows")` resolves to. That way
 * every module goes through `writeProgram`, with the same compiler settings as any other program.
 *
 * @param project - the installed consumer project
 * @param exampleDir - the example's folder (with its `index.ts`)
 * @param name - a folder name for the compiled program
 */
export function writeExampleProgram(
  project: ConsumerProject,
  exampleDir: string,
  name: string,
): ExampleProgram {
  const sources = fs
    .readdirSync(exampleDir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .sort();
  if (!sources.includes("index.ts")) throw new Error(`${exampleDir} has no index.ts`);
  const modules = sources.map((file) => {
    const moduleName = path.basename(file, ".ts");
    const folder = moduleName === "index" ? name : `${name}/${moduleName}`;
    return writeProgram(project, folder, fs.readFileSync(path.join(exampleDir, file), "utf8"));
  });
  const entry = path.join(project.dir, "programs", name, "index.js");
  return {
    entry,
    modules,
    program: async ({ require }) => {
      // A Pulumi program runs once per operation: without this, the second run would get the
      // first run's cached exports and declare no resources at all.
      for (const compiled of modules) delete require.cache[compiled];
      return { ...(require(entry) as Record<string, unknown>) };
    },
  };
}

/** `3 API calls (1× GET detail, …)`, from the simulator's journal after `since`. */
function apiCalls(simulator: Simulator, since: number): string {
  const entries = simulator.journal.filter((entry) => entry.sequence > since);
  if (entries.length === 0) return "no API calls";
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.method} ${entry.route}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return `${entries.length} API call${entries.length === 1 ? "" : "s"} (${[...counts].map(([key, count]) => `${count}× ${key}`).join(", ")})`;
}

/**
 * Copies the CLI's output to this process's stdout, indented under the phase heading. Output comes
 * in chunks that may end mid-line, so whether the next chunk starts a line is carried over.
 */
class IndentedOutput {
  #tail = "\n\n";

  /** Writes one chunk of the CLI's output. */
  readonly write = (chunk: string): void => {
    if (chunk === "") return;
    const atLineStart = this.#tail.endsWith("\n");
    const indented = chunk.replace(/\n(?=[^\n])/g, "\n  ");
    process.stdout.write(atLineStart && !chunk.startsWith("\n") ? `  ${indented}` : indented);
    this.#tail = (this.#tail + chunk).slice(-2);
  };

  /** What still has to be printed for the next line to follow a blank one. */
  get separator(): string {
    if (this.#tail.endsWith("\n\n")) return "";
    return this.#tail.endsWith("\n") ? "\n" : "\n\n";
  }
}

/**
 * The line that says why a run failed: the first resource error (the engine's summary, "update
 * failed", says nothing), else the CLI's error; without the "1 error occurred:" header and bullet
 * the provider's message comes wrapped in.
 */
function failureReason(result: OperationResult): string {
  const diagnostic =
    result.diagnostics.find((entry) => entry.severity === "error" && entry.urn) ??
    result.diagnostics.find((entry) => entry.severity === "error");
  const text = diagnostic?.message ?? result.error ?? "";
  const line = text
    .split("\n")
    .map((candidate) => candidate.trim().replace(/^\* /, ""))
    .find((candidate) => candidate !== "" && !/^\d+ errors? occurred:?$/.test(candidate));
  return line ?? "unknown failure (see the output above)";
}

async function phase(
  title: string,
  simulator: Simulator,
  run: (options: OperationOptions) => Promise<OperationResult>,
  options: OperationOptions = {},
): Promise<OperationResult> {
  console.log(`\n── ${title}\n`);
  const since = simulator.journal.at(-1)?.sequence ?? 0;
  const output = new IndentedOutput();
  const result = await run({ ...options, onOutput: output.write });
  // The simulator's count, set apart from the CLI's own lines above.
  process.stdout.write(output.separator);
  console.log(`  → ${apiCalls(simulator, since)}`);
  if (result.error !== undefined) {
    throw new Error(`${title.split(" (")[0]} failed: ${failureReason(result)}`);
  }
  return result;
}

async function main(): Promise<void> {
  const rootProject = readProjectFile(path.join(PACKAGE_ROOT, "Pulumi.yaml"));
  const exampleDir = path.join(PACKAGE_ROOT, rootProject.main ?? ".");
  const project = readProjectFile(path.join(exampleDir, "Pulumi.yaml"));
  const example = path.relative(PACKAGE_ROOT, exampleDir);
  console.log(
    `Deploying ${example} (project ${project.name}, stack ${STACK}) against the local Media Live simulator.`,
  );

  // Found on PATH or in the cache, or built from Pulumi's Go module on the first run (minutes).
  const cli = locatePulumiCli();
  console.log(`Pulumi CLI v${cli.version}: ${cli.binary}`);
  console.log(
    "Installing the packed package into a throw-away Pulumi project (cached after the first run)…",
  );
  const consumer = prepareConsumerProject({
    packageRoot: PACKAGE_ROOT,
    log: (line) => console.log(`  ${line}`),
  });
  const { program } = writeExampleProgram(consumer, exampleDir, `npm-start-${project.name}`);

  const simulator = await startSimulator({ flows: [{ name: "morning-news", status: "STANDBY" }] });
  try {
    const flow = simulator.listFlows()[0]!;
    console.log(
      `Simulator at ${simulator.url}: flow ${flow.flowId} ("${flow.name}") is ${flow.status}.`,
    );
    // The simulator's fake, simulator-only credentials.
    const credentials = SIMULATOR_DEFAULTS;
    const stack = new AutomationStack({
      project: consumer,
      cli,
      projectName: project.name,
      stackName: STACK,
      program,
      config: {
        [`${project.name}:flowId`]: { value: flow.flowId },
        "huaweicloud:liveEndpoint": { value: simulator.url },
        "huaweicloud:projectId": { value: simulator.projectId },
        "huaweicloud:region": { value: "ap-southeast-3" },
        "huaweicloud:accessKey": { value: credentials.accessKey, secret: true },
        "huaweicloud:secretKey": { value: credentials.secretKey, secret: true },
      },
    });
    try {
      await phase("pulumi preview (no API calls: previews are side-effect free)", simulator, (o) =>
        stack.preview(o),
      );
      await phase("pulumi up (reads the flow, starts it once)", simulator, (o) => stack.up(o));
      await phase("pulumi up again (nothing to do)", simulator, (o) => stack.up(o));
      simulator.setFlowStatus(flow.flowId, "STANDBY");
      console.log(
        `\n── someone stops flow ${flow.flowId} in the console (simulated out-of-band change)`,
      );
      await phase("pulumi refresh (finds the drift)", simulator, (o) => stack.refresh(o));
      await phase(
        "pulumi preview --diff (plans to start it again)",
        simulator,
        (o) => stack.preview(o),
        { diff: true },
      );
      await phase("pulumi up (repairs the drift)", simulator, (o) => stack.up(o));
      await phase("pulumi destroy (onDelete: stop)", simulator, (o) => stack.destroy(o));
      console.log(
        `\nFlow ${flow.flowId} is ${simulator.getFlow(flow.flowId)?.status} again. Done.`,
      );
    } finally {
      // Nothing of the run is worth keeping: its simulator is gone with this process.
      await stack.remove();
      fs.rmSync(stack.backendDir, { recursive: true, force: true });
    }
  } finally {
    await simulator.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // A failed phase has already printed the CLI's full output; end with the one line that matters.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nnpm start failed: ${message.split("\n")[0]}`);
    process.exitCode = 1;
  });
}
