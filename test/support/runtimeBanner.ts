/**
 * Root hooks of the lifecycle subset (`test/support/lifecycle.mocharc.json`), the tests each leg of
 * the runtime matrix runs: before any test, print the runtime this leg really uses — the Node.js
 * running mocha (and, through PATH, the provider host), the `@pulumi/pulumi` installed in the
 * consumer project and the Pulumi CLI — and fail when it is not the one the leg asked for
 * (`MEDIALIVE_EXPECT_NODE`, `MEDIALIVE_PULUMI_VERSION`), so a matrix row cannot pass on the wrong
 * runtime.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { consumerProject, pulumiCli } from "./consumer";

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    // The first run installs the consumer project and may build the CLI.
    this.timeout(900_000);
    const project = consumerProject();
    const installed = (
      JSON.parse(
        fs.readFileSync(
          path.join(project.dir, "node_modules", "@pulumi", "pulumi", "package.json"),
          "utf8",
        ),
      ) as { version: string }
    ).version;
    const cli = pulumiCli();
    console.log(
      `  runtime: Node.js ${process.version}, @pulumi/pulumi ${installed} (consumer project), Pulumi CLI ${cli.version}`,
    );
    // The engine starts the dynamic-provider host with the `node` found on PATH.
    const hostNode = execFileSync("node", ["--version"], { encoding: "utf8" }).trim();
    if (hostNode !== process.version) {
      throw new Error(
        `mocha runs on Node.js ${process.version} but \`node\` on PATH (the provider host's) is ${hostNode}`,
      );
    }
    const expectedNode = process.env.MEDIALIVE_EXPECT_NODE;
    if (expectedNode && process.version !== `v${expectedNode.replace(/^v/, "")}`) {
      throw new Error(
        `this leg expects Node.js ${expectedNode}, but mocha runs on ${process.version}`,
      );
    }
    const expectedSdk = process.env.MEDIALIVE_PULUMI_VERSION;
    if (expectedSdk && installed !== expectedSdk) {
      throw new Error(
        `MEDIALIVE_PULUMI_VERSION=${expectedSdk}, but the consumer project has @pulumi/pulumi ${installed}`,
      );
    }
  },
};
