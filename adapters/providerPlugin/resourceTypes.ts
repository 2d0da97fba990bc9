/**
 * The resource types the plugin serves, each by its schema token, mapped to its lifecycle: the
 * very functions the dynamic provider serves (one implementation, two adapters).
 */
import * as flow from "../../resources/flow/lifecycle";
import * as flowActivation from "../../resources/flowActivation/lifecycle";
import { FLOW_ACTIVATION_TOKEN, FLOW_TOKEN } from "./names";

/** A resource's lifecycle as plain functions (the shape of `resources/<resource>/lifecycle.ts`). */
export interface ResourceLifecycle {
  configure(request: { config: { get(key: string): string | undefined } }): Promise<void>;
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{
    inputs: Record<string, unknown>;
    failures: readonly { property: string; reason: string }[];
  }>;
  diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces: readonly string[]; deleteBeforeReplace: boolean }>;
  create(news: Record<string, unknown>): Promise<{ id: string; outs: object }>;
  read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }>;
  update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: object }>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
  /**
   * What `update` will record, known before any call, for a preview; without it a preview shows
   * the checked inputs as the outputs (what the engine shows for a provider without previews).
   */
  previewUpdate?(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: object }>;
}

/** Every served resource type, by token. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceLifecycle>> = {
  [FLOW_ACTIVATION_TOKEN]: flowActivation,
  [FLOW_TOKEN]: flow,
};
