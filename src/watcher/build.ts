import type { Layer, LayerInput } from '../reader/layers.js';
import { mergeResolved } from '../reader/layers.js';
import type { Shape } from '../reader/schema-shape.js';
import type { StandardSchemaV1 } from '../reader/standard-schema.js';
import { validateTree } from '../reader/validate.js';

/** A candidate snapshot: the validated value and the layers it came from. */
export interface BuildResult {
  value: unknown;
  layers: Layer[];
}

/** Resolves, merges, coerces and validates the layers. Throws a ConfigError on any failure. */
export async function buildSnapshotValue(
  inputs: readonly LayerInput[],
  schema: StandardSchemaV1 | undefined,
  shape: Shape | undefined,
): Promise<BuildResult> {
  const { tree, layers } = mergeResolved(inputs, shape);
  const value = await validateTree(tree, schema, shape, layers);
  return { value, layers };
}
