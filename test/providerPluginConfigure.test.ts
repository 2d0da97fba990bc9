/**
 * The provider plugin's own layer, fast, in this process and without the CLI: the config functions
 * as tables and the schema against the checked-in `schema.json`. The compiled plugin over gRPC is
 * `providerPluginGrpc.test.ts`.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  checkProviderConfig,
  createProvider,
  engineAddressOf,
  FLOW_ACTIVATION_TOKEN,
  FLOW_TOKEN,
  inputsFromVariables,
  lifecycleConfigRequest,
  pluginConfigKeys,
  ProviderConfigError,
  RESOURCE_TYPES,
  SECRET_SIGNATURE,
  settingsFromInputs,
  SIGNATURE_KEY,
  translateError,
  typeOfUrn,
  unwrapSecrets,
  withSecretsMarked,
  type ObjectTypeSpec,
  type PackageSpec,
  type PluginProvider,
  type PropertySpec,
} from "../adapters/providerPlugin";
import { ENCRYPTION_ALGORITHMS, KEY_TYPES, SRT_PROTOCOLS } from "../client/flowItems";
import {
  flowInputSchema,
  flowOutputInputSchema,
  flowSourceInputSchema,
} from "../resources/flow/inputs";
import { flowActivationInputSchema } from "../resources/flowActivation/inputs";
import {
  repositoryDocs,
  repositorySchema,
} from "../adapters/providerPlugin/packaging/packagePlugin";
import type { DeclarationDocs, SourceDocs } from "../adapters/providerPlugin/resourceDocs";
import { buildSchema } from "../adapters/providerPlugin/schema";
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

describe("provider plugin: the provider object, in this process against the simulator", () => {
  const schemaText = fs.readFileSync(path.join(PACKAGE_ROOT, "schema.json"), "utf8");
  const activationUrn = `urn:pulumi:dev::p::${FLOW_ACTIVATION_TOKEN}::news`;
  const flowUrn = `urn:pulumi:dev::p::${FLOW_TOKEN}::news`;
  const passphrase = "main-feed-passphrase";
  let simulator: Simulator;
  let schemaLoads = 0;
  let provider: PluginProvider;

  /** Gives every served lifecycle the settings, as the plugin's Configure does. */
  const configureAll = async (inputs: Record<string, unknown>): Promise<void> => {
    const request = lifecycleConfigRequest(settingsFromInputs(inputs));
    for (const configure of new Set(Object.values(RESOURCE_TYPES).map((type) => type.configure))) {
      await configure(request);
    }
  };

  before(async () => {
    simulator = await startSimulator({
      flows: [{ flowId: "flow-1" }, { flowId: "flow-2" }, { flowId: "flow-3" }],
    });
  });
  beforeEach(async () => {
    await configureAll({
      region: "ap-southeast-3",
      projectId: simulator.projectId,
      endpoint: simulator.url,
      accessKey: secret(SIMULATOR_DEFAULTS.accessKey),
      secretKey: secret(SIMULATOR_DEFAULTS.secretKey),
      maxRetries: 0,
    });
    schemaLoads = 0;
    provider = createProvider({
      version: "9.8.7",
      loadSchema: async () => {
        schemaLoads += 1;
        return schemaText;
      },
      resourceTypes: RESOURCE_TYPES,
    });
    simulator.clearFaults();
  });
  after(async () => {
    // Other suites in this process must not see this suite's settings.
    await configureAll({});
    await simulator?.close();
  });

  it("reports its version and reads the schema once, for GetSchema and for marking secrets alike", async () => {
    expect(provider.version).to.equal("9.8.7");
    expect(await provider.getSchema!()).to.equal(schemaText);
    await provider.check!(flowUrn, {}, { name: "news", sources: {} });
    expect(await provider.getSchema!()).to.equal(schemaText);
    expect(schemaLoads).to.equal(1);
  });

  it("Check marks a Flow's passphrase secret in the checked inputs and fills defaults", async () => {
    const checked = await provider.check!(flowUrn, undefined, {
      name: "news",
      sources: { main: { protocol: "srt-listener", decryption: { passphrase } } },
    });
    expect(checked).to.deep.equal({
      inputs: {
        name: "news",
        sources: {
          main: {
            protocol: "srt-listener",
            decryption: { passphrase: secret(passphrase), keyType: "srt-password" },
          },
        },
        outputs: {},
        timeouts: { create: "5m", update: "5m", delete: "5m" },
      },
      failures: [],
    });
  });

  it("Check passes the lifecycle's failures on, and takes absent inputs as empty", async () => {
    expect(
      await provider.check!(activationUrn, {}, { flowId: "not a flow", onDelete: "explode" }),
    ).to.deep.equal({
      inputs: { flowId: "not a flow", onDelete: "explode" },
      failures: [
        { property: "flowId", reason: "flowId must be printable ASCII without spaces" },
        { property: "onDelete", reason: 'onDelete must be "stop", "leave" or "restore"' },
      ],
    });
    expect(await provider.check!(activationUrn, undefined, undefined)).to.deep.equal({
      inputs: {},
      failures: [{ property: "flowId", reason: "flowId is required" }],
    });
  });

  it("Diff answers the lifecycle's decision, a resource without recorded state as an empty one", async () => {
    const stored = {
      flowId: "flow-1",
      region: "ap-southeast-3",
      projectId: simulator.projectId,
      endpoint: simulator.url,
    };
    expect(
      await provider.diff!("flow-1", activationUrn, stored, { ...stored, flowId: "flow-2" }),
    ).to.deep.equal({ changes: true, replaces: ["flowId"], deleteBeforeReplace: true });
    expect(await provider.diff!("flow-1", activationUrn, undefined, undefined)).to.deep.equal(
      await provider.diff!("flow-1", activationUrn, {}, {}),
    );
  });

  it("Create and Update reach the API and answer the state, a Flow's passphrases secret at their leaf", async () => {
    const inputs = (
      await provider.check!(
        flowUrn,
        {},
        {
          name: "in-process",
          sources: { main: { protocol: "srt-listener", decryption: { passphrase } } },
        },
      )
    ).inputs as Record<string, unknown>;
    const since = simulator.journal.length;
    const created = await provider.create!(flowUrn, unwrapSecrets(inputs));
    expect(simulator.journal.slice(since).map((entry) => entry.route)).to.deep.equal(["create"]);
    const outs = created.outs as Record<string, unknown>;
    expect(created.id).to.be.a("string").and.equal(outs.flowId);
    expect(outs).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret(passphrase),
    );
    expect(outs).to.include({ name: "in-process", region: "ap-southeast-3", status: "STANDBY" });

    const news = {
      ...(unwrapSecrets(inputs) as Record<string, unknown>),
      outputs: { cdn: { protocol: "srt-caller", destination: "cdn.example.com", port: 9000 } },
    };
    const checked = (await provider.check!(flowUrn, {}, news)).inputs as Record<string, unknown>;
    const updated = await provider.update!(
      created.id,
      flowUrn,
      unwrapSecrets(outs),
      unwrapSecrets(checked),
    );
    const updatedOuts = updated.outs as Record<string, unknown>;
    expect(updatedOuts).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret(passphrase),
    );
    expect(Object.keys(updatedOuts.outputEndpoints as object)).to.deep.equal(["cdn"]);
    expect(simulator.getFlowOutputs(created.id)?.map((output) => output.name)).to.deep.equal([
      "cdn",
    ]);
  });

  it("Create and Update take absent inputs as empty ones, which the lifecycle rejects naming flowId", async () => {
    for (const call of [
      () => provider.create!(activationUrn, undefined),
      () => provider.update!("flow-1", activationUrn, { flowId: "flow-1" }, undefined),
    ]) {
      await call().then(
        () => expect.fail("an empty FlowActivation must be rejected"),
        (error: Error) =>
          expect(error.message).to.equal(
            "FlowActivation inputs are invalid: flowId: flowId is required",
          ),
      );
    }
  });

  it("Update of a resource without recorded state starts from an empty one", async () => {
    const since = simulator.journal.length;
    const updated = await provider.update!("flow-3", activationUrn, undefined, {
      flowId: "flow-3",
    });
    expect(updated.outs).to.deep.include({ flowId: "flow-3", status: "ACTIVE" });
    // No recorded status is "not at the target": the flow is started.
    expect(
      simulator.journal.slice(since).filter((entry) => entry.route === "start"),
    ).to.have.lengthOf(1);
  });

  it("Read answers the refreshed state and inputs, the passphrase secret in both", async () => {
    const inputs = {
      name: "refreshed",
      sources: { main: { protocol: "srt-listener", decryption: { passphrase } } },
    };
    const checked = (await provider.check!(flowUrn, {}, inputs)).inputs as Record<string, unknown>;
    const created = await provider.create!(flowUrn, unwrapSecrets(checked));
    const read = await provider.read!(created.id, flowUrn, unwrapSecrets(created.outs));
    expect(read.id).to.equal(created.id);
    expect(read.props).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret(passphrase),
    );
    expect(read.inputs).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret(passphrase),
    );
    expect(read.inputs).to.not.have.property("flowId");
  });

  it("Read of a flow that is gone, or of no state at all, answers the empty id", async () => {
    const gone = simulator.createFlow({});
    const created = await provider.create!(activationUrn, { flowId: gone.flowId });
    simulator.deleteFlow(gone.flowId);
    expect(await provider.read!(gone.flowId, activationUrn, created.outs)).to.deep.equal({
      id: "",
      props: {},
    });
    expect(await provider.read!("flow-1", activationUrn, undefined)).to.deep.equal({
      id: "",
      props: {},
    });
  });

  it("Delete applies onDelete, and with no state at all makes no call", async () => {
    const created = await provider.create!(activationUrn, { flowId: "flow-2" });
    const since = simulator.journal.length;
    expect(await provider.delete!("flow-2", activationUrn, created.outs)).to.equal(undefined);
    expect(simulator.journal.slice(since).map((entry) => entry.route)).to.deep.equal(["stop"]);
    const before = simulator.journal.length;
    expect(await provider.delete!("flow-2", activationUrn, undefined)).to.equal(undefined);
    expect(simulator.journal.length).to.equal(before);
  });

  it("Preview answers a Create with the inputs and a Flow's Update with previewUpdate, offline", async () => {
    const news = {
      name: "preview",
      sources: { main: { protocol: "srt-listener", decryption: { passphrase } } },
    };
    const before = simulator.journal.length;
    expect(await provider.preview(flowUrn, undefined, {}, news)).to.deep.equal({
      ...news,
      sources: {
        main: { protocol: "srt-listener", decryption: { passphrase: secret(passphrase) } },
      },
    });
    const stored = { ...news, flowId: "flow-77", status: "ACTIVE", sourceEndpoints: {} };
    const previewed = await provider.preview(flowUrn, "flow-77", stored, news);
    expect(previewed).to.include({ flowId: "flow-77", status: "ACTIVE" });
    expect(previewed).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret(passphrase),
    );
    // FlowActivation has no previewUpdate: its Update preview shows the checked inputs.
    expect(
      await provider.preview(
        activationUrn,
        "flow-1",
        { flowId: "flow-1" },
        { flowId: "flow-1", desiredStatus: "STANDBY" },
      ),
    ).to.deep.equal({ flowId: "flow-1", desiredStatus: "STANDBY" });
    expect(simulator.journal.length).to.equal(before);
  });

  it("a type it does not serve is an error naming the type and the ones served", async () => {
    await provider.check!("urn:pulumi:dev::p::huaweicloud-medialive:index:Channel::c", {}, {}).then(
      () => expect.fail("an unknown type must be refused"),
      (error: Error) =>
        expect(error.message).to.equal(
          `huaweicloud-medialive has no resource type huaweicloud-medialive:index:Channel; it serves ${FLOW_ACTIVATION_TOKEN}, ${FLOW_TOKEN}`,
        ),
    );
  });

  it("a type the schema does not declare has nothing marked", async () => {
    const unschemaed = createProvider({
      version: "9.8.7",
      loadSchema: async () => JSON.stringify({ resources: {}, types: {} }),
      resourceTypes: RESOURCE_TYPES,
    });
    const checked = await unschemaed.check!(
      flowUrn,
      {},
      {
        name: "news",
        sources: { main: { protocol: "srt-listener", decryption: { passphrase } } },
      },
    );
    expect(checked.inputs).to.have.nested.property(
      "sources.main.decryption.passphrase",
      passphrase,
    );
  });

  it("a partial failure keeps id, properties (secrets marked, no __provider) and reasons, config keys renamed", async () => {
    simulator.injectFault("createOutputs", { kind: "status", status: 403 }, 1);
    const inputs = (
      await provider.check!(
        flowUrn,
        {},
        {
          name: "half-made",
          sources: { main: { protocol: "srt-listener", decryption: { passphrase } } },
          outputs: { cdn: { protocol: "srt-caller", destination: "cdn.example.com", port: 9000 } },
        },
      )
    ).inputs as Record<string, unknown>;
    const failure = (await provider.create!(flowUrn, unwrapSecrets(inputs)).then(
      () => expect.fail("the outputs' creation fails"),
      (error: unknown) => error,
    )) as Error & { id: string; properties: Record<string, unknown>; reasons: string[] };
    expect(failure.id).to.be.a("string").and.not.equal("");
    expect(failure.properties).to.include({ flowId: failure.id, name: "half-made" });
    expect(failure.properties).to.not.have.property("__provider");
    expect(failure.properties).to.have.deep.nested.property(
      "sources.main.decryption.passphrase",
      secret(passphrase),
    );
    expect(failure.reasons).to.deep.equal([failure.message]);
    expect(failure.message).to.not.match(/huaweicloud:/);
  });

  it("an error names this plugin's config keys, not the dynamic resource's", async () => {
    await configureAll({
      projectId: simulator.projectId,
      endpoint: simulator.url,
      accessKey: SIMULATOR_DEFAULTS.accessKey,
      secretKey: SIMULATOR_DEFAULTS.secretKey,
    });
    const failure = await provider.create!(flowUrn, {
      name: "nowhere",
      sources: { main: { protocol: "srt-listener" } },
    }).then(
      () => expect.fail("a flow without a region must be refused"),
      (error: Error) => error,
    );
    // The lifecycle says "stack config huaweicloud:region"; this plugin's key is its own package's.
    expect(failure.message).to.equal(
      "Flow: the flow's region is not set: set the region input, stack config huaweicloud-medialive:region or HW_REGION_NAME.",
    );
  });
});

