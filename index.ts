/**
 * pulumi-huaweicloud-medialive: declare a Huawei Cloud Media Live flow's running state with the
 * {@link FlowActivation} Pulumi resource, or call the Flows API directly with {@link MediaLiveClient}.
 * The local simulator is exported from `pulumi-huaweicloud-medialive/simulator`.
 */
export {
  FlowActivation,
  type FlowActivationArgs,
  type FlowActivationTimeouts,
} from "./resources/flowActivation/flowActivation";
export {
  MediaLiveClient,
  redactHeaders,
  DEFAULT_REQUESTS_PER_SECOND,
  DEFAULT_TIMEOUT_MS,
  MAX_PAGE_SIZE,
  type AccessKeyCredentials,
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
