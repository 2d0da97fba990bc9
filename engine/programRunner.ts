/**
 * Starts a Pulumi program in a consumer project (see `programHost.ts`) and answers each of its
 * resource registrations through a callback, as the engine would.
 */
import { fork } from "node:child_process";
import type { ConsumerProject } from "./consumerProject";
import type { PropertyMap } from "./providerHost";
import type { ProgramResultMessage, RegistrationMessage, RegistrationReply } from "./programHost";

/**
 * Runs `programFile` in the consumer project and resolves with its result (stack exports, or the
 * error it ended with).
 *
 * @param project - the consumer project
 * @param programFile - the program's JavaScript file inside the project
 * @param env - the program's environment on top of this process's (stack config, project, stack)
 * @param onRegister - answers one registration with the resource's id and outputs
 */
export function runProgram(
  project: ConsumerProject,
  programFile: string,
  env: NodeJS.ProcessEnv,
  onRegister: (registration: RegistrationMessage) => Promise<{ id: string; outputs: PropertyMap }>,
): Promise<ProgramResultMessage> {
  return new Promise((resolve) => {
    const child = fork(project.programHost, [programFile], {
      cwd: project.dir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Not the parent's loader flags (a test runner's TypeScript hooks): the program is plain JS.
      execArgv: [],
    });
    let result: ProgramResultMessage | undefined;
    const output: string[] = [];
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const send = (reply: RegistrationReply): void => {
      if (child.connected) child.send(reply);
    };
    child.on("message", (message: RegistrationMessage | ProgramResultMessage) => {
      if (message.type !== "register") {
        result = message;
        return;
      }
      onRegister(message).then(
        (answer) => send({ type: "registered", sequence: message.sequence, ...answer }),
        (error: unknown) =>
          send({
            type: "failed",
            sequence: message.sequence,
            message: error instanceof Error ? error.message : String(error),
          }),
      );
    });
    child.on("exit", (code) => {
      resolve(
        result ?? {
          type: "error",
          message: `program exited with code ${code}: ${output.join("").trim()}`,
        },
      );
    });
  });
}
