/**
 * A Pulumi stack for the engine-protocol tests: one program that declares FlowActivations from
 * stack config, run through the packed package in the consumer project, Pulumi's real provider host
 * and the local engine loop, against a simulator.
 */
import { writeProgram } from "../../engine/consumerProject";
import { LocalEngine, type RunResult } from "../../engine/localEngine";
import type { Simulator } from "../../simulator";
import { consumerProject } from "./consumer";

/** The test program: one FlowActivation per entry of the `activations` config object. */
export const ACTIVATIONS_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { FlowActivation, type FlowActivationArgs } from "pulumi-huaweicloud-medialive";

interface Spec {
  name: string;
  args: FlowActivationArgs;
  options?: pulumi.CustomResourceOptions;
}

const config = new pulumi.Config();
const specs = config.requireObject<Spec[]>("activations");
const resources = specs.map((spec) => new FlowActivation(spec.name, spec.args, spec.options));
export const statuses = pulumi.all(
  Object.fromEntries(resources.map((resource, index) => [specs[index]!.name, resource.status])),
);
`;

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

/** A stack bound to a simulator, with helpers to change its declared resources. */
export class TestStack {
  readonly engine: LocalEngine;

  constructor(
    private readonly simulator: Simulator,
    private readonly credentials: StackCredentials,
    activations: readonly ActivationSpec[],
    options: {
      env?: NodeJS.ProcessEnv;
      parallel?: number;
      extraConfig?: Record<string, string>;
    } = {},
  ) {
    const project = consumerProject();
    this.engine = new LocalEngine({
      project,
      projectName: "medialive-tests",
      stackName: "test",
      programFile: writeProgram(project, "activations", ACTIVATIONS_PROGRAM),
      config: this.configFor(activations, options.extraConfig),
      env: options.env,
      parallel: options.parallel,
    });
  }

  /** Declares a new set of activations (as editing the program or its config would). */
  declare(activations: readonly ActivationSpec[], extraConfig?: Record<string, string>): void {
    this.engine.config = this.configFor(activations, extraConfig);
  }

  /** Runs an engine operation and returns its result with the simulator requests it caused. */
  async run(
    operation: "preview" | "up" | "refresh" | "destroy",
  ): Promise<RunResult & { requests: number; routes: string[] }> {
    const since = this.simulator.journal.at(-1)?.sequence ?? 0;
    const result = await this.engine[operation]();
    const entries = this.simulator.journal.filter((entry) => entry.sequence > since);
    return { ...result, requests: entries.length, routes: entries.map((entry) => entry.route) };
  }

  private configFor(
    activations: readonly ActivationSpec[],
    extraConfig: Record<string, string> = {},
  ): { values: Record<string, string>; secretKeys: string[] } {
    const values: Record<string, string> = {
      "medialive-tests:activations": JSON.stringify(activations),
      "huaweicloud:liveEndpoint": this.simulator.url,
      "huaweicloud:projectId": this.simulator.projectId,
      "huaweicloud:region": "ap-southeast-3",
      "huaweicloud:accessKey": this.credentials.accessKey,
      "huaweicloud:secretKey": this.credentials.secretKey,
      ...(this.credentials.securityToken
        ? { "huaweicloud:securityToken": this.credentials.securityToken }
        : {}),
      ...extraConfig,
    };
    const secretKeys = [
      "huaweicloud:accessKey",
      "huaweicloud:secretKey",
      "huaweicloud:securityToken",
    ];
    return { values, secretKeys: secretKeys.filter((key) => key in values) };
  }
}
