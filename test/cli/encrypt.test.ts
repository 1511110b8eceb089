/** `livecfg encrypt`: its output round-trips through the real `age -d`. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { CLI } from '../examples/child.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { cliDecrypt, useAgeKeys } from '../secrets/age-cli.js';

const keys = useAgeKeys('alice', 'bob');

/** Runs the CLI in-process with captured output and the given standard input. */
async function encrypt(
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
    untilInterrupted: () => Promise.resolve(),
    readStdin: () => Promise.resolve(stdin),
  };
  const code = await runCli(['encrypt', ...args], io, keys.dir, '0.0.0');
  return { code, stdout, stderr };
}

/** The binary ciphertext inside `ENC[age,...]\n`. */
function ciphertextOf(output: string): Buffer {
  const match = /^ENC\[age,([A-Za-z0-9+/]+=*)\]\n$/.exec(output);
  if (!match?.[1]) throw new Error(`not an ENC[age,...] line: ${output}`);
  return Buffer.from(match[1], 'base64');
}

describe('livecfg encrypt', () => {
  it('prints ENC[age,...] for a VALUE that `age -d -i KEYFILE` decrypts', async () => {
    const result = await encrypt(['--recipient', keys.alice.recipient, 'hunter2 ✓']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(cliDecrypt(ciphertextOf(result.stdout), keys.alice.file)).toBe('hunter2 ✓');
  });

  it('reads standard input for - (dropping one trailing newline), for several recipients', async () => {
    const recipients = join(keys.dir, 'recipients.txt');
    writeFileSync(recipients, `# team\n${keys.bob.recipient}\n`);
    const result = await encrypt(['-r', keys.alice.recipient, '-R', recipients, '-'], 'line one\nline two\n');
    expect(result.code).toBe(0);
    const ciphertext = ciphertextOf(result.stdout);
    expect(cliDecrypt(ciphertext, keys.alice.file)).toBe('line one\nline two');
    expect(cliDecrypt(ciphertext, keys.bob.file)).toBe('line one\nline two');
  });

  it('works as a real command reading a pipe', () => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', CLI, 'encrypt', '-r', keys.alice.recipient],
      {
        input: 's3cret\n',
        encoding: 'utf8',
        timeout: 15_000,
      },
    );
    expect(withoutNodeWarnings(child.stderr)).toBe('');
    expect(child.status).toBe(0);
    expect(cliDecrypt(ciphertextOf(child.stdout), keys.alice.file)).toBe('s3cret');
  });

  it('is a usage error without a recipient or with a bad one, and lists itself in the help', async () => {
    const none = await encrypt(['x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('encrypt needs at least one --recipient');
    const bad = await encrypt(['-r', 'age1bogus', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"age1bogus" is not an age recipient');
    expect(bad.stdout).toBe('');
    const help = await encrypt(['--help']);
    expect(help.stdout).toContain('Usage: livecfg encrypt');
    let usage = '';
    await runCli(
      ['--help'],
      {
        stdout: (text) => {
          usage += text;
        },
        stderr: () => {},
        untilInterrupted: () => Promise.resolve(),
      },
      keys.dir,
      '0.0.0',
    );
    expect(usage).toContain('encrypt -r AGE_RECIPIENT [VALUE | -]');
  });
});
