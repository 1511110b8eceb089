/**
 * Answers that depend only on the config's version (what `config.redact` and `config.redactText`
 * judge against is fixed per version): each computed once per version and key, at most `limit` kept.
 * They cost tens of microseconds per call (origin lookups), more than the rest of an evaluation.
 */
export class PerVersion<V> {
  private version = Number.NaN;
  private readonly values = new Map<string, V>();

  constructor(
    private readonly config: { readonly version: number },
    private readonly limit = 10_000,
  ) {}

  /** The answer for `key` in the current version, computed by `compute` the first time. */
  get(key: string, compute: () => V): V {
    const version = this.config.version;
    if (version !== this.version) {
      this.values.clear();
      this.version = version;
    }
    if (this.values.has(key)) return this.values.get(key) as V;
    const value = compute();
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}
