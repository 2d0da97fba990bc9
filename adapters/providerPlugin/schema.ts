/**
 * The Pulumi package schema of the plugin, built from the code rather than written by hand:
 *
 * - each resource's input properties, their types, enums, defaults, nested object types, maps and
 *   lists, and which are required come from its zod input schema (`z.toJSONSchema`), the one the
 *   lifecycle's `check` validates with; a table per resource ({@link ResourceMapping}) only names
 *   the object and enum types and says which members are secret;
 * - the provider's config comes from the settings table (`SETTINGS`): names, descriptions,
 *   secrecy and environment variables;
 * - the docs come from the dynamic resources' TSDoc (`resourceDocs.ts`: the classes, their `…Args`
 *   interfaces and the types they use), with the `huaweicloud:<key>` config keys renamed to this
 *   plugin's;
 * - the version is the package's.
 *
 * The checked-in `schema.json` is this function's output (a test compares them); the SDK
 * generators read that file, and the plugin reads it at run time to mark secret values
 * (`secretValues.ts`).
 */
import { z } from "zod";
import { flowInputSchema } from "../../resources/flow/inputs";
import { flowActivationInputSchema } from "../../resources/flowActivation/inputs";
import { SETTINGS } from "../../settings/settings";
import {
  FLOW_ACTIVATION_TOKEN,
  FLOW_TOKEN,
  PACKAGE_NAME,
  pluginConfigKey,
  pluginConfigKeys,
  SETTING_NAMES,
} from "./names";
import { SETTING_TYPES } from "./providerConfig";
import type { DeclarationDocs, SourceDocs } from "./resourceDocs";

/** The scalar types of the schema. */
type ScalarType = "string" | "number" | "integer" | "boolean";

/** A property of the Pulumi schema (the subset used here). */
export interface PropertySpec {
  type?: ScalarType | "object" | "array";
  $ref?: string;
  /** The element type of a list. */
  items?: PropertySpec;
  /** The value type of a map (`type: "object"` without properties). */
  additionalProperties?: PropertySpec;
  description?: string;
  default?: string | number | boolean;
  secret?: boolean;
}

/** An object type of the schema. */
export interface ObjectTypeSpec {
  type: "object";
  description: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

/** An enum type of the schema. */
export interface EnumTypeSpec {
  type: "string";
  description: string;
  enum: { value: string }[];
}

/** A resource of the schema. */
export interface ResourceSpec {
  description: string;
  properties: Record<string, PropertySpec>;
  required: string[];
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
}

/** The package schema (the subset used here). */
export interface PackageSpec {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; inputProperties: Record<string, PropertySpec> };
  types: Record<string, ObjectTypeSpec | EnumTypeSpec>;
  resources: Record<string, ResourceSpec>;
  language: Record<string, Record<string, unknown>>;
}

/** JSON Schema as `z.toJSONSchema` writes it (the subset the input schemas produce). */
interface JsonSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
}

/** An object type of the schema that only outputs hold: its members' types and where documented. */
interface OutputObjectType {
  /** The declaration whose own doc and member docs document it. */
  readonly docs: string;
  readonly properties: Readonly<Record<string, ScalarType>>;
}

/**
 * How one resource's schema entries are made from its code. Types are named by where they sit in
 * the inputs: a member path, with `*` for a map's values (`sources.*.decryption`).
 */
interface ResourceMapping {
  readonly token: string;
  /** The dynamic resource's class: the resource's doc and its outputs' docs. */
  readonly className: string;
  /** The interface whose members document the inputs. */
  readonly argsInterface: string;
  readonly inputSchema: z.ZodType;
  /** Object types, by input path: the type's name and the interface documenting its members. */
  readonly objects: Readonly<Record<string, { readonly type: string; readonly docs: string }>>;
  /**
   * Enum types, by member name: the type's name, and the declaration whose doc describes it
   * (else the doc of the member where it is first met).
   */
  readonly enums: Readonly<Record<string, { readonly type: string; readonly docs?: string }>>;
  /** Members marked `secret: true`, by object type name. */
  readonly secrets?: Readonly<Record<string, readonly string[]>>;
  /** Properties the resource only outputs, in order; docs from the class. */
  readonly outputOnly: Readonly<Record<string, PropertySpec>>;
  /** Object types only outputs hold, by name. */
  readonly outputTypes?: Readonly<Record<string, OutputObjectType>>;
  /** Outputs the state may lack (all others are always there). */
  readonly optionalOutputs?: readonly string[];
  /**
   * Output docs this adapter states itself, where the class's doc describes something only the
   * dynamic resource does.
   */
  readonly outputDocs?: Readonly<Record<string, string>>;
}

