/**
 * Starts a real `etcd` binary on free loopback ports for integration tests and benchmarks.
 * Each server gets its own name, ports and data directory, so parallel runs never collide; a port
 * taken between choosing it and etcd binding it (EADDRINUSE in etcd's log) means another try.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdArgs } from './etcd-args.js';

/** A running etcd started by {@link startEtcd}. */
export interface EtcdServer {
  /** The client URL, e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  /** The current process id (changes after {@link EtcdServer.restart}). */
  readonly pid: number;
  /** The data directory (kept by `stop()`, removed by `close()`). */
  readonly dataDir: string;
  /** Kills the server (SIGTERM, then SIGKILL after a grace period); keeps the data directory. */
  stop(): Promise<void>;
  /** Starts the server again on the same ports and data directory; resolves once it is healthy. */
  restart(): Promise<void>;
  /** Stops the server and removes its data directory. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link startEtcd}. */
export interface StartEtcdOptions {
  /** How long to wait for the server to become healthy (default 15 s). */
  readyTimeoutMs?: number;
  /** Picks the client and peer ports for each first-start attempt (default {@link freePorts}); for the helper's own test. */
  choosePorts?: () => Promise<number[]>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every etcd this process started, synchronously (for `process.on('exit')`). */
function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAll);
}

/** Throws a clear error when the `etcd` binary is not installed. */
function checkBinary(): void {
  try {
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'The etcd binary was not found on PATH. Install it with `apt-get install -y etcd-server` ' +
        '(.ci/run does this on CI) to run the etcd integration tests.',
    );
  }
}

/** How often a start is tried when etcd finds a port taken. */
const PORT_ATTEMPTS = 5;
/** What etcd logs when it cannot bind a port. */
const ADDRESS_IN_USE = /address already in use/i;

/** Asks the OS for `count` distinct free TCP ports on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port assigned');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

/** Polls `GET /health` until etcd answers healthy, the process exits, or the deadline passes. */
async function waitHealthy(endpoint: string, child: ChildProcess, deadline: number, log: () => string) {
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`etcd exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${log()}`);
    }
    try {
      const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await response.json()) as { health?: string };
      if (body.health === 'true') return;
      lastError = JSON.stringify(body);
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`etcd at ${endpoint} was not healthy in time (${lastError}):\n${log()}`);
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts etcd on free loopback ports with a fresh data directory and waits until it is healthy.
 * Call `close()` in `afterAll`; a `process.on('exit')` hook kills any server left running.
 *
 * @example
 * const server = await startEtcd();
 * afterAll(() => server.close());
 * const client = new EtcdGateway({ hosts: [server.endpoint] });   // src/sources/etcd/gateway.ts
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  checkBinary();
  installExitHook();
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const dataDir = await mkdtemp(join(tmpdir(), 'livecfg-etcd-'));
  const name = `livecfg-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let clientPort = 0;
  let peerPort = 0;
  const endpointOf = () => `http://127.0.0.1:${clientPort}`;
  const args = () =>
    etcdArgs({ name, dir: dataDir, endpoint: endpointOf(), peerUrl: `http://127.0.0.1:${peerPort}` });
  let logText = '';
  const log = () => logText.slice(-4000);
  let child: ChildProcess | undefined;
  let closed = false;

  const launch = async () => {
    logText = '';
    const started = spawn('etcd', args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    started.stderr?.on('data', (chunk: Buffer) => {
      logText = (logText + chunk.toString()).slice(-16_000);
    });
    started.once('error', (error) => {
      logText += `\nspawn failed: ${error.message}`;
    });
    started.once('exit', () => live.delete(started));
    live.add(started);
    child = started;
    try {
      await waitHealthy(endpointOf(), started, Date.now() + readyTimeoutMs, log);
    } catch (error) {
      await stop();
      throw error;
    }
  };

  /**
   * Launches etcd; when it exits because a port was taken meanwhile (the ports were free when chosen,
   * but another process may bind them before etcd does), tries again: on new ports for the first start,
   * on the same ports (which clients already know) for a restart, after the holder had time to let go.
   */
  const launchRetrying = async (choosePorts: boolean) => {
    for (let attempt = 1; ; attempt++) {
      if (choosePorts)
        [clientPort, peerPort] = (await (options.choosePorts ?? (() => freePorts(2)))()) as [number, number];
      try {
        await launch();
        return;
      } catch (error) {
        if (attempt >= PORT_ATTEMPTS || !ADDRESS_IN_USE.test(logText)) throw error;
        if (!choosePorts) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined) return;
    running.kill('SIGTERM');
    if (!(await waitExit(running, 5000))) {
      running.kill('SIGKILL');
      await waitExit(running, 5000);
    }
    live.delete(running);
  };

  try {
    await launchRetrying(true);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: endpointOf(),
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    stop,
    async restart() {
      if (closed) throw new Error('etcd server was closed');
      await stop();
      await launchRetrying(false);
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Turns on authentication: creates user `root` with `password` (and the `root` role, as
 * `etcdctl auth enable` does), then enables auth. Afterwards every client needs credentials.
 */
export async function enableAuth(endpoint: string, password: string): Promise<void> {
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${endpoint}/v3/auth/${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`etcd ${path}: HTTP ${response.status}: ${await response.text()}`);
  };
  await call('user/add', { name: 'root', password });
  await call('role/add', { name: 'root' });
  await call('user/grant', { user: 'root', role: 'root' });
  await call('enable', {});
}
