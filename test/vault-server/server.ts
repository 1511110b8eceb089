/**
 * An in-process implementation of the Vault HTTP API parts a KV v2 client touches (KV v2, token and
 * AppRole auth, namespaces, health), with fault injection, a controllable clock and a request log.
 *
 * @example
 * const vault = await startVaultServer();
 * vault.write('secret', 'app/config', { password: 'pw' });
 * // ... point a client at vault.url with token vault.rootToken ...
 * await vault.close();
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { nextMatchingEvent } from '../helpers/next-event.js';
import { RestartableHttp } from '../helpers/restartable-http.js';
import { Clock } from './clock.js';
import { KvMount } from './kv-store.js';
import { type Faults, type RouterState, route } from './router.js';
import { type AppRoleSpec, type Token, type TokenSpec, TokenStore } from './tokens.js';
import type { FaultBody, RequestRecord, VaultServerEvents, VaultServerOptions } from './types.js';

export type { AppRoleSpec, Token, TokenPolicy, TokenSpec } from './tokens.js';
export type { FaultBody, RequestRecord, VaultServerEvents, VaultServerOptions } from './types.js';

interface SocketCounters {
  read: number;
  written: number;
}

/** The running test server. Create it with {@link startVaultServer}. */
export class VaultTestServer extends EventEmitter<VaultServerEvents> {
  readonly host = '127.0.0.1';
  /** The server's clock: `clock.advance(ms)` expires tokens and passes deletion times. */
  readonly clock = new Clock();
  /** The token store (tokens, AppRole roles, login and renewal counts). */
  readonly tokens = new TokenStore(this.clock);
  /** The root token's id. */
  readonly rootToken: string;
  private readonly mounts = new Map<string, KvMount>();
  /** Each connection's byte counters when it opened, to count a request's bytes. */
  private readonly sockets = new WeakMap<Socket, SocketCounters>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: RequestRecord[] = [];
  private readonly faults: Faults = {
    latencyMs: 0,
    failures: { remaining: 0, status: 503, body: 'json' },
    drops: 0,
    sealed: false,
  };
  private readonly namespaces: string[];
  private readonly http: RestartableHttp;
  private closed = false;

  /** @internal use {@link startVaultServer}. */
  constructor(options: VaultServerOptions = {}) {
    super();
    this.namespaces = options.namespaces ?? [];
    this.rootToken = options.rootToken ?? 'root';
    this.tokens.create({ id: this.rootToken, policy: 'root' });
    for (const namespace of ['', ...this.namespaces]) {
      for (const mount of options.mounts ?? ['secret'])
        this.mounts.set(this.mountKey(namespace, mount), new KvMount(this.clock));
    }
    this.http = new RestartableHttp((req, res) => this.handle(req, res), options.port ?? 0, this.host);
    this.http.server.keepAliveTimeout = 5000;
    this.http.server.on('connection', (socket) => this.sockets.set(socket, { read: 0, written: 0 }));
  }

  /** The port (unchanged across {@link down} / {@link up}). */
  get port(): number {
    return this.http.port;
  }

  /** `http://127.0.0.1:<port>`, the form of `VAULT_ADDR`. */
  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Every request since the last {@link clearLog}, oldest first. */
  get requests(): readonly RequestRecord[] {
    return this.log;
  }

  /** Forgets the request log. */
  clearLog(): void {
    this.log.length = 0;
  }

  /** Starts listening (on the same port after a {@link down}). */
  async up(): Promise<void> {
    if (this.closed) throw new Error('vault test server is closed');
    await this.http.up();
  }

  /** Stops listening and drops every connection; keeps the data. */
  async down(): Promise<void> {
    await this.http.down();
  }

  /** Stops for good. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.down();
    this.closed = true;
  }

  /** Latency (ms) before each request is handled; 0 turns it off. */
  setLatency(ms: number): void {
    this.faults.latencyMs = ms;
  }

