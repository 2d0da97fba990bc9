/**
 * A Pulumi stack driven through the real `pulumi` CLI and engine with the Automation API: an inline
 * program (no language host needed), a file backend, passphrase-encrypted secrets and a private
 * `PULUMI_HOME`, so no account and no network beyond loopback are involved.
 *
 * Everything Pulumi runs comes from the consumer project (see `consumerProject.ts`): the Automation
 * API, the SDK the program constructs resources with, the packed package and the dynamic-provider
 * host. One copy of `@pulumi/pulumi` serves all of them; a driver with its own copy fails with
 * "Request message serialization failure".
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import type * as PulumiSdk from "@pulumi/pulumi";
import type * as Automation from "@pulumi/pulumi/automation";
import type * as Package from "../index";
import type { ConsumerProject } from "./consumerProject";
import type { PulumiCli } from "./pulumiCli";

/** The modules a program sees, all loaded from the consumer project. */
export interface ConsumerModules {
  readonly pulumi: typeof PulumiSdk;
  readonly automation: typeof Automation;
  readonly medialive: typeof Package;
  /** `require` as seen from the consumer project (for example programs compiled into it). */
  readonly require: NodeJS.Require;
}

/**
 * Loads the consumer project's copies of the SDK, the Automation API and the package.
 *
 * @param project - the installed consumer project
 */
export function consumerModules(project: ConsumerProject): ConsumerModules {
  const load = createRequire(path.join(project.dir, "package.json"));
  return {
    pulumi: load("@pulumi/pulumi") as typeof PulumiSdk,
    automation: load("@pulumi/pulumi/automation") as typeof Automation,
    medialive: load("pulumi-huaweicloud-medialive") as typeof Package,
    require: load,
  };
}

/** A stack config value; secrets are encrypted with the stack's passphrase. */
export interface ConfigEntry {
  readonly value: string;
  readonly secret?: boolean;
}

/** What an inline program returns: the stack outputs. */
export type InlineProgram = (modules: ConsumerModules) => Promise<Record<string, unknown> | void>;

/** Options of an {@link AutomationStack}. */
export interface AutomationStackOptions {
  readonly project: ConsumerProject;
  readonly cli: PulumiCli;
  /** The Pulumi project name. */
  readonly projectName: string;
  readonly stackName: string;
  readonly program: InlineProgram;
  /** Namespaced keys (`huaweicloud:region`, `<project>:flowId`). */
  readonly config?: Readonly<Record<string, ConfigEntry>>;
  /** Extra environment of the CLI and, through it, of the provider host. */
  readonly env?: Readonly<Record<string, string>>;
  /** Backend folder; default a new temporary one. */
  readonly backendDir?: string;
  /**
   * Workspace folder (holding `Pulumi.yaml` and the stack's config file with its encryption
   * salt); default a new temporary one. Sharing it and `backendDir` continues another
   * AutomationStack's stack, e.g. after an upgrade of the package.
   */
  readonly workDir?: string;
}

/** One step the engine reported (a `resourcePreEvent`, completed by its outputs or failure). */
export interface EngineStep {
  /** `create`, `update`, `same`, `delete`, `replace`, `create-replacement`, `refresh`, `import`, … */
  readonly op: string;
  readonly urn: string;
  /** The resource name (last URN segment). */
  readonly name: string;
  readonly type: string;
  /** Top-level properties that differ. */
  readonly diffs: readonly string[];
  readonly detailedDiff: Readonly<Record<string, { kind: string; inputDiff: boolean }>>;
  /** Outputs after the step (secrets appear as Pulumi's secret marker), when it completed. */
  readonly outputs?: Record<string, unknown>;
  /** `true` when the step failed. */
  readonly failed: boolean;
}

/** One diagnostic the engine reported. */
export interface EngineDiagnostic {
  readonly urn?: string;
  readonly severity: string;
  readonly message: string;
}

/** The result of one CLI operation. */
export interface OperationResult {
  /** The CLI's standard output, as a user sees it. */
  readonly stdout: string;
  /** The CLI's standard error. */
  readonly stderr: string;
  /** The failure message when the command failed (the CLI's stderr, or its error). */
  readonly error?: string;
  readonly steps: readonly EngineStep[];
  readonly diagnostics: readonly EngineDiagnostic[];
  /** Stack outputs after an up (plain values; secrets unwrapped by the Automation API). */
  readonly outputs: Record<string, unknown>;
}

/** One resource of the stack's exported deployment. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Options shared by the operations. */
export interface OperationOptions {
  /** Aborting sends the CLI SIGINT, as Ctrl-C would. */
  readonly signal?: AbortSignal;
  /** Passes `--diff` (preview and up). */
  readonly diff?: boolean;
  /** Passes `--run-program` (refresh and destroy). */
  readonly runProgram?: boolean;
  /** Passes `--clear-pending-creates` (refresh). */
  readonly clearPendingCreates?: boolean;
  /** Passes `--parallel`. */
  readonly parallel?: number;
  /** Passes `--continue-on-error` (up and destroy): one failed resource does not stop the rest. */
  readonly continueOnError?: boolean;
  /** Called with each line of the CLI's standard output as it comes. */
  readonly onOutput?: (text: string) => void;
}

