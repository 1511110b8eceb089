/** Shared by the OpenFeature tests: a flags schema and file, a recorder of provider events, cleanup. */
import {
  type CommonEventDetails,
  type ConfigChangeEvent,
  type EventDetails,
  OpenFeature,
  ProviderEvents,
} from '@openfeature/server-sdk';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { type Config, file, loadConfig } from '../../src/index.js';
import { type TempDir, useTempDirs } from '../helpers/temp-dir.js';

/** The flags' schema: `features.maxItems` must be a positive integer (the rejected edits break it). */
export const Schema = z.object({
  service: z.object({ name: z.string() }),
  features: z.looseObject({ 'new-checkout': z.boolean(), maxItems: z.number().int().positive() }),
});

/** The file the tests start from (`new-checkout` at line 4, column 3). */
export const FLAGS = `service:
  name: shop
features:
  new-checkout: false
  theme: dark
  maxItems: 20
  banner:
    text: Welcome
    colors: [red, blue]
  "checkout.v2": true
  checkout:
    v2: false
  empty:
`;

/** A running config over a real YAML file, watched. */
export interface Flags {
  dir: TempDir;
  path: string;
  config: Config<z.infer<typeof Schema>>;
  /** Replaces the file's text. */
  write(text: string): Promise<void>;
}

/**
 * Registers the cleanup of every test: OpenFeature's global singleton is reset (providers closed,
 * handlers added through {@link recordChanges} removed), configs closed, directories removed.
 */
export function useFlags(): (text?: string) => Promise<Flags> {
  const tempDir = useTempDirs();
  const configs: Config<unknown>[] = [];
  afterEach(async () => {
    for (const remove of removals.splice(0)) remove();
    await OpenFeature.clearProviders();
    await Promise.all(configs.splice(0).map((config) => config.close()));
  });
  return async (text = FLAGS) => {
    const dir = await tempDir();
    const path = await dir.write('flags.yaml', text);
    const config = await loadConfig({ schema: Schema, sources: [file(path)] });
    configs.push(config as Config<unknown>);
    return { dir, path, config, write: async (next) => void (await dir.write('flags.yaml', next)) };
  };
}

const removals: (() => void)[] = [];

/** What an `addHandler`-able thing is: a client, or a provider's own emitter. */
interface Handlers {
  addHandler(event: ProviderEvents, handler: (details?: EventDetails) => void): void;
  removeHandler(event: ProviderEvents, handler: (details?: EventDetails) => void): void;
}

/** Records every `ConfigurationChanged` event `target` delivers; removed after the test. */
export function recordChanges(target: Handlers): ChangeRecorder {
  const recorder = new ChangeRecorder();
  const handler = (details?: EventDetails): void => recorder.push(details);
  target.addHandler(ProviderEvents.ConfigurationChanged, handler);
  removals.push(() => target.removeHandler(ProviderEvents.ConfigurationChanged, handler));
  return recorder;
}

/** A `ConfigurationChanged` event as a handler receives it. */
export type ChangeEvent = ConfigChangeEvent & CommonEventDetails;

/** The events received, in order, and a bounded wait for the n-th one. */
export class ChangeRecorder {
  readonly events: ChangeEvent[] = [];
  private readonly waiters = new Set<() => void>();

  push(details: EventDetails | undefined): void {
    this.events.push((details ?? {}) as ChangeEvent);
    for (const waiter of [...this.waiters]) waiter();
  }

  /** The event at `index` (0 = the first ever received), waiting up to `timeoutMs` for it. */
  nth(index: number, timeoutMs = 5_000): Promise<ChangeEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const event = this.events[index];
        if (event === undefined) return false;
        done();
        resolve(event);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ConfigurationChanged event #${index} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** How many distinct paths the config's fan-out watches (a test-only look inside: no public counter). */
export function watchedPaths(config: object): number {
  return (config as unknown as { loader: { fanout: { size: number } } }).loader.fanout.size;
}
