/**
 * The gateway's IAM check: an AK/SK signature (`SDK-HMAC-SHA256`, verified by
 * {@link signatureMatches}, which is written from Huawei's published algorithm and shares no code
 * with the client's signer), or an `X-Auth-Token` from a fixed list. Then the project check.
 *
 * Rules follow the reference §5.2 and §7: `host` and `X-Sdk-Date` must be signed, the date must be
 * within the allowed skew, `X-Project-Id` must equal the path's project, temporary credentials need
 * a signed `X-Security-Token`.
 *
 * Answers: a signature that does not verify (malformed `Authorization`, unknown access key, `host` or
 * `X-Sdk-Date` unsigned, any mismatch) is 401 `APIG.0301` "…: verify aksk signature fail", a bad token
 * "…: decrypt token fail", no credentials "…: x-auth-token not found", all three quoted by Huawei.
 * Huawei documents no detail for an `X-Sdk-Date` out of range, a wrong `X-Project-Id` or a wrong
 * security token: those are 401 `APIG.0301` with the table's bare "Incorrect IAM authentication
 * information.", the case named only in the journal's `reason`. A project other than the
 * simulator's is 403 `APIG.0302` "The IAM user is not authorized to access the API.".
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

import { ERROR_CODE, ERROR_MESSAGE, HEADER_NAME, REFUSAL_REASON } from "./constants.js";
import {
  parseAuthorization,
  parseSdkDate,
  receivedHeader,
  signatureMatches,
} from "./signatureVerifier.js";

/** An AK/SK pair the simulator accepts; `securityToken` makes it a temporary (STS) credential. */
export interface SimulatorCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

/** Which credentials are accepted, for which project, and how much clock skew is tolerated. */
export interface AuthenticationPolicy {
  /** The only project the caller may access. */
  readonly projectId: string;
  /** Accepted AK/SK pairs. */
  readonly credentials: readonly SimulatorCredentials[];
  /** Accepted `X-Auth-Token` values. */
  readonly authTokens: readonly string[];
  /** Largest allowed difference between `X-Sdk-Date` and {@link AuthenticationPolicy.now}. */
  readonly clockSkewMinutes: number;
  /** The gateway's clock. */
  readonly now: () => Date;
}

/** The parts of a received request that authentication reads. */
export interface ReceivedRequest {
  /** Method as received. */
  readonly method: string;
  /** Request target as received (`req.url`: raw path and query). */
  readonly target: string;
  /** Headers as Node parsed them (names lower-cased). */
  readonly headers: IncomingHttpHeaders;
  /** Raw body bytes. */
  readonly body: Uint8Array;
  /** The `{project_id}` segment of the path. */
  readonly pathProjectId: string;
}

/** The scheme a request tried: AK/SK, token, or none at all. */
export type AuthenticationScheme = "aksk" | "token" | "none";

/** The outcome of authentication; a failure carries the gateway error to answer. */
export type AuthenticationResult =
  | { readonly ok: true; readonly scheme: "aksk" | "token" }
  | {
      readonly ok: false;
      readonly scheme: AuthenticationScheme;
      readonly status: 401 | 403;
      readonly errorCode: string;
      readonly errorMsg: string;
      /** For the journal: the undocumented case this was, if it was one. */
      readonly reason?: string;
    };

