/**
 * `npm start`: deploys the default example (root `Pulumi.yaml` → `main:`) against the built-in Media
 * Live simulator through Pulumi's real provider host, with no account and no Pulumi CLI. It shows a
 * preview, the apply with per-resource results and outputs, a second apply that changes nothing,
 * a flow stopped out of band found by refresh and repaired by apply, and a destroy, with the API
 * calls each phase made.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";
import { prepareConsumerProject, writeProgram } from "./consumerProject";
import { LocalEngine, type RunResult, type Step } from "./localEngine";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");
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

const SYMBOL: Record<Step["kind"], string> = {
  create: "+",
  update: "~",
  replace: "+-",
  same: " ",
  delete: "-",
  refresh: "~",
  "refresh-gone": "-",
  failed: "!",
};

function describeStep(step: Step, preview: boolean): string {
  const verb: Record<Step["kind"], string> = {
    create: preview ? "create" : "created",
    update: preview ? "update" : "updated",
    replace: preview ? "replace" : "replaced",
    same: "unchanged",
    delete: preview ? "delete" : "deleted",
    refresh: "refreshed",
    "refresh-gone": "gone (removed from state)",
    failed: "failed",
  };
  const changed = step.changed?.length ? ` [diff: ${step.changed.join(", ")}]` : "";
  const error = step.error ? `: ${step.error}` : "";
  return `  ${SYMBOL[step.kind].padEnd(2)} medialive:FlowActivation  ${step.name.padEnd(8)} ${verb[step.kind]}${changed}${error}`;
}

/** `~ desiredStatus: "STANDBY" => "ACTIVE"`, as the Pulumi CLI shows a changed property. */
function printChanges(step: Step): void {
  for (const [key, { old, new: next }] of Object.entries(step.values ?? {})) {
    console.log(`      ~ ${key}: ${JSON.stringify(old)} => ${JSON.stringify(next)}`);
  }
}

function printOutputs(step: Step): void {
  const outputs = step.outputs;
  if (!outputs) return;
  for (const key of [
    "status",
    "desiredStatus",
    "flowName",
    "statusBeforeActivation",
    "region",
    "onDelete",
  ]) {
    if (outputs[key] !== undefined)
      console.log(`        ${key.padEnd(23)}: ${JSON.stringify(outputs[key])}`);
  }
}

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

async function phase(
  title: string,
  simulator: Simulator,
  run: () => Promise<RunResult>,
  preview = false,
): Promise<RunResult> {
  console.log(`\n── ${title}`);
  const since = simulator.journal.at(-1)?.sequence ?? 0;
  const result = await run();
  for (const step of result.steps) {
    console.log(describeStep(step, preview));
    printChanges(step);
    if (!preview && step.kind !== "failed" && step.kind !== "refresh") printOutputs(step);
  }
  if (result.steps.length === 0) console.log("  (no resources)");
  const exports = Object.entries(result.exports);
  if (exports.length > 0 && !preview) {
    console.log("  Outputs:");
    for (const [key, value] of exports)
      console.log(`    ${key.padEnd(23)}: ${JSON.stringify(value)}`);
  }
  console.log(`  ${apiCalls(simulator, since)}`);
  if (result.errors.length > 0) throw new Error(result.errors.join("\n"));
  return result;
}

async function main(): Promise<void> {
  const rootProject = readProjectFile(path.join(PACKAGE_ROOT, "Pulumi.yaml"));
  const exampleDir = path.join(PACKAGE_ROOT, rootProject.main ?? ".");
  const project = readProjectFile(path.join(exampleDir, "Pulumi.yaml"));
  console.log(
    `Deploying ${path.relative(PACKAGE_ROOT, exampleDir)} (project ${project.name}, stack ${STACK}) against the local Media Live simulator.`,
  );

  const simulator = await startSimulator({ flows: [{ name: "morning-news", status: "STANDBY" }] });
  try {
    const flow = simulator.listFlows()[0]!;
    console.log(
      `Simulator at ${simulator.url}: flow ${flow.flowId} ("${flow.name}") is ${flow.status}.`,
    );
    console.log(
      "Installing the packed package into a throw-away Pulumi project (cached after the first run)…",
    );
    const consumer = prepareConsumerProject({
      packageRoot: PACKAGE_ROOT,
      log: (line) => console.log(`  ${line}`),
    });
    const programFile = writeProgram(
      consumer,
      project.name,
      fs.readFileSync(path.join(exampleDir, "index.ts"), "utf8"),
    );
    // The simulator's fake, simulator-only credentials.
    const credentials = SIMULATOR_DEFAULTS;
    const engine = new LocalEngine({
      project: consumer,
      projectName: project.name,
      stackName: STACK,
      programFile,
      config: {
        values: {
          [`${project.name}:flowId`]: flow.flowId,
          "huaweicloud:liveEndpoint": simulator.url,
          "huaweicloud:projectId": simulator.projectId,
          "huaweicloud:region": "ap-southeast-3",
          "huaweicloud:accessKey": credentials.accessKey,
          "huaweicloud:secretKey": credentials.secretKey,
        },
        secretKeys: ["huaweicloud:accessKey", "huaweicloud:secretKey"],
      },
    });

    await phase(
      "pulumi preview (no API calls: previews are side-effect free)",
      simulator,
      () => engine.preview(),
      true,
    );
    await phase("pulumi up (reads the flow, starts it once)", simulator, () => engine.up());
    await phase("pulumi up again (nothing to do)", simulator, () => engine.up());
    simulator.setFlowStatus(flow.flowId, "STANDBY");
    console.log(
      `\n── someone stops flow ${flow.flowId} in the console (simulated out-of-band change)`,
    );
    await phase("pulumi refresh (finds the drift)", simulator, () => engine.refresh());
    await phase(
      "pulumi preview (plans to start it again)",
      simulator,
      () => engine.preview(),
      true,
    );
    await phase("pulumi up (repairs the drift)", simulator, () => engine.up());
    await phase("pulumi destroy (onDelete: stop)", simulator, () => engine.destroy());
    console.log(`\nFlow ${flow.flowId} is ${simulator.getFlow(flow.flowId)?.status} again. Done.`);
  } finally {
    await simulator.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
