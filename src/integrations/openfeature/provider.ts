import {
  type EvaluationContext,
  type JsonValue,
  type Logger,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { parsePath } from '../../index.js';
import { changedFlagKeys } from './changes.js';
import { FlagResolver } from './resolve.js';
import type { FlagConfig } from './types.js';

/** Options of {@link LivecfgProvider}. */
export interface LivecfgProviderOptions {
  /**
   * Where the flags live: a path in livecfg's one grammar (`'features'`, `'app.flags'`,
   * `'labels."a.b"'`) or an array of keys. Default: the root (every top-level key is a flag).
   */
  prefix?: string | readonly string[];
}

/**
 * An OpenFeature provider (`@openfeature/server-sdk`, server side) that reads flags from a live
 * livecfg `Config`. The flag key is ONE key under the prefix: with prefix `features`, the flag
 * `new-checkout` reads `features.new-checkout`, and the flag `checkout.v2` reads the key `checkout.v2`
 * (`features."checkout.v2"`), not `features.checkout.v2`; a nested object is an object flag.
 *
 * - The value resolves with reason `STATIC` and `flagMetadata` `{ source, origin, path, version }`
 *   (`origin` as `config.explain` describes it: `config/flags.yaml:3:17`, `env APP_FEATURES__X`).
 * - Absent: the default value, reason `DEFAULT`, `FLAG_NOT_FOUND`. Another type: the default value,
 *   `TYPE_MISMATCH` (strings from env and flags convert as `config.at(path).bool()` / `.number()` do).
 *   A secret (what `config.redact` would mask) is never served: the default value, `GENERAL`.
 * - A published change under the prefix emits `ConfigurationChanged` with `flagsChanged` (the flag
 *   keys, as a client passes them) and `metadata.version`; a rejected edit publishes nothing, so it
 *   emits nothing. The SDK calls `initialize` (listen) and `onClose` (stop listening); closing the
 *   provider does not close the config.
 *
 * @example
 * import { OpenFeature } from '@openfeature/server-sdk';
 * import { LivecfgProvider } from 'livecfg/openfeature';
 *
 * await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
 * const client = OpenFeature.getClient();
 * if (await client.getBooleanValue('new-checkout', false)) { ... }
 */
export class LivecfgProvider implements Provider {
  /** The provider's name, as OpenFeature reports it in events and hooks. */
  readonly metadata = { name: 'livecfg' } as const;
  /** A server-side provider: the SDK refuses it in a web client. */
  readonly runsOn = 'server' as const;
  /** Where `ConfigurationChanged` events come from (the SDK forwards them to clients' handlers). */
  readonly events = new OpenFeatureEventEmitter();
  private readonly prefix: readonly string[];
  private readonly flags: FlagResolver;
  private subscription: { unsubscribe(): void } | undefined;

  /** Throws an `INVALID_ARGUMENT` ConfigError for a prefix text the path grammar cannot read. */
  constructor(
    private readonly config: FlagConfig,
    options: LivecfgProviderOptions = {},
  ) {
    const { prefix = [] } = options;
    this.prefix = typeof prefix === 'string' ? parsePath(prefix) : [...prefix];
    this.flags = new FlagResolver(config, this.prefix);
  }

  /** Starts listening to changes under the prefix (the SDK calls it when the provider is set). */
  async initialize(_context?: EvaluationContext): Promise<void> {
    if (this.subscription) return;
    let previous = this.config.get(this.prefix);
    this.subscription = this.config.watch(this.prefix, { emitCurrent: false }).subscribe((next) => {
      const flagsChanged = changedFlagKeys(previous, next);
      previous = next;
      if (flagsChanged.length === 0) return;
      this.events.emit(ProviderEvents.ConfigurationChanged, {
        flagsChanged,
        metadata: { version: this.config.version },
      });
    });
  }

  /**
   * Stops listening (the SDK calls it on `OpenFeature.close()`, `clearProviders()` or a replacement)
   * and drops the handlers on `events`: `clearProviders()` leaves the SDK's forwarding handlers on a
   * closed provider, so the same provider set again would deliver every event twice.
   */
  async onClose(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.events.removeAllHandlers();
  }

  /** The boolean flag `flagKey`; the evaluation context is not used (flags are static per snapshot). */
  async resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    _context?: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<boolean>> {
    return this.flags.resolve(flagKey, 'boolean', defaultValue);
  }

  /** The string flag `flagKey`. */
  async resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    _context?: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<string>> {
    return this.flags.resolve(flagKey, 'string', defaultValue);
  }

  /** The number flag `flagKey`. */
  async resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    _context?: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<number>> {
    return this.flags.resolve(flagKey, 'number', defaultValue);
  }

  /** The object flag `flagKey`: an object or an array, deep-frozen (it is the snapshot's own subtree). */
  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    _context?: EvaluationContext,
    _logger?: Logger,
  ): Promise<ResolutionDetails<T>> {
    return this.flags.resolve(flagKey, 'object', defaultValue);
  }
}
