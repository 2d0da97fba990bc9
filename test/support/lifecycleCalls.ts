/**
 * What the in-process lifecycle suites share: inputs checked the way the engine checks them, the
 * state handed back the way the engine hands it back, and a rejected promise's error.
 */
import { expect } from "chai";

/** The serialized provider the engine passes along with every input (its content is opaque). */
export const PROVIDER_TEXT = "exports.handler = () => ({})";

/** A lifecycle's `check`, as both resources export it. */
type Check = (
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) => Promise<{ inputs: Record<string, unknown>; failures: readonly unknown[] }>;

/**
 * Checked inputs, as the engine passes them to create and update; fails the test if `check`
 * refuses them.
 *
 * @param check - the resource's `check`
 * @param args - the declared inputs
 */
export async function checkedBy(
  check: Check,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await check({}, { ...args, __provider: PROVIDER_TEXT });
  expect(result.failures).to.deep.equal([]);
  return { ...result.inputs, __provider: PROVIDER_TEXT };
}

/**
 * What a promise rejected with; fails the test if it resolved.
 *
 * @param promise - the call expected to fail
 */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

/**
 * The state a lifecycle function returned, as the engine hands it back to the next one.
 *
 * @param state - a lifecycle function's outputs
 */
export function stored(state: object): Record<string, unknown> {
  return state as unknown as Record<string, unknown>;
}
