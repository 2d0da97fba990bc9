/**
 * pulumi-huaweicloud-medialive: declare a Huawei Cloud Media Live flow with the {@link Flow} Pulumi
 * resource (its SRT sources and outputs) and its running state with {@link FlowActivation}, or
 * call the Flows API directly with {@link MediaLiveClient}.
 * The local simulator is exported from `pulumi-huaweicloud-medialive/simulator`.
 */
export {
  FlowActivation,
  type FlowActivationArgs,
  type FlowActivationTimeouts,
} from "./resources/flowActivation/flowActivation";
export {
  Flow,
  type FlowArgs,
  type FlowOutputArgs,
  type FlowSourceArgs,
  type FlowTimeouts,
  type SrtEncryptionArgs,
} from "./resources/flow/flow";
export type { FlowState, OutputEndpoint, SourceEndpoint } from "./resources/flow/plan";
export {
  SRT_PROTOCOLS,
  type FlowOutputChanges,
  type FlowOutputSpec,
  type FlowSourceSpec,
  type ObservedFlowOutput,
  type ObservedFlowSource,
  type SrtEncryption,
  type SrtProtocol,
} from "./client/flowItems";
export {
  MediaLiveClient,
  redactHeaders,
  DEFAULT_REQUESTS_PER_SECOND,
  DEFAULT_TIMEOUT_MS,
  MAX_PAGE_SIZE,
  type AccessKeyCredentials,
  type Deletion,
  type FlowCreation,
  type FlowDetail,
  type FlowPage,
  type FlowStatusChange,
  type FlowSummary,
  type MediaLiveClientOptions,
  type MediaLiveCredentials,
  type RequestLogEvent,
  type TokenCredentials,
} from "./client/mediaLiveClient";
export {
  MediaLiveError,
  isAlreadyInStatus,
  isFlowNotFound,
  type MediaLiveErrorDetails,
  type MediaLiveErrorKind,
} from "./client/errors";
export { OPERATIONS, type MediaLiveOperation, type OperationSpec } from "./client/operations";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./client/retryPolicy";
export { FLOW_STATUSES, type FlowStatus, type ObservedStatus } from "./client/schemas";
export { signRequest, type SignableRequest, type SigningCredentials } from "./client/signer";
export { SETTINGS, SettingsError, type SettingSource } from "./settings/settings";
export {
  ON_DELETE_MODES,
  UNKNOWN_VALUE,
  type OnDeleteMode,
} from "./resources/flowActivation/inputs";
export type { FlowActivationState } from "./resources/flowActivation/reconcile";