/** The keys of FlowActivation's `settingSources` output, each a place a setting was taken from. */
const SETTING_SOURCE_KEYS = ["projectId", "region", "endpoint"] as const;

const FLOW_ACTIVATION_SETTING_SOURCES = "FlowActivationSettingSources";

const FLOW_ACTIVATION: ResourceMapping = {
  token: FLOW_ACTIVATION_TOKEN,
  className: "FlowActivation",
  argsInterface: "FlowActivationArgs",
  inputSchema: flowActivationInputSchema,
  objects: { timeouts: { type: "FlowActivationTimeouts", docs: "FlowActivationTimeouts" } },
  enums: { desiredStatus: { type: "DesiredStatus" }, onDelete: { type: "OnDelete" } },
  outputOnly: {
    status: { type: "string" },
    flowName: { type: "string" },
    statusBeforeActivation: { type: "string" },
    settingSources: { $ref: refTo(typeToken(FLOW_ACTIVATION_SETTING_SOURCES)) },
  },
};

const FLOW: ResourceMapping = {
  token: FLOW_TOKEN,
  className: "Flow",
  argsInterface: "FlowArgs",
  inputSchema: flowInputSchema,
  objects: {
    "sources.*": { type: "FlowSource", docs: "FlowSourceArgs" },
    "sources.*.decryption": { type: "SrtEncryption", docs: "SrtEncryptionArgs" },
    "outputs.*": { type: "FlowOutput", docs: "FlowOutputArgs" },
    "outputs.*.encryption": { type: "SrtEncryption", docs: "SrtEncryptionArgs" },
    timeouts: { type: "FlowTimeouts", docs: "FlowTimeouts" },
  },
  enums: {
    protocol: { type: "SrtProtocol", docs: "SrtProtocol" },
    keyType: { type: "SrtKeyType" },
    algorithm: { type: "SrtAlgorithm" },
  },
  secrets: { SrtEncryption: ["passphrase"] },
  outputOnly: {
    flowId: { type: "string" },
    status: { type: "string" },
    sourceEndpoints: {
      type: "object",
      additionalProperties: { $ref: refTo(typeToken("SourceEndpoint")) },
    },
    outputEndpoints: {
      type: "object",
      additionalProperties: { $ref: refTo(typeToken("OutputEndpoint")) },
    },
  },
  outputTypes: {
    SourceEndpoint: {
      docs: "SourceEndpoint",
      properties: {
        protocol: "string",
        address: "string",
        port: "integer",
        healthStatus: "string",
      },
    },
    OutputEndpoint: {
      docs: "OutputEndpoint",
      properties: {
        protocol: "string",
        address: "string",
        port: "integer",
        healthStatus: "string",
      },
    },
  },
  optionalOutputs: ["existingFlowId"],
  outputDocs: {
    // The class documents `flowId` as the dynamic resource's id alias; here it is an output.
    flowId:
      "The flow's id, assigned by the API (the resource's id too). It stays known while an update of the flow is previewed, so a FlowActivation of it shows no change in that preview.",
  },
};

/** The resources of the package, in schema order. */
const RESOURCES: readonly ResourceMapping[] = [FLOW_ACTIVATION, FLOW];

/** Options of {@link buildSchema}. */
export interface SchemaOptions {
  /** The package version (package.json's). */
  readonly version: string;
  /**
   * The TSDoc of the dynamic resources and the types they use: `FlowActivation`, `Flow`, their
   * `…Args`, `FlowSourceArgs`, `SourceEndpoint`, `SrtProtocol`, …
   */
  readonly docs: SourceDocs;
}

/**
 * Builds the package schema.
 *
 * @param options - version and docs
 * @throws Error when a property has no doc, or an input schema holds a shape this mapping does
 *   not know or name (so a new input cannot reach the schema untyped)
 */
