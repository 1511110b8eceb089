/**
 * What the redaction of a Config keeps of its earlier snapshots: for each published change, the secret
 * texts and origin-secret paths of the previous snapshot that the change replaced (a rotated password,
 * a value that was resolved). Found by walking only where the two snapshots differ (they share identity
 * wherever the content did not change), so the cost is that of the change, and nothing pins an old
 * document: a few strings and paths per change, for as many changes as the history keeps.
 */
import type { Layer } from '../reader/layers.js';
import { secrecyOriginAt } from '../reader/layers.js';
import { pathKey } from '../reader/provenance.js';
import { type Redactor, retiredBy, SecretTexts } from '../reader/redaction/index.js';

/** What one change retired: secret texts and the keys (`pathKey`) of values secret by their origin. */
interface Retired {
  version: number;
  texts: readonly string[];
  originPaths: readonly string[];
}

/** A ring of the secrets earlier snapshots held, one record per change. */
export class RetiredSecrets {
  private readonly records: Retired[] = [];
  /** Every retired text of the remembered records, compiled (kept up to date, never rebuilt). */
  readonly texts = new SecretTexts();
  /** The origin-secret paths of the remembered records, counted. */
  private readonly originPaths = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /**
   * Records what the change from `previous` (with `previousLayers`) to `current` retired, judged by
   * `rules` against the previous snapshot's origins (without positions: no document is scanned).
   */
  record(
    version: number,
    previous: unknown,
    current: unknown,
    previousLayers: readonly Layer[],
    rules: Redactor,
  ): void {
    const originOf = (path: readonly string[]) => secrecyOriginAt(previousLayers, path);
    const { texts, originPaths: paths } = retiredBy(rules.withContext({ originOf }), previous, current);
    const originPaths = paths.map(pathKey);
    if (texts.length === 0 && originPaths.length === 0) return;
    this.records.push({ version, texts, originPaths });
    this.texts.add(texts);
    for (const key of originPaths) this.originPaths.set(key, (this.originPaths.get(key) ?? 0) + 1);
    if (this.records.length <= this.limit) return;
    const dropped = this.records.shift() as Retired;
    this.texts.remove(dropped.texts);
    for (const key of dropped.originPaths) {
      const count = this.originPaths.get(key) ?? 1;
      if (count > 1) this.originPaths.set(key, count - 1);
      else this.originPaths.delete(key);
    }
  }

  /** Whether the value at `path` was secret by its origin in an earlier snapshot still remembered. */
  wasSecretByOrigin(path: readonly string[]): boolean {
    return this.originPaths.size > 0 && this.originPaths.has(pathKey(path));
  }
}
