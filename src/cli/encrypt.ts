/** `livecfg encrypt`: prints `ENC[age,...]` for a value, to paste into a config file. */
import { readFile } from 'node:fs/promises';
import { ageEncrypt } from '../age.js';
import { ConfigError } from '../reader/errors.js';
import { parseFlags, UsageError } from './args.js';

export const ENCRYPT_USAGE = `Usage: livecfg encrypt (-r RECIPIENT | -R FILE)... [VALUE | -]

Encrypts VALUE (or standard input, without one trailing newline, when VALUE is - or omitted) for
the age recipients and prints ENC[age,<base64>], the form ageDecrypt() reads. Same as
  printf %s VALUE | age -r RECIPIENT | base64 -w0
A VALUE on the command line lands in the shell history: prefer standard input for real secrets.

Options:
  -r, --recipient RECIPIENT    an age recipient (age1...), repeatable
  -R, --recipients-file FILE   a file of recipients, one per line (# comments), repeatable
`;

/** Where `encrypt` reads standard input and writes its output. */
export interface EncryptIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole standard input (default: process.stdin). */
  readStdin?(): Promise<string>;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function recipientsFrom(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the recipients file ${file} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Runs `livecfg encrypt ARGS`; resolves to the exit code. Throws {@link UsageError} on a bad command line. */
export async function runEncrypt(argv: readonly string[], io: EncryptIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, ENCRYPT_OPTIONS);
  if (values.help) {
    io.stdout(ENCRYPT_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`encrypt takes one VALUE, got ${positionals.length}`);
  const recipients = [...(values.recipient ?? [])];
  for (const file of values['recipients-file'] ?? []) recipients.push(...(await recipientsFrom(file)));
  if (recipients.length === 0)
    throw new UsageError('encrypt needs at least one --recipient age1... or -R FILE');
  const [value = '-'] = positionals;
  const plaintext =
    value === '-' ? (await (io.readStdin ?? readProcessStdin)()).replace(/\r?\n$/, '') : value;
  try {
    io.stdout(`${await ageEncrypt(plaintext, recipients)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`livecfg encrypt: ${error.message.replace(/^ageEncrypt\(\): /, '')}\n`);
      return error.code === 'INVALID_ARGUMENT' ? 2 : 1;
    }
    throw error;
  }
}

const ENCRYPT_OPTIONS = {
  recipient: { type: 'string', short: 'r', multiple: true },
  'recipients-file': { type: 'string', short: 'R', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;
