/**
 * Linux process-table helpers for the interrupted-run tests: find the `pulumi` CLI this test
 * process started through the Automation API, the provider hosts below it, and watch them exit.
 */
import * as fs from "node:fs";

/** A process of the table. */
export interface ProcessInfo {
  readonly pid: number;
  readonly parentPid: number;
  /** The command line, arguments joined by spaces. */
  readonly commandLine: string;
}

/** Every process visible in `/proc`. */
export function processTable(): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: fields resume after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const commandLine = fs
        .readFileSync(`/proc/${entry}/cmdline`, "utf8")
        .split("\0")
        .filter(Boolean)
        .join(" ");
      table.push({ pid: Number(entry), parentPid: Number(fields[1]), commandLine });
    } catch {
      // The process ended while the table was read.
    }
  }
  return table;
}

/** The descendants of `pid`, nearest first. */
export function descendantsOf(pid: number, table = processTable()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of table.filter((candidate) => candidate.parentPid === parent)) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether a process is still running (zombies count as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/**
 * Waits until `condition` holds, checking every 20 ms.
 *
 * @returns the milliseconds waited
 * @throws Error naming `what` when `timeoutMs` passes first
 */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}
