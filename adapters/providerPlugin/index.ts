/**
 * The provider-plugin adapter: the lifecycles of FlowActivation and Flow served to the Pulumi
 * engine as the schema'd plugin `huaweicloud-medialive`, for programs in any Pulumi language.
 */
export {
  CONFIGURE_ANSWER,
  serveWithConfig,
  type PreviewRequest,
  type ServerHandlers,
} from "./configureServer";
export {
  FLOW_ACTIVATION_TOKEN,
  FLOW_TOKEN,
  PACKAGE_NAME,
  PLUGIN_EXECUTABLE,
  pluginConfigKey,
  pluginConfigKeys,
} from "./names";
export { engineAddressOf } from "./engineAddress";
export { startProviderPlugin, type PluginOptions } from "./plugin";
export {
  createProvider,
  translateError,
  typeOfUrn,
  type PluginProvider,
  type ProviderOptions,
} from "./provider";
export {
  checkProviderConfig,
  inputsFromVariables,
  lifecycleConfigRequest,
  ProviderConfigError,
  SECRET_SIGNATURE,
  settingsFromInputs,
  SETTING_TYPES,
  SIGNATURE_KEY,
  unwrapSecrets,
  type ConfigFailure,
} from "./providerConfig";
export { RESOURCE_TYPES, type ResourceLifecycle } from "./resourceTypes";
export {
  buildSchema,
  type EnumTypeSpec,
  type ObjectTypeSpec,
  type PackageSpec,
  type PropertySpec,
  type ResourceSpec,
  type SchemaOptions,
} from "./schema";
export { withSecretsMarked } from "./secretValues";
