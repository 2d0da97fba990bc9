/**
 * The provider plugin assembled: the provider object routed to the resource lifecycles, served by
 * `@pulumi/pulumi/provider` with `Configure`, `CheckConfig` and previews added
 * (`configureServer.ts`).
 *
 * One plugin process serves one provider instance: the engine starts a new process for every
 * provider resource, the default one and each explicit `Provider` alike (pkg/v3 host.go: "Resource
 * providers are not memoized"), and calls `Configure` on it once. The lifecycles keep the settings
 * `configure` gave them per process, so two providers with different regions, endpoints or
 * credentials in one program each reach their own.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { watchEngine } from "../dynamicProvider/engineWatch";
import { serveWithConfig } from "./configureServer";
import { createProvider } from "./provider";
import { checkProviderConfig, lifecycleConfigRequest, settingsFromInputs } from "./providerConfig";
import { RESOURCE_TYPES } from "./resourceTypes";
import { engineAddressOf } from "./engineAddress";
import { PACKAGE_NAME } from "./names";

/** Options of {@link startProviderPlugin}. */
export interface PluginOptions {
  /** The folder holding `package.json` (the version) and `schema.json`. */
  readonly root: string;
}

/**
 * Serves the plugin on a loopback port (printed on stdout) until the engine ends the process.
 *
 * @param args - the command line arguments the engine gave the plugin
 * @param options - where the plugin's package.json and schema are
 */
export async function startProviderPlugin(args: string[], options: PluginOptions): Promise<void> {
  const packageJson = JSON.parse(
    await readFile(path.join(options.root, "package.json"), "utf8"),
  ) as { version: string };
  const provider = createProvider({
    version: packageJson.version,
    loadSchema: () => readFile(path.join(options.root, "schema.json"), "utf8"),
    resourceTypes: RESOURCE_TYPES,
  });
  // Resources may share one `configure` (the settings a process has seen); call each once.
  const configures = [...new Set(Object.values(RESOURCE_TYPES).map((type) => type.configure))];
  const engine = engineAddressOf(args);
  if (engine) {
    // Like the dynamic provider: stop all work (retries, polls) once the engine is gone.
    watchEngine({
      address: engine,
      onGone: () => {
        process.stderr.write(
          `[${PACKAGE_NAME}] the Pulumi engine at ${engine.host}:${engine.port} is gone; stopping this provider so no further API call is made\n`,
        );
        process.exit(1);
      },
    });
  }
  await serveWithConfig(provider, args, {
    configure: async (inputs) => {
      const request = lifecycleConfigRequest(settingsFromInputs(inputs));
      for (const configure of configures) await configure(request);
    },
    checkConfig: checkProviderConfig,
    preview: (request) => provider.preview(request.urn, request.id, request.olds, request.news),
  });
}
