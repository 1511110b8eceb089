/** The real `age` and `age-keygen` CLIs, driven from tests (Debian package `age`, installed by `.ci/run`). */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Whether a command exists on PATH. */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** A key pair made by `age-keygen`: the identity file, its secret key line and its recipient. */
export interface AgeKey {
  file: string;
  identity: string;
  recipient: string;
}

/** A temporary directory for key files and ciphertexts; `remove()` deletes it. */
export function ageWorkspace(): { dir: string; keygen(name: string): AgeKey; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'livecfg-age-'));
  return {
    dir,
    keygen(name) {
      const file = join(dir, `${name}.txt`);
      execFileSync('age-keygen', ['-o', file], { stdio: 'ignore' });
      const identity = readFileSync(file, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('AGE-SECRET-KEY-'));
      if (identity === undefined) throw new Error(`age-keygen wrote no key to ${file}`);
      const recipient = execFileSync('age-keygen', ['-y', file], { encoding: 'utf8' }).trim();
      return { file, identity, recipient };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * For a test file: a fresh workspace with one `age-keygen` key pair per name, made before the file's
 * tests and removed after them. Read the keys inside tests (`keys.alice.recipient`, `keys.dir`).
 */
export function useAgeKeys<Name extends string>(
  ...names: Name[]
): { readonly dir: string } & Record<Name, AgeKey> {
  const keys: Record<string, unknown> = {};
  let workspace: ReturnType<typeof ageWorkspace> | undefined;
  beforeAll(() => {
    workspace = ageWorkspace();
    keys.dir = workspace.dir;
    for (const name of names) keys[name] = workspace.keygen(name);
  });
  afterAll(() => workspace?.remove());
  return keys as { readonly dir: string } & Record<Name, AgeKey>;
}

/** `printf %s PLAINTEXT | age -r RECIPIENT | base64 -w0`, wrapped as `ENC[age,...]`. */
export function cliEncrypt(plaintext: string, ...recipients: string[]): string {
  const args = recipients.flatMap((recipient) => ['-r', recipient]);
  const ciphertext = execFileSync('age', args, { input: plaintext });
  return `ENC[age,${ciphertext.toString('base64')}]`;
}

/**
 * `age -p` with a passphrase: age reads it from the terminal only, so run it under `script`, which
 * gives it a pseudo-terminal fed from our stdin. Returns `ENC[age,...]`.
 */
export function cliEncryptWithPassphrase(plaintext: string, passphrase: string, dir: string): string {
  const input = join(dir, `plain-${process.hrtime.bigint()}`);
  const output = `${input}.age`;
  writeFileSync(input, plaintext);
  const result = spawnSync('script', ['-qec', `age -p -o '${output}' '${input}'`, '/dev/null'], {
    input: `${passphrase}\n${passphrase}\n`,
    timeout: 20_000,
  });
  if (result.status !== 0) throw new Error(`age -p failed: ${result.stderr?.toString() ?? result.error}`);
  return `ENC[age,${readFileSync(output).toString('base64')}]`;
}

/** `age -d -i KEYFILE` of a binary ciphertext: the plain text. */
export function cliDecrypt(ciphertext: Uint8Array, keyFile: string): string {
  return execFileSync('age', ['-d', '-i', keyFile], { input: ciphertext }).toString('utf8');
}
