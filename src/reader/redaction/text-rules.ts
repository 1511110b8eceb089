/**
 * Secret shapes inside free text and string values, wherever they appear (a value, a key, a message):
 * URL userinfo passwords, tokens used as a URL's user name, `Bearer`/`Basic` credentials, `Password=`
 * and `Pwd=` in connection strings, secret URL query parameters and webhook URLs that carry their
 * secret in the path. One ordered list ({@link TEXT_RULES}); the redactor takes it as an option, so a
 * test can drop one rule and see the property fail.
 */
import { REDACTED } from './redacted.js';

/** One secret shape: how to mask it in a text, and which secret texts a text holds. */
export interface TextRule {
  /** A stable name (`url-password`, `bearer`, …). */
  readonly name: string;
  /** `text` with the secret part of every match replaced by `[redacted]`. */
  mask(text: string): string;
  /** The secret parts of `text`, as written (and decoded, when that differs). */
  find(text: string): string[];
}

/**
 * A rule from a regular expression with three groups: what stays before the secret, the secret, and
 * what stays after it (may be empty). `quick` are lower-case texts one of which must occur (a cheap
 * test before the expression runs); `accept` may turn a match down.
 */
function regexRule(
  name: string,
  pattern: RegExp,
  quick: readonly string[],
  accept: (secret: string) => boolean = () => true,
): TextRule {
  const applies = (text: string): boolean => {
    const lower = text.toLowerCase();
    return quick.some((needle) => lower.includes(needle));
  };
  return {
    name,
    mask(text) {
      if (!applies(text)) return text;
      return text.replace(pattern, (match, before: string, secret: string, after: string) =>
        secret === '' || secret === REDACTED || !accept(secret)
          ? match
          : `${before}${REDACTED}${after ?? ''}`,
      );
    },
    find(text) {
      if (!applies(text)) return [];
      const found: string[] = [];
      for (const match of text.matchAll(pattern)) {
        const secret = match[2] ?? '';
        if (secret === '' || secret === REDACTED || !accept(secret)) continue;
        found.push(secret);
        const inner = unquoted(secret);
        if (inner !== secret && inner !== '') found.push(inner);
        const decoded = safeDecode(inner);
        if (decoded !== inner) found.push(decoded);
      }
      return found;
    },
  };
}

function unquoted(text: string): string {
  if (text.length >= 4 && text.startsWith('\\"') && text.endsWith('\\"')) return text.slice(2, -2);
  const first = text[0];
  const last = text[text.length - 1];
  if (text.length >= 2 && ((first === '"' && last === '"') || (first === "'" && last === "'"))) {
    return text.slice(1, -1);
  }
  if (text.length >= 2 && first === '{' && last === '}') return text.slice(1, -1);
  return text;
}

function safeDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Well-known token prefixes (GitHub, GitLab, Slack, Stripe, OpenAI, npm, AWS access keys). */
const TOKEN_PREFIX = /^(gh[pousr]_|github_pat_|glpat-|xox[abpors]-|sk_live_|sk_test_|rk_live_|sk-|npm_|AKIA)/;

/** Whether a URL's user name looks like a token rather than a person's or a service's name. */
export function looksLikeToken(user: string): boolean {
  if (TOKEN_PREFIX.test(user)) return true;
  return user.length >= 16 && /\d/.test(user) && /[A-Za-z]/.test(user);
}

/** Whether a `Basic` credential has the shape of base64 (`dXNlcjpwYXNz`), not of an English word. */
function looksLikeBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text) && /[0-9+/=]|[a-z][A-Z]/.test(text);
}

const SCHEME = '[A-Za-z][A-Za-z0-9+.-]*:\\/\\/';

/** `scheme://user:password@`: the password runs to the last `@` before whitespace, a quote or `<>`. */
export const URL_PASSWORD = regexRule(
  'url-password',
  new RegExp(`(${SCHEME}[^\\s"'<>/?#@:]*:)([^\\s"'<>]*)(@)`, 'g'),
  ['://'],
);

/** `https://ghp_xxx@host`: a token used as the user name (no password). */
export const URL_USER_TOKEN = regexRule(
  'url-user-token',
  new RegExp(`(${SCHEME})([^\\s"'<>/?#@:]+)(@)`, 'g'),
  ['://'],
  looksLikeToken,
);

/** `Bearer <token>` (an `Authorization` header's value, or a message quoting one). */
export const BEARER = regexRule('bearer', /(\b(?:[Bb]earer|BEARER)\s+)([A-Za-z0-9._~+/=-]{8,})()/g, [
  'bearer',
]);

/** `Basic <base64 of user:password>`. */
export const BASIC = regexRule(
  'basic',
  /(\b(?:[Bb]asic|BASIC)\s+)([A-Za-z0-9+/]{4,}={0,2})()/g,
  ['basic'],
  looksLikeBase64,
);

/**
 * `Password=…` / `Pwd=…` in ADO.NET and ODBC connection strings: quoted (also JSON-escaped, `\"…\"`,
 * as a message quoting a value shows it), braced, or up to `;`.
 */
export const CONNECTION_PASSWORD = regexRule(
  'connection-password',
  /((?:^|[;\s{"'])(?:password|pwd)\s*=\s*)(\\?"[^"\\]*\\?"|'[^']*'|\{[^}]*\}|[^;"'\\\r\n]*)()/gi,
  ['password', 'pwd'],
);

/** Secret URL query parameters: `?password=`, `&token=`, `secret=`, `api_key=`, `sig=` and kin. */
export const QUERY_SECRET = regexRule(
  'query-secret',
  /([?&](?:password|passwd|pwd|token|access_token|refresh_token|id_token|auth_token|secret|client_secret|api_key|apikey|api-key|sig|signature|x-amz-signature|x-goog-signature)=)([^&#;\s"'<>]*)()/gi,
  ['='],
);

/** Webhook URLs whose path is the secret (Slack, Discord, Microsoft Teams/Office 365, Zapier). */
export const WEBHOOK_PATH = regexRule(
  'webhook-path',
  /((?:hooks\.slack\.com\/(?:services|workflows|triggers)|discord(?:app)?\.com\/api\/webhooks|webhook\.office\.com\/webhookb2|outlook\.office\.com\/webhook|hooks\.zapier\.com\/hooks\/catch)\/)([^\s"'<>?#]+)()/gi,
  ['hooks', 'webhook'],
);

/** The rule set, in the order it is applied. */
export const TEXT_RULES: readonly TextRule[] = [
  URL_PASSWORD,
  URL_USER_TOKEN,
  BEARER,
  BASIC,
  CONNECTION_PASSWORD,
  QUERY_SECRET,
  WEBHOOK_PATH,
];

/** `text` with every rule applied. */
export function maskByRules(text: string, rules: readonly TextRule[] = TEXT_RULES): string {
  let masked = text;
  for (const rule of rules) masked = rule.mask(masked);
  return masked;
}

/** The secret texts every rule finds in `text`. */
export function findByRules(text: string, rules: readonly TextRule[] = TEXT_RULES): string[] {
  const found: string[] = [];
  for (const rule of rules) found.push(...rule.find(text));
  return found;
}
