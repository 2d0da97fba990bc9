/**
 * Serves a provider with `@pulumi/pulumi/provider`'s `main`, plus what its server lacks. That
 * server answers `Configure` without reading it (its `Provider` interface has no `configure`,
 * 3.248 to 3.276 alike), `CheckConfig` with UNIMPLEMENTED, and `Create`/`Update` without looking
 * at their `preview` flag, so a plugin built on it alone sees neither the stack config nor an
 * explicit `Provider` resource's arguments, and could not support previews without calling the
 * API during one.
 *
 * `main` builds its gRPC server and calls `addService(ResourceProviderService, implementation)`
 * synchronously, before it binds a port. This module intercepts that one call on the SDK's own
 * copy of `@grpc/grpc-js` and registers, instead of the SDK's implementation, an object that
 * inherits every method from it and overrides `configure`, `checkConfig`, and `create` and
 * `update` when they are previews; the interception is undone at once. If the SDK ever registers
 * its service another way, {@link serveWithConfig} fails before the port is printed, so the
 * engine reports a plugin that did not start instead of a plugin that silently ignores its config.
 */
import { createRequire } from "node:module";
import type * as Grpc from "@grpc/grpc-js";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb";
import * as PulumiProvider from "@pulumi/pulumi/provider";
import * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as ProviderProto from "@pulumi/pulumi/proto/provider_pb";
import { inputsFromVariables, type ConfigFailure } from "./providerConfig";

/** What the plugin does with its config and its previews. */
export interface ServerHandlers {
  /**
   * Receives the provider's inputs once per provider instance (secret markers still in them).
   * A rejection fails `Configure` with its message.
   */
  configure(inputs: Record<string, unknown>): Promise<void>;
  /** Checks the provider's inputs offline; failures name the property. */
  checkConfig(news: Record<string, unknown>): ConfigFailure[];
  /**
   * The outputs of a resource a preview creates (no `id`) or updates; offline. A rejection fails
   * the preview with its message.
   */
  preview(request: PreviewRequest): Promise<Record<string, unknown>>;
}

/** A `Create` or `Update` call of a preview. */
export interface PreviewRequest {
  readonly urn: string;
  /** The resource's id, for an update. */
  readonly id?: string;
  /** The stored outputs, for an update (empty for a create). */
  readonly olds: Record<string, unknown>;
  /** The checked inputs; values may be unknown. */
  readonly news: Record<string, unknown>;
}

/**
 * What the engine is told in answer to `Configure`. Secrets are not accepted, so the engine
 * strips them from resource inputs before every call and marks same-named outputs secret again,
 * as for the dynamic provider; no resource references or output values. Previews are supported:
 * without that, the engine shows an update's checked inputs as its outputs during a preview, so
 * every output-only property (a Flow's `flowId`) turns unknown and whatever depends on it seems
 * to change; a preview's `Create` and `Update` are answered by {@link ServerHandlers.preview},
 * offline.
 */
export const CONFIGURE_ANSWER = {
  acceptSecrets: false,
  acceptResources: false,
  acceptOutputs: false,
  supportsPreview: true,
} as const;

/** The SDK's modules, loaded from where `@pulumi/pulumi` itself loads them. */
interface SdkModules {
  readonly grpc: typeof Grpc;
  readonly struct: typeof StructProto;
  readonly providerGrpc: typeof ProviderGrpc;
  readonly providerProto: typeof ProviderProto;
}

function loadSdk(): SdkModules {
  // The gRPC server `main` builds comes from the SDK's own dependency; intercept that copy.
  const fromSdk = createRequire(require.resolve("@pulumi/pulumi/provider"));
  return {
    grpc: fromSdk("@grpc/grpc-js") as typeof Grpc,
    struct: fromSdk("google-protobuf/google/protobuf/struct_pb") as typeof StructProto,
    providerGrpc: ProviderGrpc,
    providerProto: ProviderProto,
  };
}

type UnaryCallback<T> = (error: Partial<Grpc.StatusObject> | null, value?: T) => void;

/**
 * Starts the provider's gRPC server (the port goes to stdout, as the engine expects) with
 * `Configure`, `CheckConfig` and previews served by `handlers`.
 *
 * @param provider - the provider object for `main`
 * @param args - the plugin's command line arguments (the engine's address among them)
 * @param handlers - what to do with the config
 * @throws Error when the SDK's server could not be intercepted
 */
export async function serveWithConfig(
  provider: PulumiProvider.Provider,
  args: string[],
  handlers: ServerHandlers,
): Promise<void> {
  const sdk = loadSdk();
  const prototype = sdk.grpc.Server.prototype;
  const original = Object.getOwnPropertyDescriptor(prototype, "addService");
  if (!original || typeof original.value !== "function") {
    throw new Error("@grpc/grpc-js Server has no addService method; cannot serve Configure");
  }
  const addService = original.value as Grpc.Server["addService"];
  let intercepted = false;
  const restore = (): void => {
    Object.defineProperty(prototype, "addService", original);
  };
  Object.defineProperty(prototype, "addService", {
    ...original,
    value: function (
      this: Grpc.Server,
      service: Grpc.ServiceDefinition,
      implementation: Grpc.UntypedServiceImplementation,
    ): void {
      if (service !== sdk.providerGrpc.ResourceProviderService || intercepted) {
        addService.call(this, service, implementation);
        return;
      }
      intercepted = true;
      restore();
      addService.call(this, service, withPluginMethods(implementation, handlers, sdk));
    },
  });
  let serving: Promise<void>;
  try {
    // `main` registers its service synchronously, before its first await (the port binding).
    serving = PulumiProvider.main(provider, args);
  } finally {
    restore();
  }
  if (!intercepted) {
    throw new Error(
      "@pulumi/pulumi/provider's main did not register its ResourceProviderService through grpc.Server#addService; this plugin cannot serve Configure with this SDK version",
    );
  }
  await serving;
}

