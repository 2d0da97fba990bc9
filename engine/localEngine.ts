/**
 * A small stand-in for the Pulumi engine's deployment loop, for machines without the Pulumi CLI.
 * It runs the program (see `programHost.ts`), and for each registration makes the same provider
 * calls the engine makes, in the same order and with the same data: Configure with the stack
 * config, Check against the old inputs, Diff against the old outputs, then Create, Update,
 * replacement or a Same step that keeps the old outputs; Read for refresh; Delete with the stored
 * outputs (so the stored `__provider`) for destroy. Secrets are stripped before provider calls,
 * preview never calls Create or Update, and `ignoreChanges`, `protect`, `retainOnDelete` and
 * `deleteBeforeReplace` behave as the engine documents.
 *
 * It is not the engine: no plugins other than the Node.js dynamic provider, no parent/child
 * resources, no checkpoints on disk. What it proves is that the package works through Pulumi's real
 * serialization, real provider host and real wire format.
 */
import type { ConsumerProject } from "./consumerProject";
import type { ProgramResultMessage, RegistrationMessage } from "./programHost";
import { runProgram } from "./programRunner";
import {
  ProviderHost,
  ProviderRpcError,
  SECRET_SIG,
  SECRET_SIG_KEY,
  type PropertyMap,
} from "./providerHost";

/** Stack config: namespaced keys (`huaweicloud:region`) to values, and which are secret. */
export interface StackConfig {
  readonly values: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

/** What the engine keeps per resource. */
export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly inputs: PropertyMap;
  readonly outputs: PropertyMap;
  readonly options: RegistrationMessage["options"];
}

/** The kinds of step a run reports. */
export type StepKind =
  "create" | "update" | "replace" | "same" | "delete" | "refresh" | "refresh-gone" | "failed";

/** One step of a run. */
export interface Step {
  readonly kind: StepKind;
  readonly urn: string;
  readonly name: string;
  /** For update/replace: the properties that differ between old and new inputs (or drift). */
  readonly changed?: readonly string[];
  /** For update/replace/refresh: each changed property's old and new value, for display. */
  readonly values?: Readonly<Record<string, { readonly old: unknown; readonly new: unknown }>>;
  readonly replaces?: readonly string[];
  readonly outputs?: PropertyMap;
  readonly error?: string;
}

/** The result of one preview, up, refresh or destroy. */
export interface RunResult {
  readonly steps: readonly Step[];
  /** The program's stack exports (up and preview). */
  readonly exports: Record<string, unknown>;
  /** One line per failed resource or program error. */
  readonly errors: readonly string[];
  /** Everything the provider host printed. */
  readonly hostOutput: string;
}

/** Options of a {@link LocalEngine}. */
export interface LocalEngineOptions {
  readonly project: ConsumerProject;
  /** The Pulumi project name (`name:` in Pulumi.yaml). */
  readonly projectName: string;
  readonly stackName: string;
  readonly config: StackConfig;
  /** The program's JavaScript file inside the consumer project (see `writeProgram`). */
  readonly programFile: string;
  /** Extra environment for the program and the provider host (e.g. `HW_*` variables). */
  readonly env?: NodeJS.ProcessEnv;
  /** Resource operations in flight at once (the CLI's `--parallel`); default 16. */
  readonly parallel?: number;
  /** Called for each step as it completes. */
  readonly onStep?: (step: Step) => void;
  /** Called with the host once it is up (tests use this to kill it mid-operation). */
  readonly onHostStarted?: (host: ProviderHost) => void;
}

const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";

/** A deployment loop over the real provider host, with the stack's state in memory. */
export class LocalEngine {
  /** The stack's resources, in registration order. */
  readonly state = new Map<string, ResourceState>();

  /** The stack config; assign a new one between runs, as `pulumi config set` would. */
  config: StackConfig;