/** Constant-time string equality, so response timing does not leak how much of a secret matched. */
function secretsEqual(received: string, expected: string): boolean {
  const left = Buffer.from(received, "utf8");
  const right = Buffer.from(expected, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

type Failure = Extract<AuthenticationResult, { ok: false }>;

function unauthenticated(scheme: AuthenticationScheme, errorMsg: string, reason?: string): Failure {
  const failure: Failure = {
    ok: false,
    scheme,
    status: 401,
    errorCode: ERROR_CODE.authenticationFailed,
    errorMsg,
  };
  return reason === undefined ? failure : { ...failure, reason };
}

/**
 * The scheme a request tries, from its headers alone: an `Authorization` header selects AK/SK even
 * when an `X-Auth-Token` is also present.
 *
 * @param headers - headers as Node parsed them
 */
export function authenticationScheme(headers: IncomingHttpHeaders): AuthenticationScheme {
  if (receivedHeader(headers, HEADER_NAME.authorization) !== undefined) return "aksk";
  return receivedHeader(headers, HEADER_NAME.authToken) !== undefined ? "token" : "none";
}

/**
 * Authenticates a request and checks it may access the project in its path; the scheme is chosen
 * by {@link authenticationScheme}.
 *
 * @param request - what was received
 * @param policy - what is accepted
 */
export function authenticate(
  request: ReceivedRequest,
  policy: AuthenticationPolicy,
): AuthenticationResult {
  let result: AuthenticationResult;
  switch (authenticationScheme(request.headers)) {
    case "aksk":
      result = verifySignature(request, policy);
      break;
    case "token": {
      const token = receivedHeader(request.headers, HEADER_NAME.authToken)!;
      result = policy.authTokens.some((accepted) => secretsEqual(token, accepted))
        ? { ok: true, scheme: "token" }
        : unauthenticated("token", ERROR_MESSAGE.tokenInvalid);
      break;
    }
    case "none":
      result = unauthenticated("none", ERROR_MESSAGE.tokenMissing);
  }
  if (result.ok && request.pathProjectId !== policy.projectId) {
    return {
      ok: false,
      scheme: result.scheme,
      status: 403,
      errorCode: ERROR_CODE.notAuthorized,
      errorMsg: ERROR_MESSAGE.notAuthorized,
      reason: REFUSAL_REASON.projectNotServed,
    };
  }
  return result;
}

function verifySignature(
  request: ReceivedRequest,
  policy: AuthenticationPolicy,
): AuthenticationResult {
  const fail = (message: string, reason?: string): Failure =>
    unauthenticated("aksk", message, reason);
  const parsed = parseAuthorization(
    receivedHeader(request.headers, HEADER_NAME.authorization) ?? "",
  );
  if (!parsed) return fail(ERROR_MESSAGE.signatureMismatch);

  const credential = policy.credentials.find(
    (candidate) => candidate.accessKey === parsed.accessKey,
  );
  if (!credential) return fail(ERROR_MESSAGE.signatureMismatch);
  const signedNames = parsed.signedHeaders;
  if (!signedNames.includes(HEADER_NAME.host) || !signedNames.includes(HEADER_NAME.sdkDate)) {
    return fail(ERROR_MESSAGE.signatureMismatch);
  }

  const signedAt = parseSdkDate(receivedHeader(request.headers, HEADER_NAME.sdkDate) ?? "");
  const allowedSkewMs = policy.clockSkewMinutes * 60_000;
  if (!signedAt || Math.abs(signedAt.getTime() - policy.now().getTime()) > allowedSkewMs) {
    return fail(ERROR_MESSAGE.authenticationFailed, REFUSAL_REASON.sdkDateOutOfRange);
  }

  if (!signatureMatches(request, parsed, credential.secretKey)) {
    return fail(ERROR_MESSAGE.signatureMismatch);
  }

  const projectHeader = receivedHeader(request.headers, HEADER_NAME.projectId);
  if (projectHeader !== request.pathProjectId) {
    return fail(ERROR_MESSAGE.authenticationFailed, REFUSAL_REASON.projectIdMismatch);
  }

  if (credential.securityToken !== undefined) {
    const securityToken = receivedHeader(request.headers, HEADER_NAME.securityToken);
    const tokenValid =
      securityToken !== undefined &&
      signedNames.includes(HEADER_NAME.securityToken) &&
      secretsEqual(securityToken, credential.securityToken);
    if (!tokenValid) {
      return fail(ERROR_MESSAGE.authenticationFailed, REFUSAL_REASON.securityTokenInvalid);
    }
  }
  return { ok: true, scheme: "aksk" };
}
