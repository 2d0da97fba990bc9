/**
 * The compiled provider plugin over gRPC, started as the engine starts it: `Configure` with
 * secret-wrapped arguments reaching the lifecycle (the simulator sees the request signed with those
 * keys, at that endpoint), `CheckConfig`, `Check`, a partial failure's wire shape, error messages
 * naming this plugin's config keys, Flow's passphrases marked secret at their leaf, previews
 * answered offline, and the plugin stopping when its engine is gone. Needs `npm run build` (it runs
 * `dist/`); the plugin's pure functions are tested in `providerPluginConfigure.test.ts`.
 */
import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";
import * as statusProto from "@pulumi/pulumi/proto/status_pb";
import {
  CONFIGURE_ANSWER,
  FLOW_ACTIVATION_TOKEN,
  FLOW_TOKEN,
  SECRET_SIGNATURE,
  SIGNATURE_KEY,
} from "../adapters/providerPlugin";
import { UNKNOWN_VALUE } from "../resources/shared/inputFields";
import { repositorySchema } from "../adapters/providerPlugin/packaging/packagePlugin";
import { PACKAGE_ROOT } from "../engine/pulumiCli";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";

const secret = (value: unknown): Record<string, unknown> => ({
  [SIGNATURE_KEY]: SECRET_SIGNATURE,
  value,
});

/** The compiled plugin, started as the engine starts it, with a gRPC client to it. */
class PluginProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly client: providerGrpc.ResourceProviderClient;
  stderr = "";

  private constructor(child: ChildProcessWithoutNullStreams, port: number) {
    this.child = child;
    child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.client = new providerGrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
  }

  static async start(engine: net.AddressInfo): Promise<PluginProcess> {
    const entry = path.join(PACKAGE_ROOT, "dist", "adapters", "providerPlugin", "main.js");
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("HW_")),
    );
    const child = spawn(process.execPath, [entry, `127.0.0.1:${engine.port}`], { env });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(Number(out.split("\n")[0]));
      });
      child.once("exit", (code) => reject(new Error(`the plugin exited (${code}) before serving`)));
    });
    return new PluginProcess(child, port);
  }

  call<Request, Response>(
    method: keyof providerGrpc.ResourceProviderClient,
    request: Request,
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      const invoke = this.client[method] as unknown as (
        request: Request,
        callback: (error: grpc.ServiceError | null, response: Response) => void,
      ) => void;
      invoke.call(this.client, request, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
  }

  async configure(args: Record<string, unknown>): Promise<providerProto.ConfigureResponse> {
    const request = new providerProto.ConfigureRequest();
    request.setArgs(Struct.fromJavaScript(args as never));
    request.setAcceptsecrets(true);
    return this.call("configure", request);
  }

  async create(
    inputs: Record<string, unknown>,
    name = "news",
  ): Promise<providerProto.CreateResponse> {
    const request = new providerProto.CreateRequest();
    request.setUrn(`urn:pulumi:dev::p::${FLOW_ACTIVATION_TOKEN}::${name}`);
    request.setProperties(Struct.fromJavaScript(inputs as never));
    return this.call("create", request);
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }
}