/**
 * The SDK's service implementation with `configure` and `checkConfig` replaced, and `create` and
 * `update` answered by `handlers.preview` in a preview; every other call is inherited, and runs
 * with the SDK's own state.
 */
function withPluginMethods(
  implementation: Grpc.UntypedServiceImplementation,
  handlers: ServerHandlers,
  sdk: SdkModules,
): Grpc.UntypedServiceImplementation {
  const served = Object.create(implementation) as Grpc.UntypedServiceImplementation;
  served.configure = (
    call: Grpc.ServerUnaryCall<ProviderProto.ConfigureRequest, ProviderProto.ConfigureResponse>,
    callback: UnaryCallback<ProviderProto.ConfigureResponse>,
  ) => {
    const request = call.request;
    const args = request.getArgs();
    const inputs = args
      ? (args.toJavaScript() as Record<string, unknown>)
      : inputsFromVariables(request.getVariablesMap().entries());
    handlers.configure(inputs).then(
      () => {
        const answer = new sdk.providerProto.ConfigureResponse();
        answer.setAcceptsecrets(CONFIGURE_ANSWER.acceptSecrets);
        answer.setAcceptresources(CONFIGURE_ANSWER.acceptResources);
        answer.setAcceptoutputs(CONFIGURE_ANSWER.acceptOutputs);
        answer.setSupportspreview(CONFIGURE_ANSWER.supportsPreview);
        callback(null, answer);
      },
      (error: unknown) =>
        callback({
          code: sdk.grpc.status.INVALID_ARGUMENT,
          details: error instanceof Error ? error.message : String(error),
        }),
    );
  };
  served.checkConfig = (
    call: Grpc.ServerUnaryCall<ProviderProto.CheckRequest, ProviderProto.CheckResponse>,
    callback: UnaryCallback<ProviderProto.CheckResponse>,
  ) => {
    try {
      const news: StructProto.Struct | undefined = call.request.getNews();
      const failures = handlers.checkConfig(
        (news?.toJavaScript() ?? {}) as Record<string, unknown>,
      );
      const answer = new sdk.providerProto.CheckResponse();
      // The inputs go back exactly as they came: the engine re-applies their secretness.
      if (news) answer.setInputs(news);
      answer.setFailuresList(
        failures.map((failure) => {
          const item = new sdk.providerProto.CheckFailure();
          item.setProperty(failure.property);
          item.setReason(failure.reason);
          return item;
        }),
      );
      callback(null, answer);
    } catch (error) {
      callback({
        code: sdk.grpc.status.INTERNAL,
        details: error instanceof Error ? error.message : String(error),
      });
    }
  };
  const inherited = {
    create: implementation.create as Grpc.handleUnaryCall<
      ProviderProto.CreateRequest,
      ProviderProto.CreateResponse
    >,
    update: implementation.update as Grpc.handleUnaryCall<
      ProviderProto.UpdateRequest,
      ProviderProto.UpdateResponse
    >,
  };
  const previewFailed = (error: unknown): Partial<Grpc.StatusObject> => ({
    code: sdk.grpc.status.UNKNOWN,
    details: error instanceof Error ? error.message : String(error),
  });
  served.create = (
    call: Grpc.ServerUnaryCall<ProviderProto.CreateRequest, ProviderProto.CreateResponse>,
    callback: Grpc.sendUnaryData<ProviderProto.CreateResponse>,
  ) => {
    const request = call.request;
    if (!request.getPreview()) return inherited.create.call(served, call, callback);
    handlers
      .preview({
        urn: request.getUrn(),
        olds: {},
        news: (request.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      })
      .then(
        (outputs) => {
          const answer = new sdk.providerProto.CreateResponse();
          answer.setId("");
          answer.setProperties(sdk.struct.Struct.fromJavaScript(outputs as never));
          callback(null, answer);
        },
        (error: unknown) => callback(previewFailed(error)),
      );
  };
  served.update = (
    call: Grpc.ServerUnaryCall<ProviderProto.UpdateRequest, ProviderProto.UpdateResponse>,
    callback: Grpc.sendUnaryData<ProviderProto.UpdateResponse>,
  ) => {
    const request = call.request;
    if (!request.getPreview()) return inherited.update.call(served, call, callback);
    handlers
      .preview({
        urn: request.getUrn(),
        id: request.getId(),
        olds: (request.getOlds()?.toJavaScript() ?? {}) as Record<string, unknown>,
        news: (request.getNews()?.toJavaScript() ?? {}) as Record<string, unknown>,
      })
      .then(
        (outputs) => {
          const answer = new sdk.providerProto.UpdateResponse();
          answer.setProperties(sdk.struct.Struct.fromJavaScript(outputs as never));
          callback(null, answer);
        },
        (error: unknown) => callback(previewFailed(error)),
      );
  };
  return served;
}
