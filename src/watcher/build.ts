import type { DroppedKey, Layer, LayerInput } from '../reader/layers.js';
import { mergeResolved } from '../reader/layers.js';
import type { Shape } from '../reader/schema-shape.js';
import type { StandardSchemaV1 } from '../reader/standard-schema.js';
import { validateTree } from '../reader/validate.js';

/** A candidate snapshot: the validated value and the layers it came from. */
export interface BuildResult {
  value: unknown;
  layers: Layer[];
  /** Unsafe keys left out of this build (each reported once: the layer's data is cleaned in place). */
  dropped: DroppedKey[];
}

/** Resolves, merges, coerces and validates the layers. Throws a ConfigError on any failure. */
export async function buildSnapshotValue(
  inputs: readonly LayerInput[],
  schema: StandardSchemaV1 | undefined,
  shape: Shape | undefined,
): Promise<BuildResult> {
  const { tree, layers, dropped } = mergeResolved(inputs, shape);
  const value = await validateTree(tree, schema, shape, layers);
  return { value, layers, dropped };
}
