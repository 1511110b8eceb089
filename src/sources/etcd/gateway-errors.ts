/** The errors of the etcd JSON gateway client: one class, a `reason` to branch on, etcd's own code. */
import { describeHttpFailure, type HttpFailure, isTlsFailure } from '../../source-kit/http-failure.js';

/** What went wrong with a gateway call. */
export type EtcdGatewayErrorReason =
  /** No endpoint accepted a connection. */
  | 'unreachable'
  /** No answer within the deadline. */
  | 'timeout'
  /** TLS failed: unknown CA, missing or rejected client certificate. */
  | 'tls'
  /** Rejected credentials or token, or a missing permission. */
  | 'permission'
  /** The requested revision was compacted. */
  | 'compacted'
  /** A lease (or other entity) does not exist. */
  | 'not-found'
  /** The response was larger than the limit. */
  | 'too-large'
  /** Any other HTTP status or etcd error. */
  | 'status'
  /** The caller's signal aborted the call. */
  | 'aborted'
  /** The client was closed. */
  | 'closed';

/** A failed gateway call. `grpcCode` and `status` are etcd's gRPC code and the HTTP status, when it answered. */
export class EtcdGatewayError extends Error {
  override readonly name = 'EtcdGatewayError';
  readonly grpcCode?: number;
  readonly status?: number;

  constructor(
    readonly reason: EtcdGatewayErrorReason,
    message: string,
    details: { grpcCode?: number; status?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.grpcCode !== undefined) this.grpcCode = details.grpcCode;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** etcd messages that mean rejected credentials or permissions (some come with code 3, InvalidArgument). */
const PERMISSION = /user name is empty|permission denied|authentication failed|invalid auth token|auth: /i;

/** Classifies an etcd error (`message` and gRPC `code`). */
export function reasonOf(code: number | undefined, message: string): EtcdGatewayErrorReason {
  if (code === 7 || code === 16 || PERMISSION.test(message)) return 'permission';
  if (/compacted/i.test(message)) return 'compacted';
  if (code === 5 || /not found/i.test(message)) return 'not-found';
  return 'status';
}

/** The error of a non-2xx answer: etcd's `{ error, message, code }` body, or the status alone. */
export function errorFromBody(status: number, text: string, url: string): EtcdGatewayError {
  let message = text.trim().slice(0, 300);
  let code: number | undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; code?: unknown };
    if (typeof body.message === 'string') message = body.message;
    else if (typeof body.error === 'string') message = body.error;
    if (typeof body.code === 'number') code = body.code;
  } catch {
    // not JSON (a proxy, or a path the gateway does not serve): keep the text
  }
  const reason = code === undefined && status === 404 ? 'status' : reasonOf(code, message);
  return new EtcdGatewayError(reason, `${url}: HTTP ${status}: ${message || 'no reason given'}`, {
    status,
    ...(code === undefined ? {} : { grpcCode: code }),
  });
}

/** The error of a transport failure. `closed`: the client was closed (the abort was ours). */
export function errorFromFailure(
  failure: HttpFailure,
  url: string,
  closed: boolean,
  cause?: unknown,
): EtcdGatewayError {
  const reason: EtcdGatewayErrorReason =
    failure.kind === 'aborted'
      ? closed
        ? 'closed'
        : 'aborted'
      : failure.kind === 'timeout'
        ? 'timeout'
        : failure.kind === 'too-large'
          ? 'too-large'
          : isTlsFailure(failure)
            ? 'tls'
            : failure.kind === 'network'
              ? 'unreachable'
              : 'status';
  return new EtcdGatewayError(
    reason,
    `${url}: ${describeHttpFailure(failure)}`,
    cause === undefined ? {} : { cause },
  );
}
