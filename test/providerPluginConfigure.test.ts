/**
 * The provider plugin's own layer, fast and without the CLI: the config functions as tables, the
 * schema against the checked-in `schema.json`, and the compiled plugin over gRPC as the engine
 * calls it — `Configure` with secret-wrapped arguments reaching the lifecycle (the simulator sees
 * the request signed with those keys, at that endpoint), `CheckConfig`, `Check`, a partial
 * failure's wire shape, error messages naming this plugin's config keys, Flow's passphrases marked
 * secret at their leaf, previews answered offline, and the plugin stopping when its engine is
 * gone. Needs `npm run build` (it runs `dist/`).
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
  checkProviderConfig,
  CONFIGURE_ANSWER,
  engineAddressOf,
  FLOW_ACTIVATION_TOKEN,
  FLOW_TOKEN,
  inputsFromVariables,
  lifecycleConfigRequest,
  pluginConfigKeys,
  ProviderConfigError,
  SECRET_SIGNATURE,
  settingsFromInputs,
  SIGNATURE_KEY,
  translateError,
  typeOfUrn,
  unwrapSecrets,
  withSecretsMarked,
  type ObjectTypeSpec,
  type PackageSpec,
  type PropertySpec,
} from "../adapters/providerPlugin";
import { ENCRYPTION_ALGORITHMS, KEY_TYPES, SRT_PROTOCOLS } from "../client/flowItems";
import {
  flowInputSchema,
  flowOutputInputSchema,
  flowSourceInputSchema,
} from "../resources/flow/inputs";
import { flowActivationInputSchema } from "../resources/flowActivation/inputs";
import { UNKNOWN_VALUE } from "../resources/shared/inputFields";
import { repositorySchema } from "../adapters/providerPlugin/packaging/packagePlugin";
import { SETTINGS } from "../settings/settings";
import { PACKAGE_ROOT } from "../engine/pulumiCli";
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from "../simulator";

const secret = (value: unknown): Record<string, unknown> => ({
  [SIGNATURE_KEY]: SECRET_SIGNATURE,
  value,
});

describe("provider plugin: config", () => {
  it("unwraps secret markers at any depth and leaves other values alone", () => {
    expect(
      unwrapSecrets({
        region: "ap-southeast-3",
        secretKey: secret("sk"),
        nested: { list: [secret(1), "x"], deeper: secret(secret("twice")) },
      }),
    ).to.deep.equal({
      region: "ap-southeast-3",
      secretKey: "sk",
      nested: { list: [1, "x"], deeper: "twice" },
    });
  });

  it("turns provider inputs into setting strings: secrets unwrapped, numbers written, null left out", () => {
    expect(
      settingsFromInputs({
        region: "ap-southeast-2",
        accessKey: secret("ak"),
        secretKey: secret("sk"),
        maxRetries: 0,
        requestsPerSecond: 2.5,
        endpoint: null,
        version: "0.1.0",
      }),
    ).to.deep.equal({
      region: "ap-southeast-2",
      accessKey: "ak",
      secretKey: "sk",
      maxRetries: "0",
      requestsPerSecond: "2.5",
    });
    expect(() => settingsFromInputs({ region: { name: "x" } }))
      .to.throw(ProviderConfigError)
      .with.property(
        "message",
        'huaweicloud-medialive provider config region must be a string, got {"name":"x"}',
      );
  });

  it("answers the lifecycle's huaweicloud:<key> lookups from the plugin's settings", () => {
    const request = lifecycleConfigRequest({ endpoint: "http://127.0.0.1:1", secretKey: "sk" });
    expect(request.config.get("huaweicloud:liveEndpoint")).to.equal("http://127.0.0.1:1");
    expect(request.config.get("huaweicloud:secretKey")).to.equal("sk");
    expect(request.config.get("huaweicloud:region")).to.equal(undefined);
    expect(request.config.get("endpoint")).to.equal(undefined);
  });

  it("every setting is a provider config property, looked up by its dynamic-resource key", () => {
    const all = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, `value-${name}`]));
    const request = lifecycleConfigRequest(settingsFromInputs(all));
    for (const [name, spec] of Object.entries(SETTINGS)) {
      expect(request.config.get(spec.configKey), name).to.equal(`value-${name}`);
    }
  });

  it("reads the deprecated variables when Configure carries no args", () => {
    expect(
      inputsFromVariables(
        new Map([
          ["huaweicloud-medialive:config:region", "ap-southeast-3"],
          ["huaweicloud-medialive:config:maxRetries", "2"],
          ["other:config:region", "eu-west-101"],
        ]),
      ),
    ).to.deep.equal({ region: "ap-southeast-3", maxRetries: "2" });
  });

  const checkConfigCases: [
    string,
    Record<string, unknown>,
    { property: string; reason: RegExp }[],
  ][] = [
    [
      "stack config strings, numbers as text",
      { region: "ap-southeast-3", maxRetries: "3", requestsPerSecond: "2.5" },
      [],
    ],
    ["an explicit provider's numbers", { maxRetries: 3, requestsPerSecond: 10 }, []],
    [
      "engine keys and unknowns",
      { version: "0.1.0", __internal: {}, region: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
      [],
    ],
    [
      "a misspelt key",
      { regoin: "ap-southeast-3" },
      [
        {
          property: "regoin",
          reason:
            /^unknown huaweicloud-medialive provider config "regoin"; known: accessKey, .*region/,
        },
      ],
    ],
    [
      "the dynamic resource's name of a key",
      { liveEndpoint: "http://127.0.0.1:1" },
      [{ property: "liveEndpoint", reason: /unknown/ }],
    ],
    [
      "a number where a string belongs",
      { region: 3 },
      [{ property: "region", reason: /^region must be a string/ }],
    ],
    [
      "a fraction of a retry",
      { maxRetries: "1.5" },
      [{ property: "maxRetries", reason: /^maxRetries must be a whole number, got "1.5"/ }],
    ],
    [
      "a negative rate",
      { requestsPerSecond: -1 },
      [
        {
          property: "requestsPerSecond",
          reason: /^requestsPerSecond must be a non-negative number/,
        },
      ],
    ],
    [
      "text for a number",
      { maxRetries: "many" },
      [{ property: "maxRetries", reason: /non-negative number, got "many"/ }],
    ],
  ];
  for (const [name, news, expected] of checkConfigCases) {
    it(`CheckConfig: ${name}`, () => {
      const failures = checkProviderConfig(news);
      expect(failures.map((failure) => failure.property)).to.deep.equal(
        expected.map((failure) => failure.property),
      );
      failures.forEach((failure, index) =>
        expect(failure.reason).to.match(expected[index]!.reason),
      );
    });
  }

  it("names this plugin's config keys in place of the dynamic resource's", () => {
    expect(
      pluginConfigKeys(
        "stack config huaweicloud:accessKey (--secret) or HW_ACCESS_KEY; huaweicloud:liveEndpoint; huaweicloud:unrelated",
      ),
    ).to.equal(
      "stack config huaweicloud-medialive:accessKey (--secret) or HW_ACCESS_KEY; huaweicloud-medialive:endpoint; huaweicloud:unrelated",
    );
  });

  it("keeps a partial failure's shape, with plain JSON properties and no __provider", () => {
    const thrown = Object.assign(new Error("start failed; set huaweicloud:maxRetries"), {
      id: "flow-1",
      properties: {
        flowId: "flow-1",
        status: "STANDBY",
        __provider: undefined,
        flowName: undefined,
      },
      reasons: ["start failed; set huaweicloud:maxRetries"],
    });
    const translated = translateError(thrown) as Error & Record<string, unknown>;
    expect(translated.message).to.equal("start failed; set huaweicloud-medialive:maxRetries");
    expect(translated.id).to.equal("flow-1");
    expect(translated.properties).to.deep.equal({ flowId: "flow-1", status: "STANDBY" });
    expect(translated.reasons).to.deep.equal([
      "start failed; set huaweicloud-medialive:maxRetries",
    ]);
    expect(translateError("plain text").message).to.equal("plain text");
  });

  it("reads the type token from a URN, parent types included", () => {
    expect(typeOfUrn(`urn:pulumi:dev::p::${FLOW_ACTIVATION_TOKEN}::news`)).to.equal(
      FLOW_ACTIVATION_TOKEN,
    );
    expect(typeOfUrn(`urn:pulumi:dev::p::my:Component$${FLOW_ACTIVATION_TOKEN}::news`)).to.equal(
      FLOW_ACTIVATION_TOKEN,
    );
  });

  it("finds the engine's address among the plugin's arguments", () => {
    expect(engineAddressOf(["127.0.0.1:4321"])).to.deep.equal({ host: "127.0.0.1", port: 4321 });
    expect(
      engineAddressOf(["--logtostderr", "-v=9", "--tracing", "http://t:1", "[::1]:80"]),
    ).to.deep.equal({ host: "::1", port: 80 });
    expect(engineAddressOf([])).to.equal(undefined);
    expect(engineAddressOf(["not-an-address"])).to.equal(undefined);
  });
});

describe("provider plugin: schema", () => {
  const checkedIn = JSON.parse(
    fs.readFileSync(path.join(PACKAGE_ROOT, "schema.json"), "utf8"),
  ) as Record<string, unknown>;
  const built = repositorySchema();

  it("the checked-in schema.json is what the code builds (else run: node dist/adapters/providerPlugin/packaging/packagePlugin.js --write-schema)", () => {
    expect(checkedIn).to.deep.equal(JSON.parse(JSON.stringify(built)));
  });

  it("is the package huaweicloud-medialive at package.json's version, each language respecting it", () => {
    const version = (
      JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    expect(built.name).to.equal("huaweicloud-medialive");
    expect(built.version).to.equal(version);
    for (const language of ["nodejs", "python", "go", "csharp"]) {
      expect(built.language[language]?.respectSchemaVersion, language).to.equal(true);
    }
  });

  it("declares FlowActivation's inputs exactly as its input schema, enums and defaults included", () => {
    const resource = built.resources[FLOW_ACTIVATION_TOKEN]!;
    expect(Object.keys(resource.inputProperties)).to.deep.equal(
      Object.keys(flowActivationInputSchema.shape),
    );
    expect(resource.requiredInputs).to.deep.equal(["flowId"]);
    expect(resource.inputProperties.desiredStatus).to.deep.include({
      $ref: "#/types/huaweicloud-medialive:index:DesiredStatus",
      default: "ACTIVE",
    });
    expect(built.types["huaweicloud-medialive:index:DesiredStatus"]).to.deep.include({
      type: "string",
      enum: [{ value: "ACTIVE" }, { value: "STANDBY" }],
    });
    expect(built.types["huaweicloud-medialive:index:OnDelete"]).to.deep.include({
      enum: [{ value: "stop" }, { value: "leave" }, { value: "restore" }],
    });
    for (const property of Object.values(resource.inputProperties)) {
      expect(property.description)
        .to.be.a("string")
        .and.not.match(/huaweicloud:/);
    }
  });

  const typeOf = (name: string): ObjectTypeSpec =>
    built.types[`huaweicloud-medialive:index:${name}`] as ObjectTypeSpec;
  const enumValues = (name: string): string[] =>
    (built.types[`huaweicloud-medialive:index:${name}`] as { enum: { value: string }[] }).enum.map(
      (item) => item.value,
    );

  it("declares Flow's inputs as its input schema: sources and outputs as maps of their types", () => {
    const resource = built.resources[FLOW_TOKEN]!;
    expect(Object.keys(resource.inputProperties)).to.deep.equal(Object.keys(flowInputSchema.shape));
    expect(resource.requiredInputs).to.deep.equal(["name", "sources"]);
    expect(resource.inputProperties.sources).to.deep.include({
      type: "object",
      additionalProperties: { $ref: "#/types/huaweicloud-medialive:index:FlowSource" },
    });
    expect(resource.inputProperties.outputs).to.deep.include({
      type: "object",
      additionalProperties: { $ref: "#/types/huaweicloud-medialive:index:FlowOutput" },
    });
    expect(Object.keys(typeOf("FlowSource").properties)).to.deep.equal(
      Object.keys(flowSourceInputSchema.shape),
    );
    expect(Object.keys(typeOf("FlowOutput").properties)).to.deep.equal(
      Object.keys(flowOutputInputSchema.shape),
    );
    expect(typeOf("FlowSource").properties.decryption?.$ref).to.equal(
      "#/types/huaweicloud-medialive:index:SrtEncryption",
    );
    expect(typeOf("FlowOutput").properties.encryption?.$ref).to.equal(
      "#/types/huaweicloud-medialive:index:SrtEncryption",
    );
    expect(typeOf("FlowOutput").properties.enabled).to.deep.include({
      type: "boolean",
      default: true,
    });
    expect(typeOf("FlowSource").properties.cidrWhitelist).to.deep.include({
      type: "array",
      items: { type: "string" },
    });
    expect(enumValues("SrtProtocol")).to.deep.equal([...SRT_PROTOCOLS]);
    expect(enumValues("SrtKeyType")).to.deep.equal([...KEY_TYPES]);
    expect(enumValues("SrtAlgorithm")).to.deep.equal([...ENCRYPTION_ALGORITHMS]);
    expect(typeOf("SrtEncryption").properties.keyType).to.deep.include({
      $ref: "#/types/huaweicloud-medialive:index:SrtKeyType",
      default: "srt-password",
    });
  });

  it("marks the passphrase secret, and nothing else of a resource", () => {
    const secrets: string[] = [];
    const visit = (spec: PropertySpec, at: string): void => {
      if (spec.secret) secrets.push(at);
      if (spec.items) visit(spec.items, `${at}[]`);
      if (spec.additionalProperties) visit(spec.additionalProperties, `${at}.*`);
    };
    for (const [token, type] of Object.entries(built.types)) {
      if (type.type !== "object") continue;
      for (const [name, spec] of Object.entries(type.properties)) visit(spec, `${token}.${name}`);
    }
    for (const [token, resource] of Object.entries(built.resources)) {
      for (const [name, spec] of Object.entries({
        ...resource.properties,
        ...resource.inputProperties,
      })) {
        visit(spec, `${token}.${name}`);
      }
    }
    expect(secrets).to.deep.equal(["huaweicloud-medialive:index:SrtEncryption.passphrase"]);
  });

  it("declares Flow's outputs: flowId, status, the endpoints by item name, and the inputs", () => {
    const resource = built.resources[FLOW_TOKEN]!;
    expect(Object.keys(resource.properties)).to.deep.equal([
      ...Object.keys(flowInputSchema.shape),
      "flowId",
      "status",
      "sourceEndpoints",
      "outputEndpoints",
    ]);
    expect(resource.required).to.not.include("existingFlowId");
    expect(resource.required).to.include.members(["flowId", "sources", "outputs", "region"]);
    expect(resource.properties.sourceEndpoints).to.deep.include({
      type: "object",
      additionalProperties: { $ref: "#/types/huaweicloud-medialive:index:SourceEndpoint" },
    });
    expect(typeOf("OutputEndpoint").properties.port?.type).to.equal("integer");
    for (const spec of Object.values(resource.properties)) expect(spec).to.not.have.key("default");
    const descriptions = [
      resource.description,
      ...Object.values(resource.properties).map((spec) => spec.description),
      ...Object.values(resource.inputProperties).map((spec) => spec.description),
      ...Object.values(built.types).flatMap((type) => [
        type.description,
        ...(type.type === "object"
          ? Object.values(type.properties).map((spec) => spec.description)
          : []),
      ]),
    ];
    for (const description of descriptions) {
      expect(description).to.be.a("string").and.not.equal("");
      expect(description).to.not.match(/huaweicloud:/);
    }
  });

  it("marks secret values at their leaf, at any depth, and leaves the rest as it is", () => {
    const spec = built as unknown as PackageSpec;
    const flow = spec.resources[FLOW_TOKEN]!;
    const marked = withSecretsMarked(
      {
        name: "news",
        sources: { main: { protocol: "srt-listener", decryption: { passphrase: "p".repeat(12) } } },
        outputs: {
          cdn: { protocol: "srt-caller", encryption: { passphrase: secret("already") } },
          plain: { protocol: "srt-listener" },
        },
        unknownToSchema: { passphrase: "stays" },
      },
      flow.inputProperties,
      spec.types,
    );
    expect(marked).to.deep.equal({
      name: "news",
      sources: {
        main: { protocol: "srt-listener", decryption: { passphrase: secret("p".repeat(12)) } },
      },
      outputs: {
        cdn: { protocol: "srt-caller", encryption: { passphrase: secret("already") } },
        plain: { protocol: "srt-listener" },
      },
      unknownToSchema: { passphrase: "stays" },
    });
  });

  it("declares the provider's config from the settings table, credentials as secrets", () => {
    expect(Object.keys(built.config.variables)).to.deep.equal(Object.keys(SETTINGS));
    expect(built.provider.inputProperties).to.deep.equal(built.config.variables);
    for (const [name, spec] of Object.entries(SETTINGS)) {
      const variable = built.config.variables[name]!;
      expect(variable.secret ?? false, name).to.equal(spec.secret);
      expect(variable.description)
        .to.include(`huaweicloud-medialive:${name}`)
        .and.include(spec.envVar);
    }
    expect(built.config.variables.maxRetries?.type).to.equal("integer");
  });
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
