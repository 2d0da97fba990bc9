/**
 * The consumer project shared by the tests that go through Pulumi's real machinery: the package is
 * packed from this repository's build and installed into a throw-away project once per test run.
 */
import * as path from "node:path";
import { prepareConsumerProject, type ConsumerProject } from "../../engine/consumerProject";

/** Root of this package. */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

let consumer: ConsumerProject | undefined;

/**
 * The installed consumer project (packs and installs on first use; needs `npm run build` first,
 * which `npm test` does).
 */
export function consumerProject(): ConsumerProject {
  consumer ??= prepareConsumerProject({ packageRoot: PACKAGE_ROOT });
  return consumer;
}
