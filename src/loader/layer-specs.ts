import type { ChangeSet, ConfigData } from '../reader/contract.js';
import { type OriginMap, uniformOrigins } from '../reader/provenance.js';
import type { LayerSpec } from './build.js';

/** The name of the lowest layer (the `defaults` option) and of the runtime override layer. */
export const DEFAULTS_SOURCE = 'defaults';
export const OVERRIDES_SOURCE = 'set';

const DEFAULT_ORIGINS: OriginMap = uniformOrigins({ default: true });
const SET_ORIGINS: OriginMap = uniformOrigins({ set: true });

/**
 * The one place the layer list is built, lowest priority first: `defaults`, then each source's
 * ChangeSet in list order, then the `set()` overrides. Layer `i + 1` is source `i`.
 */
export function layerSpecs(
  defaults: ConfigData,
  changeSets: readonly ChangeSet[],
  overrides: ConfigData,
): LayerSpec[] {
  return [
    { source: DEFAULTS_SOURCE, data: defaults, origins: DEFAULT_ORIGINS },
    ...changeSets.map(
      (changeSet): LayerSpec => ({
        source: changeSet.source,
        // Read only when used: a ChangeSet with late shaping (env) may compute its plain data lazily.
        get data() {
          return changeSet.data;
        },
        get origins() {
          return changeSet.origins;
        },
        describe: changeSet.describeOrigin,
        changeSet,
      }),
    ),
    { source: OVERRIDES_SOURCE, data: overrides, origins: SET_ORIGINS },
  ];
}
