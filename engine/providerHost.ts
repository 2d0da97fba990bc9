/**
 * Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), spawned from a
 * consumer project and driven over gRPC the way the engine drives it. The gRPC library and the
 * protocol stubs come from the consumer's copy of `@pulumi/pulumi`, so the wire format is the real
 * one of the SDK version the project installed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { createInterface } from "node:readline";

/** Pulumi's marker for a secret value in a struct (`rpc.specialSigKey` / `specialSecretSig`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The signature value that marks a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A property bag as JavaScript values. */
export type PropertyMap = Record<string, unknown>;

/** An input that failed `check`. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** What `Diff` answered. */
export interface DiffAnswer {
  readonly changes: "none" | "some" | "unknown";
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** A resource the host failed to create or update after the API accepted it (partial state). */
export interface PartialFailure {
  readonly id: string;
  readonly properties: PropertyMap;
  readonly reasons: string[];
}

/** An RPC that failed; `partial` is set when the provider reported what it left behind. */
export class ProviderRpcError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly partial?: PartialFailure,
  ) {
    super(message);
    this.name = "ProviderRpcError";
  }
}

/** How to start a host. */
export interface ProviderHostOptions {
  /** The consumer project: the host's working directory, where the package is installed. */
  readonly projectDir: string;
  /** Extra environment of the host process (the engine passes `PULUMI_CONFIG` and the project). */
  readonly env?: NodeJS.ProcessEnv;
}

// Minimal shapes of the generated protobuf classes we touch (the stubs are untyped CommonJS).
interface Message {
  serializeBinary(): Uint8Array;
}
interface Struct {
  toJavaScript(): PropertyMap;
}
interface StructStatic {
  fromJavaScript(value: PropertyMap): Struct;
}
type Setter = Record<string, (value: unknown) => void>;
type ProtoConstructor = new () => Message &
  Setter &
  Record<string, (...args: unknown[]) => unknown>;
interface GrpcModule {
  credentials: { createInsecure(): unknown };
}
interface GrpcMetadata {
  get(key: string): (string | Buffer)[];
}
interface GrpcError extends Error {
  details?: string;
  metadata?: GrpcMetadata;
}
type RpcCallback = (
  error: GrpcError | null,
  response: Record<string, (...args: unknown[]) => unknown>,
) => void;
type ProviderClient = Record<string, (request: Message, callback: RpcCallback) => void> & {
  close(): void;
};

