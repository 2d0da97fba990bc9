/**
 * zod schemas for every Media Live Flows response body this package reads. Every response is parsed
 * here, inside the client, so nothing untyped leaves it. Field names follow the API (snake_case);
 * the client maps them to camelCase types.
 *
 * The API documents `status` as `ACTIVE` or `STANDBY` only, but `ShowFlowDetail` types it as a plain
 * string, so any string is accepted and classified by {@link classifyStatus}.
 */
import { z } from "zod";

/** The documented flow statuses: `ACTIVE` = running, `STANDBY` = not started. */
export const FLOW_STATUSES = ["ACTIVE", "STANDBY"] as const;

/** A documented flow status. */
export type FlowStatus = (typeof FLOW_STATUSES)[number];

/** A status as observed: a documented one, or `UNKNOWN` for any other string the API reports. */
export type ObservedStatus = FlowStatus | "UNKNOWN";

/**
 * Maps a reported status string to a documented status, or `UNKNOWN`.
 *
 * @param reported - the `status` string from the API
 */
export function classifyStatus(reported: string): ObservedStatus {
  return (FLOW_STATUSES as readonly string[]).includes(reported)
    ? (reported as FlowStatus)
    : "UNKNOWN";
}

/** Body of a 200 answer to start or stop: `{ flow_id, status }`. */
export const flowStatusChangeBody = z.object({
  flow_id: z.string().min(1),
  status: z.string(),
});

/** `FlowSourceDecryption` (also an output's `encryption`); the API masks `passphrase` in answers. */
export const flowEncryptionBody = z.looseObject({
  algorithm: z.string().optional(),
  key_type: z.string().optional(),
  passphrase: z.string().optional(),
});

/** `FlowSource` as answered: every field the SDK model has, all optional except the name. */
export const flowSourceBody = z.looseObject({
  name: z.string(),
  protocol: z.string().optional(),
  source_listener_address: z.string().optional(),
  source_listener_port: z.number().int().optional(),
  stream_id: z.string().optional(),
  min_latency: z.number().int().optional(),
  cidr_whitelist: z.array(z.string()).optional(),
  description: z.string().optional(),
  decryption: flowEncryptionBody.optional(),
  health_status: z.string().optional(),
});

/** `FlowOutput` as the detail answer lists it: name and type only. */
const flowOutputSummaryBody = z.looseObject({
  name: z.string().optional(),
  type: z.string().optional(),
});

/** `FlowsOutput` as answered by the output operations. */
export const flowsOutputBody = z.looseObject({
  name: z.string(),
  protocol: z.string().optional(),
  destination: z.string().optional(),
  port: z.number().int().optional(),
  stream_id: z.string().optional(),
  cidr_whitelist: z.array(z.string()).optional(),
  encryption: flowEncryptionBody.optional(),
  output_status: z.string().optional(),
  description: z.string().optional(),
  min_latency: z.number().int().optional(),
  listener_address: z.string().optional(),
  health_status: z.string().optional(),
  type: z.string().optional(),
});

/** Body of a 200 answer to `GET /flows/detail` (`FlowDetailRespBody`). */
export const flowDetailBody = z.object({
  flow_id: z.string().min(1),
  status: z.string(),
  name: z.string().optional(),
  region: z.string().optional(),
  sources: z.array(flowSourceBody).optional(),
  outputs: z.array(flowOutputSummaryBody).optional(),
});

/** Body of a 200 answer to `POST /flows`: the new flow's detail under `flow`. */
export const createFlowAnswerBody = z.object({ flow: flowDetailBody });

/** Body of a 200 answer to `DELETE /flows`; the Go SDK marks both fields optional. */
export const deleteFlowAnswerBody = z.looseObject({
  flow_id: z.string().optional(),
  status: z.string().optional(),
});

/** Body of a 200 answer to `PUT /flows/sources`. */
export const modifySourceAnswerBody = z.looseObject({
  flow_id: z.string().optional(),
  source: flowSourceBody,
});

/** Body of a 200 answer to `POST /flows/outputs`: every output of the flow. */
export const createOutputsAnswerBody = z.looseObject({
  flow_id: z.string().optional(),
  outputs: z.array(flowsOutputBody),
});

/** Body of a 200 answer to `DELETE /flows/outputs`. */
export const deleteOutputAnswerBody = z.looseObject({
  flow_id: z.string().optional(),
  output_name: z.string().optional(),
});

/** One item of `GET /flows`. */
export const flowSummaryBody = z.object({
  flow_id: z.string().min(1),
  status: z.string(),
  name: z.string().optional(),
  region: z.string().optional(),
  description: z.string().optional(),
  protocol: z.string().optional(),
});

/** Body of a 200 answer to `GET /flows`. */
export const flowListBody = z.object({
  total: z.number().int().nonnegative(),
  flows: z.array(flowSummaryBody),
});

/** Error body of Media Live (`error_code`, `error_msg`) and of the API gateway (adds `request_id`). */
export const errorBody = z.looseObject({
  error_code: z.string().optional(),
  error_msg: z.string().optional(),
  request_id: z.string().optional(),
});

/** The parsed error fields, all optional: a gateway or proxy may answer with anything. */
export type ErrorBody = z.infer<typeof errorBody>;
