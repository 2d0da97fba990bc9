/**
 * Ends the provider host when the Pulumi engine that started it is gone.
 *
 * The engine starts Pulumi's Node.js dynamic-provider host as `node …/cmd/dynamic-provider/index.js
 * <engine address>` in a process group of its own, so when the `pulumi` process is killed (a CI job
 * cancelled, a laptop closed) the host is re-parented and lives on: an in-flight retry would still
 * start or stop a flow that no deployment will record. Pulumi's Go provider SDK health-checks its
 * engine for the same reason; the Node host has no such check, so this module adds one: it connects
 * to the engine's address four times a second and exits the process after two refused connections in a
 * row, which stops every wait, retry and poll at once.
 */
import * as net from "node:net";

/** How often the engine's address is probed. */
export const ENGINE_PROBE_INTERVAL_MS = 250;

/** Consecutive refused probes that mean the engine is gone (one may be a passing hiccup). */
export const ENGINE_GONE_AFTER_FAILURES = 2;

/** The engine address a process was started with, when it is Pulumi's dynamic-provider host. */
export interface EngineAddress {
  readonly host: string;
  readonly port: number;
}

const HOST_SCRIPT = /[\\/]cmd[\\/]dynamic-provider(?:[\\/]index(?:\.js)?)?$/;
const ADDRESS = /^(?:\[([0-9a-fA-F:]+)\]|([\w.-]+)):(\d{1,5})$/;

/**
 * Reads the engine address from a provider host's command line, or `undefined` when the process
 * is something else (a test, a program, the CLI's language host).
 *
 * @param argv - `process.argv`
 */
export function engineAddressFromArgv(argv: readonly string[]): EngineAddress | undefined {
  const [, script, address] = argv;
  if (!script || !address || !HOST_SCRIPT.test(script)) return undefined;
  const match = ADDRESS.exec(address);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

/**
 * Whether something accepts TCP connections at `address` (the engine's gRPC server).
 *
 * @param address - host and port
 * @param timeoutMs - how long a connection attempt may take before it counts as alive (a slow
 *   engine is not a gone engine)
 */
export function probeEngine(address: EngineAddress, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    const finish = (alive: boolean): void => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(timeoutMs, () => finish(true));
    socket.once("connect", () => finish(true));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish(error.code !== "ECONNREFUSED" && error.code !== "ECONNRESET"),
    );
  });
}

/** Options of {@link watchEngine}. */
export interface EngineWatchOptions {
  readonly address: EngineAddress;
  /** Called once when the engine is judged gone. */
  readonly onGone: () => void;
  readonly intervalMs?: number;
  readonly failuresBeforeGone?: number;
}

/**
 * Probes the engine periodically and calls `onGone` once after enough refused probes in a row.
 * The timer never keeps the process alive.
 *
 * @returns a function that stops watching
 */
export function watchEngine(options: EngineWatchOptions): () => void {
  const interval = options.intervalMs ?? ENGINE_PROBE_INTERVAL_MS;
  const limit = options.failuresBeforeGone ?? ENGINE_GONE_AFTER_FAILURES;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => void tick(), interval);
    timer.unref();
  };
  const tick = async (): Promise<void> => {
    const alive = await probeEngine(options.address);
    if (stopped) return;
    failures = alive ? 0 : failures + 1;
    if (failures >= limit) {
      stopped = true;
      options.onGone();
      return;
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** What {@link exitWhenEngineGone} uses of its process: `process` itself unless a test passes one. */
export interface HostProcess {
  readonly argv: readonly string[];
  readonly stderr: { write(text: string): unknown };
  exit(code: number): void;
}

let watching = false;

/**
 * In Pulumi's dynamic-provider host, exits the process once its engine is gone; elsewhere does
 * nothing. Idempotent: one watch per module instance, however often it is called.
 *
 * @param host - the process to read `argv` from and to end (a seam for in-process tests)
 */
export function exitWhenEngineGone(host: HostProcess = process): void {
  if (watching) return;
  const address = engineAddressFromArgv(host.argv);
  if (!address) return;
  watching = true;
  watchEngine({
    address,
    onGone: () => {
      host.stderr.write(
        `[medialive] the Pulumi engine at ${address.host}:${address.port} is gone; stopping this provider so no further API call is made\n`,
      );
      host.exit(1);
    },
  });
}
