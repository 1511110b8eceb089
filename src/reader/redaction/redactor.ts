/**
 * The redaction rules (DESIGN.md, "Redaction"), one set for the CLI, the Config, the inspector and
 * error messages. Pure: no I/O; the caller says where values came from (`originOf`) and which secret
 * texts it knows (`secretValues`, e.g. what resolvers produced).
 */
import type { Origin } from '../provenance.js';
import { isSecretKey } from './key-names.js';
import { compilePattern, coversPath, type SecretPath, type SecretPattern } from './patterns.js';
import { isBranch, mask, REDACTED, sameKindOfNode } from './redacted.js';
import { secretPathsOfSchema } from './schema-secrets.js';
import { HIDDEN_MESSAGE, maskSecretText, type SecretScanner, SecretTexts } from './secret-text.js';
import { findByRules, maskByRules, TEXT_RULES, type TextRule } from './text-rules.js';

/** Secret texts as a caller knows them: a list (compiled on first use, per list) or compiled already. */
export type KnownSecrets = Iterable<string> | SecretScanner;

/** Where values came from and which secret texts are known: what a redactor judges against. */
export interface RedactorContext {
  /** Secret texts known to the caller (resolved values, earlier snapshots' secrets): masked wherever they appear. */
  secretValues?: () => KnownSecrets;
  /** The origin of the value at a path, when known: values interpolated from secret variables or resolved are secret. */
  originOf?: (path: readonly string[]) => Origin | undefined;
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions extends RedactorContext {
  /** Secret path patterns: path texts (`db.password`, `tenants.*.dsn`, `labels."a.b"`, `["a","b.c"]`) or key arrays; `*` is any one key. */
  paths?: readonly SecretPath[];
  /** Treat keys named like credentials as secret (default true). */
  byKeyName?: boolean;
  /** Reveal everything (`--show-secrets`): nothing is masked. */
  reveal?: boolean;
  /** A schema whose `.meta({ secret: true })` (zod 4) or `metadata({ secret: true })` (valibot) marks paths. */
  schema?: unknown;
  /** The secret shapes masked inside every string, key and message (default {@link TEXT_RULES}). */
  rules?: readonly TextRule[];
}

/** Decides what is secret and masks it. */
export interface Redactor {
  /** Whether the value at `path` is secret: a key name, a listed or schema-marked path, or its origin. */
  isSecretPath(path: readonly string[]): boolean;
  /** Whether a value with this origin is secret: interpolated from a secret-named variable, read from a secret-named env var or flag, or resolved. */
  isSecretOrigin(origin: Origin | undefined): boolean;
  /**
   * A copy of `value` (found at `basePath`, with `origin` when known) with every secret leaf replaced by
   * `[redacted]` (`null`/`undefined` stay, the shape stays), the text rules applied to every other
   * string and key, and known secret texts masked inside them. Returns `value` itself when nothing changed.
   */
  redactTree(value: unknown, basePath?: readonly string[], origin?: Origin): unknown;
  /**
   * Free text (an error message) with the text rules applied and known secret texts masked.
   * `extraSecrets` (e.g. the value a validation message is about) are masked too; when one is too
   * short to mask without destroying the text, the whole text is replaced by a notice.
   */
  redactText(text: string, extraSecrets?: Iterable<string>): string;
  /**
   * The secret texts in `value` (found at `basePath`, with `origin`): every string or number leaf at a
   * secret path or origin, and every secret a text rule finds. Feed them back through `secretValues`
   * to mask them in later messages and values.
   */
  secretsIn(value: unknown, basePath?: readonly string[], origin?: Origin): string[];
  /** The same rules judged against another context (a candidate's origins, another version's secrets). */
  withContext(context: RedactorContext): Redactor;
}

/** What {@link createRedactor} compiles once and every context shares. */
interface Compiled {
  patterns: readonly SecretPattern[];
  byKeyName: boolean;
  reveal: boolean;
  rules: readonly TextRule[];
}

/** Builds a {@link Redactor}. Throws an `INVALID_ARGUMENT` ConfigError for a path text that cannot be read. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const listed = [...(options.paths ?? [])];
  if (options.schema !== undefined) listed.push(...secretPathsOfSchema(options.schema));
  const compiled: Compiled = {
    patterns: listed.map(compilePattern).filter((pattern) => pattern.length > 0),
    byKeyName: options.byKeyName ?? true,
    reveal: options.reveal ?? false,
    rules: options.rules ?? TEXT_RULES,
  };
  return redactorFor(compiled, options);
}

/** Compiled secret texts per list handed out by `secretValues` (one per config version). */
const compiledTexts = new WeakMap<object, SecretTexts>();

function compileKnown(known: KnownSecrets | undefined): SecretScanner {
  if (known === undefined) return EMPTY_TEXTS;
  if (isScanner(known)) return known;
  const cached = compiledTexts.get(known);
  if (cached) return cached;
  const texts = new SecretTexts(known);
  compiledTexts.set(known, texts);
  return texts;
}

const EMPTY_TEXTS = new SecretTexts([]);

function isScanner(known: KnownSecrets): known is SecretScanner {
  return typeof (known as Partial<SecretScanner>).mask === 'function';
}

// One closure per rule set and context: the walk and its helpers share `compiled` and `context`.
function redactorFor(compiled: Compiled, context: RedactorContext): Redactor {
  const { patterns, byKeyName, rules } = compiled;
  const known = (): SecretScanner => compileKnown(context.secretValues?.());

  const isSecretOrigin = (origin: Origin | undefined): boolean => {
    if (!origin) return false;
    const fields = origin as Record<string, unknown>;
    if (fields.resolvedBy !== undefined) return true;
    if (!byKeyName) return false;
    const vars = fields.vars;
    if (Array.isArray(vars) && vars.some((name) => typeof name === 'string' && isSecretKey(name)))
      return true;
    return [fields.env, fields.flag].some((name) => typeof name === 'string' && isSecretKey(name));
  };

  const originIsSecret = (path: readonly string[]): boolean =>
    context.originOf !== undefined && path.length > 0 && isSecretOrigin(context.originOf(path));

  /** Key names and patterns cover ancestors; the origin is judged at `path` only (callers walk down). */
  const isSecretPath = (path: readonly string[]): boolean =>
    (byKeyName && path.some(isSecretKey)) ||
    patterns.some((pattern) => coversPath(pattern, path)) ||
    originIsSecret(path);

  /** Whether the child `path` of a non-secret parent is secret by its own key name or a pattern. */
  const isSecretChildByName = (path: readonly string[]): boolean =>
    (byKeyName && isSecretKey(path[path.length - 1] as string)) ||
    patterns.some((pattern) => pattern.length === path.length && coversPath(pattern, path));

  /** Whether the child `path` of a non-secret parent is secret: only its own key, patterns and origin. */
  const isSecretChild = (path: readonly string[]): boolean =>
    isSecretChildByName(path) || originIsSecret(path);

  /** Whether an ancestor's origin makes everything below it secret (a resolver that produced a branch). */
  const ancestorOriginIsSecret = (path: readonly string[]): boolean => {
    const { originOf } = context;
    if (originOf === undefined) return false;
    for (let end = 1; end < path.length; end++) if (isSecretOrigin(originOf(path.slice(0, end)))) return true;
    return false;
  };

  const maskText = (text: string, secrets: SecretScanner): string => maskByRules(secrets.mask(text), rules);

  const redactLeaf = (value: unknown, secrets: SecretScanner): unknown => {
    if (typeof value === 'string') return maskText(value, secrets);
    if ((typeof value === 'number' || typeof value === 'bigint') && secrets.size > 0) {
      return secrets.mask(String(value)) === REDACTED ? REDACTED : value;
    }
    return value;
  };

  /**
   * Walks below `path` on one mutable key stack (no array per node: the walk is linear in the leaves
   * and allocates only for what changes). Returns `value` itself when nothing below it changed.
   */
  const redact = (value: unknown, path: string[], secrets: SecretScanner): unknown => {
    if (!Array.isArray(value) && !isBranch(value)) return redactLeaf(value, secrets);
    const array = Array.isArray(value);
    const source = value as Record<string, unknown>;
    const keys = Object.keys(source);
    let copy: Array<[string, unknown]> | undefined;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const child = source[key];
      path.push(key);
      const next = isSecretChild(path) ? mask(child) : redact(child, path, secrets);
      path.pop();
      const shown = array ? key : maskText(key, secrets);
      if (!copy && (next !== child || shown !== key)) {
        copy = keys.slice(0, index).map((before) => [before, source[before]]);
      }
      copy?.push([shown, next]);
    }
    if (!copy) return value;
    return array ? copy.map(([, child]) => child) : Object.fromEntries(copy);
  };

