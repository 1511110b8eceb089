/** Reading age identities: `AGE-SECRET-KEY-1...` strings and identity files as `age-keygen` writes them. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../reader/errors.js';

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

/** Reads and parses an identity file. A missing or unreadable file is a `SECRET` error naming it. */
export async function readIdentityFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('SECRET', `age: cannot read the identity file ${file} (${code})`, {
      file,
      cause: error,
    });
  }
  return parseIdentityFile(text, file);
}
