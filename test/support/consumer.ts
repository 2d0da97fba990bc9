/**
 * The consumer project and the Pulumi CLI shared by the tests that go through the real engine: the
 * package is packed from this repository's build and installed into a throw-away project once per
 * test run, and the CLI is located (or built) once.
 */
import { AutomationStack, type AutomationStackOptions } from "../../engine/automationStack";
import { prepareConsumerProject, type ConsumerProject } from "../../engine/consumerProject";
import { locatePulumiCli, PACKAGE_ROOT, type PulumiCli } from "../../engine/pulumiCli";

export { PACKAGE_ROOT };

let consumer: ConsumerProject | undefined;

/**
 * The installed consumer project (packs and installs on first use; needs `npm run build` first,
 * which `npm test` does).
 */
export function consumerProject(): ConsumerProject {
  consumer ??= prepareConsumerProject({ packageRoot: PACKAGE_ROOT });
  return consumer;
}

/** The Pulumi CLI (built on first use when none is found). */
export function pulumiCli(options: { withYaml?: boolean } = {}): PulumiCli {
  return locatePulumiCli(options);
}

/** A stack of the consumer project run by the real CLI. */
export function newAutomationStack(
  options: Omit<AutomationStackOptions, "project" | "cli">,
): AutomationStack {
  return new AutomationStack({ ...options, project: consumerProject(), cli: pulumiCli() });
}
