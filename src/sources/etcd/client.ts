/**
 * The etcd source's connection: settings from options or etcdctl's environment variables
 * (`ETCDCTL_ENDPOINTS`, `ETCDCTL_CACERT/CERT/KEY`, `ETCDCTL_USER`, `ETCDCTL_PASSWORD`), the JSON gateway
 * client built from them, and its failures as ConfigErrors.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../reader/errors.js';
import { EtcdGateway, EtcdGatewayError } from './gateway.js';

/** TLS material for etcd: PEM text or Buffers. */
export interface EtcdTls {
  /** CA that signed etcd's server certificate (required for https endpoints with a private CA). */
  ca?: string | Buffer;
  /** Client certificate, for etcd's `--client-cert-auth`. */
  cert?: string | Buffer;
  /** The client certificate's private key. */
  key?: string | Buffer;
}

/** etcd password authentication. */
export interface EtcdAuth {
  username: string;
  password: string;
}

/** What the source connects with, options first, then etcdctl's variables. */
export interface EtcdConnection {
  hosts: string[];
  auth?: EtcdAuth;
  tls?: EtcdTls;
  /** TLS files named by `ETCDCTL_CACERT/CERT/KEY`, read when the client is created. */
  tlsFiles?: { ca?: string; cert?: string; key?: string };
}

type Environ = Record<string, string | undefined>;

/** An endpoint without a scheme (`127.0.0.1:2379`, as etcdctl takes it) gets one. */
function withScheme(host: string, secure: boolean): string {
  return /^[a-z]+:\/\//i.test(host) ? host : `${secure ? 'https' : 'http'}://${host}`;
}

/** etcdctl's user settings: `ETCDCTL_USER=user:password`, or `ETCDCTL_USER` + `ETCDCTL_PASSWORD`. */
function authFromEnv(environ: Environ): EtcdAuth | undefined {
  const user = environ.ETCDCTL_USER;
  if (!user) return undefined;
  if (environ.ETCDCTL_PASSWORD !== undefined) return { username: user, password: environ.ETCDCTL_PASSWORD };
  const colon = user.indexOf(':');
  return colon === -1
    ? { username: user, password: '' }
    : { username: user.slice(0, colon), password: user.slice(colon + 1) };
}

/** Resolves the connection settings: explicit options win, then etcdctl's variables, then localhost. */
export function resolveConnection(
  options: { hosts?: string | string[]; auth?: EtcdAuth; tls?: EtcdTls },
  environ: Environ = process.env,
): EtcdConnection {
  const tlsFiles = options.tls
    ? undefined
    : {
        ...(environ.ETCDCTL_CACERT ? { ca: environ.ETCDCTL_CACERT } : {}),
        ...(environ.ETCDCTL_CERT ? { cert: environ.ETCDCTL_CERT } : {}),
        ...(environ.ETCDCTL_KEY ? { key: environ.ETCDCTL_KEY } : {}),
      };
  const hasFiles = tlsFiles !== undefined && Object.keys(tlsFiles).length > 0;
  const secure = options.tls !== undefined || hasFiles;
  const listed =
    options.hosts === undefined
      ? (environ.ETCDCTL_ENDPOINTS ?? '').split(',').map((host) => host.trim())
      : [options.hosts].flat();
  const named = listed.filter((host) => host !== '');
  const hosts =
    options.hosts === undefined && named.length === 0
      ? ['http://127.0.0.1:2379']
      : named.map((host) => withScheme(host, secure));
  const auth = options.auth ?? authFromEnv(environ);
  return {
    hosts,
    ...(auth ? { auth } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    ...(hasFiles ? { tlsFiles } : {}),
  };
}

/** Creates the gateway client (reading the TLS files etcdctl's variables name, if any). */
export async function createGateway(connection: EtcdConnection, timeoutMs: number): Promise<EtcdGateway> {
  let tls = connection.tls;
  if (connection.tlsFiles !== undefined) {
    const read = async (path: string | undefined) => (path === undefined ? undefined : await readFile(path));
    const [ca, cert, key] = await Promise.all([
      read(connection.tlsFiles.ca),
      read(connection.tlsFiles.cert),
      read(connection.tlsFiles.key),
    ]);
    tls = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }
  return new EtcdGateway({
    hosts: connection.hosts,
    timeoutMs,
    ...(tls ? { tls } : {}),
    ...(connection.auth ? { auth: connection.auth } : {}),
  });
}

/**
 * Wraps a gateway failure as a ConfigError: `PERMISSION` for rejected credentials, `TIMEOUT` for a
 * missed deadline, `CLOSED` after close(), else `SOURCE_READ` (with a hint when TLS failed).
 * ConfigErrors pass through.
 */
export function etcdError(
  error: unknown,
  source: string,
  hosts: readonly string[],
  action: string,
): ConfigError {
  if (error instanceof ConfigError) return error.withSource(source);
  const detail = error instanceof Error ? error.message : String(error);
  const reason = error instanceof EtcdGatewayError ? error.reason : undefined;
  const where = hosts.join(', ');
  const details = { source, cause: error };
  switch (reason) {
    case 'permission':
      return new ConfigError(
        'PERMISSION',
        `${source}: etcd refused access while trying to ${action} (${detail}); check the auth option ` +
          '(username and password, or ETCDCTL_USER) and the user’s role permissions',
        details,
      );
    case 'timeout': {
      const hint = hosts.some((host) => host.startsWith('https:'))
        ? '; with TLS, check the tls option (ca, and cert/key if etcd requires client certificates)'
        : '';
      return new ConfigError(
        'TIMEOUT',
        `${source}: etcd at ${where} did not answer in time (${action})${hint}`,
        details,
      );
    }
    case 'tls':
      return new ConfigError(
        'SOURCE_READ',
        `${source}: TLS with etcd at ${where} failed while trying to ${action} (${detail}); check the tls ` +
          'option: ca must be the CA that signed etcd’s certificate, and cert/key are required when etcd ' +
          'runs with --client-cert-auth',
        details,
      );
    case 'closed':
      return new ConfigError('CLOSED', `${source}: the source was closed`, details);
    default:
      return new ConfigError(
        'SOURCE_READ',
        `${source}: cannot ${action} at etcd ${where}: ${detail}`,
        details,
      );
  }
}
