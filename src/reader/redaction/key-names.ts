/**
 * Secret-looking key names: a key (or an environment variable's name) is secret when one of its words,
 * or the whole key with everything but letters removed, names a credential. Compared lower-cased, so
 * `passWord`, `PassWord`, `dbPassWord`, `pass_word`, `secRet` and `accessToKen` are all secret.
 */

/** Credential words matched anywhere inside a word or inside the letters of the whole key. */
const CONTAINED = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'apikey',
  'privatekey',
];

/**
 * Short credential words: matched as a whole word, or at the start or end of a word or of the whole
 * key's letters (`dbPwd`, `PG_DSN`, `dsnPrimary`). `pwd` never occurs inside English words, so it also
 * matches anywhere; `dsn` does (`fieldsNames`), so it does not.
 */
const AT_EDGE = ['dsn', 'pwd'];
const ANYWHERE_SHORT = ['pwd'];

/** The words of a key, lower-cased: `dbPassword` → `db`, `password`; `API_KEY` → `api`, `key`. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

function isCredentialWord(word: string): boolean {
  if (CONTAINED.some((credential) => word.includes(credential))) return true;
  if (ANYWHERE_SHORT.some((credential) => word.includes(credential))) return true;
  if (AT_EDGE.some((credential) => word.startsWith(credential) || word.endsWith(credential))) return true;
  // `key`, `apiKey`, `sshKeys`, `signingkey`: a key is or ends with key/keys.
  return /keys?$/.test(word);
}

/** Memo of {@link isSecretKey}: a config's keys repeat across nodes and versions. Bounded. */
const memo = new Map<string, boolean>();
const MEMO_LIMIT = 50_000;

/**
 * Whether a key's name marks its value as a secret (`apiKey`, `dbPassword`, `pass_word`, `DB_PWD`,
 * `credentials`, `dsn`, `privateKey`, `sshKeys`). Also used for environment variable names. Memoised.
 */
export function isSecretKey(key: string): boolean {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const letters = key.replace(/[^A-Za-z]+/g, '').toLowerCase();
  const secret = (letters !== '' && isCredentialWord(letters)) || keyWords(key).some(isCredentialWord);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, secret);
  return secret;
}
