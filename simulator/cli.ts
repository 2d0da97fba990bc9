#!/usr/bin/env node
/**
 * `medialive-simulator`: runs the Media Live simulator in the foreground with a few seeded flows and
 * prints how to point the provider at it. Stops cleanly on SIGINT / SIGTERM.
 */
import { parseArgs } from "node:util";

import { CLI_DEFAULTS, CLI_RANGES, EXIT_USAGE, SIMULATOR_DEFAULTS } from "./constants.js";
import type { FlowRecord } from "./flowStore.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "./simulator.js";

/** The `--help` text. */
export const CLI_USAGE = `Usage: medialive-simulator [options]

Runs a local Huawei Cloud Media Live (Flows API) simulator for tests and demos.

Options:
  --port N          port to listen on (default ${CLI_DEFAULTS.port}; 0 picks a free one)
  --host HOST       interface to listen on (default ${CLI_DEFAULTS.host})
  --flows N         number of STANDBY flows to seed (default ${CLI_DEFAULTS.flows})
  --latency MS      milliseconds added before every answer (default 0)
  --rps N           rate limit: accepted requests per sliding second (default unlimited)
  --project-id ID   project served at /v1/{project_id} (default ${SIMULATOR_DEFAULTS.projectId})
  --help            show this text
`;

/** What the command line asks for. */
export type CliCommand =
  { readonly kind: "help" } | { readonly kind: "run"; readonly options: SimulatorOptions };

/** A command line that cannot be understood; its message says which argument and why. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

function wholeNumber(flag: keyof typeof CLI_RANGES, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const { min, max } = CLI_RANGES[flag];
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) {
    throw new CliUsageError(
      `--${flag} must be a whole number from ${min} to ${max}, got "${value}"`,
    );
  }
  return parsed;
}

/**
 * Parses the command line into simulator options, without side effects.
 *
 * @param argv - arguments after the program name (`process.argv.slice(2)`)
 * @throws CliUsageError on an unknown flag, a missing value or a value out of range
 */
export function parseCliArguments(argv: readonly string[]): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        flows: { type: "string" },
        latency: { type: "string" },
        rps: { type: "string" },
        "project-id": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values["help"] === true) return { kind: "help" };

  const text = (flag: string): string | undefined => {
    const value = values[flag];
    if (value === "") throw new CliUsageError(`--${flag} must not be empty`);
    return typeof value === "string" ? value : undefined;
  };
  const flowCount = wholeNumber("flows", text("flows")) ?? CLI_DEFAULTS.flows;
  const options: SimulatorOptions = {
    port: wholeNumber("port", text("port")) ?? CLI_DEFAULTS.port,
    host: text("host") ?? CLI_DEFAULTS.host,
    flows: Array.from({ length: flowCount }, () => ({})),
  };
  const latencyMs = wholeNumber("latency", text("latency"));
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  const requestsPerSecond = wholeNumber("rps", text("rps"));
  if (requestsPerSecond !== undefined) options.requestsPerSecond = requestsPerSecond;
  const projectId = text("project-id");
  if (projectId !== undefined) options.projectId = projectId;
  return { kind: "run", options };
}

/**
 * What the command prints once the simulator listens: where it is, its simulator-only credentials,
 * the seeded flows and a ready-to-paste environment block for the provider.
 *
 * @param simulator - the running simulator's address and project
 * @param flows - the seeded flows
 */
export function formatBanner(
  simulator: Pick<Simulator, "url" | "projectId">,
  flows: readonly FlowRecord[],
): string {
  const flowLines = flows.length
    ? flows.map((flow) => `    ${flow.flowId}  ${flow.name}  ${flow.status}`)
    : ["    (none)"];
  return [
    `Media Live simulator listening on ${simulator.url}`,
    `  project id:  ${simulator.projectId}`,
    `  access key:  ${SIMULATOR_DEFAULTS.accessKey}`,
    `  secret key:  ${SIMULATOR_DEFAULTS.secretKey}`,
    "  (simulator-only credentials: they work here and nowhere else)",
    "  flows:",
    ...flowLines,
    "",
    "Point the provider at it:",
    `  export HW_LIVE_ENDPOINT=${simulator.url} HW_ACCESS_KEY=${SIMULATOR_DEFAULTS.accessKey} ` +
      `HW_SECRET_KEY=${SIMULATOR_DEFAULTS.secretKey} HW_PROJECT_ID=${simulator.projectId}`,
    "",
    "Press Ctrl+C to stop.",
  ].join("\n");
}

/**
 * Runs the command: parses `argv`, starts the simulator, prints the banner and waits for a signal.
 *
 * @param argv - arguments after the program name
 */
export async function main(argv: readonly string[]): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCliArguments(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`medialive-simulator: ${error.message}\n\n${CLI_USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (command.kind === "help") {
    console.log(CLI_USAGE);
    return;
  }
  const simulator = await startSimulator(command.options);
  console.log(formatBanner(simulator, simulator.listFlows()));
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`\n${signal} received, stopping the simulator.`);
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    simulator.close().catch((error: unknown) => {
      console.error("medialive-simulator: error while closing:", error);
      process.exitCode = 1;
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error("medialive-simulator:", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
