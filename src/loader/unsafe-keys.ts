import { ConfigError } from '../reader/errors.js';
import type { DroppedKey } from '../reader/layers.js';
import { formatPath } from '../reader/path.js';

/** The `UNSAFE_KEY` error of a key a source supplied that was left out of the merge. */
export function unsafeKeyError({ source, path }: DroppedKey): ConfigError {
  const where = formatPath(path);
  return new ConfigError(
    'UNSAFE_KEY',
    `${source}: ignored the key at ${where}: keys named __proto__ are never merged (they could replace an object's prototype)`,
    { source, path: where },
  );
}

/** Reports each unsafe key a build dropped, once, through `report`. */
export function reportUnsafeKeys(dropped: readonly DroppedKey[], report: (error: ConfigError) => void): void {
  for (const key of dropped) report(unsafeKeyError(key));
}
