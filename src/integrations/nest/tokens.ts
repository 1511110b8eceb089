/** The injection tokens of `livecfg/nest`. */
import { Inject } from '@nestjs/common';
import { Config } from '../../index.js';

/** The options given to `forRoot`/`forRootAsync` (resolved), for advanced providers. */
export const LIVECFG_OPTIONS = Symbol.for('livecfg:nest:options');

/**
 * The loaded `Config` is provided under the `Config` class itself, so
 * `constructor(private config: Config<AppConfig>)` resolves by type when the build emits decorator
 * metadata (Nest CLI, tsc with `emitDecoratorMetadata`). Builds that do not (tsx, vitest, esbuild,
 * swc without it) name the token with {@link InjectConfig}.
 */
export const LIVECFG_CONFIG = Config;

/**
 * Parameter decorator injecting the loaded `Config`; type the parameter with your schema.
 *
 * @example
 * constructor(@InjectConfig() private readonly config: Config<z.infer<typeof Schema>>) {}
 */
export function InjectConfig(): PropertyDecorator & ParameterDecorator {
  return Inject(LIVECFG_CONFIG);
}
