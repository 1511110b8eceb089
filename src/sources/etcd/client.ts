/**
 * Loads `etcd3` (an optional peer dependency) on first use, builds its client for the etcd source
 * (fast-failing calls, TLS, request deadlines, no reconnect loop of its own) and turns its errors
 * into ConfigErrors.
 */
import type { Etcd3, IOptions } from 'etcd3';
import { ConfigError } from '../../reader/errors.js';

/** The `etcd3` module. */
export type Etcd3Module = typeof import('etcd3');

/** TLS material for etcd: PEM text or Buffers. */
export interface EtcdTls {
  /** CA that signed etcd's server certificate (required for https endpoints with a private CA). */
  ca?: string | Buffer;
  /** Client certificate, for etcd's `--client-cert-auth`. */
  cert?: string | Buffer;
  /** The client certificate's private key. */
  key?: string | Buffer;
}

/** Connection settings of the etcd source. */
export interface EtcdConnection {
  /** Client URLs, e.g. `http://127.0.0.1:2379`. */
  hosts: string[];
  /** Password authentication. */
  auth?: { username: string; password: string };
  /** TLS (https endpoints). */
  tls?: EtcdTls;
  /** Deadline in ms of every request (reads, authentication); the watch stream has none. */
  dialTimeout: number;
}

let loading: Promise<Etcd3Module> | undefined;

/** Whether an import failure says that `name` itself is missing (not one of its own imports). */
function isMissing(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    new RegExp(`['"]${name}['"]`).test(message)
  );
}

/**
 * Imports `etcd3` once. Without it installed: a `SOURCE_READ` ConfigError saying how to install it
 * (`npm install etcd3`), not a bare "Cannot find module". `importer` is replaceable for tests.
 */
export function loadEtcd3(
  source: string,
  importer: () => Promise<unknown> = () => import('etcd3'),
): Promise<Etcd3Module> {
  loading ??= importer().then(
    (module) => {
      const loaded = module as Etcd3Module & { default?: Etcd3Module };
      return typeof loaded.Etcd3 === 'function' ? loaded : (loaded.default as Etcd3Module);
    },
    (error: unknown) => {
      loading = undefined;
      if (!isMissing(error, 'etcd3')) throw error;
      throw new ConfigError(
        'SOURCE_READ',
        `${source}: the etcd source needs the optional dependency "etcd3", which is not installed; ` +
          'install it with `npm install etcd3` (livecfg/etcd works with etcd3 ^1.1.2)',
        { source, cause: error },
      );
    },
  );
  return loading;
}

type FaultHandling = NonNullable<IOptions['faultHandling']>;
type HostPolicy = ReturnType<NonNullable<FaultHandling['host']>>;
type WatchBackoff = NonNullable<FaultHandling['watchBackoff']>;

/**
 * A host policy without a circuit breaker: etcd3's default keeps a host "open" for 5 s after three
 * failures, which delays recovery after a restart. Calls fail fast instead; the source's one
 * reconnect loop paces the attempts.
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

/**
 * etcd3's own watch reconnect fires immediately and finds nothing to do: the source detaches its
 * watcher on every disconnect and reconnects itself, with one capped, jittered backoff. (etcd3 runs
 * its retry on both the stream's `error` and `end`, doubling its timers on every failure.)
 */
const IMMEDIATE: WatchBackoff = { duration: 0, next: () => IMMEDIATE };

function toBuffer(pem: string | Buffer): Buffer {
  return typeof pem === 'string' ? Buffer.from(pem) : pem;
}

/** Creates an etcd3 client for the given connection settings. */
export function createEtcdClient(module: Etcd3Module, connection: EtcdConnection): Etcd3 {
  const { tls } = connection;
  const credentials =
    tls?.ca !== undefined || tls?.cert !== undefined
      ? {
          credentials: {
            rootCertificate: toBuffer(tls.ca ?? ''),
            ...(tls.cert === undefined ? {} : { certChain: toBuffer(tls.cert) }),
            ...(tls.key === undefined ? {} : { privateKey: toBuffer(tls.key) }),
          },
        }
      : {};
  return new module.Etcd3({
    hosts: connection.hosts,
    ...credentials,
    ...(connection.auth
      ? { auth: { username: connection.auth.username, password: connection.auth.password } }
      : {}),
    defaultCallOptions: (context) =>
      context.isStream ? {} : { deadline: Date.now() + connection.dialTimeout },
    faultHandling: { host: passThroughPolicy, watchBackoff: IMMEDIATE },
    grpcOptions: {
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 10_000,
      // Notice a silently dead connection (etcd's default minimum ping interval is 5 s).
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5000,
    },
  });
}

/** Whether etcd refused the credentials or the permission. */
export function isPermissionError(module: Etcd3Module, error: unknown): boolean {
  if (
    error instanceof module.EtcdAuthenticationFailedError ||
    error instanceof module.EtcdPermissionDeniedError ||
    error instanceof module.EtcdInvalidAuthTokenError ||
    error instanceof module.GRPCUnauthenticatedError
  ) {
    return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /user name is empty|permission denied|authentication failed|invalid auth token/i.test(message);
}

/** Whether a failure is a TLS problem: an unknown CA, a missing or rejected client certificate. */
function isTlsError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /certificate|SSL|TLS|handshake|alert|secure channel/i.test(message);
}

/**
 * Wraps an etcd3 failure as a ConfigError: `PERMISSION` for rejected credentials, `TIMEOUT` for a
 * missed deadline, else `SOURCE_READ` (with a hint when TLS failed). ConfigErrors pass through.
 */
export function etcdError(
  module: Etcd3Module | undefined,
  error: unknown,
  source: string,
  hosts: readonly string[],
  action: string,
): ConfigError {
  if (error instanceof ConfigError) return error.withSource(source);
  const detail = error instanceof Error ? error.message : String(error);
  if (module && isPermissionError(module, error)) {
    return new ConfigError(
      'PERMISSION',
      `${source}: etcd refused access while trying to ${action} (${detail}); check the auth option ` +
        '(username and password) and the user’s role permissions',
      { source, cause: error },
    );
  }
  const where = hosts.join(', ');
  if (module && error instanceof module.GRPCDeadlineExceededError) {
    const hint = hosts.some((host) => host.startsWith('https:'))
      ? '; with TLS, check the tls option (ca, and cert/key if etcd requires client certificates)'
      : '';
    return new ConfigError(
      'TIMEOUT',
      `${source}: etcd at ${where} did not answer in time (${action})${hint}`,
      {
        source,
        cause: error,
      },
    );
  }
  if (isTlsError(error)) {
    return new ConfigError(
      'SOURCE_READ',
      `${source}: TLS with etcd at ${where} failed while trying to ${action} (${detail}); check the tls ` +
        'option: ca must be the CA that signed etcd’s certificate, and cert/key are required when etcd ' +
        'runs with --client-cert-auth',
      { source, cause: error },
    );
  }
  return new ConfigError('SOURCE_READ', `${source}: cannot ${action} at etcd ${where}: ${detail}`, {
    source,
    cause: error,
  });
}