  /** Called with each run's provider host once it is up (tests kill it mid-operation). */
  onHostStarted?: (host: ProviderHost) => void;

  /** Called with each run's provider host just before it is stopped (benchmarks read its memory). */
  onHostStopping?: (host: ProviderHost) => void;

  /** @param options - project, program, stack config */
  constructor(private readonly options: LocalEngineOptions) {
    this.config = options.config;
    this.onHostStarted = options.onHostStarted;
  }

  /** `pulumi preview`: Check and Diff only; no Create, Update or Delete. */
  preview(): Promise<RunResult> {
    return this.deploy(true);
  }

  /** `pulumi up`. */
  up(): Promise<RunResult> {
    return this.deploy(false);
  }

  /** `pulumi refresh`: Read every resource; a resource whose Read returns no id leaves the state. */
  async refresh(): Promise<RunResult> {
    return this.withHost(async (host, steps, errors) => {
      await Promise.all(
        [...this.state.values()].map((resource) =>
          this.limit(async () => {
            try {
              const result = await host.read(
                resource.id,
                resource.urn,
                resource.outputs,
                resource.inputs,
              );
              if (result.id === "") {
                this.state.delete(resource.urn);
                this.report(steps, {
                  kind: "refresh-gone",
                  urn: resource.urn,
                  name: resource.name,
                });
                return;
              }
              const changed = changedKeys(resource.outputs, result.properties);
              this.state.set(resource.urn, {
                ...resource,
                outputs: result.properties,
                inputs: result.inputs ?? resource.inputs,
              });
              this.report(steps, {
                kind: "refresh",
                urn: resource.urn,
                name: resource.name,
                changed,
                values: valuesOf(changed, resource.outputs, result.properties),
                outputs: result.properties,
              });
            } catch (error) {
              this.fail(steps, errors, resource, error);
            }
          }),
        ),
      );
      return {};
    });
  }

  /** `pulumi destroy`: Delete every resource with its stored outputs, newest first. */
  async destroy(): Promise<RunResult> {
    return this.withHost(async (host, steps, errors) => {
      for (const resource of [...this.state.values()].reverse()) {
        await this.deleteResource(host, resource, steps, errors);
      }
      return {};
    });
  }

  private async deploy(preview: boolean): Promise<RunResult> {
    return this.withHost(async (host, steps, errors) => {
      const registered = new Set<string>();
      const exports = await this.runProgram(preview, async (registration) => {
        registered.add(registration.urn);
        if (!registration.resourceType.startsWith(DYNAMIC_TYPE_PREFIX) || !registration.custom) {
          return { id: "", outputs: registration.inputs };
        }
        return this.limit(() => this.register(host, registration, preview, steps, errors));
      });
      if (exports.type === "error") errors.push(`program: ${exports.message}`);
      if (exports.type === "done" && errors.length === 0) {
        for (const resource of [...this.state.values()].reverse()) {
          if (registered.has(resource.urn)) continue;
          if (preview)
            this.report(steps, { kind: "delete", urn: resource.urn, name: resource.name });
          else await this.deleteResource(host, resource, steps, errors);
        }
      }
      return exports.type === "done" ? exports.exports : {};
    }, preview);
  }