describe("provider plugin: the compiled plugin over gRPC", function () {
  this.timeout(30_000);
  let simulator: Simulator;
  let engine: net.Server;
  let plugin: PluginProcess;

  before(async () => {
    simulator = await startSimulator({
      flows: [{ flowId: "flow-1" }, { flowId: "flow-2" }, { flowId: "flow-3" }],
    });
    // Stands in for the engine: the plugin only checks that its address still accepts connections.
    engine = net.createServer((socket) => socket.destroy()).listen(0, "127.0.0.1");
    await new Promise((resolve) => engine.once("listening", resolve));
    plugin = await PluginProcess.start(engine.address() as net.AddressInfo);
  });
  after(async () => {
    plugin?.stop();
    engine?.close();
    await simulator?.close();
  });

  it("reports the package version and serves schema.json", async () => {
    const info = await plugin.call<Empty, pluginProto.PluginInfo>("getPluginInfo", new Empty());
    expect(info.getVersion()).to.equal(repositorySchema().version);
    const schema = await plugin.call<
      providerProto.GetSchemaRequest,
      providerProto.GetSchemaResponse
    >("getSchema", new providerProto.GetSchemaRequest());
    expect(schema.getSchema()).to.equal(
      fs.readFileSync(path.join(PACKAGE_ROOT, "schema.json"), "utf8"),
    );
  });

  it("CheckConfig names a misspelt key and returns the inputs as they came", async () => {
    const request = new providerProto.CheckRequest();
    request.setUrn("urn:pulumi:dev::p::pulumi:providers:huaweicloud-medialive::default");
    request.setOlds(Struct.fromJavaScript({}));
    request.setNews(Struct.fromJavaScript({ regoin: "ap-southeast-3", maxRetries: "2" }));
    const answer = await plugin.call<providerProto.CheckRequest, providerProto.CheckResponse>(
      "checkConfig",
      request,
    );
    expect(answer.getFailuresList().map((failure) => failure.getProperty())).to.deep.equal([
      "regoin",
    ]);
    expect(answer.getInputs()?.toJavaScript()).to.deep.equal({
      regoin: "ap-southeast-3",
      maxRetries: "2",
    });
  });

  it("Configure takes secret-wrapped arguments and answers: no secrets, previews served", async () => {
    const answer = await plugin.configure({
      region: "ap-southeast-3",
      projectId: simulator.projectId,
      endpoint: simulator.url,
      accessKey: secret(SIMULATOR_DEFAULTS.accessKey),
      secretKey: secret(SIMULATOR_DEFAULTS.secretKey),
      maxRetries: 0,
    });
    expect({
      acceptSecrets: answer.getAcceptsecrets(),
      acceptResources: answer.getAcceptresources(),
      acceptOutputs: answer.getAcceptoutputs(),
      supportsPreview: answer.getSupportspreview(),
    }).to.deep.equal(CONFIGURE_ANSWER);
  });

  it("Check validates offline and names the property", async () => {
    const request = new providerProto.CheckRequest();
    request.setUrn(`urn:pulumi:dev::p::${FLOW_ACTIVATION_TOKEN}::news`);
    request.setOlds(Struct.fromJavaScript({}));
    request.setNews(Struct.fromJavaScript({ flowId: "not a flow", onDelete: "explode" }));
    const before = simulator.journal.length;
    const answer = await plugin.call<providerProto.CheckRequest, providerProto.CheckResponse>(
      "check",
      request,
    );
    expect(answer.getFailuresList().map((failure) => failure.getProperty())).to.have.members([
      "flowId",
      "onDelete",
    ]);
    expect(simulator.journal.length).to.equal(before);
  });

  it("Create reaches the configured endpoint with the configured keys, and outputs the schema's properties", async () => {
    const created = await plugin.create({ flowId: "flow-1" });
    expect(created.getId()).to.equal("flow-1");
    const outputs = created.getProperties()!.toJavaScript();
    expect(Object.keys(outputs).sort()).to.deep.equal(
      [...repositorySchema().resources[FLOW_ACTIVATION_TOKEN]!.required].sort(),
    );
    expect(outputs).to.deep.include({
      status: "ACTIVE",
      endpoint: simulator.url,
      projectId: simulator.projectId,
      settingSources: { projectId: "config", region: "config", endpoint: "config" },
    });
    expect(
      simulator.journal
        .filter((entry) => entry.flowId === "flow-1")
        .map((entry) => [entry.route, entry.status]),
    ).to.deep.equal([
      ["detail", 200],
      ["start", 200],
    ]);
  });

  it("a failed start after the flow was read is a partial failure: id, plain properties, reasons", async () => {
    simulator.injectFault("start", { kind: "status", status: 500 }, 1, "flow-2");
    const failure = await plugin.create({ flowId: "flow-2" }).then(
      () => expect.fail("create should have failed"),
      (error: grpc.ServiceError) => error,
    );
    const [statusBytes] = failure.metadata.get("grpc-status-details-bin");
    expect(statusBytes, "grpc-status-details-bin").to.be.instanceOf(Buffer);
    const status = statusProto.Status.deserializeBinary(statusBytes as Buffer);
    const detail = status
      .getDetailsList()[0]!
      .unpack(
        providerProto.ErrorResourceInitFailed.deserializeBinary,
        "pulumirpc.ErrorResourceInitFailed",
      )!;
    expect(detail.getId()).to.equal("flow-2");
    const properties = detail.getProperties()!.toJavaScript();
    expect(properties).to.deep.include({ flowId: "flow-2", status: "STANDBY" });
    expect(properties).to.not.have.property("__provider");
    expect(detail.getReasonsList()).to.have.lengthOf(1);
    expect(detail.getReasonsList()[0]).to.equal(failure.details);
  });

  const flowUrn = `urn:pulumi:dev::p::${FLOW_TOKEN}::news`;
  const flowInputs = {
    name: "news",
    sources: {
      main: { protocol: "srt-listener", decryption: { passphrase: "main-feed-passphrase" } },
    },
    outputs: {
      cdn: { protocol: "srt-caller", destination: "cdn.example.com", port: 9000 },
      monitor: {
        protocol: "srt-listener",
        minLatency: 500,
        encryption: { passphrase: "monitor-passphrase", algorithm: "aes128" },
      },
    },
  };

  it("Check of a Flow fills defaults and marks every passphrase secret at its leaf, sent as plain text or not", async () => {
    const request = new providerProto.CheckRequest();
    request.setUrn(flowUrn);
    request.setOlds(Struct.fromJavaScript({}));
    request.setNews(Struct.fromJavaScript(flowInputs as never));
    const answer = await plugin.call<providerProto.CheckRequest, providerProto.CheckResponse>(
      "check",
      request,
    );
    expect(answer.getFailuresList()).to.deep.equal([]);
    const inputs = answer.getInputs()!.toJavaScript() as Record<string, unknown>;
    expect(inputs).to.have.deep.nested.property("sources.main.decryption", {
      passphrase: secret("main-feed-passphrase"),
      keyType: "srt-password",
    });
    expect(inputs).to.have.deep.nested.property("outputs.monitor.encryption", {
      passphrase: secret("monitor-passphrase"),
      keyType: "srt-password",
      algorithm: "aes128",
    });
    expect(inputs).to.have.nested.property("outputs.cdn.enabled", true);
  });

  it("Check of a Flow names a bad item property", async () => {
    const request = new providerProto.CheckRequest();
    request.setUrn(flowUrn);
    request.setOlds(Struct.fromJavaScript({}));
    request.setNews(
      Struct.fromJavaScript({
        ...flowInputs,
        outputs: { cdn: { protocol: "srt-caller", destination: "cdn.example.com", port: 70000 } },
      } as never),
    );
    const answer = await plugin.call<providerProto.CheckRequest, providerProto.CheckResponse>(
      "check",
      request,
    );
    expect(
      answer.getFailuresList().map((failure) => [failure.getProperty(), failure.getReason()]),
    ).to.deep.equal([["outputs.cdn.port", "must be 1-65535"]]);
  });

  it("Create of a Flow makes the flow and its outputs, and outputs its state with passphrases secret", async () => {
    const request = new providerProto.CreateRequest();
    request.setUrn(flowUrn);
    request.setProperties(
      Struct.fromJavaScript({
        ...flowInputs,
        outputs: {
          cdn: { ...flowInputs.outputs.cdn, enabled: true },
          monitor: {
            ...flowInputs.outputs.monitor,
            enabled: true,
            encryption: { ...flowInputs.outputs.monitor.encryption, keyType: "srt-password" },
          },
        },
        sources: {
          main: {
            ...flowInputs.sources.main,
            decryption: { ...flowInputs.sources.main.decryption, keyType: "srt-password" },
          },
        },
        timeouts: { create: "1m", update: "1m", delete: "1m" },
      } as never),
    );
    const since = simulator.journal.length;
    const created = await plugin.call<providerProto.CreateRequest, providerProto.CreateResponse>(
      "create",
      request,
    );
    const outputs = created.getProperties()!.toJavaScript() as Record<string, unknown>;
    expect(outputs.flowId).to.equal(created.getId());
    expect(simulator.journal.slice(since).map((entry) => entry.route)).to.deep.equal([
      "create",
      "createOutputs",
    ]);
    expect(outputs).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret("main-feed-passphrase"),
    );
    expect(outputs).to.have.deep.nested.property(
      "outputs.monitor.encryption.passphrase",
      secret("monitor-passphrase"),
    );
    expect(Object.keys(outputs.outputEndpoints as object).sort()).to.deep.equal(["cdn", "monitor"]);
  });

  it("a preview's Create is answered offline with the checked inputs, passphrases secret", async () => {
    const before = simulator.journal.length;
    const request = new providerProto.CreateRequest();
    request.setUrn(flowUrn);
    request.setPreview(true);
    request.setProperties(Struct.fromJavaScript(flowInputs as never));
    const answer = await plugin.call<providerProto.CreateRequest, providerProto.CreateResponse>(
      "create",
      request,
    );
    expect(answer.getId()).to.equal("");
    const outputs = answer.getProperties()!.toJavaScript() as Record<string, unknown>;
    expect(outputs).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret("main-feed-passphrase"),
    );
    expect(outputs).to.not.have.property("flowId");
    expect(simulator.journal.length).to.equal(before);
  });

  it("a preview's Update is answered offline: flowId and untouched endpoints kept, changed ones unknown", async () => {
    const endpoint = (port: number) => ({
      protocol: "srt-listener",
      address: "192.0.2.1",
      port,
      healthStatus: "CONNECTED",
    });
    const stored = {
      ...flowInputs,
      flowId: "flow-9",
      status: "ACTIVE",
      region: "ap-southeast-3",
      projectId: simulator.projectId,
      endpoint: simulator.url,
      timeouts: { create: "5m", update: "5m", delete: "5m" },
      sourceEndpoints: { main: endpoint(9001) },
      outputEndpoints: { cdn: endpoint(9000), monitor: endpoint(9002) },
      settingSources: { projectId: "config", region: "config", endpoint: "config" },
    };
    const news = {
      ...flowInputs,
      outputs: {
        ...flowInputs.outputs,
        monitor: { ...flowInputs.outputs.monitor, minLatency: 800 },
        added: { protocol: "srt-listener" },
      },
      timeouts: stored.timeouts,
    };
    const before = simulator.journal.length;
    const request = new providerProto.UpdateRequest();
    request.setUrn(flowUrn);
    request.setId("flow-9");
    request.setPreview(true);
    request.setOlds(Struct.fromJavaScript(stored as never));
    request.setNews(Struct.fromJavaScript(news as never));
    const answer = await plugin.call<providerProto.UpdateRequest, providerProto.UpdateResponse>(
      "update",
      request,
    );
    const outputs = answer.getProperties()!.toJavaScript() as Record<string, unknown>;
    expect(outputs).to.deep.include({ flowId: "flow-9", status: "ACTIVE" });
    expect(outputs.sourceEndpoints).to.deep.equal({ main: endpoint(9001) });
    expect(outputs.outputEndpoints).to.deep.equal({
      cdn: endpoint(9000),
      monitor: UNKNOWN_VALUE,
      added: UNKNOWN_VALUE,
    });
    expect(outputs).to.have.nested.property("outputs.monitor.minLatency", 800);
    expect(outputs).to.have.deep.nested.property(
      "outputs.monitor.encryption.passphrase",
      secret("monitor-passphrase"),
    );
    expect(simulator.journal.length).to.equal(before);
  });

  it("a preview's Update of FlowActivation answers its checked inputs, as the engine did", async () => {
    const request = new providerProto.UpdateRequest();
    request.setUrn(`urn:pulumi:dev::p::${FLOW_ACTIVATION_TOKEN}::news`);
    request.setId("flow-1");
    request.setPreview(true);
    request.setOlds(Struct.fromJavaScript({ flowId: "flow-1", status: "ACTIVE" }));
    request.setNews(Struct.fromJavaScript({ flowId: "flow-1", desiredStatus: "STANDBY" }));
    const answer = await plugin.call<providerProto.UpdateRequest, providerProto.UpdateResponse>(
      "update",
      request,
    );
    expect(answer.getProperties()!.toJavaScript()).to.deep.equal({
      flowId: "flow-1",
      desiredStatus: "STANDBY",
    });
  });

  it("without credentials, Create fails naming this plugin's config keys", async () => {
    const bare = await PluginProcess.start(engine.address() as net.AddressInfo);
    try {
      await bare.configure({ endpoint: simulator.url, projectId: simulator.projectId });
      const failure = await bare.create({ flowId: "flow-3" }).then(
        () => expect.fail("create should have failed"),
        (error: grpc.ServiceError) => error,
      );
      expect(failure.details).to.match(/^Media Live settings are missing: credentials/);
      expect(failure.details).to.include("stack config huaweicloud-medialive:accessKey (--secret)");
      expect(failure.details).to.include("environment variable HW_ACCESS_KEY");
      expect(failure.details).to.not.match(/huaweicloud:/);
    } finally {
      bare.stop();
    }
  });

  it("stops on its own once its engine is gone", async () => {
    const orphanEngine = net.createServer((socket) => socket.destroy()).listen(0, "127.0.0.1");
    await new Promise((resolve) => orphanEngine.once("listening", resolve));
    const orphan = await PluginProcess.start(orphanEngine.address() as net.AddressInfo);
    const exited = new Promise<number | null>((resolve) => orphan.child.once("exit", resolve));
    orphanEngine.close();
    expect(await exited).to.equal(1);
    expect(orphan.stderr).to.include("is gone; stopping this provider");
    orphan.client.close();
  });
});
