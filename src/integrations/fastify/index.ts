/**
 * `livecfg/fastify`: a Fastify plugin that loads a live config before the app is ready, decorates
 * `fastify.config`, logs rejected reloads, optionally serves the inspector, and closes everything in
 * `onClose`. `fastify` is an optional peer dependency. The plugin carries Fastify's `skip-override`
 * mark itself (what `fastify-plugin` would set), so the decorator is visible to the whole app.
 *
 * @example
 * import Fastify from 'fastify';
 * import livecfg from 'livecfg/fastify';
 * import { file } from 'livecfg';
 *
 * declare module 'livecfg/fastify' {
 *   interface LivecfgFastifyTypes { schema: typeof Schema }   // types fastify.config
 * }
 * const app = Fastify();
 * await app.register(livecfg, { schema: Schema, sources: [file('config.yaml')], inspector: { prefix: '/config' } });
 * app.get('/', () => ({ greeting: app.config.get('greeting') }));
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { StandardSchemaV1 } from '../../index.js';
import { type Config, type ConfigError, type LoadOptions, loadConfig } from '../../index.js';
import { createInspector, type Inspector, type InspectorMountOptions } from '../shared/load-inspector.js';
import { mountNodeHandler } from './mount.js';

export type { InspectorDenial, InspectorMountOptions } from '../shared/load-inspector.js';

/**
 * Augment this interface to type `fastify.config` with your schema (its output type), or with a
 * plain `value` type. Without either, `fastify.config` is an untyped `Config`.
 *
 * @example
 * declare module 'livecfg/fastify' {
 *   interface LivecfgFastifyTypes { schema: typeof Schema }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface users augment through declaration merging
export interface LivecfgFastifyTypes {}

/** The value type of `fastify.config`: from `LivecfgFastifyTypes.schema`, else `.value`, else untyped. */
export type FastifyConfigValue = LivecfgFastifyTypes extends { schema: infer S extends StandardSchemaV1 }
  ? StandardSchemaV1.InferOutput<S>
  : LivecfgFastifyTypes extends { value: infer V }
    ? V
    : Record<string, unknown>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The live config loaded by `livecfg/fastify` (typed through `LivecfgFastifyTypes`). */
    config: Config<FastifyConfigValue>;
  }
}

/** Where and how to serve the inspector: its options plus the route prefix (default `/config`). */
export interface FastifyInspectorOptions extends InspectorMountOptions {
  prefix?: string;
}

/** Options of the plugin: every `loadConfig` option, plus the optional inspector. */
export type LivecfgFastifyOptions<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined> =
  LoadOptions<S> & {
    /** Serve the inspector under `prefix` (`true`: under `/config`). Mind `authorize` outside loopback. */
    inspector?: FastifyInspectorOptions | boolean;
  };

async function plugin(app: FastifyInstance, options: LivecfgFastifyOptions): Promise<void> {
  const { inspector: inspectorOption, ...loadOptions } = options;
  const config = (await loadConfig(
    loadOptions as LoadOptions<undefined>,
  )) as unknown as Config<FastifyConfigValue>;
  let inspector: Inspector | undefined;
  try {
    // Throws FST_ERR_DEC_ALREADY_PRESENT when another plugin (@fastify/env…) already owns `config`.
    app.decorate('config', config);
    if (inspectorOption) {
      const { prefix = '/config', ...mountOptions } = inspectorOption === true ? {} : inspectorOption;
      inspector = await createInspector(config, mountOptions);
      mountNodeHandler(app, prefix, inspector);
    }
  } catch (error) {
    await config.close();
    throw error;
  }
  // A rejected edit keeps the last good snapshot; say so in the app's log.
  const errors = config.errors$.subscribe((error: ConfigError) => {
    app.log.error({ code: error.code, source: error.source }, `livecfg: ${error.message}`);
  });
  // Before the server stops accepting: end the inspector's event streams, or they would hold it open.
  app.addHook('preClose', async () => {
    inspector?.close();
  });
  app.addHook('onClose', async () => {
    errors.unsubscribe();
    await config.close();
  });
}

/**
 * What `fastify-plugin` would add, written out: `skip-override` (no encapsulation: the decorator and
 * hooks reach the registering scope), the display name, and the metadata Fastify checks on
 * registration (`name`, the supported `fastify` version range).
 */
function markAsPlugin<T extends (...args: never[]) => unknown>(
  fn: T,
  meta: { name: string; fastify: string },
): T {
  const marks = fn as unknown as Record<symbol, unknown>;
  marks[Symbol.for('skip-override')] = true;
  marks[Symbol.for('fastify.display-name')] = meta.name;
  marks[Symbol.for('plugin-meta')] = meta;
  return fn;
}

/**
 * The plugin: `app.register(livecfg, { schema, sources, inspector })`. Registration resolves once the
 * config is loaded; a source that fails at startup fails `app.ready()` with its `ConfigError`.
 */
const livecfg: FastifyPluginAsync<LivecfgFastifyOptions> = markAsPlugin(plugin, {
  name: 'livecfg',
  fastify: '5.x',
});

export default livecfg;
export { livecfg };
