/**
 * The redaction service of one Config: the rules of `src/reader/redaction` (key names, schema marks,
 * the `secrets` option, resolved values, values interpolated from secret-named variables, the text
 * rules), judged against the snapshot a message is about: the current one for values, the candidate
 * of a rejected change for its error, and both snapshots of a change for change events, history
 * entries and messages. Secret texts are collected once per version and scanned in linear time.
 */
import type { ChangeDetail, ConfigChange, HistoryEntry } from '../publish/types.js';
import { ConfigError } from '../reader/errors.js';
import { withoutOriginScans } from '../reader/formats/offset-origins.js';
import { type Layer, secrecyOriginAt } from '../reader/layers.js';
import { type PathInput, parsePath, toPath } from '../reader/path.js';
import type { Origin } from '../reader/provenance.js';
import {
  createRedactor,
  type Redactor,
  type SecretPath,
  type SecretScanner,
  SecretTexts,
  unionOf,
} from '../reader/redaction/index.js';
import { candidateOf, gotText, type RejectedCandidate } from '../reader/validate.js';
import { RetiredSecrets } from './retired-secrets.js';

/**
 * What `config.redaction` offers: every output of livecfg (the inspector, the CLI, history, error
 * messages) goes through it. Read-only; one per Config, built by `loadConfig` from its options.
 */
export interface ConfigRedaction {
  /** Whether the value at `path` is secret (key name, schema mark, `secrets` option, resolver, secret variable). */
  isSecret(path: PathInput): boolean;
  /** A copy of `value` (found at `path`, default the root) with every secret leaf shown as `[redacted]`. */
  redact(value: unknown, path?: PathInput): unknown;
  /** `text` with every secret text of the current and recent snapshots, and every secret shape, masked. */
  redactText(text: string): string;
  /** An error with secrets masked, judged against the candidate it rejected (its message, issues and values). */
  redactError<E>(error: E): E;
  /** A change event with its `previous` and `current` trees redacted, each against its own snapshot's secrets. */
  redactChange<C extends ConfigChange<unknown>>(change: C): C;
  /** A history entry with every previous and new value redacted against both snapshots of its change. */
  redactHistoryEntry(entry: HistoryEntry): HistoryEntry;
  /** The same service with more secret paths (the inspector's `secrets` option), written as for `secrets`. */
  withSecrets(paths: readonly (string | readonly string[])[]): ConfigRedaction;
}

/** The snapshot the service judges against (none before the first one is built). */
export interface RedactionSnapshot {
  value: unknown;
  version: number;
  layers: readonly Layer[];
}

/** What a judgement against one snapshot needs: the rules in that context and its secret texts. */
interface Judge {
  rules: Redactor;
  texts: SecretScanner;
}

/** An origin standing for "secret by its origin in an earlier snapshot". */
const RETIRED_ORIGIN: Origin = { resolvedBy: 'earlier snapshot' };

/** The redaction service of one Config (see {@link ConfigRedaction}). */
export class RedactionService implements ConfigRedaction {
  private readonly rules: Redactor;
  private readonly retired: RetiredSecrets;
  private cached: { key: string; judge: Judge } | undefined;
  private snapshot: () => RedactionSnapshot | undefined = () => undefined;
  /** The layers of the last snapshot seen: the previous snapshot's, when the next change arrives. */
  private seenLayers: readonly Layer[] = [];
  private readonly derived = new Set<WeakRef<RedactionService>>();

  /** Throws `INVALID_ARGUMENT` for a secret path that cannot be read. */
  constructor(
    private readonly options: { schema?: unknown; secrets?: readonly SecretPath[]; history?: number },
  ) {
    try {
      this.rules = createRedactor({ schema: options.schema, paths: options.secrets ?? [] });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ConfigError('INVALID_ARGUMENT', `secrets: ${message}`);
    }
    this.retired = new RetiredSecrets(Math.max(options.history ?? 100, 1));
  }

  /** Judges against `snapshot()` from now on (the loader's current snapshot). */
  follow(snapshot: () => RedactionSnapshot): void {
    this.snapshot = snapshot;
    this.seenLayers = snapshot().layers;
  }

  /**
   * Records what a published change retired (call it for every change, before anyone redacts it):
   * the secret texts of the previous snapshot where it differs from the current one.
   */
  observe(change: { version: number; previous: unknown; current: unknown }): void {
    const previousLayers = this.seenLayers;
    this.seenLayers = this.snapshot()?.layers ?? [];
    this.retired.record(change.version, change.previous, change.current, previousLayers, this.rules);
    for (const ref of this.derived) {
      const service = ref.deref();
      if (service)
        service.retired.record(
          change.version,
          change.previous,
          change.current,
          previousLayers,
          service.rules,
        );
      else this.derived.delete(ref);
    }
  }

  isSecret(path: PathInput): boolean {
    return this.current().rules.isSecretPath(toPath(path));
  }

  redact(value: unknown, path: PathInput = []): unknown {
    return this.current().rules.redactTree(value, toPath(path));
  }

  redactText(text: string): string {
    return this.historyRules().redactText(text);
  }

