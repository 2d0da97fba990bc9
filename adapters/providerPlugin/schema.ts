/**
 * The Pulumi package schema of the plugin, built from the code rather than written by hand:
 *
 * - FlowActivation's input properties, their types, enums, defaults and which are required come
 *   from its zod input schema (`z.toJSONSchema`), the one the lifecycle's `check` validates with;
 * - the provider's config comes from the settings table (`SETTINGS`): names, descriptions,
 *   secrecy and environment variables;
 * - the docs come from the dynamic resource's TSDoc (`resourceDocs.ts`), with its
 *   `huaweicloud:<key>` config keys renamed to this plugin's;
 * - the version is the package's.
 *
 * The checked-in `schema.json` is this function's output (a test compares them); the SDK
 * generators read that file.
 */
import { z } from "zod";
import { flowActivationInputSchema } from "../../resources/flowActivation/inputs";
import { SETTINGS } from "../../settings/settings";
import {
  FLOW_ACTIVATION_TOKEN,
  PACKAGE_NAME,
  pluginConfigKey,
  pluginConfigKeys,
  SETTING_NAMES,
} from "./names";
import { SETTING_TYPES } from "./providerConfig";
import type { ResourceDocs } from "./resourceDocs";

/** A property of the Pulumi schema (the subset used here). */
export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "object";
  $ref?: string;
  description?: string;
  default?: string | number | boolean;
  secret?: boolean;
}

/** An object type of the schema. */
interface ObjectTypeSpec {
  type: "object";
  description: string;
  properties: Record<string, PropertySpec>;
}

/** An enum type of the schema. */
interface EnumTypeSpec {
  type: "string";
  description: string;
  enum: { value: string }[];
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
  resources: Record<
    string,
    {
      description: string;
      properties: Record<string, PropertySpec>;
      required: string[];
      inputProperties: Record<string, PropertySpec>;
      requiredInputs: string[];
    }
  >;
  language: Record<string, Record<string, unknown>>;
}

/** JSON Schema as `z.toJSONSchema` writes it (the subset the input schema produces). */
interface JsonSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** Properties FlowActivation only outputs: observed, or recorded for later operations. */
const OUTPUT_ONLY = ["status", "flowName", "statusBeforeActivation", "settingSources"] as const;

/** The keys of the `settingSources` output, each a place a setting was taken from. */
const SETTING_SOURCE_KEYS = ["projectId", "region", "endpoint"] as const;

/** Options of {@link buildSchema}. */
export interface SchemaOptions {
  /** The package version (package.json's). */
  readonly version: string;
  /** FlowActivation's docs, from its TSDoc. */
  readonly docs: ResourceDocs;
}

/**
 * Builds the package schema.
 *
 * @param options - version and docs
 * @throws Error when a property has no doc, or the input schema holds a shape this mapping does
 *   not know (so a new input cannot reach the schema untyped)
 */
export function buildSchema(options: SchemaOptions): PackageSpec {
  const { docs } = options;
  const inputs = z.toJSONSchema(flowActivationInputSchema, {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  const types: PackageSpec["types"] = {};
  const typeToken = (name: string): string => `${PACKAGE_NAME}:index:${name}`;
  const docOf = (table: Readonly<Record<string, string>>, name: string, where: string): string => {
    const doc = table[name];
    if (!doc) throw new Error(`FlowActivation's ${where} ${name} has no TSDoc to document it with`);
    return pluginConfigKeys(doc);
  };

  const inputProperties: Record<string, PropertySpec> = {};
  for (const [name, property] of Object.entries(inputs.properties ?? {})) {
    const description = docOf(docs.inputs, name, "input");
    if (property.enum) {
      const typeName = pascalCase(name);
      types[typeToken(typeName)] = {
        type: "string",
        description,
        enum: property.enum.map((value) => ({ value })),
      };
      inputProperties[name] = withDefault(
        { $ref: refTo(typeToken(typeName)), description },
        property,
      );
    } else if (property.type === "object") {
      const typeName = `FlowActivation${pascalCase(name)}`;
      types[typeToken(typeName)] = {
        type: "object",
        description,
        properties: Object.fromEntries(
          Object.entries(property.properties ?? {}).map(([member, memberSchema]) => [
            member,
            withDefault(
              {
                type: scalarType(memberSchema, `${name}.${member}`),
                description: docOf(docs.timeouts, member, "timeouts member"),
              },
              memberSchema,
            ),
          ]),
        ),
      };
      inputProperties[name] = { $ref: refTo(typeToken(typeName)), description };
    } else {
      inputProperties[name] = withDefault(
        { type: scalarType(property, name), description },
        property,
      );
    }
  }

  const sourcesToken = typeToken("FlowActivationSettingSources");
  types[sourcesToken] = {
    type: "object",
    description: docOf(docs.outputs, "settingSources", "output"),
    properties: Object.fromEntries(
      SETTING_SOURCE_KEYS.map((key) => [
        key,
        {
          type: "string",
          description: `Where ${key} was taken from: \`input\`, \`config\` (the provider's config) or \`environment\`${key === "region" ? ", or `flow` (the flow's own region, when only an endpoint is configured)" : key === "endpoint" ? ", or `region` (the region's default endpoint)" : ""}.`,
        },
      ]),
    ),
  };
  const properties: Record<string, PropertySpec> = {};
  for (const name of [...Object.keys(inputProperties), ...OUTPUT_ONLY]) {
    const description = docOf(docs.outputs, name, "output");
    const input = inputProperties[name];
    if (name === "settingSources") properties[name] = { $ref: refTo(sourcesToken), description };
    else if (input?.$ref) properties[name] = { $ref: input.$ref, description };
    else properties[name] = { type: "string", description };
  }

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
      "Declare a Huawei Cloud Media Live flow's running state (ACTIVE or STANDBY) as code, from any Pulumi language.",
    keywords: ["pulumi", "huaweicloud", "medialive", "category/media", "kind/native"],
    license: "Apache-2.0",
    config: { variables: config },
    provider: {
      description: `The ${PACKAGE_NAME} provider: where and as whom Media Live is called. Credentials are secrets and never reach resource state.`,
      inputProperties: config,
    },
    types,
    resources: {
      [FLOW_ACTIVATION_TOKEN]: {
        description: pluginConfigKeys(docs.description),
        properties,
        required: Object.keys(properties),
        inputProperties,
        requiredInputs: inputs.required ?? [],
      },
    },
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

function refTo(token: string): string {
  return `#/types/${token}`;
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function scalarType(
  property: JsonSchema,
  name: string,
): "string" | "number" | "integer" | "boolean" {
  if (
    property.type === "string" ||
    property.type === "number" ||
    property.type === "integer" ||
    property.type === "boolean"
  ) {
    return property.type;
  }
  throw new Error(
    `FlowActivation input ${name} has JSON Schema type ${String(property.type)}, which the schema mapping does not know`,
  );
}

function withDefault(spec: PropertySpec, property: JsonSchema): PropertySpec {
  const value = property.default;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? { ...spec, default: value }
    : spec;
}
