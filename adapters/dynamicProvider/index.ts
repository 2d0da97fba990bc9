/**
 * The dynamic-provider adapter: this module is the package's exported subpath
 * `pulumi-huaweicloud-medialive/dynamic-provider`, and its exports object is the provider Pulumi
 * serializes into every FlowActivation's state (closure serialization writes an installed
 * package's module as a bare `require` of its subpath, see `resources/flowActivation/flowActivation.ts`).
 * Refresh and destroy of stacks deployed by any release therefore run the installed code, and this
 * subpath and the names below are a contract with every stack ever deployed.
 *
 * Pulumi's Node.js host calls these functions by name; they are FlowActivation's lifecycle,
 * unchanged. Loaded by that host, this module also stops the host once its engine is gone.
 */
import { exitWhenEngineGone } from "./engineWatch";

// Loaded by Pulumi's provider host: stop all work if the engine that started the host dies.
exitWhenEngineGone();

export {
  check,
  configure,
  create,
  deleteResource as delete,
  diff,
  read,
  update,
} from "../../resources/flowActivation/lifecycle";
