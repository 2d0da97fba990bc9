/**
 * Where the plugin's engine listens, read from the arguments the engine starts the plugin with;
 * apart from `plugin.ts` because it is a pure decision that runs in any process, while serving
 * runs only in the plugin's own.
 */
/**
 * The engine's address among a plugin's arguments: the first one that is not a logging or tracing
 * flag (`--logtostderr`, `-v=N`, `--tracing <endpoint>`), as `host:port`.
 *
 * @param args - the plugin's arguments
 */
export function engineAddressOf(
  args: readonly string[],
): { host: string; port: number } | undefined {
  const positional: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === "--tracing") index += 1;
    else if (!arg.startsWith("-")) positional.push(arg);
  }
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([\w.-]+)):(\d{1,5})$/.exec(positional[0] ?? "");
  if (!match) return undefined;
  const port = Number(match[3]);
  return port >= 1 && port <= 65_535 ? { host: match[1] ?? match[2]!, port } : undefined;
}
