/**
 * The provider object Pulumi serializes into state as `__provider`. It is deliberately tiny and
 * never changes between releases: each method `require()`s the implementation from the installed
 * package's exported subpath and delegates. So state stays small (no closure of clients, schemas or
 * secrets), an upgrade does not show every resource as changed
 * (https://github.com/pulumi/pulumi/issues/12401), and refresh/destroy of existing resources run the
 * installed implementation. It is created once, at module level, so Pulumi's per-object
 * serialization cache serializes it once per program.
 *
 * The `require` calls are written out literally in each method on purpose: closure serialization
 * copies function text, and a literal `require("…")` is resolved by the provider host from the
 * project's `node_modules`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as pulumi from "@pulumi/pulumi";

/** The serialized FlowActivation provider (delegates to `pulumi-huaweicloud-medialive/dynamic-provider`). */
export const flowActivationShim: pulumi.dynamic.ResourceProvider = {
  configure(request) {
    return require("pulumi-huaweicloud-medialive/dynamic-provider").configure(request);
  },
  check(olds, news) {
    return require("pulumi-huaweicloud-medialive/dynamic-provider").check(olds, news);
  },
  diff(id, olds, news) {
    return require("pulumi-huaweicloud-medialive/dynamic-provider").diff(id, olds, news);
  },
  create(inputs) {
    return require("pulumi-huaweicloud-medialive/dynamic-provider").create(inputs);
  },
  read(id, props) {
    return require("pulumi-huaweicloud-medialive/dynamic-provider").read(id, props);
  },
  update(id, olds, news) {
    return require("pulumi-huaweicloud-medialive/dynamic-provider").update(id, olds, news);
  },
  delete(id, props) {
    return require("pulumi-huaweicloud-medialive/dynamic-provider").delete(id, props);
  },
};