export function buildSchema(options: SchemaOptions): PackageSpec {
  const builder = new SchemaBuilder(options.docs);
  const resources: Record<string, ResourceSpec> = {};
  for (const mapping of RESOURCES) resources[mapping.token] = builder.resource(mapping);
  builder.define(typeToken(FLOW_ACTIVATION_SETTING_SOURCES), {
    type: "object",
    description: builder.outputDoc(FLOW_ACTIVATION, "settingSources")!,
    properties: Object.fromEntries(
      SETTING_SOURCE_KEYS.map((key) => [
        key,
        {
          type: "string",
          description: `Where ${key} was taken from: \`input\`, \`config\` (the provider's config) or \`environment\`${key === "region" ? ", or `flow` (the flow's own region, when only an endpoint is configured)" : key === "endpoint" ? ", or `region` (the region's default endpoint)" : ""}.`,
        },
      ]),
    ),
  });

  const config = Object.fromEntries(
    SETTING_NAMES.map((name) => {
      const spec = SETTINGS[name];
      return [
        name,
        {
          type: SETTING_TYPES[name],
          description: `${spec.description}. Default provider: stack config \`${pluginConfigKey(name)}\`${spec.secret ? " (set with --secret)" : ""}; an explicit provider: this argument. Otherwise environment variable \`${spec.envVar}\`.`,
          ...(spec.secret ? { secret: true } : {}),
        } satisfies PropertySpec,
      ];
    }),
  );

  return {
    name: PACKAGE_NAME,
    displayName: "Huawei Cloud Media Live",
    version: options.version,
    description:
      "Declare Huawei Cloud Media Live flows (their SRT sources and outputs) and their running state (ACTIVE or STANDBY) as code, from any Pulumi language.",
    keywords: ["pulumi", "huaweicloud", "medialive", "category/media", "kind/native"],
    license: "Apache-2.0",
    config: { variables: config },
    provider: {
      description: `The ${PACKAGE_NAME} provider: where and as whom Media Live is called. Credentials are secrets and never reach resource state.`,
      inputProperties: config,
    },
    types: builder.types,
    resources,
    language: {
      nodejs: { respectSchemaVersion: true, packageName: "pulumi-huaweicloud-medialive-sdk" },
      python: {
        respectSchemaVersion: true,
        packageName: "pulumi_huaweicloud_medialive",
        pyproject: { enabled: true },
      },
      go: {
        respectSchemaVersion: true,
        importBasePath: "pulumi-huaweicloud-medialive/sdk/go/huaweicloudmedialive",
        generateResourceContainerTypes: true,
      },
      csharp: { respectSchemaVersion: true, rootNamespace: "HuaweiCloud" },
    },
  };
}

/** Collects the types while the resources are mapped; each type is defined once. */
class SchemaBuilder {
  readonly types: PackageSpec["types"] = {};

  constructor(private readonly docs: SourceDocs) {}

  /** Defines a type; a second definition must be the same (two paths may share one type). */
  define(token: string, spec: ObjectTypeSpec | EnumTypeSpec): void {
    const existing = this.types[token];
    if (existing && JSON.stringify(existing) !== JSON.stringify(spec)) {
      throw new Error(`two different shapes would both be the schema type ${token}`);
    }
    this.types[token] = spec;
  }

  resource(mapping: ResourceMapping): ResourceSpec {
    const inputs = z.toJSONSchema(mapping.inputSchema, {
      io: "input",
      unrepresentable: "any",
    }) as JsonSchema;
    const inputProperties = this.members(mapping, inputs, "", mapping.argsInterface);
    for (const [name, type] of Object.entries(mapping.outputTypes ?? {})) {
      this.define(typeToken(name), this.outputObjectType(name, type));
    }
    const properties: Record<string, PropertySpec> = {};
    for (const [name, input] of Object.entries(inputProperties)) {
      const { description, ...shape } = input;
      delete shape.default;
      properties[name] = { ...shape, description: this.outputDoc(mapping, name) ?? description };
    }
    for (const [name, shape] of Object.entries(mapping.outputOnly)) {
      const description = this.outputDoc(mapping, name);
      if (!description) {
        throw new Error(`${mapping.className}'s output ${name} has no TSDoc to document it with`);
      }
      properties[name] = { ...shape, description };
    }
    const optional = new Set(mapping.optionalOutputs ?? []);
    const description = this.declaration(mapping.className).description;
    if (!description)
      throw new Error(`class ${mapping.className} has no TSDoc to document it with`);
    return {
      description: pluginConfigKeys(description),
      properties,
      required: Object.keys(properties).filter((name) => !optional.has(name)),
      inputProperties,
      requiredInputs: inputs.required ?? [],
    };
  }

  /** The doc of an output: the adapter's own, else the class member's. */
  outputDoc(mapping: ResourceMapping, name: string): string | undefined {
    const doc = mapping.outputDocs?.[name] ?? this.declaration(mapping.className).members[name];
    return doc === undefined ? undefined : pluginConfigKeys(doc);
  }

