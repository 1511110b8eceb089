/**
 * Masks known secret values inside free text (error messages, validation messages that repeat their
 * input), as written and as they appear JSON-escaped inside quoted strings.
 */
import { maskUrlPassword, REDACTED } from './url-password.js';

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
 * `text` with URL passwords masked and every occurrence of a secret replaced by `[redacted]`, in one
 * pass (longest first, so a secret inside another is not half-masked). Secrets shorter than
 * {@link MIN_SECRET_TEXT_LENGTH} are skipped, unless `strict`: then a text containing one is replaced
 * by {@link HIDDEN_MESSAGE} as a whole.
 */
export function maskSecretText(text: string, secrets: Iterable<string>, strict = false): string {
  const long = new Set<string>();
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      if (form === '' || !text.includes(form)) continue;
      if (form.length >= MIN_SECRET_TEXT_LENGTH) long.add(form);
      else if (strict) return HIDDEN_MESSAGE;
    }
  }
  const masked = long.size === 0 ? text : text.replace(alternation(long), REDACTED);
  return maskUrlPassword(masked);
}

function alternation(texts: Set<string>): RegExp {
  const sorted = [...texts].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}
