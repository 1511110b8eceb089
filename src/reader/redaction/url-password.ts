/**
 * The userinfo password of URL-looking text (`postgres://app:pw@db/app`), wherever it appears, also
 * inside longer strings and messages: the `url-password` rule of {@link TEXT_RULES}. A password may
 * hold `@` or `/` unencoded: it runs to the last `@` before whitespace, a quote or an angle bracket
 * (over-redacting a query that holds an `@` is the safe side).
 */
import { REDACTED } from './redacted.js';
import { URL_PASSWORD } from './text-rules.js';

export { REDACTED };

/** `text` with the password of every URL userinfo in it replaced by {@link REDACTED}. */
export function maskUrlPassword(text: string): string {
  return URL_PASSWORD.mask(text);
}

/** The userinfo passwords in `text` (as written, and percent-decoded when that differs). */
export function urlPasswords(text: string): string[] {
  return URL_PASSWORD.find(text);
}
