/**
 * The eleven Media Live Flows operations the simulator serves (every operation of the Flows
 * chapter, reference §0), and the mapping from method + path to one of them. Every flow
 * identifier (`flow_id`, `source_name`, `output_name`) travels in the query string; only the
 * project is in the path.
 */

/**
 * Name of a simulated operation, as `injectFault` and the journal name it: `start`
 * (ModifyFlowStart), `stop` (ModifyFlowStop), `detail` (ShowFlowDetail), `list` (ListFlows),
 * `create` (CreateFlows), `delete` (DeleteFlow), `modifySources` (ModifyFlowSources),
 * `createOutputs` (CreateFlowOutput), `showOutput` (ShowOutputInfo), `modifyOutput`
 * (ModifyFlowOutput) and `deleteOutput` (DeleteFlowOutput).
 */
export type RouteName =
  | "start"
  | "stop"
  | "detail"
  | "list"
  | "create"
  | "delete"
  | "modifySources"
  | "createOutputs"
  | "showOutput"
  | "modifyOutput"
  | "deleteOutput";

/** Every {@link RouteName}, in a stable order. */
export const ROUTE_NAMES: readonly RouteName[] = [
  "start",
  "stop",
  "detail",
  "list",
  "create",
  "delete",
  "modifySources",
  "createOutputs",
  "showOutput",
  "modifyOutput",
  "deleteOutput",
];

/** Method and path suffix (after `/v1/{project_id}`) of each operation. */
const ROUTE_TABLE: readonly { method: string; suffix: string; route: RouteName }[] = [
  { method: "PUT", suffix: "/flows/start", route: "start" },
  { method: "PUT", suffix: "/flows/stop", route: "stop" },
  { method: "GET", suffix: "/flows/detail", route: "detail" },
  { method: "GET", suffix: "/flows", route: "list" },
  { method: "POST", suffix: "/flows", route: "create" },
  { method: "DELETE", suffix: "/flows", route: "delete" },
  { method: "PUT", suffix: "/flows/sources", route: "modifySources" },
  { method: "POST", suffix: "/flows/outputs", route: "createOutputs" },
  { method: "GET", suffix: "/flows/outputs", route: "showOutput" },
  { method: "PUT", suffix: "/flows/outputs", route: "modifyOutput" },
  { method: "DELETE", suffix: "/flows/outputs", route: "deleteOutput" },
];

const VERSIONED_PATH = /^\/v1\/([^/]+)(\/.*)?$/;

/** What a request path resolved to. */
export interface ResolvedRoute {
  /** The operation, or `"unknown"` when no operation has this method and path. */
  readonly route: RouteName | "unknown";
  /** The `{project_id}` path segment, or `""` when the path has none. */
  readonly projectId: string;
}

/**
 * Resolves a method and raw path (no query) to an operation. A path that does not start with
 * `/v1/{project_id}` resolves to `"unknown"` with an empty project.
 *
 * @param method - HTTP method as received (Node upper-cases it)
 * @param rawPath - the path part of the request target, still percent-encoded
 */
export function resolveRoute(method: string, rawPath: string): ResolvedRoute {
  const match = VERSIONED_PATH.exec(rawPath);
  if (!match) return { route: "unknown", projectId: "" };
  const projectId = match[1]!;
  const suffix = match[2] ?? "";
  const entry = ROUTE_TABLE.find((row) => row.method === method && row.suffix === suffix);
  return { route: entry?.route ?? "unknown", projectId };
}
