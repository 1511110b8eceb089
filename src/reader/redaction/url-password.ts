/**
 * The userinfo password of URL-looking text (`postgres://app:pw@db/app`), wherever it appears, also
 * inside longer strings and messages. A password may hold `@` or `/` unencoded: it runs to the last `@`
 * before whitespace, a quote or an angle bracket (over-redacting a query that holds an `@` is the safe
 * side).
 */

/** What a redacted value prints as. */
export const REDACTED = '[redacted]';

/** scheme `://` user `:` password `@` */
const USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s"'<>/?#@:]*):([^\s"'<>]*)@/g;

/** `text` with the password of every URL userinfo in it replaced by {@link REDACTED}. */
export function maskUrlPassword(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(USERINFO, (_match, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
}

/** The userinfo passwords in `text` (as written, and percent-decoded when that differs). */
export function urlPasswords(text: string): string[] {
  if (!text.includes('://')) return [];
  const found: string[] = [];
  for (const match of text.matchAll(USERINFO)) {
    const password = match[3] ?? '';
    if (password === '' || password === REDACTED) continue;
    found.push(password);
    const decoded = safeDecode(password);
    if (decoded !== password) found.push(decoded);
  }
  return found;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
