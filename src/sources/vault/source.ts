/** The Vault KV v2 source: one secret's `data.data` as a layer, watched by polling its metadata. */
import { checksumText, stableStringify } from '../../reader/checksum.js';
import { ConfigError } from '../../reader/errors.js';
import { uniformOrigins } from '../../reader/provenance.js';
import type { Observable } from '../../rx/index.js';
import { ErrorListeners } from '../../source-kit/error-listeners.js';
import { describeVaultOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';
import { fingerprintOf, fingerprintText, type KvSecret, VaultClient } from './client.js';
import { resolveConnection, type VaultConnectionOptions } from './connection.js';
import { retryAfterOf } from './errors.js';
import type { VaultCall } from './http.js';
import { normalisePath } from './paths.js';
import { watchByPolling } from './poll.js';

/** Options of {@link vault}. */
export interface VaultOptions extends VaultConnectionOptions {
  /** The KV v2 mount (default `secret`). */
  mount?: string;
  /** The secret's path inside the mount, e.g. `app/config`. */
  path: string;
  /** How often `watch()` polls the secret's metadata, in ms (default 30,000). */
  pollIntervalMs?: number;
  /** A missing, soft-deleted or destroyed secret is an empty layer instead of a `NOT_FOUND` error. */
  optional?: boolean;
  /** Retry delays after failures, in ms (default 1,000 doubling up to 60,000, with jitter; a 403 waits the max). */
  backoff?: { initialMs?: number; maxMs?: number };
}

/** The Vault source: a {@link Source} whose watch, error hook and close are always present. */
export interface VaultSource extends Source {
  watch(): Observable<ChangeSet>;
  onError(listener: (error: ConfigError) => void): void;
  close(): Promise<void>;
}

/**
 * A HashiCorp Vault KV v2 secret as a config layer: `GET /v1/{mount}/data/{path}`, whose
 * `data.data` becomes the layer (origins `{ vaultPath, version, resolvedBy: 'vault' }`: every value is
 * secret for redaction, and `explain()` hides it). `watch()` polls
 * `GET /v1/{mount}/metadata/{path}` and re-reads the data only when `current_version` or the state
 * of that version (soft-deleted, destroyed) changed. Defaults come from `VAULT_ADDR`, `VAULT_TOKEN`
 * and `VAULT_NAMESPACE`. Every value it supplies is a secret.
 *
 * @example
 * vault({ path: 'app/config', pollIntervalMs: 10_000 });
 * vault({ mount: 'kv', path: 'app', auth: { appRole: { roleId, secretId } } });
 */
export function vault(options: VaultOptions): VaultSource {
  return new VaultKvSource(options);
}

class VaultKvSource implements VaultSource {
  readonly name: string;
  /** `vault kv/app/config (version 3)`. */
  readonly describeOrigin = describeVaultOrigin;
  private readonly mount: string;
  private readonly path: string;
  private readonly client: VaultClient;
  private readonly optional: boolean;
  private readonly intervalMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly listeners = new ErrorListeners();
  private readonly loops = new Set<{ complete(): void }>();
  private readonly reads = new Set<AbortController>();
  private last: { fingerprint: string | undefined; checksum: string | undefined } = {
    fingerprint: undefined,
    checksum: undefined,
  };
  private closed = false;
  /** Polls read `data/` because `metadata/` is denied to the token. */
  private pollData = false;
  /** The secret a `data/` poll just read, for the load that follows it. */
  private polledSecret: KvSecret | undefined;

  constructor(options: VaultOptions) {
    this.mount = normalisePath(options.mount ?? 'secret', 'vault(): mount');
    this.path = normalisePath(options.path, 'vault(): path');
    this.name = `vault:${this.mount}/${this.path}`;
    this.client = new VaultClient(resolveConnection(options, 'vault()'), this.name, (error) =>
      this.listeners.report(error),
    );
    this.optional = options.optional ?? false;
    this.intervalMs = options.pollIntervalMs ?? 30_000;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs <= 0) {
      throw new ConfigError('INVALID_ARGUMENT', `vault(): pollIntervalMs must be a positive number of ms`);
    }
    this.backoff = { initialMs: options.backoff?.initialMs ?? 1000, maxMs: options.backoff?.maxMs ?? 60_000 };
  }

  async read(signal?: AbortSignal): Promise<ChangeSet> {
    if (this.closed) throw this.closedError();
    const controller = new AbortController();
    this.reads.add(controller);
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const { changeSet, fingerprint } = await this.load({ signal: controller.signal });
      this.last = { fingerprint, checksum: changeSet.checksum };
      return changeSet;
    } catch (error) {
      throw this.closed ? this.closedError(error) : error;
    } finally {
      signal?.removeEventListener('abort', abort);
      this.reads.delete(controller);
    }
  }

  watch(): Observable<ChangeSet> {
    return watchByPolling(
      {
        name: this.name,
        fingerprint: (signal) => this.fingerprint({ signal, background: true }),
        load: (signal) => this.load({ signal, background: true }),
        baseline: () => this.last,
        accept: (fingerprint, checksum) => {
          this.last = { fingerprint, checksum };
        },
        report: (error) => this.listeners.report(error),
        retryAfter: retryAfterOf,
      },
      { intervalMs: this.intervalMs, backoff: this.backoff },
      (loop) => {
        if (this.closed) return undefined;
        this.loops.add(loop);
        return () => this.loops.delete(loop);
      },
    );
  }

  onError(listener: (error: ConfigError) => void): void {
    this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const loop of [...this.loops]) loop.complete();
    for (const controller of this.reads) controller.abort();
    this.client.close();
    this.listeners.clear();
  }

  /**
   * The current version's fingerprint: one `metadata/` request. A token allowed to read `data/` but
   * not `metadata/` (a common narrow policy) makes the polls read `data/` instead, from then on.
   */
  private async fingerprint(call: VaultCall): Promise<string> {
    if (!this.pollData) {
      try {
        return fingerprintText(await this.client.readFingerprint(this.mount, this.path, call));
      } catch (error) {
        if (!(error instanceof ConfigError) || error.code !== 'PERMISSION') throw error;
        this.polledSecret = await this.client.readSecret(this.mount, this.path, call);
        this.pollData = true;
        return fingerprintOf(this.polledSecret);
      }
    }
    this.polledSecret = await this.client.readSecret(this.mount, this.path, call);
    return fingerprintOf(this.polledSecret);
  }

  private async load(call: VaultCall): Promise<{ changeSet: ChangeSet; fingerprint: string }> {
    const polled = this.polledSecret;
    this.polledSecret = undefined;
    const secret = polled ?? (await this.client.readSecret(this.mount, this.path, call));
    return { changeSet: this.toChangeSet(secret), fingerprint: fingerprintOf(secret) };
  }

  private toChangeSet(secret: KvSecret): ChangeSet {
    const vaultPath = `${this.mount}/${this.path}`;
    if (secret.state !== 'live') {
      if (!this.optional) throw this.notFound(secret);
      return this.changeSet({}, 'empty', { vaultPath, missing: true, resolvedBy: 'vault' });
    }
    return this.changeSet(secret.data, String(secret.version), {
      vaultPath,
      version: secret.version,
      // The redaction rules treat every value whose origin names a resolver as secret.
      resolvedBy: 'vault',
    });
  }

  private changeSet(
    data: Record<string, unknown>,
    version: string,
    origin: Record<string, unknown>,
  ): ChangeSet {
    return {
      data: structuredClone(data),
      origins: uniformOrigins(origin),
      checksum: checksumText(`${version}\n${stableStringify(data)}`),
      source: this.name,
      timestamp: new Date(),
    };
  }

  private notFound(secret: Exclude<KvSecret, { state: 'live' }>): ConfigError {
    const where = `${this.name}: Vault at ${this.client.connection.address}`;
    const hint = 'write it, or give optional: true to treat it as an empty layer';
    const message =
      secret.state === 'absent'
        ? `${where} has no secret at ${this.mount}/data/${this.path} (404); ${hint}`
        : secret.state === 'destroyed'
          ? `${where}: the current version ${secret.version} of ${this.mount}/${this.path} is destroyed; write a new version`
          : `${where}: the current version ${secret.version} of ${this.mount}/${this.path} was deleted at ` +
            `${secret.deletionTime}; undelete it or write a new version`;
    return new ConfigError('NOT_FOUND', message, { source: this.name });
  }

  private closedError(cause?: unknown): ConfigError {
    return new ConfigError('CLOSED', `${this.name}: the source is closed`, { source: this.name, cause });
  }
}
