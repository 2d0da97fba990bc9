/**
 * What the provider-plugin suites share (the YAML programs and the Python and Go examples): the
 * plugin tarball `npm run build` made, installed into a project's private PULUMI_HOME as a user
 * installs a published provider, two regions each with its own simulator and credentials, and the
 * stack config that points the default provider at one and the explicit provider at the other.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../../engine/pulumiCli";
import { startSimulator, type Simulator } from "../../simulator";
import type { CliProject } from "./cliProject";

/** The package's (and so the plugin's) version. */
export const PLUGIN_VERSION = (
  JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    version: string;
  }
).version;

/** The plugin tarball `npm run build` writes. */
export const PLUGIN_TARBALL = path.join(
  PACKAGE_ROOT,
  "dist",
  "provider-plugin",
  `pulumi-resource-huaweicloud-medialive-v${PLUGIN_VERSION}-linux-amd64.tar.gz`,
);

/** The plugin's resource tokens. */
export const TOKENS = {
  flowActivation: "huaweicloud-medialive:index:FlowActivation",
  flow: "huaweicloud-medialive:index:Flow",
  provider: "pulumi:providers:huaweicloud-medialive",
} as const;

/** One region's account: distinctive values, to be searched for in everything Pulumi wrote. */
export interface RegionAccount {
  readonly region: string;
  readonly projectId: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** The flow the programs activate there. */
  readonly flowId: string;
}

/** The default provider's region. */
export const PRIMARY: RegionAccount = {
  region: "ap-southeast-3",
  projectId: "0a1b2c3d4e5f67890a1b2c3d4e5fprim",
  accessKey: "PRIMARYACCESSKEY00001",
  secretKey: "primary-secret-key-7f3c9b1e",
  flowId: "flow-primary",
};

/** The explicit provider's region. */
export const BACKUP: RegionAccount = {
  region: "ap-southeast-2",
  projectId: "0a1b2c3d4e5f67890a1b2c3d4e5fback",
  accessKey: "BACKUPACCESSKEY000002",
  secretKey: "backup-secret-key-2d8a6e4f",
  flowId: "flow-backup",
};

/**
 * A simulator that accepts only this account's keys and project, holding its flow (STANDBY).
 *
 * @param account - the region's account
 */
export function startRegionSimulator(account: RegionAccount): Promise<Simulator> {
  return startSimulator({
    projectId: account.projectId,
    credentials: [{ accessKey: account.accessKey, secretKey: account.secretKey }],
    region: account.region,
    flows: [{ flowId: account.flowId, status: "STANDBY" }],
  });
}

/**
 * Installs the plugin from its tarball into the project's PULUMI_HOME and creates the stack.
 *
 * @param project - the CLI project
 * @param stack - the stack to create
 */
export async function installPluginAndInitStack(project: CliProject, stack: string): Promise<void> {
  if (!fs.existsSync(PLUGIN_TARBALL)) {
    throw new Error(`${PLUGIN_TARBALL} is missing: run npm run build first`);
  }
  await project.succeed([
    "plugin",
    "install",
    "resource",
    "huaweicloud-medialive",
    PLUGIN_VERSION,
    "--file",
    PLUGIN_TARBALL,
  ]);
  await project.succeed(["stack", "init", stack]);
}

/**
 * The two-region programs' stack config: the default provider's keys under the plugin's own
 * namespace, pointing at `primary`; the program's own keys for the flows and the explicit
 * provider, pointing at `backup`.
 *
 * @param primary - the default provider's simulator
 * @param backup - the explicit provider's simulator
 */
export function twoRegionConfig(
  primary: Simulator,
  backup: Simulator,
): Record<string, string | { value: string; secret: boolean }> {
  return {
    "huaweicloud-medialive:region": PRIMARY.region,
    "huaweicloud-medialive:projectId": PRIMARY.projectId,
    "huaweicloud-medialive:endpoint": primary.url,
    "huaweicloud-medialive:accessKey": { value: PRIMARY.accessKey, secret: true },
    "huaweicloud-medialive:secretKey": { value: PRIMARY.secretKey, secret: true },
    flowId: PRIMARY.flowId,
    backupFlowId: BACKUP.flowId,
    backupRegion: BACKUP.region,
    backupProjectId: BACKUP.projectId,
    backupEndpoint: backup.url,
    backupAccessKey: { value: BACKUP.accessKey, secret: true },
    backupSecretKey: { value: BACKUP.secretKey, secret: true },
  };
}

/**
 * The last journal sequence of a simulator (0 before any request).
 *
 * @param simulator - the simulator
 */
export function sequenceOf(simulator: Simulator): number {
  return simulator.journal.at(-1)?.sequence ?? 0;
}

/**
 * The routes a simulator received after `sequence`, in order.
 *
 * @param simulator - the simulator
 * @param sequence - a value {@link sequenceOf} returned
 */
export function routesSince(simulator: Simulator, sequence: number): string[] {
  return simulator.journal.filter((entry) => entry.sequence > sequence).map((entry) => entry.route);
}
