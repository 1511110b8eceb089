/** Reading age identities: `AGE-SECRET-KEY-1...` strings and identity files as `age-keygen` writes them. */
import { open } from 'node:fs/promises';
import { ConfigError } from '../reader/errors.js';

/**
 * The `code` of the warning (`process.emitWarning`, type `LivecfgWarning`) given when an identity
 * file can be read or written by its group or others, as ssh warns about a private key.
 */
export const IDENTITY_FILE_PERMISSIONS_WARNING = 'LIVECFG_AGE_IDENTITY_PERMISSIONS';

const IDENTITY = /^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/;

/**
 * The identities in the text of an identity file: one per line, `#` comments and blank lines
 * ignored (the `age-keygen -o key.txt` format). Plugin identities (`AGE-PLUGIN-...`) are not supported.
 * Messages name the file and line, never a key.
 */
export function parseIdentityFile(text: string, file: string): string[] {
  const identities: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!IDENTITY.test(line)) {
      const what = line.startsWith('AGE-PLUGIN-')
        ? 'a plugin identity (not supported)'
        : 'not an age identity';
      throw new ConfigError('SECRET', `age: ${file}:${index + 1}: ${what}`, { file, line: index + 1 });
    }
    identities.push(line);
  }
  if (identities.length === 0) throw new ConfigError('SECRET', `age: ${file} holds no identity`, { file });
  return identities;
}

/** Checks identities given inline; the message tells which one (by position), never its text. */
export function checkIdentities(identities: readonly string[]): string[] {
  return identities.map((identity, index) => {
    const trimmed = identity.trim();
    if (!IDENTITY.test(trimmed)) {
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `ageDecrypt(): identities[${index}] is not an age identity (AGE-SECRET-KEY-1...)`,
      );
    }
    return trimmed;
  });
}

/**
 * Reads and parses an identity file. A missing or unreadable file is a `SECRET` error naming it. A
 * file whose mode gives its group or others any access gets a warning
 * ({@link IDENTITY_FILE_PERMISSIONS_WARNING}); it is still used.
 */
export async function readIdentityFile(file: string): Promise<string[]> {
  let text: string;
  let mode: number;
  try {
    const handle = await open(file, 'r');
    try {
      mode = (await handle.stat()).mode;
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('SECRET', `age: cannot read the identity file ${file} (${code})`, {
      file,
      cause: error,
    });
  }
  warnIfShared(file, mode);
  return parseIdentityFile(text, file);
}

/** ssh's rule for private keys: no permission bit for group or others (not checked on Windows). */
function warnIfShared(file: string, mode: number): void {
  if (process.platform === 'win32' || (mode & 0o077) === 0) return;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  process.emitWarning(
    `age: the identity file ${file} is accessible by group or others (mode ${octal}); ` +
      `anyone who can read it can decrypt your secrets: run chmod 600 ${file}`,
    { type: 'LivecfgWarning', code: IDENTITY_FILE_PERMISSIONS_WARNING },
  );
}
