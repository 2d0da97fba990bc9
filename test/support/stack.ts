/**
 * A Pulumi stack for the lifecycle tests: an inline program that declares FlowActivations, run by
 * the real `pulumi` CLI and engine (Automation API, file backend) through the packed package in the
 * consumer project, against a simulator. Every run reports the simulator requests it caused.
 */
import type {
  AutomationStack,
  ConfigEntry,
  InlineProgram,
  OperationOptions,
  OperationResult,
  StateResource,
} from "../../engine/automationStack";
import type { Simulator } from "../../simulator";
import { newAutomationStack } from "./consumer";

/** The state type token of a FlowActivation. */
export const FLOW_ACTIVATION_TYPE = "pulumi-nodejs:dynamic/medialive:FlowActivation";

/** The state type token of a Flow. */
export const FLOW_TYPE = "pulumi-nodejs:dynamic/medialive:Flow";

/** One FlowActivation of the test program. */
export interface ActivationSpec {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
}

/** Credentials used by a stack; tests pick distinctive ones to scan for leaks. */
export interface StackCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
}

/** A run's result with the simulator requests it caused. */
export interface StackRun extends OperationResult {
  /** Messages of the engine's error diagnostics (one per failed resource, plus the summary). */
  readonly errors: readonly string[];
  readonly requests: number;
  /** The routes requested, in order. */
  readonly routes: readonly string[];
}

/** Options of a {@link TestStack}. */
export interface TestStackOptions {
  /** Environment of the CLI and the provider host. */
  readonly env?: Record<string, string>;
  /** More stack config (plain values), e.g. `huaweicloud:maxRetries`. */
  readonly extraConfig?: Record<string, string>;
  /** Config keys of `extraConfig` to store as secrets. */
  readonly secretConfig?: readonly string[];
}

let stackCount = 0;

/** A stack bound to a simulator, with helpers to change its declared resources. */
export class TestStack {
  readonly automation: AutomationStack;
  #activations: readonly ActivationSpec[];

  /**
   * @param simulator - the simulator the stack's config points at
   * @param credentials - the stack's credentials (secret config)
   * @param declared - the FlowActivations to declare, or a whole inline program
   * @param options - environment and more config
   */
  constructor(
    private readonly simulator: Simulator,
    credentials: StackCredentials,
    declared: readonly ActivationSpec[] | InlineProgram,
    options: TestStackOptions = {},
  ) {
    this.#activations = typeof declared === "function" ? [] : declared;
    stackCount += 1;
    this.automation = newAutomationStack({
      projectName: "medialive-tests",
      stackName: `test${stackCount}`,
      program: typeof declared === "function" ? declared : this.activationProgram(),
      config: stackConfig(simulator, credentials, options),
      env: options.env,
    });
  }

  /** The program declaring `#activations`, read afresh at each run. */
  private activationProgram(): InlineProgram {
    return async ({ medialive, pulumi }) => {
      const resources = this.#activations.map(
        (spec) =>
          new medialive.FlowActivation(
            spec.name,
            spec.args as unknown as ConstructorParameters<typeof medialive.FlowActivation>[1],
            spec.options,
          ),
      );
      return {
        statuses: pulumi.all(
          Object.fromEntries(
            resources.map((resource, index) => [this.#activations[index]!.name, resource.status]),
          ),
        ),
      };
    };
  }

  /** Declares a new set of activations (as editing the program would). */
  declare(activations: readonly ActivationSpec[]): void {
    this.#activations = activations;
  }

  /** Runs a CLI operation and returns its result with the simulator requests it caused. */
  async run(
    operation: "preview" | "up" | "refresh" | "destroy",
    options: OperationOptions = {},
  ): Promise<StackRun> {
    const since = this.simulator.journal.at(-1)?.sequence ?? 0;
    const result = await this.automation[operation](options);
    const entries = this.simulator.journal.filter((entry) => entry.sequence > since);
    return {
      ...result,
      errors: result.diagnostics
        .filter((diagnostic) => diagnostic.severity === "error")
        .map((diagnostic) => diagnostic.message.trim()),
      requests: entries.length,
      routes: entries.map((entry) => entry.route),
    };
  }

  /** The FlowActivations in the stack's state, in state order. */
  activations(): Promise<StateResource[]> {
    return this.automation.resourcesOfType(FLOW_ACTIVATION_TYPE);
  }

  /** The state outputs of the one FlowActivation named `name`. */
  async outputsOf(name: string): Promise<Record<string, unknown>> {
    return (await this.resource(FLOW_ACTIVATION_TYPE, name)).outputs;
  }

  /** The one resource of a type named `name` in the stack's state. */
  async resource(type: string, name: string): Promise<StateResource> {
    const found = (await this.automation.resourcesOfType(type)).find((entry) =>
      entry.urn.endsWith(`::${name}`),
    );
    if (!found) throw new Error(`no ${type} ${name} in the state`);
    return found;
  }
}

/** The stack config a test stack starts with: the simulator's location and the credentials. */
function stackConfig(
  simulator: Simulator,
  credentials: StackCredentials,
  options: TestStackOptions,
): Record<string, ConfigEntry> {
  const config: Record<string, ConfigEntry> = {
    "huaweicloud:liveEndpoint": { value: simulator.url },
    "huaweicloud:projectId": { value: simulator.projectId },
    "huaweicloud:region": { value: "ap-southeast-3" },
  };
  if (credentials.accessKey) config["huaweicloud:accessKey"] = secret(credentials.accessKey);
  if (credentials.secretKey) config["huaweicloud:secretKey"] = secret(credentials.secretKey);
  if (credentials.securityToken)
    config["huaweicloud:securityToken"] = secret(credentials.securityToken);
  for (const [key, value] of Object.entries(options.extraConfig ?? {})) {
    config[key] = { value, secret: options.secretConfig?.includes(key) ?? false };
  }
  return config;
}

const secret = (value: string): ConfigEntry => ({ value, secret: true });
