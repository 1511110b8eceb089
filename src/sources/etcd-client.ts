/**
 * Builds the etcd3 client for the etcd source (fast reconnects, request deadlines) and turns etcd3's
 * errors into ConfigErrors.
 */
import {
  Etcd3,
  EtcdAuthenticationFailedError,
  EtcdInvalidAuthTokenError,
  EtcdPermissionDeniedError,
  GRPCDeadlineExceededError,
  GRPCUnauthenticatedError,
  type IOptions,
} from 'etcd3';
import { ConfigError } from '../reader/errors.js';

/** Connection settings of the etcd source. */
export interface EtcdConnection {
  /** Client URLs, e.g. `http://127.0.0.1:2379`. */
  hosts: string[];
  /** Password authentication. */
  auth?: { username: string; password: string };
  /** Deadline in ms of every request (reads, authentication); the watch stream has none. */
  dialTimeout: number;
}

type FaultHandling = NonNullable<IOptions['faultHandling']>;
type HostPolicy = ReturnType<NonNullable<FaultHandling['host']>>;
type WatchBackoff = NonNullable<FaultHandling['watchBackoff']>;

/** First and largest delay (ms) between attempts to re-open a broken watch stream. */
const WATCH_BACKOFF = { initialMs: 100, maxMs: 2000 };

/**
 * A host policy without a circuit breaker: etcd3's default keeps a host "open" for 5 s after three
 * failures, which delays recovery after a restart. Calls fail fast instead; the watch backoff and
 * etcd3's global retry policy pace the attempts.
 */
function passThroughPolicy(): HostPolicy {
  const noEvent = () => ({ dispose() {} });
  const policy = {
    onSuccess: noEvent,
    onFailure: noEvent,
    execute<T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal) {
      return Promise.resolve().then(() => fn({ signal: signal ?? new AbortController().signal }));
    },
  };
  return policy as unknown as HostPolicy;
}

/** Exponential watch-reconnect backoff with jitter (half to all of `min(max, initial * 2^n)`). */
function watchBackoff(failures: number): WatchBackoff {
  const ceiling = Math.min(WATCH_BACKOFF.maxMs, WATCH_BACKOFF.initialMs * 2 ** Math.min(failures, 20));
  return {
    duration: Math.round(ceiling / 2 + (Math.random() * ceiling) / 2),
    next: () => watchBackoff(failures + 1),
  };
}

/** Creates an etcd3 client for the given connection settings. */
export function createEtcdClient(connection: EtcdConnection): Etcd3 {
  return new Etcd3({
    hosts: connection.hosts,
    ...(connection.auth
      ? { auth: { username: connection.auth.username, password: connection.auth.password } }
      : {}),
    defaultCallOptions: (context) =>
      context.isStream ? {} : { deadline: Date.now() + connection.dialTimeout },
    faultHandling: { host: passThroughPolicy, watchBackoff: { duration: 0, next: () => watchBackoff(0) } },
    grpcOptions: {
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
      // Notice a silently dead connection (etcd's default minimum ping interval is 5 s).
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5000,
    },
  });
}

/** Whether etcd refused the credentials or the permission. */
export function isPermissionError(error: unknown): boolean {
  if (
    error instanceof EtcdAuthenticationFailedError ||
    error instanceof EtcdPermissionDeniedError ||
    error instanceof EtcdInvalidAuthTokenError ||
    error instanceof GRPCUnauthenticatedError
  ) {
    return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /user name is empty|permission denied|authentication failed|invalid auth token/i.test(message);
}

/**
 * Wraps an etcd3 failure as a ConfigError: `PERMISSION` for rejected credentials, `TIMEOUT` for a
 * missed deadline, else `SOURCE_READ`. ConfigErrors pass through.
 */
export function etcdError(
  error: unknown,
  source: string,
  hosts: readonly string[],
  action: string,
): ConfigError {
  if (error instanceof ConfigError) return error.withSource(source);
  const detail = error instanceof Error ? error.message : String(error);
  if (isPermissionError(error)) {
    return new ConfigError(
      'PERMISSION',
      `${source}: etcd refused access while trying to ${action} (${detail}); check the auth option ` +
        '(username and password) and the user’s role permissions',
      { source, cause: error },
    );
  }
  const where = hosts.join(', ');
  if (error instanceof GRPCDeadlineExceededError) {
    return new ConfigError('TIMEOUT', `${source}: etcd at ${where} did not answer in time (${action})`, {
      source,
      cause: error,
    });
  }
  return new ConfigError('SOURCE_READ', `${source}: cannot ${action} at etcd ${where}: ${detail}`, {
    source,
    cause: error,
  });
}
