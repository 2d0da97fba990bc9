/**
 * The plugin's entry point, run by the `pulumi-resource-huaweicloud-medialive` launcher as
 * `node dist/adapters/providerPlugin/main.js <engine address>`. The plugin folder mirrors this
 * repository's layout, so `package.json` and `schema.json` sit three levels up in both.
 */
import * as path from "node:path";
import { startProviderPlugin } from "./plugin";

startProviderPlugin(process.argv.slice(2), {
  root: path.resolve(__dirname, "..", "..", ".."),
}).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
