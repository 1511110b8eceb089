/** What a redirect to another origin may carry of the caller's request headers: an allow-list. */

/**
 * The caller's headers that follow a redirect to another origin (lower-case). Every other header
 * (`authorization`, `cookie`, `x-api-key`, `private-token`, conditional headers…) is dropped: a
 * header the caller set may be a credential under any name.
 */
export const CROSS_ORIGIN_HEADERS: readonly string[] = ['accept', 'user-agent'];

/** What a client does on a redirect to another origin. */
export type RedirectPolicy = 'follow' | 'same-origin';

/** The redirect policies, for checking options. */
export const REDIRECT_POLICIES: readonly RedirectPolicy[] = ['follow', 'same-origin'];

/**
 * The headers to send after a redirect from `from` to `to`: all of them within one origin, only
 * {@link CROSS_ORIGIN_HEADERS} across origins.
 */
export function headersAfterRedirect(
  headers: Readonly<Record<string, string>>,
  from: URL,
  to: URL,
): Record<string, string> {
  if (from.origin === to.origin) return { ...headers };
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => CROSS_ORIGIN_HEADERS.includes(name.toLowerCase())),
  );
}
