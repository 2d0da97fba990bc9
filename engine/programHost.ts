/**
 * Runs a Pulumi program the way `pulumi up` does on the program side, without the CLI: the SDK is
 * put in mock mode (`pulumi.runtime.setMocks`), and every resource registration is intercepted
 * before the mock sees it. The raw registration (type, name, inputs with the real serialized
 * `__provider`, and resource options) goes to the parent process over IPC; the parent plays the
 * engine against the real provider host and answers with the resource's id and outputs, so that
 * the program sees real outputs (as it would under the engine) and its stack exports are real.
 *
 * This file is copied into the consumer project and started there with `fork`, so that
 * `@pulumi/pulumi` and the package under test resolve from the project's own `node_modules`.
 * Usage: `node programHost.js <program.js>` with `PULUMI_CONFIG` etc. in the environment.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as pulumiType from "@pulumi/pulumi";

/** One resource registration, as sent to the parent. */
export interface RegistrationMessage {
  readonly type: "register";
  readonly sequence: number;
  readonly urn: string;
  readonly resourceType: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly options: {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: string[];
  };
}

/** The parent's answer to a registration. */
export type RegistrationReply =
  | {
      readonly type: "registered";
      readonly sequence: number;
      readonly id: string;
      readonly outputs: Record<string, unknown>;
    }
  | { readonly type: "failed"; readonly sequence: number; readonly message: string };

/** The last message: the program finished (with its stack exports) or failed. */
export type ProgramResultMessage =
  | { readonly type: "done"; readonly exports: Record<string, unknown> }
  | { readonly type: "error"; readonly message: string };

type Callback = (error: Error | null, response?: unknown) => void;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
}
interface MockMonitorLike {
  registerResource(request: RegisterRequest, callback: Callback): void;
  newUrn(parent: string, type: string, name: string): string;
}

async function main(programPath: string): Promise<void> {
  const pulumi = require("@pulumi/pulumi") as typeof pulumiType;
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): MockMonitorLike;
    waitForRPCs(): Promise<void>;
  };
  const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as {
    RegisterResourceResponse: new () => {
      setUrn(urn: string): void;
      setId(id: string): void;
      setObject(value: unknown): void;
    };
  };
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { fromJavaScript(value: Record<string, unknown>): unknown };
  };

  const project = process.env.PULUMI_PROJECT ?? "project";
  const stack = process.env.PULUMI_STACK ?? "dev";
  const preview = process.env.PULUMI_DRY_RUN === "true";
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    project,
    stack,
    preview,
  );

  const pending = new Map<number, (reply: RegistrationReply) => void>();
  process.on("message", (message: RegistrationReply) => pending.get(message.sequence)?.(message));
  let sequence = 0;
  const monitor = settings.getMonitor();
  monitor.registerResource = (request, callback) => {
    const urn = monitor.newUrn(request.getParent(), request.getType(), request.getName());
    const registration: RegistrationMessage = {
      type: "register",
      sequence: ++sequence,
      urn,
      resourceType: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      inputs: request.getObject()?.toJavaScript() ?? {},
      options: {
        protect: request.getProtect(),
        retainOnDelete: request.getRetainondelete(),
        deleteBeforeReplace: request.getDeletebeforereplace(),
        ignoreChanges: request.getIgnorechangesList(),
      },
    };
    pending.set(registration.sequence, (reply) => {
      pending.delete(registration.sequence);
      if (reply.type === "failed") return callback(new Error(reply.message));
      const response = new resourceProto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(reply.id);
      response.setObject(Struct.fromJavaScript(reply.outputs));
      callback(null, response);
    });
    process.send!(registration);
  };

  const program = require(programPath) as Record<string, unknown>;
  await settings.waitForRPCs();
  const exports: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(program)) {
    exports[name] = pulumi.Output.isInstance(value)
      ? await (value as unknown as { promise(): Promise<unknown> }).promise()
      : value;
  }
  await settings.waitForRPCs();
  send({
    type: "done",
    exports: JSON.parse(JSON.stringify(exports ?? {})) as Record<string, unknown>,
  });
}

function send(message: ProgramResultMessage): void {
  process.send!(message, () => process.disconnect());
}

main(process.argv[2]!).catch((error: unknown) =>
  send({ type: "error", message: error instanceof Error ? error.message : String(error) }),
);