/** A running provider host and its gRPC client. */
export class ProviderHost {
  /** Everything the host printed on stdout and stderr (for assertions that nothing leaks). */
  readonly output: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ProviderClient,
    private readonly proto: Record<string, ProtoConstructor>,
    private readonly structProto: StructStatic,
    private readonly statusProto: {
      deserializeBinary(bytes: Uint8Array): Record<string, (...args: unknown[]) => unknown>;
    },
    private readonly initFailedProto: {
      deserializeBinary(bytes: Uint8Array): Record<string, (...args: unknown[]) => unknown>;
    },
  ) {}

  /**
   * Spawns `node <consumer>/node_modules/@pulumi/pulumi/cmd/dynamic-provider <engine address>` in the
   * project directory and connects to the port it prints.
   *
   * @param options - project directory and environment
   */
  static async start(options: ProviderHostOptions): Promise<ProviderHost> {
    const consumerRequire = createRequire(path.join(options.projectDir, "package.json"));
    const hostEntry = consumerRequire.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    // The host only checks that an engine address is given; it never dials it.
    const child = spawn(process.execPath, [hostEntry, "127.0.0.1:1"], {
      cwd: options.projectDir,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
    const lines = createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`provider host exited (${code}) before listening: ${output.join("")}`));
      child.once("exit", onExit);
      lines.once("line", (line) => {
        child.off("exit", onExit);
        const value = Number(line.trim());
        if (Number.isInteger(value) && value > 0) resolve(value);
        else reject(new Error(`provider host printed "${line}" instead of a port`));
      });
    });
    lines.on("line", (line) => output.push(`${line}\n`));

    const grpc = consumerRequire("@grpc/grpc-js") as GrpcModule;
    const services = consumerRequire("@pulumi/pulumi/proto/provider_grpc_pb") as Record<
      string,
      new (address: string, credentials: unknown) => ProviderClient
    >;
    const proto = consumerRequire("@pulumi/pulumi/proto/provider_pb") as Record<
      string,
      ProtoConstructor
    >;
    const structProto = (
      consumerRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: StructStatic }
    ).Struct;
    const statusProto = (
      consumerRequire("@pulumi/pulumi/proto/status_pb") as {
        Status: ProviderHost["statusProto"];
      }
    ).Status;
    const client = new services.ResourceProviderClient!(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    const host = new ProviderHost(
      child,
      client,
      proto,
      structProto,
      statusProto,
      proto.ErrorResourceInitFailed as unknown as ProviderHost["initFailedProto"],
    );
    host.output.push(...output);
    child.stderr!.removeAllListeners("data");
    child.stderr!.on("data", (chunk: string) => host.output.push(chunk));
    lines.removeAllListeners("line");
    lines.on("line", (line) => host.output.push(`${line}\n`));
    return host;
  }

  /** The host's process id (tests kill it to simulate an interrupted run). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * `Configure`: the whole stack config, secrets wrapped as the engine sends them.
   *
   * @param config - namespaced config keys to values
   * @param secretKeys - keys whose values are secret
   */
  async configure(config: Record<string, string>, secretKeys: readonly string[]): Promise<void> {
    const args: PropertyMap = {};
    for (const [key, value] of Object.entries(config)) {
      args[key] = secretKeys.includes(key) ? { [SECRET_SIG_KEY]: SECRET_SIG, value } : value;
    }
    const request = this.message("ConfigureRequest");
    request.setArgs!(this.structProto.fromJavaScript(args));
    request.setAcceptsecrets!(true);
    request.setAcceptresources!(true);
    await this.call("configure", request);
  }

  /** `Check`: validates new inputs against the old ones. */
  async check(
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<{ inputs: PropertyMap; failures: CheckFailure[] }> {
    const request = this.message("CheckRequest");
    request.setUrn!(urn);
    request.setOlds!(this.structProto.fromJavaScript(olds));
    request.setNews!(this.structProto.fromJavaScript(news));
    const response = await this.call("check", request);
    const failures = (response.getFailuresList!() as Record<string, () => string>[]).map(
      (failure) => ({ property: failure.getProperty!(), reason: failure.getReason!() }),
    );
    return { inputs: toJavaScript(response.getInputs!()), failures };
  }

  /** `Diff`: old outputs against checked new inputs. */
  async diff(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<DiffAnswer> {
    const request = this.message("DiffRequest");
    request.setId!(id);
    request.setUrn!(urn);
    request.setOlds!(this.structProto.fromJavaScript(olds));
    request.setNews!(this.structProto.fromJavaScript(news));
    request.setOldInputs!(this.structProto.fromJavaScript(oldInputs));
    const response = await this.call("diff", request);
    const changes = response.getChanges!() as number;
    return {
      // DiffResponse.DiffChanges: 0 unknown, 1 none, 2 some.
      changes: changes === 2 ? "some" : changes === 1 ? "none" : "unknown",
      replaces: response.getReplacesList!() as string[],
      deleteBeforeReplace: response.getDeletebeforereplace!() as boolean,
    };
  }

  /** `Create`. */
  async create(
    urn: string,
    properties: PropertyMap,
    timeoutSeconds = 0,
  ): Promise<{ id: string; properties: PropertyMap }> {
    const request = this.message("CreateRequest");
    request.setUrn!(urn);
    request.setProperties!(this.structProto.fromJavaScript(properties));
    request.setTimeout!(timeoutSeconds);
    const response = await this.call("create", request);
    return { id: response.getId!() as string, properties: toJavaScript(response.getProperties!()) };
  }

  /** `Read` (refresh): an empty id means the resource is gone. */
  async read(
    id: string,
    urn: string,
    properties: PropertyMap,
    inputs: PropertyMap,
  ): Promise<{ id: string; properties: PropertyMap; inputs?: PropertyMap }> {
    const request = this.message("ReadRequest");
    request.setId!(id);
    request.setUrn!(urn);
    request.setProperties!(this.structProto.fromJavaScript(properties));
    request.setInputs!(this.structProto.fromJavaScript(inputs));
    const response = await this.call("read", request);
    const returnedInputs = response.getInputs!() as Struct | undefined;
    return {
      id: response.getId!() as string,
      properties: toJavaScript(response.getProperties!()),
      inputs: returnedInputs ? returnedInputs.toJavaScript() : undefined,
    };
  }

  /** `Update`: old outputs and checked new inputs. */
  async update(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<{ properties: PropertyMap }> {
    const request = this.message("UpdateRequest");
    request.setId!(id);
    request.setUrn!(urn);
    request.setOlds!(this.structProto.fromJavaScript(olds));
    request.setNews!(this.structProto.fromJavaScript(news));
    request.setOldInputs!(this.structProto.fromJavaScript(oldInputs));
    const response = await this.call("update", request);
    return { properties: toJavaScript(response.getProperties!()) };
  }

  /** `Delete`, with the stored outputs (and so the stored `__provider`). */
  async delete(
    id: string,
    urn: string,
    properties: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<void> {
    const request = this.message("DeleteRequest");
    request.setId!(id);
    request.setUrn!(urn);
    request.setProperties!(this.structProto.fromJavaScript(properties));
    request.setOldInputs!(this.structProto.fromJavaScript(oldInputs));
    await this.call("delete", request);
  }

  /** Stops the host: closes the client and ends the process. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await exited;
  }

  /** Kills the host at once, as a crash or a cancelled CI job would. */
  kill(): void {
    this.child.kill("SIGKILL");
  }

  private message(
    name: string,
  ): Message & Setter & Record<string, (...args: unknown[]) => unknown> {
    const Constructor = this.proto[name];
    if (!Constructor) throw new Error(`unknown protocol message ${name}`);
    return new Constructor();
  }

  private call(
    method: string,
    request: Message,
  ): Promise<Record<string, (...args: unknown[]) => unknown>> {
    return new Promise((resolve, reject) => {
      this.client[method]!(request, (error, response) => {
        if (error) reject(this.toRpcError(method, error));
        else resolve(response);
      });
    });
  }

  private toRpcError(method: string, error: GrpcError): ProviderRpcError {
    const message = error.details ?? error.message;
    const [details] = error.metadata?.get("grpc-status-details-bin") ?? [];
    if (!details || typeof details === "string") return new ProviderRpcError(method, message);
    const status = this.statusProto.deserializeBinary(new Uint8Array(details));
    for (const any of status.getDetailsList!() as Record<string, () => unknown>[]) {
      if (!String(any.getTypeUrl!()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
      const failure = this.initFailedProto.deserializeBinary(any.getValue_asU8!() as Uint8Array);
      return new ProviderRpcError(method, message, {
        id: failure.getId!() as string,
        properties: toJavaScript(failure.getProperties!()),
        reasons: failure.getReasonsList!() as string[],
      });
    }
    return new ProviderRpcError(method, message);
  }
}

function toJavaScript(value: unknown): PropertyMap {
  return value ? (value as Struct).toJavaScript() : {};
}