const FILE_BACKEND_ENV = {
  PULUMI_CONFIG_PASSPHRASE: "medialive-local-passphrase",
  PULUMI_SKIP_UPDATE_CHECK: "true",
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
} as const;

/** A stack of the consumer project, run by the real CLI. */
export class AutomationStack {
  /** The backend folder (`file://` URL target). */
  readonly backendDir: string;
  /** The workspace folder holding `Pulumi.yaml` and `Pulumi.<stack>.yaml`. */
  readonly workDir: string;
  /** The `PULUMI_HOME` used. */
  readonly pulumiHome: string;
  readonly modules: ConsumerModules;
  #program: InlineProgram;
  #stack: Promise<Automation.Stack> | undefined;

  constructor(private readonly options: AutomationStackOptions) {
    this.modules = consumerModules(options.project);
    this.#program = options.program;
    this.backendDir =
      options.backendDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "medialive-backend-"));
    this.workDir =
      options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "medialive-workspace-"));
    this.pulumiHome = path.join(this.workDir, ".pulumi-home");
    fs.mkdirSync(this.pulumiHome, { recursive: true });
  }

  /** The environment every CLI run gets (beside this process's own). */
  get environment(): Record<string, string> {
    return {
      ...FILE_BACKEND_ENV,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_HOME: this.pulumiHome,
      ...this.options.env,
    };
  }

  /** Replaces the program, as editing it between two runs would. */
  setProgram(program: InlineProgram): void {
    this.#program = program;
  }

  /** The Automation API stack, created on first use with its config. */
  stack(): Promise<Automation.Stack> {
    this.#stack ??= this.#createStack();
    return this.#stack;
  }

  async #createStack(): Promise<Automation.Stack> {
    const { automation } = this.modules;
    const pulumiCommand = await automation.PulumiCommand.get({
      root: this.options.cli.root,
      skipVersionCheck: true,
    });
    const stack = await automation.LocalWorkspace.createOrSelectStack(
      {
        stackName: this.options.stackName,
        projectName: this.options.projectName,
        program: () => this.#program(this.modules),
      },
      {
        workDir: this.workDir,
        pulumiHome: this.pulumiHome,
        pulumiCommand,
        envVars: this.environment,
        // The engine starts the dynamic-provider host in `main`: it must be the consumer project,
        // where `pulumi-huaweicloud-medialive/dynamic-provider` resolves.
        projectSettings: {
          name: this.options.projectName,
          runtime: "nodejs",
          main: this.options.project.dir,
          backend: { url: `file://${this.backendDir}` },
        },
      },
    );
    if (this.options.config && Object.keys(this.options.config).length > 0) {
      await stack.setAllConfig({ ...this.options.config });
    }
    return stack;
  }

  /** Sets (or with `undefined`, removes) config values, as `pulumi config set` would. */
  async setConfig(values: Readonly<Record<string, ConfigEntry | undefined>>): Promise<void> {
    const stack = await this.stack();
    for (const [key, entry] of Object.entries(values)) {
      if (entry) await stack.setConfig(key, entry);
      else await stack.removeConfig(key);
    }
  }

  /** `pulumi preview`. */
  preview(options: OperationOptions = {}): Promise<OperationResult> {
    return this.#run(
      (stack, common) => stack.preview({ ...common, diff: options.diff, refresh: false }),
      options,
    );
  }

  /** `pulumi up --yes --skip-preview`. */
  up(options: OperationOptions = {}): Promise<OperationResult> {
    return this.#run(async (stack, common) => {
      const result = await stack.up({
        ...common,
        diff: options.diff,
        continueOnError: options.continueOnError,
      });
      return { stdout: result.stdout, stderr: result.stderr, outputs: result.outputs };
    }, options);
  }

  /** `pulumi refresh --yes --skip-preview`. */
  refresh(options: OperationOptions = {}): Promise<OperationResult> {
    return this.#run(
      (stack, common) =>
        stack.refresh({
          ...common,
          runProgram: options.runProgram,
          clearPendingCreates: options.clearPendingCreates,
        }),
      options,
    );
  }

  /** `pulumi destroy --yes --skip-preview`. */
  destroy(options: OperationOptions = {}): Promise<OperationResult> {
    return this.#run(
      (stack, common) =>
        stack.destroy({
          ...common,
          runProgram: options.runProgram,
          continueOnError: options.continueOnError,
        }),
      options,
    );
  }

  /**
   * Runs another CLI command in this stack's workspace (for verbs the Automation API lacks, such
   * as `cancel` or `import`). Failures are returned, not thrown.
   *
   * @param args - arguments after `pulumi`; `--stack` is added
   */
  async cli(args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    await this.stack();
    try {
      const stdout = execFileSync(
        this.options.cli.binary,
        [...args, "--stack", this.options.stackName, "--non-interactive"],
        {
          cwd: this.workDir,
          env: { ...process.env, ...this.environment },
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      return { stdout, stderr: "", code: 0 };
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; status?: number };
      return { stdout: failed.stdout ?? "", stderr: failed.stderr ?? "", code: failed.status ?? 1 };
    }
  }

  /** The stack's deployment, as `pulumi stack export` gives it (secrets stay encrypted). */
  async exportState(): Promise<{ resources: StateResource[]; pending: unknown[] }> {
    const stack = await this.stack();
    const exported = await stack.exportStack();
    const deployment = exported.deployment as {
      resources?: StateResource[];
      pending_operations?: unknown[];
    };
    return {
      resources: deployment.resources ?? [],
      pending: deployment.pending_operations ?? [],
    };
  }

  /** The stack's resources of one type (for example `FlowActivation`'s token). */
  async resourcesOfType(type: string): Promise<StateResource[]> {
    return (await this.exportState()).resources.filter((resource) => resource.type === type);
  }

  /** Removes the stack and its workspace folder (the backend folder stays for inspection). */
  async remove(): Promise<void> {
    if (this.#stack) {
      const stack = await this.#stack;
      await stack.workspace.removeStack(this.options.stackName, { force: true }).catch(() => {});
    }
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  async #run(
    operation: (
      stack: Automation.Stack,
      common: {
        onEvent: (event: Automation.EngineEvent) => void;
        onOutput?: (text: string) => void;
        signal?: AbortSignal;
        parallel?: number;
        color: "never";
      },
    ) => Promise<{ stdout: string; stderr: string; outputs?: Automation.OutputMap }>,
    options: OperationOptions,
  ): Promise<OperationResult> {
    const stack = await this.stack();
    const collector = new EventCollector();
    const common = {
      onEvent: (event: Automation.EngineEvent) => collector.add(event),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.parallel ? { parallel: options.parallel } : {}),
      color: "never" as const,
    };
    try {
      const result = await operation(stack, common);
      return {
        stdout: result.stdout,
        stderr: result.stderr,
        steps: collector.steps(),
        diagnostics: collector.diagnostics,
        outputs: Object.fromEntries(
          Object.entries(result.outputs ?? {}).map(([key, output]) => [key, output.value]),
        ),
      };
    } catch (error) {
      // The Automation API throws a CommandError holding the CLI's result.
      const result = (error as { commandResult?: { stdout: string; stderr: string } })
        .commandResult;
      const stdout = result?.stdout ?? "";
      const stderr = result?.stderr ?? "";
      return {
        stdout,
        stderr,
        error: (stderr.trim() || stdout.trim() || String(error)).trim(),
        steps: collector.steps(),
        diagnostics: collector.diagnostics,
        outputs: {},
      };
    }
  }
}

