/**
 * `livecfg serve`: the inspector as a sidecar. Serves the page, the JSON API and the live events of
 * the configuration on HOST:PORT until SIGINT/SIGTERM, then closes at once (open streams included).
 * Every request passes the guard first (Host header, bearer token: see serve-guard.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../index.js';
import { inspector } from '../inspector/index.js';
import type { CommandContext } from './commands.js';
import { formatError } from './output.js';
import type { ServeOptions } from './serve-args.js';
import { isLoopbackHost, serveGuard } from './serve-guard.js';

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The URL a listening server answers on (IPv6 hosts in brackets). */
export function serverUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
}

/** Runs `serve`; resolves to the exit code once interrupted and closed. */
export async function serve(config: Config, context: CommandContext): Promise<number> {
  const { io, redaction } = context;
  const options: ServeOptions = context.listen ?? {
    host: '127.0.0.1',
    port: 7070,
    allowHosts: [],
    insecure: false,
  };
  const { host, port } = options;
  // Until the server listens (and the real port is known), nothing is let through.
  let guard: ReturnType<typeof serveGuard> = () => ({ status: 403 });
  const handler = inspector(config, {
    authorize: (request) => guard(request),
    secrets: context.secrets ?? [],
    title: 'livecfg inspector',
  });
  const server = createServer(handler);
  try {
    await listen(server, host, port);
  } catch (error) {
    handler.close();
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(
      `livecfg: cannot listen on ${host}:${port}${code ? ` (${code})` : ''}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  guard = serveGuard({ ...options, port: (server.address() as AddressInfo).port });
  if (options.token === undefined && !isLoopbackHost(host)) {
    io.stderr(`livecfg: warning: --insecure: anyone who can reach ${host} can read the configuration\n`);
  }
  const errors = config.errors$.subscribe((error) => io.stderr(`${formatError(error, redaction)}\n`));
  // Listen for Ctrl-C before saying where we listen: a caller may interrupt as soon as it reads the line.
  const interrupted = io.untilInterrupted();
  const auth = options.token === undefined ? '' : ' (bearer token required)';
  io.stdout(`inspector on ${serverUrl(server)}${auth}\n`);
  await interrupted;
  errors.unsubscribe();
  handler.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return 0;
}
