/**
 * The token a Vault client sends: a fixed one, or one from AppRole login that is renewed at about
 * two thirds of its lease (Vault's LifetimeWatcher) and replaced by a new login at once when renewal
 * stops extending it (the max TTL) or fails, and when a request is denied.
 */
import { ConfigError } from '../../reader/errors.js';
import type { HttpClient } from '../../source-kit/http-client.js';
import type { VaultConnection } from './connection.js';
import { statusError, transportError } from './errors.js';
import { sendVault, type VaultCall } from './http.js';

interface Lease {
  token: string;
  /** Seconds granted by the last login or renewal; 0 = does not expire. */
  leaseSeconds: number;
  renewable: boolean;
}

/** Hands out the current token; logs in with AppRole when needed. `close()` stops the renewal timer. */
export class TokenSource {
  private lease: Lease | undefined;
  private pending: Promise<Lease> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly http: HttpClient,
    private readonly connection: VaultConnection,
    private readonly name: string,
    private readonly onError: (error: ConfigError) => void = () => {},
  ) {}

  /** Whether a new login can replace a denied token (AppRole); a fixed token cannot be replaced. */
  get canRelogin(): boolean {
    return this.connection.appRole !== undefined;
  }

  /** The token to send (undefined when none is configured: Vault then answers 403). */
  async token(call: VaultCall = {}): Promise<string | undefined> {
    if (!this.connection.appRole) return this.connection.token;
    if (this.lease) return this.lease.token;
    this.pending ??= this.login(call).finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).token;
  }

  /** Forgets an AppRole token that was denied, so the next request logs in again. */
  invalidate(token: string | undefined): void {
    if (this.lease && this.lease.token === token) {
      this.lease = undefined;
      this.clearTimer();
    }
  }

  /** Stops renewing. */
  close(): void {
    this.closed = true;
    this.clearTimer();
  }

  private async login(call: VaultCall): Promise<Lease> {
    const role = this.connection.appRole!;
    const what = `auth/${role.mount}/login`;
    const context = { name: this.name, address: this.connection.address, what };
    let response: Awaited<ReturnType<typeof sendVault>>;
    try {
      response = await sendVault(this.http, this.connection, {
        ...call,
        method: 'POST',
        path: what,
        body: { role_id: role.roleId, secret_id: role.secretId },
      });
    } catch (error) {
      throw transportError(context, error);
    }
    const auth = (
      response.json as { auth?: { client_token?: unknown; lease_duration?: unknown; renewable?: unknown } }
    )?.auth;
    if (response.status !== 200 || typeof auth?.client_token !== 'string') {
      const failure = statusError(context, response);
      // A 400 here means the role_id or secret_id is wrong: a permission problem, not a missing secret.
      throw response.status === 400
        ? new ConfigError(
            'PERMISSION',
            `${failure.message.replace(/HTTP 400/, 'HTTP 400 to the AppRole login')}`,
            {
              source: this.name,
            },
          )
        : failure;
    }
    const lease: Lease = {
      token: auth.client_token,
      leaseSeconds: typeof auth.lease_duration === 'number' ? auth.lease_duration : 0,
      renewable: auth.renewable === true,
    };
    if (!this.closed) {
      this.lease = lease;
      this.schedule(lease);
    }
    return lease;
  }

  private schedule(lease: Lease): void {
    this.clearTimer();
    if (!lease.renewable || lease.leaseSeconds <= 0 || this.closed) return;
    const delayMs = Math.max(500, (lease.leaseSeconds * 1000 * 2) / 3);
    this.timer = setTimeout(() => void this.renew(lease), delayMs);
    this.timer.unref();
  }

  private async renew(lease: Lease): Promise<void> {
    this.timer = undefined;
    if (this.closed || this.lease !== lease) return;
    const context = { name: this.name, address: this.connection.address, what: 'auth/token/renew-self' };
    try {
      const response = await sendVault(this.http, this.connection, {
        background: true,
        method: 'POST',
        path: 'auth/token/renew-self',
        token: lease.token,
        body: { increment: lease.leaseSeconds },
      });
      const auth = (response.json as { auth?: { lease_duration?: unknown } } | undefined)?.auth;
      if (response.status !== 200 || typeof auth?.lease_duration !== 'number')
        throw statusError(context, response);
      if (this.closed || this.lease !== lease) return;
      const granted = auth.lease_duration;
      if (granted < lease.leaseSeconds) {
        // The max TTL caps it: the lease stopped growing. Log in again now, while it still runs.
        this.relogin(lease);
        return;
      }
      lease.leaseSeconds = granted;
      this.schedule(lease);
    } catch (error) {
      this.onError(transportError(context, error));
      this.relogin(lease);
    }
  }

  /** Replaces a lease that can no longer be extended with a new login (in the background). */
  private relogin(lease: Lease): void {
    if (this.closed || this.lease !== lease) return;
    this.invalidate(lease.token);
    this.token({ background: true }).catch((error: unknown) => {
      const context = { name: this.name, address: this.connection.address, what: 'auth/approle/login' };
      this.onError(transportError(context, error));
    });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
