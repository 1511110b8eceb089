/**
 * Loading N age-encrypted values (issue 26 item 8): one file with N `ENC[age,…]` values in one object,
 * decrypted by `ageDecrypt` at startup. Ciphertexts are made with the `age-encryption` package (binary
 * age format, as `age -r … | base64 -w0` makes it) for an X25519 key pair.
 *
 *   npx tsx bench/age-load.ts [N=10000] [livecfg root=.]
 *
 * The second argument points at another checkout (e.g. a worktree of an older commit) to compare.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';

const count = Number(process.argv[2] ?? 10_000);
const root = resolve(process.argv[3] ?? '.');
const lib = (await import(
  pathToFileURL(join(root, 'src/index.ts')).href
)) as typeof import('../src/index.js');
const { ageDecrypt } = (await import(pathToFileURL(join(root, 'src/age.ts')).href).catch(
  () => import(pathToFileURL(join(root, 'src/secrets/age.ts')).href),
)) as typeof import('../src/secrets/age.js');

const identity = await generateIdentity();
const encrypter = new Encrypter();
encrypter.addRecipient(await identityToRecipient(identity));
const started = performance.now();
const secrets: Record<string, string> = {};
for (let index = 0; index < count; index++) {
  const cipher = await encrypter.encrypt(`secret-${index}`);
  secrets[`s${index}`] = `ENC[age,${Buffer.from(cipher).toString('base64')}]`;
}
const encryptMs = performance.now() - started;
const dir = await mkdtemp(join(tmpdir(), 'livecfg-age-bench-'));
const path = join(dir, 'secrets.json');
await writeFile(path, JSON.stringify({ secrets }));

const before = performance.now();
const config = await lib.loadConfig({
  sources: [lib.file(path)],
  resolvers: [ageDecrypt({ identities: [identity] })],
  watch: false,
});
const loadMs = performance.now() - before;
const last = config.get(['secrets', `s${count - 1}`]);
await config.close();
await rm(dir, { recursive: true, force: true });
if (last !== `secret-${count - 1}`) throw new Error(`wrong value: ${String(last)}`);
console.log(JSON.stringify({ root, count, encryptMs: Math.round(encryptMs), loadMs: Math.round(loadMs) }));
