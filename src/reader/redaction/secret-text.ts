/**
 * Masks known secret values inside free text (error messages, validation messages that repeat their
 * input, other values), as written and as they appear JSON-escaped inside quoted strings. One
 * {@link SecretTexts} is built per set of secrets (per config version) and scans a text once, in time
 * linear in its length, however many secrets there are.
 */
import { REDACTED } from './redacted.js';
import { maskByRules } from './text-rules.js';

/**
 * Known secrets shorter than this are not searched for in free text: masking every `a` or `42` would
 * destroy messages. They are still masked as values; a message that repeats one is hidden instead
 * (see {@link maskSecretText}).
 */
export const MIN_SECRET_TEXT_LENGTH = 3;

/** What a message that repeats a too-short secret is replaced with. */
export const HIDDEN_MESSAGE = '[message hidden: it repeats a secret value]';

/** The forms a secret takes in text: as written, and JSON-escaped (inside a quoted string). */
function forms(secret: string): string[] {
  if (!needsEscape(secret)) return [secret];
  const escaped = JSON.stringify(secret).slice(1, -1);
  return escaped === secret ? [secret] : [secret, escaped];
}

/** Whether JSON escapes a character of `text`: quotes, backslashes, control characters, surrogates. */
function needsEscape(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}

/** What masks secret texts inside a text: one {@link SecretTexts}, or several (see {@link unionOf}). */
export interface SecretScanner {
  /** How many secret forms it searches for. */
  readonly size: number;
  /** `text` with every occurrence of a secret replaced by `[redacted]`. */
  mask(text: string): string;
}

/** The secret forms that start with one prefix: as a set, and their distinct lengths, longest first. */
interface Bucket {
  forms: Set<string>;
  lengths: number[];
  /** How many forms have each length. */
  perLength: Map<number, number>;
}

/**
 * A set of secret texts compiled for scanning: every form of length ≥ {@link MIN_SECRET_TEXT_LENGTH},
 * bucketed by its first {@link MIN_SECRET_TEXT_LENGTH} characters. A scan looks each position up once
 * and tries the bucket's distinct lengths, longest first, with one hash lookup each: linear in the
 * text (times the few distinct lengths), however many secrets share a prefix (`pw-…`, `sk_live_…`).
 * Texts can be added and removed (counted: a text added twice stays until removed twice), so a
 * long-lived set is kept up to date without being rebuilt.
 */
export class SecretTexts implements SecretScanner {
  private readonly buckets = new Map<string, Bucket>();
  private readonly counts = new Map<string, number>();

  constructor(secrets: Iterable<string> = []) {
    this.add(secrets);
  }

  /** How many distinct forms are indexed. */
  get size(): number {
    return this.counts.size;
  }

  /** Adds secrets (each once more). */
  add(secrets: Iterable<string>): void {
    for (const secret of secrets) {
      if (typeof secret !== 'string') continue;
      for (const form of forms(secret)) {
        if (form.length < MIN_SECRET_TEXT_LENGTH) continue;
        const count = this.counts.get(form) ?? 0;
        this.counts.set(form, count + 1);
        if (count === 0) this.index(form);
      }
    }
  }

  /** Removes secrets added before (each once). */
  remove(secrets: Iterable<string>): void {
    for (const secret of secrets) {
      for (const form of forms(secret)) {
        const count = this.counts.get(form);
        if (count === undefined) continue;
        if (count > 1) this.counts.set(form, count - 1);
        else {
          this.counts.delete(form);
          this.unindex(form);
        }
      }
    }
  }

  mask(text: string): string {
    if (this.counts.size === 0 || text.length < MIN_SECRET_TEXT_LENGTH) return text;
    let out = '';
    let copied = 0;
    const last = text.length - MIN_SECRET_TEXT_LENGTH;
    for (let index = 0; index <= last; ) {
      const found = this.longestAt(text, index);
      if (found === 0) {
        index++;
        continue;
      }
      out += text.slice(copied, index) + REDACTED;
      index += found;
      copied = index;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  private index(form: string): void {
    const prefix = form.slice(0, MIN_SECRET_TEXT_LENGTH);
    let bucket = this.buckets.get(prefix);
    if (!bucket) {
      bucket = { forms: new Set(), lengths: [], perLength: new Map() };
      this.buckets.set(prefix, bucket);
    }
    bucket.forms.add(form);
    const count = bucket.perLength.get(form.length) ?? 0;
    bucket.perLength.set(form.length, count + 1);
    if (count === 0) {
      bucket.lengths.push(form.length);
      bucket.lengths.sort((a, b) => b - a);
    }
  }

  private unindex(form: string): void {
    const prefix = form.slice(0, MIN_SECRET_TEXT_LENGTH);
    const bucket = this.buckets.get(prefix);
    if (!bucket?.forms.delete(form)) return;
    const count = bucket.perLength.get(form.length) ?? 1;
    if (count > 1) bucket.perLength.set(form.length, count - 1);
    else {
      bucket.perLength.delete(form.length);
      bucket.lengths = bucket.lengths.filter((length) => length !== form.length);
    }
    if (bucket.forms.size === 0) this.buckets.delete(prefix);
  }

  private longestAt(text: string, index: number): number {
    const bucket = this.buckets.get(text.substr(index, MIN_SECRET_TEXT_LENGTH));
    if (!bucket) return 0;
    for (const length of bucket.lengths) {
      if (index + length <= text.length && bucket.forms.has(text.substr(index, length))) return length;
    }
    return 0;
  }
}

/** Masks with each scanner in turn (a version's secrets, then earlier versions'). */
export function unionOf(...scanners: readonly SecretScanner[]): SecretScanner {
  const parts = scanners.filter((scanner) => scanner.size > 0);
  if (parts.length === 1) return parts[0] as SecretScanner;
  return {
    size: parts.reduce((sum, part) => sum + part.size, 0),
    mask: (text) => parts.reduce((masked, part) => part.mask(masked), text),
  };
}

/**
 * `text` with the text rules applied (URL passwords, tokens…) and every occurrence of a secret replaced by `[redacted]`, in one
 * pass (longest first, so a secret inside another is not half-masked). Secrets shorter than
 * {@link MIN_SECRET_TEXT_LENGTH} are skipped, unless `strict`: then a text containing one is replaced
 * by {@link HIDDEN_MESSAGE} as a whole.
 */
export function maskSecretText(text: string, secrets: Iterable<string>, strict = false): string {
  const list = [...secrets];
  if (strict) {
    for (const secret of list) {
      for (const form of forms(secret)) {
        if (form !== '' && form.length < MIN_SECRET_TEXT_LENGTH && text.includes(form)) return HIDDEN_MESSAGE;
      }
    }
  }
  return maskByRules(new SecretTexts(list).mask(text));
}