  private declaration(name: string): DeclarationDocs {
    const found = this.docs[name];
    if (!found) throw new Error(`no documented declaration ${name} to take docs from`);
    return found;
  }

  private memberDoc(declaration: string, member: string): string {
    const doc = this.declaration(declaration).members[member];
    if (!doc) throw new Error(`${declaration}.${member} has no TSDoc to document it with`);
    return pluginConfigKeys(doc);
  }

  /** The schema properties of a JSON Schema object, documented by an interface's members. */
  private members(
    mapping: ResourceMapping,
    object: JsonSchema,
    path: string,
    docs: string,
  ): Record<string, PropertySpec> {
    const properties: Record<string, PropertySpec> = {};
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const description = this.memberDoc(docs, name);
      properties[name] = withDefault(
        {
          ...this.shape(mapping, property, path ? `${path}.${name}` : name, name, description),
          description,
        },
        property,
      );
    }
    return properties;
  }

  /** The type of a property: a scalar, a list, a map, or a reference to a named type. */
  private shape(
    mapping: ResourceMapping,
    property: JsonSchema,
    path: string,
    member: string,
    description: string,
  ): PropertySpec {
    if (property.enum) {
      const named = mapping.enums[member];
      if (!named)
        throw new Error(`${mapping.className} input ${path} is an enum with no type name`);
      const token = typeToken(named.type);
      this.define(token, {
        type: "string",
        description: named.docs
          ? pluginConfigKeys(this.declaration(named.docs).description ?? description)
          : description,
        enum: property.enum.map((value) => ({ value })),
      });
      return { $ref: refTo(token) };
    }
    if (property.type === "array" && property.items) {
      return { type: "array", items: this.shape(mapping, property.items, `${path}[]`, member, "") };
    }
    if (property.type === "object" && property.properties) {
      const named = mapping.objects[path];
      if (!named) {
        throw new Error(`${mapping.className} input ${path} is an object with no type name`);
      }
      const token = typeToken(named.type);
      const properties = this.members(mapping, property, path, named.docs);
      for (const secret of mapping.secrets?.[named.type] ?? []) {
        if (!properties[secret]) throw new Error(`${named.type} has no member ${secret}`);
        properties[secret] = { ...properties[secret], secret: true };
      }
      const required = property.required ?? [];
      this.define(token, {
        type: "object",
        description: pluginConfigKeys(this.declaration(named.docs).description ?? description),
        properties,
        ...(required.length > 0 ? { required } : {}),
      });
      return { $ref: refTo(token) };
    }
    if (property.type === "object" && typeof property.additionalProperties === "object") {
      return {
        type: "object",
        additionalProperties: this.shape(
          mapping,
          property.additionalProperties,
          `${path}.*`,
          member,
          description,
        ),
      };
    }
    return { type: scalarType(property, `${mapping.className} input ${path}`) };
  }

  private outputObjectType(name: string, type: OutputObjectType): ObjectTypeSpec {
    const declaration = this.declaration(type.docs);
    const documented = Object.keys(declaration.members).sort();
    const declared = Object.keys(type.properties).sort();
    if (documented.join(",") !== declared.join(",")) {
      throw new Error(
        `${name} declares ${declared.join(", ")} but ${type.docs} documents ${documented.join(", ")}`,
      );
    }
    return {
      type: "object",
      description: pluginConfigKeys(declaration.description ?? name),
      properties: Object.fromEntries(
        Object.entries(type.properties).map(([member, scalar]) => [
          member,
          { type: scalar, description: this.memberDoc(type.docs, member) },
        ]),
      ),
      required: Object.keys(type.properties),
    };
  }
}

function typeToken(name: string): string {
  return `${PACKAGE_NAME}:index:${name}`;
}

function refTo(token: string): string {
  return `#/types/${token}`;
}

function scalarType(property: JsonSchema, where: string): ScalarType {
  if (
    property.type === "string" ||
    property.type === "number" ||
    property.type === "integer" ||
    property.type === "boolean"
  ) {
    return property.type;
  }
  throw new Error(
    `${where} has JSON Schema type ${String(property.type)}, which the schema mapping does not know`,
  );
}

function withDefault(spec: PropertySpec, property: JsonSchema): PropertySpec {
  const value = property.default;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? { ...spec, default: value }
    : spec;
}