  redactError<E>(error: E): E {
    if (!(error instanceof ConfigError)) return error;
    const candidate = candidateOf(error);
    const { rules } = candidate ? this.candidateJudge(candidate) : this.current();
    let message = error.message;
    const strict: string[] = [];
    const issues = error.issues?.map((issue) => {
      const keys = safeKeys(issue.path);
      const secretHere = rules.isSecretPath(keys) || rules.isSecretOrigin(issue.origin);
      const own = secretHere ? rules.secretsIn(issue.value, keys, issue.origin) : [];
      strict.push(...own);
      const value = issue.value === undefined ? undefined : rules.redactTree(issue.value, keys, issue.origin);
      // The message repeats the value (`got {…}`, cut at 200 characters): show the redacted one instead.
      if (value !== issue.value) message = message.split(gotText(issue.value)).join(gotText(value));
      const redacted = { ...issue, message: rules.redactText(issue.message, own) };
      if (issue.value !== undefined) redacted.value = value;
      return redacted;
    });
    message = rules.redactText(message, strict);
    if (!candidate && message === error.message && !issues?.some((item, i) => changedIssue(item, error, i))) {
      return error;
    }
    const copy = new ConfigError(error.code, message, {
      source: error.source,
      path: error.path,
      file: error.file,
      line: error.line,
      column: error.column,
      issues,
      cause: error.cause,
    });
    copy.stack = `${copy.name}: ${message}`;
    return copy as E;
  }

  redactChange<C extends ConfigChange<unknown>>(change: C): C {
    const rules = this.historyRules();
    const { rules: current } = this.current();
    return {
      ...change,
      previous: rules.redactTree(change.previous),
      current: current.redactTree(change.current),
    } as C;
  }

  redactHistoryEntry(entry: HistoryEntry): HistoryEntry {
    const rules = this.historyRules();
    const text = (value: string | undefined) => (value === undefined ? undefined : rules.redactText(value));
    return {
      ...entry,
      source: rules.redactText(entry.source),
      changes: entry.changes.map((change): ChangeDetail => {
        const keys = safeKeys(change.path);
        const detail: ChangeDetail = {
          path: rules.redactText(change.path),
          previous: rules.redactTree(change.previous, keys),
          value: rules.redactTree(change.value, keys),
          source: text(change.source),
          origin: originText(change.origin, (value) => rules.redactText(value)),
        };
        if (change.description !== undefined) detail.description = rules.redactText(change.description);
        return detail;
      }),
    };
  }

  withSecrets(paths: readonly SecretPath[]): ConfigRedaction {
    if (paths.length === 0) return this;
    const service = new RedactionService({
      ...this.options,
      secrets: [...(this.options.secrets ?? []), ...paths],
    });
    service.snapshot = () => this.snapshot();
    service.seenLayers = this.seenLayers;
    this.derived.add(new WeakRef(service));
    return service;
  }

  /** The judgement against the current snapshot: cached per version. */
  private current(): Judge {
    const snapshot = this.snapshot();
    const key = `${snapshot?.version ?? 0}`;
    if (this.cached?.key === key) return this.cached.judge;
    const layers = snapshot?.layers ?? [];
    const originOf = (path: readonly string[]) => secrecyOriginAt(layers, path);
    const texts = new SecretTexts(this.secretTexts(snapshot?.value ?? {}, layers, originOf));
    const judge = { rules: this.rules.withContext({ originOf, secretValues: () => texts }), texts };
    this.cached = { key, judge };
    return judge;
  }

  /** Every secret text of a snapshot: its value and each layer's raw data. */
  private secretTexts(
    value: unknown,
    layers: readonly Layer[],
    originOf: (path: readonly string[]) => Origin | undefined,
  ): Set<string> {
    const texts = new Set<string>(this.rules.withContext({ originOf }).secretsIn(value));
    for (const layer of layers) {
      const own = this.rules.withContext({
        originOf: (path) => withoutOriginScans(() => layer.origins?.lookup(path)),
      });
      for (const text of own.secretsIn(layer.data)) texts.add(text);
    }
    return texts;
  }

  /** The judgement against a rejected candidate: its origins, its secret texts and the current ones. */
  private candidateJudge(candidate: RejectedCandidate): Judge {
    const originOf = (path: readonly string[]) => secrecyOriginAt(candidate.layers, path);
    const own = new SecretTexts(this.secretTexts(candidate.value, candidate.layers, originOf));
    const texts = unionOf(own, this.current().texts, this.retired.texts);
    return { rules: this.rules.withContext({ originOf, secretValues: () => texts }), texts };
  }

  /** The judgement for changes and messages: the current snapshot's, plus what earlier ones held. */
  private historyRules(): Redactor {
    const texts = unionOf(this.current().texts, this.retired.texts);
    const layers = this.snapshot()?.layers ?? [];
    return this.rules.withContext({
      secretValues: () => texts,
      originOf: (path) =>
        this.retired.wasSecretByOrigin(path) ? RETIRED_ORIGIN : secrecyOriginAt(layers, path),
    });
  }
}

/** The keys of a dotted path as livecfg writes it; an unreadable one is taken as one key. */
function safeKeys(path: string): string[] {
  try {
    return parsePath(path);
  } catch {
    return [path];
  }
}

function changedIssue(
  item: { message: string; value?: unknown },
  error: ConfigError,
  index: number,
): boolean {
  const before = error.issues?.[index];
  return item.message !== before?.message || item.value !== before?.value;
}

/** An origin with its string fields masked like free text (a URL-looking key could carry a password). */
function originText(origin: Origin | undefined, redact: (text: string) => string): Origin | undefined {
  if (origin === undefined || origin === null || typeof origin !== 'object') return origin;
  return Object.fromEntries(
    Object.entries(origin).map(([key, value]) => [key, typeof value === 'string' ? redact(value) : value]),
  ) as Origin;
}
