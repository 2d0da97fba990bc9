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
import { repositorySchema } from "../adapters/providerPlugin/packaging/packagePlugin";
import { SETTINGS } from "../settings/settings";
import { PACKAGE_ROOT } from "../engine/pulumiCli";

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