  const collect = (value: unknown, path: string[], secret: boolean, into: string[]): void => {
    if (Array.isArray(value) || isBranch(value)) {
      const source = value as Record<string, unknown>;
      for (const key of Object.keys(source)) {
        path.push(key);
        if (!secret) for (const found of findByRules(key, rules)) into.push(found);
        collect(source[key], path, secret || isSecretChild(path), into);
        path.pop();
      }
      return;
    }
    if (typeof value === 'string') {
      if (secret) into.push(value);
      for (const found of findByRules(value, rules)) into.push(found);
    } else if (secret && (typeof value === 'number' || typeof value === 'bigint')) {
      into.push(String(value));
    }
  };

  /** The walk of `retiredBy`: `secret` says whether `path` is secret by its keys, patterns or origins. */
  const retired = (before: unknown, after: unknown, path: string[], secret: boolean, out: Retired): void => {
    if (before === after || before === undefined) return;
    if (sameKindOfNode(before, after)) {
      const source = before as Record<string, unknown>;
      for (const key of Object.keys(source)) {
        const child = source[key];
        const next = (after as Record<string, unknown>)[key];
        if (child === next || child === undefined) continue;
        path.push(key);
        const bySecretOrigin = originIsSecret(path);
        if (bySecretOrigin && !compiled.reveal && !sameKindOfNode(child, next))
          out.originPaths.push([...path]);
        const secretHere = secret || bySecretOrigin || isSecretChildByName(path);
        retired(child, next, path, secretHere, out);
        path.pop();
      }
      return;
    }
    collect(before, path, secret, out.texts);
  };