  /** The next `count` requests fail with `status`: Vault's JSON error body, an HTML page (a proxy), or no body. */
  failNext(count: number, status = 503, body: FaultBody = 'json'): void {
    this.faults.failures = { remaining: count, status, body };
  }

  /** The next `count` requests get their connection destroyed without an answer. */
  dropNext(count: number): void {
    this.faults.drops = count;
  }

  /** Seals or unseals: sealed answers 503 `Vault is sealed` everywhere (health: 503 unless `sealedcode`). */
  setSealed(sealed: boolean): void {
    this.faults.sealed = sealed;
  }

  /** Creates a token (root policy, no expiry by default). */
  createToken(spec: TokenSpec = {}): Token {
    return this.tokens.create(spec);
  }

  /** Registers an AppRole role. */
  addAppRole(spec: AppRoleSpec): void {
    this.tokens.addRole(spec);
  }

  /** The KV v2 mount `mount` in `namespace` (`''` = root); throws when there is none. */
  kv(mount = 'secret', namespace = ''): KvMount {
    const found = this.mounts.get(this.mountKey(namespace, mount));
    if (!found) throw new Error(`vault test server: no mount ${namespace}/${mount}`);
    return found;
  }

  /** Writes a new version directly (no HTTP, no faults); returns the version number. */
  write(mount: string, path: string, data: Record<string, unknown>, namespace = ''): number {
    return this.kv(mount, namespace).write(path, data).version;
  }

  /** Resolves with the next event of this kind matching `predicate`; rejects after `timeoutMs`. */
  nextEvent<K extends keyof VaultServerEvents>(
    event: K,
    predicate: (record: RequestRecord) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RequestRecord> {
    return nextMatchingEvent(this as EventEmitter, event, predicate, timeoutMs, 'vault test server');
  }

  private mountKey(namespace: string, mount: string): string {
    return `${namespace}\0${mount.replace(/^\/+|\/+$/g, '')}`;
  }

  private routerState(): RouterState {
    return {
      clock: this.clock,
      tokens: this.tokens,
      faults: this.faults,
      namespaces: this.namespaces,
      mount: (namespace, path) => {
        let best: [KvMount, string] | undefined;
        let bestLength = -1;
        for (const [key, mount] of this.mounts) {
          const [ns, name] = key.split('\0') as [string, string];
          if (ns !== namespace || name.length <= bestLength) continue;
          if (path === name || path.startsWith(`${name}/`)) {
            best = [mount, path.slice(name.length + 1)];
            bestLength = name.length;
          }
        }
        return best;
      },
      sleep: (ms) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, ms);
          this.timers.add(timer);
        }),
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://vault.invalid');
    const namespace = req.headers['x-vault-namespace'];
    const record: RequestRecord = {
      id: this.log.length + 1,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      namespace: typeof namespace === 'string' ? namespace : undefined,
      startedAt: Date.now(),
      dropped: false,
    };
    this.log.push(record);
    const socket = req.socket;
    res.on('finish', () => {
      record.status = res.statusCode;
      record.endedAt = Date.now();
      const counters = this.sockets.get(socket);
      if (counters) {
        record.bytesIn = socket.bytesRead - counters.read;
        record.bytesOut = socket.bytesWritten - counters.written;
        counters.read = socket.bytesRead;
        counters.written = socket.bytesWritten;
      }
      this.emit('response', record);
    });
    this.emit('request', record);
    const drop = () => {
      record.dropped = true;
      record.endedAt = Date.now();
      socket.destroy();
      this.emit('response', record);
    };
    route(req, res, this.routerState(), drop).catch((error: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ errors: [error instanceof Error ? error.message : String(error)] }));
      } else res.destroy();
    });
  }
}

/** Starts a test server on 127.0.0.1 (a free port unless `options.port` is given). */
export async function startVaultServer(options: VaultServerOptions = {}): Promise<VaultTestServer> {
  const server = new VaultTestServer(options);
  await server.up();
  return server;
}