/** Gathers engine events into steps and diagnostics. */
class EventCollector {
  readonly diagnostics: EngineDiagnostic[] = [];
  readonly #steps = new Map<string, EngineStep>();
  readonly #order: string[] = [];

  add(event: Automation.EngineEvent): void {
    const pre = event.resourcePreEvent?.metadata;
    if (pre && pre.type !== "pulumi:pulumi:Stack" && !pre.type.startsWith("pulumi:providers:")) {
      const key = `${pre.op} ${pre.urn}`;
      this.#order.push(key);
      this.#steps.set(key, {
        op: pre.op,
        urn: pre.urn,
        name: pre.urn.split("::").at(-1) ?? pre.urn,
        type: pre.type,
        diffs: pre.diffs ?? [],
        detailedDiff: (pre.detailedDiff ?? {}) as unknown as EngineStep["detailedDiff"],
        failed: false,
      });
    }
    const done = event.resOutputsEvent?.metadata;
    if (done) this.#complete(done, { outputs: done.new?.outputs as Record<string, unknown> });
    const failed = event.resOpFailedEvent?.metadata;
    if (failed) this.#complete(failed, { failed: true });
    const diagnostic = event.diagnosticEvent;
    if (diagnostic) {
      this.diagnostics.push({
        ...(diagnostic.urn ? { urn: diagnostic.urn } : {}),
        severity: diagnostic.severity,
        message: diagnostic.message,
      });
    }
  }

  steps(): EngineStep[] {
    return this.#order.map((key) => this.#steps.get(key)!);
  }

  #complete(metadata: Automation.StepEventMetadata, update: Partial<EngineStep>): void {
    const key = `${metadata.op} ${metadata.urn}`;
    const step = this.#steps.get(key);
    if (step) this.#steps.set(key, { ...step, ...update });
  }
}
