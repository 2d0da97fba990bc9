/**
 * Credentials through the real Pulumi engine: key rotation (refresh and destroy after new keys are
 * set in stack config) and a secrets scan of everything a lifecycle leaves behind: every file of the
 * backend and workspace folders (history and backups included), the CLI's output and the provider's
 * log lines. Also scale: 500 flows in one `pulumi up` under an API limit.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { STORED_CONFIG_HINT } from "../resources/flowActivation/lifecycle";
import { startSimulator } from "../simulator";
import { consumerProject, pulumiCli } from "./support/consumer";
import { TestStack, type StackRun } from "./support/stack";

/** Every file below `dir`, as text. */
function filesBelow(dir: string): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    found.push({ file, text: fs.readFileSync(file, "latin1") });
  }
  return found;
}

describe("credentials through the real Pulumi engine", function () {
  this.timeout(300_000);
  before(function () {
    this.timeout(900_000);
    pulumiCli();
    consumerProject();
  });

  it("after a key rotation, refresh says why it fails and --run-program refresh and destroy work", async () => {
    const old = { accessKey: "AKROTATIONOLDKEY0001", secretKey: "SK-rotation-old-4d3c2b1a" };
    const rotated = { accessKey: "AKROTATIONNEWKEY0002", secretKey: "SK-rotation-new-9z8y7x6w" };
    const simulator = await startSimulator({ credentials: [old] });
    try {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      const stack = new TestStack(simulator, old, [{ name: "news", args: { flowId } }]);
      expect((await stack.run("up")).error).to.equal(undefined);
      simulator.setCredentials([rotated]);
      await stack.automation.setConfig({
        "huaweicloud:accessKey": { value: rotated.accessKey, secret: true },
        "huaweicloud:secretKey": { value: rotated.secretKey, secret: true },
      });

      // The engine configures refresh from the config stored with the last deployment.
      const stale = await stack.run("refresh");
      expect(stale.errors.join("\n")).to.match(/HTTP 401 APIG\.0301/);
      expect(stale.errors.join("\n")).to.include(STORED_CONFIG_HINT);
      expect(stale.routes).to.deep.equal(["detail"]);

      const refreshed = await stack.run("refresh", { runProgram: true });
      expect(refreshed.error, refreshed.error).to.equal(undefined);
      expect(refreshed.routes).to.deep.equal(["detail"]);

      const destroyed = await stack.run("destroy", { runProgram: true });
      expect(destroyed.error, destroyed.error).to.equal(undefined);
      expect(destroyed.routes).to.deep.equal(["stop"]);
      expect(simulator.getFlow(flowId)!.status).to.equal("STANDBY");
    } finally {
      await simulator.close();
    }
  });

  it("never appear in any backend or workspace file, CLI output or provider log over a whole lifecycle", async () => {
    const temporary = {
      accessKey: "AKSECRETSCANTEMP0001",
      secretKey: "SK-secret-scan-1f2e3d4c5b6a79",
      securityToken: "STS-secret-scan-token-9a8b7c6d",
    };
    const authToken = "IAM-secret-scan-token-0a9b8c7d6e";
    const secrets = [temporary.accessKey, temporary.secretKey, temporary.securityToken, authToken];
    const simulator = await startSimulator({ credentials: [temporary], authTokens: [authToken] });
    try {
      const flowId = simulator.createFlow({ status: "STANDBY" }).flowId;
      // Debug logging on, so the scan covers the provider's request log lines too.
      const env = { HW_LIVE_DEBUG: "1" };
      const stack = new TestStack(simulator, temporary, [{ name: "news", args: { flowId } }], {
        env,
      });
      const runs: StackRun[] = [
        await stack.run("preview"),
        await stack.run("up"),
        await stack.run("refresh"),
      ];
      stack.declare([{ name: "news", args: { flowId, desiredStatus: "STANDBY" } }]);
      simulator.injectFault("stop", { kind: "status", status: 401 });
      runs.push(await stack.run("up"));
      expect(runs.at(-1)!.errors.join("\n")).to.match(/HTTP 401 APIG\.0301/);
      runs.push(await stack.run("up"), await stack.run("destroy"));

      // The same with an IAM token instead of AK/SK.
      const tokenStack = new TestStack(
        simulator,
        { accessKey: "", secretKey: "" },
        [{ name: "news", args: { flowId } }],
        {
          env,
          extraConfig: { "huaweicloud:authToken": authToken },
          secretConfig: ["huaweicloud:authToken"],
        },
      );
      runs.push(await tokenStack.run("up"));
      simulator.injectFault("stop", { kind: "status", status: 403 });
      runs.push(await tokenStack.run("destroy"));
      expect(runs.at(-1)!.errors.join("\n")).to.match(/HTTP 403/);
      runs.push(await tokenStack.run("destroy"));

      const output = JSON.stringify(
        runs.map((run) => ({ stdout: run.stdout, stderr: run.stderr, d: run.diagnostics })),
      );
      // The provider's debug log reached the CLI's output, so the scan below covers it.
      expect(output).to.include("[medialive] startFlow PUT");
      const files = [stack, tokenStack].flatMap((each) => [
        ...filesBelow(each.automation.backendDir),
        ...filesBelow(each.automation.workDir),
      ]);
      // History and backups are part of the scan, and the stored default provider config too.
      expect(files.some((entry) => entry.file.includes(`${path.sep}history${path.sep}`))).to.equal(
        true,
      );
      expect(files.some((entry) => entry.text.includes("pulumi:providers:pulumi-nodejs"))).to.equal(
        true,
      );
      for (const secret of secrets) {
        expect(output, secret).not.to.include(secret);
        for (const entry of files)
          expect(entry.text, `${secret} in ${entry.file}`).not.to.include(secret);
      }
      expect(JSON.stringify(simulator.journal)).not.to.match(
        new RegExp(secrets.map((secret) => secret.replace(/[-]/g, "\\-")).join("|")),
      );
    } finally {
      await simulator.close();
    }
  });

  it("brings 500 flows up in one run under a 100 requests/second API limit", async () => {
    const credentials = { accessKey: "AKSCALETEST000000001", secretKey: "SK-scale-test-7c6b5a49" };
    const simulator = await startSimulator({ credentials: [credentials], requestsPerSecond: 100 });
    try {
      const flows = Array.from(
        { length: 500 },
        () => simulator.createFlow({ status: "STANDBY" }).flowId,
      );
      const stack = new TestStack(
        simulator,
        credentials,
        flows.map((flowId, index) => ({ name: `flow${index}`, args: { flowId } })),
        { extraConfig: { "huaweicloud:liveRequestsPerSecond": "100" } },
      );
      const up = await stack.run("up", { parallel: 64 });
      expect(up.error, up.error).to.equal(undefined);
      expect(up.steps.filter((step) => step.op === "create" && !step.failed)).to.have.length(500);
      expect(simulator.journal.filter((entry) => entry.status === 429)).to.deep.equal([]);
      expect(flows.every((flowId) => simulator.getFlow(flowId)!.status === "ACTIVE")).to.equal(
        true,
      );
      expect(up.requests).to.equal(1000);
    } finally {
      await simulator.close();
    }
  });
});
