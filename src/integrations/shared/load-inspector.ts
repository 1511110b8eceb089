/**
 * Loads `livecfg/inspector` only when an app mounts it, so the Nest and Fastify integrations cost
 * nothing to users who do not (a dynamic import: its own chunk in the build).
 */
import type { Inspector, InspectorOptions } from '../../inspector/index.js';

export type {
  AuthorizeDenial as InspectorDenial,
  Inspector,
  InspectorOptions,
} from '../../inspector/index.js';

/** The inspector's options an integration passes through: every `InspectorOptions` field. */
export type InspectorMountOptions = InspectorOptions;

/** Imports the inspector and builds its handler for `config` (a `Config` from `loadConfig`). */
export async function createInspector(
  config: Parameters<typeof import('../../inspector/index.js').inspector>[0],
  options: InspectorMountOptions,
): Promise<Inspector> {
  const { inspector } = await import('../../inspector/index.js');
  return inspector(config, options);
}
