/**
 * pulumi-huaweicloud-medialive: declare a Huawei Cloud Media Live flow's running state with the
 * {@link FlowActivation} Pulumi resource, or call the Flows API directly with {@link MediaLiveClient}.
 * The local simulator is exported from `pulumi-huaweicloud-medialive/simulator`.
 */
export {
  FlowActivation,
  type FlowActivationArgs,
  type FlowActivationTimeouts,
} from "./flowActivation";
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
} from "./client";
export {
  MediaLiveError,
  isAlreadyInStatus,
  isFlowNotFound,
  type MediaLiveErrorDetails,
  type MediaLiveErrorKind,
} from "./errors";
export { OPERATIONS, type MediaLiveOperation, type OperationSpec } from "./operations";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retryPolicy";
export { FLOW_STATUSES, type FlowStatus, type ObservedStatus } from "./schemas";
export { signRequest, type SignableRequest, type SigningCredentials } from "./signer";
export { SETTINGS, SettingsError, type SettingSource } from "./settings";
export { ON_DELETE_MODES, UNKNOWN_VALUE, type OnDeleteMode } from "./flowActivationInputs";
export type { FlowActivationState } from "./reconcile";