  /** The engine's step for one registration. */
  private async register(
    host: ProviderHost,
    registration: RegistrationMessage,
    preview: boolean,
    steps: Step[],
    errors: string[],
  ): Promise<{ id: string; outputs: PropertyMap }> {
    const { urn, name, options } = registration;
    const old = this.state.get(urn);
    const news = stripSecrets(registration.inputs);
    if (old) {
      // ignoreChanges: the engine keeps the old input value for each ignored property.
      for (const key of options.ignoreChanges) {
        if (key in old.inputs) news[key] = old.inputs[key];
        else delete news[key];
      }
    }
    const resource = { urn, name, type: registration.resourceType, options };
    try {
      const checked = await host.check(urn, old?.inputs ?? {}, news);
      if (checked.failures.length > 0) {
        const reasons = checked.failures.map((failure) => `${failure.property}: ${failure.reason}`);
        throw new Error(`one or more inputs failed to validate: ${reasons.join("; ")}`);
      }
      const inputs = checked.inputs;
      if (!old) {
        if (preview) {
          this.report(steps, { kind: "create", urn, name, outputs: inputs });
          return { id: "", outputs: inputs };
        }
        const created = await host.create(urn, inputs);
        this.state.set(urn, { ...resource, id: created.id, inputs, outputs: created.properties });
        this.report(steps, { kind: "create", urn, name, outputs: created.properties });
        return { id: created.id, outputs: created.properties };
      }

      const diff = await host.diff(old.id, urn, old.outputs, inputs, old.inputs);
      const changed = changedKeys(old.inputs, inputs);
      const hasChanges =
        diff.changes === "some" || (diff.changes === "unknown" && changed.length > 0);
      if (!hasChanges) {
        // A Same step: new inputs, old outputs.
        this.state.set(urn, { ...old, inputs, options });
        this.report(steps, { kind: "same", urn, name });
        return { id: old.id, outputs: old.outputs };
      }
      // The host sends no detailed diff, so the display names the inputs that changed (after a
      // refresh, FlowActivation reports the observed status as its desiredStatus input).
      const shown = changed;
      const values = valuesOf(changed, old.inputs, inputs);
      if (diff.replaces.length > 0) {
        if (options.protect || old.options.protect) {
          throw new Error(`resource ${urn} is protected and cannot be replaced`);
        }
        if (preview) {
          this.report(steps, {
            kind: "replace",
            urn,
            name,
            changed: shown,
            values,
            replaces: diff.replaces,
          });
          return { id: old.id, outputs: inputs };
        }
        const deleteFirst = diff.deleteBeforeReplace || options.deleteBeforeReplace;
        if (deleteFirst) await host.delete(old.id, urn, old.outputs, old.inputs);
        const created = await host.create(urn, inputs);
        if (!deleteFirst) await host.delete(old.id, urn, old.outputs, old.inputs);
        this.state.set(urn, { ...resource, id: created.id, inputs, outputs: created.properties });
        this.report(steps, {
          kind: "replace",
          urn,
          name,
          changed: shown,
          values,
          replaces: diff.replaces,
          outputs: created.properties,
        });
        return { id: created.id, outputs: created.properties };
      }
      if (preview) {
        this.report(steps, { kind: "update", urn, name, changed: shown, values });
        return { id: old.id, outputs: { ...old.outputs, ...inputs } };
      }
      const updated = await host.update(old.id, urn, old.outputs, inputs, old.inputs);
      this.state.set(urn, { ...resource, id: old.id, inputs, outputs: updated.properties });
      this.report(steps, {
        kind: "update",
        urn,
        name,
        changed: shown,
        values,
        outputs: updated.properties,
      });
      return { id: old.id, outputs: updated.properties };
    } catch (error) {
      // A partial failure: the provider says what exists now; the engine records it.
      if (error instanceof ProviderRpcError && error.partial) {
        this.state.set(urn, {
          ...resource,
          id: error.partial.id,
          inputs: old?.inputs ?? news,
          outputs: error.partial.properties,
        });
      }
      this.fail(steps, errors, resource, error);
      throw error;
    }
  }

  private async deleteResource(
    host: ProviderHost,
    resource: ResourceState,
    steps: Step[],
    errors: string[],
  ): Promise<void> {
    if (resource.options.protect) {
      this.fail(
        steps,
        errors,
        resource,
        new Error(`resource ${resource.urn} is protected; unprotect it before deleting`),
      );
      return;
    }
    try {
      if (!resource.options.retainOnDelete) {
        await host.delete(resource.id, resource.urn, resource.outputs, resource.inputs);
      }
      this.state.delete(resource.urn);
      this.report(steps, { kind: "delete", urn: resource.urn, name: resource.name });
    } catch (error) {
      this.fail(steps, errors, resource, error);
    }
  }

