/**
 * The Media Live Flows operations this package calls, in one table: HTTP method, path below
 * `/v1/{project_id}`, the IAM action an IAM user needs (from the Media Live API reference,
 * https://support.huaweicloud.com/intl/en-us/api-medialive/live_26_0007.html), and whether sending
 * the same request twice is harmless.
 */

/** Names of the Media Live operations the client performs. */
export type MediaLiveOperation =
  | "startFlow"
  | "stopFlow"
  | "showFlowDetail"
  | "listFlows"
  | "createFlow"
  | "deleteFlow"
  | "modifyFlowSource"
  | "createFlowOutputs"
  | "showFlowOutput"
  | "modifyFlowOutput"
  | "deleteFlowOutput";

/** What the client needs to know to call one operation and to explain its failures. */
export interface OperationSpec {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  /** Path below `/v1/{project_id}`; every flow identifier travels in the query string. */
  readonly path: string;
  /** The IAM action a 403 most likely lacks. */
  readonly iamAction: string;
  /**
   * Whether repeating the request after an answer was lost is harmless. A create is not: if the
   * first one landed, a second makes a duplicate (or fails as one), so the client retries it only
   * when the gateway refused it before it reached the service (429), and the caller finds out by a
   * read whether a lost create landed.
   */
  readonly idempotent: boolean;
}

/** Method, path, IAM action and idempotency of each operation. */
export const OPERATIONS: Readonly<Record<MediaLiveOperation, OperationSpec>> = {
  startFlow: {
    method: "PUT",
    path: "/flows/start",
    iamAction: "live:ott:updateFlowStatusStart",
    idempotent: true,
  },
  stopFlow: {
    method: "PUT",
    path: "/flows/stop",
    iamAction: "live:ott:updateFlowStatusStop",
    idempotent: true,
  },
  showFlowDetail: {
    method: "GET",
    path: "/flows/detail",
    iamAction: "live:ott:getFlowDetail",
    idempotent: true,
  },
  listFlows: { method: "GET", path: "/flows", iamAction: "live:ott:listFlow", idempotent: true },
  createFlow: {
    method: "POST",
    path: "/flows",
    iamAction: "live:ott:createFlow",
    idempotent: false,
  },
  deleteFlow: {
    method: "DELETE",
    path: "/flows",
    iamAction: "live:ott:deleteFlow",
    idempotent: true,
  },
  modifyFlowSource: {
    method: "PUT",
    path: "/flows/sources",
    iamAction: "live:ott:updateFlowSource",
    idempotent: true,
  },
  createFlowOutputs: {
    method: "POST",
    path: "/flows/outputs",
    iamAction: "live:ott:createFlowOutput",
    idempotent: false,
  },
  showFlowOutput: {
    method: "GET",
    path: "/flows/outputs",
    iamAction: "live:ott:showFlowOutput",
    idempotent: true,
  },
  modifyFlowOutput: {
    method: "PUT",
    path: "/flows/outputs",
    iamAction: "live:ott:updateFlowOutput",
    idempotent: true,
  },
  deleteFlowOutput: {
    method: "DELETE",
    path: "/flows/outputs",
    iamAction: "live:ott:deleteFlowOutput",
    idempotent: true,
  },
};
