/**
 * The dynamic-provider adapter of `Flow`: this module is the package's exported subpath
 * `pulumi-huaweicloud-medialive/dynamic-provider/flow`, and its exports object is the provider
 * Pulumi serializes into every Flow's state (a bare `require` of this subpath, see
 * `resources/flow/flow.ts`). This subpath and the names below are a contract with every stack
 * ever deployed.
 *
 * Pulumi's Node.js host calls these functions by name; they are Flow's lifecycle, unchanged.
 * Loaded by that host, this module also stops the host once its engine is gone.
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
} from "../../resources/flow/lifecycle";
