import { changedPathsUpTo } from '../publish/diff.js';
import type { ConfigData } from '../reader/contract.js';
import { hintsFromLayers, type Layer } from '../reader/layers.js';
import { type BuildContext, type BuildResult, type LayerSpec, shapeLayer } from './build.js';
import { patchIncrementally } from './incremental.js';

/** The most changed paths a commit patches one by one; a larger change is rebuilt whole. */
export const MAX_INCREMENTAL_PATHS = 128;

/** What the current snapshot was built from, for explain and incremental patches. */
export interface Built {
  merged: ConfigData;
  layers: Layer[];
  resolvedBy: ReadonlyMap<string, string>[];
}

/** A change of one layer (index; 0 = defaults) along its delta's paths, or with none (then diffed). */
export interface LayerChange {
  layer: number;
  paths?: readonly (readonly string[])[];
}

/**
 * The incremental build of a change of one layer over what the current snapshot was built from, or
 * `undefined` when a full build is needed: the changed layer needs late shaping, the change touches
 * more than {@link MAX_INCREMENTAL_PATHS} paths, or `patchIncrementally` declines. Late shaping above
 * the change (env names mapped with the keys below) is asked again only where a changed path can
 * reach its questions; when its answer changed, its own diff joins in.
 */
export async function buildIncrementally(
  change: LayerChange,
  specs: readonly LayerSpec[],
  built: Built,
  value: unknown,
  context: BuildContext,
): Promise<BuildResult | undefined> {
  if (built.layers.length !== specs.length) return undefined;
  const spec = specs[change.layer];
  if (!spec || spec.changeSet?.resolve) return undefined;
  const shaped = await shapeLayer(spec, () => ({ childKeys: () => [] }), context);
  const layers = [...built.layers];
  const previous = layers[change.layer] as Layer;
  layers[change.layer] = shaped.layer;
  const resolvedBy = [...built.resolvedBy];
  resolvedBy[change.layer] = shaped.resolvedBy;
  // Each path copies the objects along it: past a few hundred, one full rebuild is cheaper.
  const found = change.paths ?? changedPathsUpTo(previous.data, shaped.layer.data, MAX_INCREMENTAL_PATHS);
  if (!found || found.length > MAX_INCREMENTAL_PATHS) return undefined;
  const paths = [...found];
  const previousData = [previous.data];
  for (let index = change.layer + 1; index < specs.length; index++) {
    const above = specs[index] as LayerSpec;
    if (!above.changeSet?.resolve) continue;
    const below = hintsFromLayers(context.shape, layers.slice(0, index));
    if (context.memo.reuse(above.changeSet, paths, below)?.data === (layers[index] as Layer).data) continue;
    const reshaped = await shapeLayer(above, () => below, context);
    const before = layers[index] as Layer;
    if (reshaped.layer.data === before.data) continue;
    const more = changedPathsUpTo(before.data, reshaped.layer.data, MAX_INCREMENTAL_PATHS);
    if (!more || paths.length + more.length > MAX_INCREMENTAL_PATHS) return undefined;
    paths.push(...more);
    previousData.push(before.data);
    layers[index] = reshaped.layer;
    resolvedBy[index] = reshaped.resolvedBy;
  }
  const patched = await patchIncrementally({
    layers,
    previousData,
    paths,
    merged: built.merged,
    value,
    schema: context.schema,
    shape: context.shape,
  });
  if (!patched) return undefined;
  const result: BuildResult = {
    merged: patched.merged,
    value: patched.value,
    layers,
    resolvedBy,
    dropped: patched.dropped,
  };
  if (patched.valueRoots) result.valueRoots = patched.valueRoots;
  return result;
}
