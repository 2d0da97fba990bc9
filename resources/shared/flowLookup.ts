/**
 * Finding out what a failed call means for the flow it concerned: gone, or still there.
 */
import { isFlowNotFound, MediaLiveError } from "../../client/errors";
import { MAX_PAGE_SIZE, type MediaLiveClient } from "../../client/mediaLiveClient";

/**
 * Whether a failed call about one flow means that the flow does not exist. Huawei documents no
 * answer for an unknown flow id: a 404, or a message that says so, is taken at its word; a 400
 * (the generic `LIVE.100011001` "Invalid request parameter.") is settled by listing the project's
 * flows, a documented operation, rather than by guessing from the message. If the list fails too,
 * the flow is not taken to be gone: the original error stands.
 *
 * @param client - the client the call failed on
 * @param flowId - the flow concerned
 * @param error - what the call threw
 * @param signal - the operation's abort signal
 */
export async function flowIsGone(
  client: MediaLiveClient,
  flowId: string,
  error: unknown,
  signal: AbortSignal,
): Promise<boolean> {
  if (isFlowNotFound(error)) return true;
  if (!(MediaLiveError.isInstance(error) && error.httpStatus === 400)) return false;
  try {
    const flows = await client.listAllFlows(MAX_PAGE_SIZE, signal);
    return !flows.some((flow) => flow.flowId === flowId);
  } catch {
    return false;
  }
}