  /** Runs the program in the consumer project, answering its registrations with `onRegister`. */
  private runProgram(
    preview: boolean,
    onRegister: (
      registration: RegistrationMessage,
    ) => Promise<{ id: string; outputs: PropertyMap }>,
  ): Promise<ProgramResultMessage> {
    return runProgram(
      this.options.project,
      this.options.programFile,
      { ...this.options.env, ...this.programEnvironment(preview) },
      onRegister,
    );
  }

  private programEnvironment(preview: boolean): NodeJS.ProcessEnv {
    return {
      PULUMI_CONFIG: JSON.stringify(this.config.values),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(this.config.secretKeys),
      PULUMI_PROJECT: this.options.projectName,
      PULUMI_NODEJS_PROJECT: this.options.projectName,
      PULUMI_STACK: this.options.stackName,
      PULUMI_NODEJS_STACK: this.options.stackName,
      PULUMI_DRY_RUN: String(preview),
    };
  }

  /** Starts a host for one run (as the engine does), configures it, and stops it afterwards. */
  private async withHost(
    body: (host: ProviderHost, steps: Step[], errors: string[]) => Promise<Record<string, unknown>>,
    preview = false,
  ): Promise<RunResult> {
    const host = await ProviderHost.start({
      projectDir: this.options.project.dir,
      env: { ...this.options.env, ...this.programEnvironment(preview) },
    });
    this.onHostStarted?.(host);
    const steps: Step[] = [];
    const errors: string[] = [];
    let exports: Record<string, unknown> = {};
    try {
      await host.configure({ ...this.config.values }, this.config.secretKeys);
      exports = await body(host, steps, errors);
    } catch (error) {
      errors.push(errorText(error));
    } finally {
      this.onHostStopping?.(host);
      await host.stop();
    }
    return { steps, exports, errors, hostOutput: host.output.join("") };
  }

  private report(steps: Step[], step: Step): void {
    steps.push(step);
    this.options.onStep?.(step);
  }

  private fail(
    steps: Step[],
    errors: string[],
    resource: { urn: string; name: string },
    error: unknown,
  ): void {
    const message = errorText(error);
    errors.push(`${resource.name}: ${message}`);
    this.report(steps, { kind: "failed", urn: resource.urn, name: resource.name, error: message });
  }

  private running = 0;
  private readonly queue: (() => void)[] = [];

  /** Runs `task` when fewer than `parallel` tasks are in flight. */
  private async limit<T>(task: () => Promise<T>): Promise<T> {
    const parallel = this.options.parallel ?? 16;
    if (this.running >= parallel) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

/** Replaces Pulumi secret wrappers with their plain values, as the engine does for this provider. */
export function stripSecrets(value: PropertyMap): PropertyMap {
  const unwrap = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(unwrap);
    if (item && typeof item === "object") {
      const record = item as Record<string, unknown>;
      if (record[SECRET_SIG_KEY] === SECRET_SIG) return unwrap(record.value);
      return Object.fromEntries(
        Object.entries(record).map(([key, member]) => [key, unwrap(member)]),
      );
    }
    return item;
  };
  return unwrap(value) as PropertyMap;
}

/** The old and new value of each changed key. */
function valuesOf(
  keys: readonly string[],
  olds: PropertyMap,
  news: PropertyMap,
): Record<string, { old: unknown; new: unknown }> {
  return Object.fromEntries(keys.map((key) => [key, { old: olds[key], new: news[key] }]));
}

/** Top-level keys whose values differ (the `__provider` text included, as the engine's own diff). */
export function changedKeys(olds: PropertyMap, news: PropertyMap): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys]
    .filter(
      (key) => key !== "__provider" && JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    )
    .sort();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