describe("provider plugin: the pure functions at their edges", () => {
  it("a non-partial error keeps its properties; an id of null or empty makes no partial failure", () => {
    for (const id of [undefined, null, ""]) {
      const properties = { flowId: "flow-1", __provider: "kept" };
      const thrown = Object.assign(new Error("failed"), { id, properties });
      const translated = translateError(thrown) as Error & Record<string, unknown>;
      expect(translated, String(id)).to.equal(thrown);
      expect(translated.properties, String(id)).to.equal(properties);
      expect(translated.properties, String(id)).to.deep.equal({
        flowId: "flow-1",
        __provider: "kept",
      });
      expect(translated, String(id)).to.not.have.property("reasons");
    }
  });

  it("a partial failure drops the dynamic provider's serialized __provider from its properties", () => {
    const translated = translateError(
      Object.assign(new Error("x"), {
        id: "flow-1",
        properties: { flowId: "flow-1", __provider: "exports.handler = ..." },
      }),
    ) as Error & Record<string, unknown>;
    expect(translated.properties).to.deep.equal({ flowId: "flow-1" });
  });

  it("a partial failure without properties or reasons gets empty properties and its message as the reason", () => {
    const thrown = Object.assign(new Error("stop failed; see huaweicloud:region"), {
      id: "flow-1",
    });
    const translated = translateError(thrown) as Error & Record<string, unknown>;
    expect(translated.properties).to.deep.equal({});
    expect(translated.reasons).to.deep.equal(["stop failed; see huaweicloud-medialive:region"]);
    const withReasons = translateError(
      Object.assign(new Error("x"), { id: 7, reasons: ["huaweicloud:maxRetries", 3] }),
    ) as Error & Record<string, unknown>;
    expect(withReasons.reasons).to.deep.equal(["huaweicloud-medialive:maxRetries", "3"]);
  });

  it("a thrown non-Error becomes an Error with its text, config keys renamed", () => {
    const translated = translateError("set huaweicloud:liveEndpoint");
    expect(translated).to.be.instanceOf(Error);
    expect(translated.message).to.equal("set huaweicloud-medialive:endpoint");
    expect(translateError(42).message).to.equal("42");
  });

  it("reads the type token of a URN nested under several parents, and none from a malformed URN", () => {
    expect(typeOfUrn(`urn:pulumi:dev::p::a:b:Outer$c:d:Inner$${FLOW_TOKEN}::news`)).to.equal(
      FLOW_TOKEN,
    );
    expect(typeOfUrn("not-a-urn")).to.equal("");
  });

  const addresses: [string, string[], { host: string; port: number } | undefined][] = [
    ["the first positional", ["127.0.0.1:1", "127.0.0.1:2"], { host: "127.0.0.1", port: 1 }],
    [
      "after a tracing endpoint",
      ["--tracing", "127.0.0.1:1", "127.0.0.1:2"],
      { host: "127.0.0.1", port: 2 },
    ],
    ["a host name", ["-v=3", "engine-1.local:65535"], { host: "engine-1.local", port: 65_535 }],
    ["upper-case IPv6", ["[FE80::A1]:1"], { host: "FE80::A1", port: 1 }],
    ["port 0", ["127.0.0.1:0"], undefined],
    ["port 65536", ["127.0.0.1:65536"], undefined],
    ["six digits", ["127.0.0.1:000080"], undefined],
    ["no port", ["127.0.0.1"], undefined],
    ["a URL", ["tcp://127.0.0.1:80"], undefined],
    ["trailing text", ["127.0.0.1:80x"], undefined],
    ["leading text", ["x 127.0.0.1:80"], undefined],
    ["a bracketed non-hex host", ["[g::1]:80"], undefined],
    ["only flags", ["--logtostderr", "--tracing", "127.0.0.1:1"], undefined],
  ];
  for (const [name, args, expected] of addresses) {
    it(`engine address: ${name}`, () => {
      expect(engineAddressOf(args)).to.deep.equal(expected);
    });
  }

  it("renames only whole huaweicloud:<key> words", () => {
    expect(
      pluginConfigKeys("xhuaweicloud:region huaweicloud:region1 (huaweicloud:region) huaweicloud:"),
    ).to.equal(
      "xhuaweicloud:region huaweicloud:region1 (huaweicloud-medialive:region) huaweicloud:",
    );
  });

  it("CheckConfig: a zero, a secret-wrapped number and an unknown secret pass or fail by their value", () => {
    expect(checkProviderConfig({ maxRetries: 0, requestsPerSecond: "0" })).to.deep.equal([]);
    expect(checkProviderConfig({ maxRetries: secret("2") })).to.deep.equal([]);
    expect(checkProviderConfig({ maxRetries: secret("two") })).to.deep.equal([
      {
        property: "maxRetries",
        reason: `maxRetries must be a non-negative number, got "two" (${SETTINGS.maxRetries.description})`,
      },
    ]);
    expect(checkProviderConfig({ region: null, endpoint: undefined })).to.deep.equal([]);
    // Pulumi's unknown sentinel (a value not known until apply) is checked once it is known.
    expect(
      checkProviderConfig({ maxRetries: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
    ).to.deep.equal([]);
  });

  it("CheckConfig: blank text, infinity and a boolean are no numbers; the reason names the setting", () => {
    const rate = SETTINGS.requestsPerSecond.description;
    expect(
      checkProviderConfig({ requestsPerSecond: " ", maxRetries: "Infinity", requestTimeout: 5 }),
    ).to.deep.equal([
      {
        property: "requestsPerSecond",
        reason: `requestsPerSecond must be a non-negative number, got " " (${rate})`,
      },
      {
        property: "maxRetries",
        reason: `maxRetries must be a non-negative number, got "Infinity" (${SETTINGS.maxRetries.description})`,
      },
      {
        property: "requestTimeout",
        reason: `requestTimeout must be a string (${SETTINGS.requestTimeout.description})`,
      },
    ]);
    expect(checkProviderConfig({ requestsPerSecond: true })).to.deep.equal([
      {
        property: "requestsPerSecond",
        reason: `requestsPerSecond must be a non-negative number, got true (${rate})`,
      },
    ]);
    expect(checkProviderConfig({ maxRetries: 2.5 })).to.deep.equal([
      {
        property: "maxRetries",
        reason: `maxRetries must be a whole number, got 2.5 (${SETTINGS.maxRetries.description})`,
      },
    ]);
  });

  it("settings: booleans written as text, a list refused naming the setting's type", () => {
    expect(settingsFromInputs({ region: true, maxRetries: secret(4) })).to.deep.equal({
      region: "true",
      maxRetries: "4",
    });
    expect(() => settingsFromInputs({ maxRetries: [1] })).to.throw(
      ProviderConfigError,
      "huaweicloud-medialive provider config maxRetries must be a integer, got [1]",
    );
    expect(new ProviderConfigError("x").name).to.equal("ProviderConfigError");
  });

  it("unwraps only markers with the secret signature; null and scalars stay", () => {
    const other = { [SIGNATURE_KEY]: "another-signature", value: "v" };
    expect(unwrapSecrets({ other, none: null, count: 3, list: [secret(null)] })).to.deep.equal({
      other,
      none: null,
      count: 3,
      list: [null],
    });
    expect(unwrapSecrets(secret("top"))).to.equal("top");
  });
});

describe("provider plugin: secret marking, by property spec", () => {
  const OBJ = "#/types/p:index:Obj";
  const types: PackageSpec["types"] = {
    "p:index:Obj": {
      type: "object",
      description: "an object",
      properties: { key: { type: "string", secret: true }, plain: { type: "string" } },
    },
    "p:index:Enum": { type: "string", description: "an enum", enum: [{ value: "a" }] },
  };
  const properties: Record<string, PropertySpec> = {
    token: { type: "string", secret: true },
    obj: { $ref: OBJ },
    objs: { type: "object", additionalProperties: { $ref: OBJ } },
    secretMap: { type: "object", additionalProperties: { type: "string", secret: true } },
    secretList: { type: "array", items: { type: "string", secret: true } },
    objList: { type: "array", items: { $ref: OBJ } },
    en: { $ref: "#/types/p:index:Enum" },
    missing: { $ref: "#/types/p:index:Missing" },
    external: { $ref: `/other/schema.json${OBJ}` },
    plain: { type: "string" },
  };

  it("wraps secret leaves in objects, maps and lists", () => {
    expect(
      withSecretsMarked(
        {
          token: "t",
          obj: { key: "k", plain: "p" },
          objs: { a: { key: "ka" } },
          secretMap: { a: "1", b: "2" },
          secretList: ["x", "y"],
          objList: [{ key: "kl" }],
          plain: "p",
        },
        properties,
        types,
      ),
    ).to.deep.equal({
      token: secret("t"),
      obj: { key: secret("k"), plain: "p" },
      objs: { a: { key: secret("ka") } },
      secretMap: { a: secret("1"), b: secret("2") },
      secretList: [secret("x"), secret("y")],
      objList: [{ key: secret("kl") }],
      plain: "p",
    });
  });

  it("leaves absent, null and already marked values, and values of another shape than the spec's", () => {
    const otherMarker = { [SIGNATURE_KEY]: "another-signature", value: "v" };
    const values = {
      token: undefined,
      obj: null,
      objs: ["not", "a", "map"],
      secretMap: "not a map",
      secretList: { not: "a list" },
      objList: [null],
      en: { key: "an enum is no object type" },
      missing: { key: "no such type" },
      external: { key: "not this schema's" },
    };
    expect(withSecretsMarked(values, properties, types)).to.deep.equal(values);
    expect(withSecretsMarked({ obj: ["key"] }, properties, types)).to.deep.equal({ obj: ["key"] });
    expect(withSecretsMarked({ token: null }, properties, types)).to.deep.equal({ token: null });
    expect(withSecretsMarked({ token: secret("once") }, properties, types)).to.deep.equal({
      token: secret("once"),
    });
    expect(withSecretsMarked({ token: otherMarker }, properties, types)).to.deep.equal({
      token: secret(otherMarker),
    });
  });
});

describe("provider plugin: the schema builder refuses docs that leave something out", () => {
  const docs = repositoryDocs();
  /** The schema built from the repository's docs with one declaration's docs changed. */
  const builtWith = (
    name: string,
    change: (docs: DeclarationDocs) => DeclarationDocs | undefined,
  ) => {
    const changed: Record<string, DeclarationDocs> = { ...docs };
    const declaration = change(docs[name]!);
    if (declaration) changed[name] = declaration;
    else delete changed[name];
    return (): unknown => buildSchema({ version: "0.0.0", docs: changed as SourceDocs });
  };
  const withoutMember = (declaration: DeclarationDocs, member: string): DeclarationDocs => {
    const members: Record<string, string> = { ...declaration.members };
    delete members[member];
    return { ...declaration, members };
  };

  it("builds from the repository's docs as they are", () => {
    expect(buildSchema({ version: "0.0.0", docs }).resources).to.have.keys(
      FLOW_ACTIVATION_TOKEN,
      FLOW_TOKEN,
    );
  });

  it("a resource class without its own TSDoc", () => {
    expect(
      builtWith("FlowActivation", (declaration) => ({ members: declaration.members })),
    ).to.throw("class FlowActivation has no TSDoc to document it with");
  });

  it("an input interface that is not documented at all", () => {
    expect(builtWith("FlowActivationArgs", () => undefined)).to.throw(
      "no documented declaration FlowActivationArgs to take docs from",
    );
  });

  it("an input without TSDoc", () => {
    expect(
      builtWith("FlowActivationArgs", (declaration) => withoutMember(declaration, "flowId")),
    ).to.throw("FlowActivationArgs.flowId has no TSDoc to document it with");
  });

  it("an output without TSDoc", () => {
    expect(
      builtWith("FlowActivation", (declaration) => withoutMember(declaration, "flowName")),
    ).to.throw("FlowActivation's output flowName has no TSDoc to document it with");
  });

  it("an output type whose documented members are not the ones declared", () => {
    expect(
      builtWith("SourceEndpoint", (declaration) => ({
        ...declaration,
        members: { ...declaration.members, bitrate: "Not a declared member." },
      })),
    ).to.throw(
      "SourceEndpoint declares address, healthStatus, port, protocol but SourceEndpoint documents address, bitrate, healthStatus, port, protocol",
    );
  });
});
