/** `@OnConfigChange(path)`: a provider method called on every published change of a config path. */
import { SetMetadata } from '@nestjs/common';
import type { ConfigChange } from '../../index.js';

/** Metadata key set on decorated methods. */
export const ON_CONFIG_CHANGE = 'livecfg:nest:on-config-change';

/** Options of {@link OnConfigChange}. */
export interface OnConfigChangeOptions {
  /** Also call the method once with the current value when the application boots (default false). */
  emitCurrent?: boolean;
}

/** What the explorer reads back from a decorated method. */
export interface OnConfigChangeMetadata {
  path: string | readonly string[] | undefined;
  emitCurrent: boolean;
}

/**
 * Calls the decorated method of a singleton provider or controller with the new value each time the
 * value at `path` changes (deep equality: other keys changing never call it), or with the
 * `ConfigChange` for every published change when `path` is omitted. Subscribed once the application
 * has bootstrapped, unsubscribed on shutdown. A throw or rejection is logged and does not unsubscribe.
 *
 * @example
 * @OnConfigChange('limits.requestsPerMinute')
 * resize(limit: number) { this.bucket.resize(limit) }
 */
export function OnConfigChange(
  path?: string | readonly string[],
  options: OnConfigChangeOptions = {},
): MethodDecorator {
  const metadata: OnConfigChangeMetadata = { path, emitCurrent: options.emitCurrent ?? false };
  return SetMetadata(ON_CONFIG_CHANGE, metadata);
}

/** The argument a whole-config `@OnConfigChange()` handler receives. */
export type ConfigChangeEvent<T = Record<string, unknown>> = ConfigChange<T>;
