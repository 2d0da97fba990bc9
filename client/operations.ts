/**
 * The Media Live Flows operations this package calls, in one table: HTTP method, path below
 * `/v1/{project_id}`, and the IAM action an IAM user needs (from the Media Live API reference,
 * https://support.huaweicloud.com/intl/en-us/api-medialive/live_26_0007.html).
 */

/** Names of the Media Live operations the client performs. */
export type MediaLiveOperation = "startFlow" | "stopFlow" | "showFlowDetail" | "listFlows";

/** What the client needs to know to call one operation and to explain its failures. */
export interface OperationSpec {
  readonly method: "GET" | "PUT";
  /** Path below `/v1/{project_id}`; every flow identifier travels in the query string. */
  readonly path: string;
  /** The IAM action a 403 most likely lacks. */
  readonly iamAction: string;
}

/** Method, path and IAM action of each operation. */
export const OPERATIONS: Readonly<Record<MediaLiveOperation, OperationSpec>> = {
  startFlow: {
    method: "PUT",
    path: "/flows/start",
    iamAction: "live:ott:updateFlowStatusStart",
  },
  stopFlow: {
    method: "PUT",
    path: "/flows/stop",
    iamAction: "live:ott:updateFlowStatusStop",
  },
  showFlowDetail: {
    method: "GET",
    path: "/flows/detail",
    iamAction: "live:ott:getFlowDetail",
  },
  listFlows: { method: "GET", path: "/flows", iamAction: "live:ott:listFlow" },
};
