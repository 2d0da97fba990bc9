/**
 * A Pulumi project on disk (a copy of an example folder) run by the real `pulumi` CLI as a user
 * runs it, command by command: a file backend, a passphrase for secrets and a private
 * `PULUMI_HOME`, the same account-free setup `engine/automationStack.ts` gives the Automation API
 * stacks. Every command's output is kept, so a test can scan all of it (for leaked secrets, say).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PulumiCli } from "../../engine/pulumiCli";

/** What one CLI command gave. */
export interface CliRun {
  /** The command line, after `pulumi`. */
  readonly args: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code (0 on success). */
  readonly code: number;
  readonly elapsedMs: number;
}

/** One resource of `pulumi stack export`. */
export interface ExportedResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly provider?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/** Options of a {@link CliProject}. */
export interface CliProjectOptions {
  readonly cli: PulumiCli;
  /** The project folder to copy (its top-level files). */
  readonly sourceDir: string;
  /** Extra environment of every command (and, through the CLI, of the plugins). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The environment of an account-free local run (see `reference/pulumi-cli.md`). */
const LOCAL_RUN_ENV = {
  PULUMI_CONFIG_PASSPHRASE: "medialive-local-passphrase",
  PULUMI_SKIP_UPDATE_CHECK: "true",
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
} as const;

/** A throw-away copy of a Pulumi project, run by the real CLI. */
export class CliProject {
  /** The root of everything this project writes. */
  readonly baseDir: string;
  /** The project folder the commands run in. */
  readonly projectDir: string;
  /** The file backend's folder. */
  readonly backendDir: string;
  /** The private `PULUMI_HOME` (plugins are installed here). */
  readonly pulumiHome: string;
  /** Every command run so far, in order. */
  readonly runs: CliRun[] = [];

  constructor(private readonly options: CliProjectOptions) {
    this.baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "medialive-cli-project-"));
    this.projectDir = path.join(this.baseDir, "project");
    this.backendDir = path.join(this.baseDir, "backend");
    this.pulumiHome = path.join(this.baseDir, "pulumi-home");
    for (const dir of [this.projectDir, this.backendDir, this.pulumiHome]) fs.mkdirSync(dir);
    for (const entry of fs.readdirSync(options.sourceDir, { withFileTypes: true })) {
      if (entry.isFile()) {
        fs.copyFileSync(
          path.join(options.sourceDir, entry.name),
          path.join(this.projectDir, entry.name),
        );
      }
    }
  }

  /** The environment of every command. */
  get environment(): Record<string, string> {
    return {
      ...LOCAL_RUN_ENV,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_HOME: this.pulumiHome,
      ...this.options.env,
    };
  }

  /**
   * Runs `pulumi <args>` in the project folder. Failures are returned (non-zero `code`), not thrown.
   *
   * @param args - the arguments after `pulumi`
   */
  run(args: readonly string[]): Promise<CliRun> {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(
        this.options.cli.binary,
        [...args],
        {
          cwd: this.projectDir,
          env: { ...process.env, ...this.environment },
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const run: CliRun = {
            args,
            stdout,
            stderr,
            code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
            elapsedMs: Date.now() - started,
          };
          this.runs.push(run);
          resolve(run);
        },
      );
    });
  }

  /**
   * Runs a command that must succeed.
   *
   * @param args - the arguments after `pulumi`
   * @throws Error with the command's output when it fails
   */
  async succeed(args: readonly string[]): Promise<CliRun> {
    const run = await this.run(args);
    if (run.code !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")} failed (${run.code}):\n${run.stdout}\n${run.stderr}`,
      );
    }
    return run;
  }

  /**
   * Sets stack config values, as `pulumi config set [--secret] <key> <value>`.
   *
   * @param stack - the stack
   * @param values - key → value, or `{ value, secret }`
   */
  async setConfig(
    stack: string,
    values: Readonly<Record<string, string | { value: string; secret: boolean }>>,
  ): Promise<void> {
    for (const [key, entry] of Object.entries(values)) {
      const { value, secret } = typeof entry === "string" ? { value: entry, secret: false } : entry;
      // `--` ends the options, so a value may start with a dash.
      await this.succeed([
        "config",
        "set",
        "--stack",
        stack,
        ...(secret ? ["--secret"] : []),
        "--",
        key,
        value,
      ]);
    }
  }

  /** The resources of a stack's deployment (`pulumi stack export`; secrets stay encrypted). */
  async exportResources(stack: string): Promise<ExportedResource[]> {
    const run = await this.succeed(["stack", "export", "--stack", stack]);
    const exported = JSON.parse(run.stdout) as { deployment?: { resources?: ExportedResource[] } };
    return exported.deployment?.resources ?? [];
  }

  /** Every file of the backend folder, recursively (state, its backups, history, locks). */
  backendFiles(): string[] {
    return (
      fs.readdirSync(this.backendDir, { recursive: true, withFileTypes: true }) as fs.Dirent[]
    )
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  }

  /** Everything every command printed, stdout and stderr. */
  transcript(): string {
    return this.runs.map((run) => `${run.stdout}\n${run.stderr}`).join("\n");
  }

  /** Deletes the project, its backend and its `PULUMI_HOME`. */
  remove(): void {
    fs.rmSync(this.baseDir, { recursive: true, force: true });
  }
}
