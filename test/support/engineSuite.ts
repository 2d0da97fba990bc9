/**
 * The shared setup of a suite that runs through the real Pulumi engine: the CLI located (or built)
 * and the consumer project installed once, with a timeout long enough for that first time, and a
 * simulator started for the suite and closed after it.
 */
import { startSimulator, type Simulator, type SimulatorOptions } from "../../simulator";
import { consumerProject, pulumiCli } from "./consumer";

/** A cold CLI build (about 4 minutes) plus the consumer project's install, with room to spare. */
const FIRST_SETUP_TIMEOUT_MS = 900_000;

/**
 * Registers the suite's `before` and `after` hooks.
 *
 * @param options - the simulator's options
 * @param started - receives the simulator once it listens
 */
export function useEngineSimulator(
  options: SimulatorOptions,
  started: (simulator: Simulator) => void,
): void {
  let simulator: Simulator | undefined;
  before(async function () {
    this.timeout(FIRST_SETUP_TIMEOUT_MS);
    pulumiCli();
    consumerProject();
    simulator = await startSimulator(options);
    started(simulator);
  });
  after(() => simulator?.close());
}
