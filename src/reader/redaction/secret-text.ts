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
  const escaped = JSON.stringify(secret).slice(1, -1);
  return escaped === secret ? [secret] : [secret, escaped];
}

/**
 * A set of secret texts compiled for scanning: every form of length ≥ {@link MIN_SECRET_TEXT_LENGTH},
 * indexed by its first {@link MIN_SECRET_TEXT_LENGTH} characters. A scan looks the text up once per
 * position and replaces the longest secret starting there (leftmost, then longest, as an alternation
 * sorted longest first would).
 */
export class SecretTexts {
  private readonly byPrefix = new Map<string, string[]>();
  private readonly secrets: string[] = [];
  /** How many distinct forms are indexed. */
  readonly size: number;

  constructor(secrets: Iterable<string>) {
    const seen = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string') continue;
      this.secrets.push(secret);
      for (const form of forms(secret)) {
        if (form.length < MIN_SECRET_TEXT_LENGTH || seen.has(form)) continue;
        seen.add(form);
        const prefix = form.slice(0, MIN_SECRET_TEXT_LENGTH);
        const list = this.byPrefix.get(prefix);
        if (list) list.push(form);
        else this.byPrefix.set(prefix, [form]);
      }
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.length - a.length);
    this.size = seen.size;
  }

  /** The secrets it was built from. */
  list(): readonly string[] {
    return this.secrets;
  }

  /** `text` with every occurrence of a secret replaced by `[redacted]`. */
  mask(text: string): string {
    if (this.size === 0 || text.length < MIN_SECRET_TEXT_LENGTH) return text;
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

  /** Whether `text` holds one of the secrets. */
  occursIn(text: string): boolean {
    if (this.size === 0) return false;
    for (let index = 0; index <= text.length - MIN_SECRET_TEXT_LENGTH; index++) {
      if (this.longestAt(text, index) > 0) return true;
    }
    return false;
  }

  private longestAt(text: string, index: number): number {
    const candidates = this.byPrefix.get(text.substr(index, MIN_SECRET_TEXT_LENGTH));
    if (!candidates) return 0;
    for (const candidate of candidates) if (text.startsWith(candidate, index)) return candidate.length;
    return 0;
  }
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
