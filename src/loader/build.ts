import type { ChangeSet, ConfigData, KeyHints } from '../reader/contract.js';
import { toConfigError } from '../reader/errors.js';
import { type DroppedKey, hintsFrom, type Layer } from '../reader/layers.js';
import { mergeLayer } from '../reader/merge.js';
import type { OriginDescriber } from '../reader/origin-text.js';
import type { OriginMap } from '../reader/provenance.js';
import type { Shape } from '../reader/schema-shape.js';
import type { StandardSchemaV1 } from '../reader/standard-schema.js';
import { validateTree } from '../reader/validate.js';
import type { ResolveMemo } from './resolve-memo.js';
import { type ResolverStage, withResolvedBy } from './resolvers.js';

/** One layer as the loader hands it to a build: a ChangeSet (sources) or fixed data (defaults, set()). */
export interface LayerSpec {
  source: string;
  data: ConfigData;
  origins?: OriginMap;
  /** The source's describer of its origins. */
  describe?: OriginDescriber;
  /** The ChangeSet it came from, when it needs late shaping (`resolve`). */
  changeSet?: ChangeSet;
}

/** What a build needs besides the layers. */
export interface BuildContext {
  schema: StandardSchemaV1 | undefined;
  shape: Shape | undefined;
  memo: ResolveMemo;
  resolvers: ResolverStage;
  signal?: AbortSignal;
}

/** A candidate snapshot: the merged tree, the validated value and the layers it came from. */
export interface BuildResult {
  /** The merged tree before coercion and validation (kept for incremental patches). */
  merged: ConfigData;
  value: unknown;
  layers: Layer[];
  /** For each layer: pathKey → resolver name of the values a resolver produced. */
  resolvedBy: ReadonlyMap<string, string>[];
  /** Unsafe keys left out of this build (each reported once: the layer's data is cleaned in place). */
  dropped: DroppedKey[];
  /** An incremental build: the only paths at which `value` differs from the current snapshot's. */
  valueRoots?: (readonly string[])[];
}

/** Shapes one layer: late shaping (memoised), then resolvers. */
export async function shapeLayer(
  spec: LayerSpec,
  hints: () => KeyHints,
  context: BuildContext,
): Promise<{ layer: Layer; resolvedBy: ReadonlyMap<string, string> }> {
  const changeSet = spec.changeSet;
  const shaped = changeSet?.resolve
    ? context.memo.resolve(changeSet as ChangeSet & Required<Pick<ChangeSet, 'resolve'>>, hints())
    : spec;
  if (!context.resolvers.active) {
    return {
      layer: { source: spec.source, data: shaped.data, origins: shaped.origins, describe: spec.describe },
      resolvedBy: new Map(),
    };
  }
  const resolved = await context.resolvers.resolveLayer(shaped.data, spec.source, context.signal);
  return {
    layer: {
      source: spec.source,
      data: resolved.data,
      origins: withResolvedBy(shaped.origins, resolved.resolvedBy),
      describe: spec.describe,
    },
    resolvedBy: resolved.resolvedBy,
  };
}

/** Shapes, resolves, merges (lowest priority first), coerces and validates. Throws a ConfigError on failure. */
export async function buildFull(specs: readonly LayerSpec[], context: BuildContext): Promise<BuildResult> {
  let tree: ConfigData = {};
  const layers: Layer[] = [];
  const resolvedBy: ReadonlyMap<string, string>[] = [];
  const dropped: DroppedKey[] = [];
  for (const spec of specs) {
    const below = tree;
    const shaped = await shapeLayer(spec, () => hintsFrom(context.shape, below), context);
    layers.push(shaped.layer);
    resolvedBy.push(shaped.resolvedBy);
    const droppedHere: string[][] = [];
    try {
      tree = mergeLayer(tree, shaped.layer.data, droppedHere);
    } catch (error) {
      throw toConfigError(error, 'PARSE', spec.source);
    }
    for (const path of droppedHere) dropped.push({ source: spec.source, path });
  }
  context.resolvers.endBuild();
  const value = await validateTree(tree, context.schema, context.shape, layers);
  return { merged: tree, value, layers, resolvedBy, dropped };
}
