/**
 * Local Huawei Cloud Media Live (Flows API) simulator, exported as
 * `pulumi-huaweicloud-medialive/simulator`: a real HTTP server serving the eleven Flows operations
 * (flows, sources, outputs) with real state, AK/SK and token verification, rate limiting, fault
 * injection and a request journal.
 *
 * @example
 * ```ts
 * const simulator = await startSimulator({ flows: [{ flowId: "f-1" }] });
 * simulator.injectFault("start", { kind: "status", status: 503 });
 * // … point the client at simulator.url with SIMULATOR_DEFAULTS' credentials …
 * await simulator.close();
 * ```
 */
export type { SimulatorCredentials } from "./authentication.js";
export { SECRET_MASK, SIMULATOR_DEFAULTS } from "./constants.js";
export type { Fault, FaultTarget } from "./faults.js";
export type {
  FlowEncryption,
  FlowOutput,
  FlowOutputInput,
  FlowSource,
  FlowSourceInput,
} from "./flowItems.js";
export type { FlowRecord, FlowSeed, FlowStatus } from "./flowStore.js";
export type { JournalEntry, JournalFilter } from "./journal.js";
export type { RouteName } from "./routes.js";
export { startSimulator, type Simulator, type SimulatorOptions } from "./simulator.js";