  const secretAt = (path: readonly string[], origin?: Origin): boolean =>
    isSecretOrigin(origin) || isSecretPath(path) || ancestorOriginIsSecret(path);

  const redactor: Redactor = {
    isSecretPath: (path) => !compiled.reveal && (isSecretPath(path) || ancestorOriginIsSecret(path)),
    isSecretOrigin: (origin) => !compiled.reveal && isSecretOrigin(origin),
    redactTree(value, basePath = [], origin) {
      if (compiled.reveal) return value;
      if (secretAt(basePath, origin)) return mask(value);
      return redact(value, [...basePath], known());
    },
    redactText(text, extraSecrets = []) {
      if (compiled.reveal) return text;
      // Secrets the caller names for this text (an issue's own value) are matched whatever their length.
      const strict = maskSecretText(text, extraSecrets, true);
      return strict === HIDDEN_MESSAGE ? strict : maskText(strict, known());
    },
    secretsIn(value, basePath = [], origin) {
      const found: string[] = [];
      collect(value, [...basePath], secretAt(basePath, origin), found);
      return found;
    },
    withContext: (next) => redactorFor(compiled, next),
  };
  changeWalks.set(redactor, (previous, current) => {
    const out: Retired = { texts: [], originPaths: [] };
    retired(previous, current, [], false, out);
    return out;
  });
  return redactor;
}

/** The change walk of each redactor (internal: not part of the public `Redactor`). */
const changeWalks = new WeakMap<Redactor, (previous: unknown, current: unknown) => Retired>();

/**
 * What replacing `previous` by `current` retired, judged by `redactor` in its context: the secret
 * texts of `previous` (as `secretsIn` finds them) wherever the two differ, and the paths of differing
 * values secret by their origin. Walks only where they differ (they share identity where the content
 * did not change) and judges each path once on the way down. Internal (the redaction service's).
 */
export function retiredBy(redactor: Redactor, previous: unknown, current: unknown): Retired {
  const walk = changeWalks.get(redactor);
  if (walk === undefined) throw new TypeError('retiredBy: not a redactor made by createRedactor');
  return walk(previous, current);
}

/** What {@link retiredBy} found. */
export interface Retired {
  texts: string[];
  originPaths: string[][];
}
