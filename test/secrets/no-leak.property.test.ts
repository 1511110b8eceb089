/** No error of the secret resolvers ever contains the plain text, whatever the damage to the value. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/reader/errors.js';
import { ageDecrypt } from '../../src/secrets/age.js';
import { ageEncrypt } from '../../src/secrets/encrypt.js';
import { useAgeKeys } from './age-cli.js';

const keys = useAgeKeys('mine', 'theirs');

type Damage =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'other-recipient' }
  | { kind: 'garble-base64'; at: number; char: string };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('other-recipient' as const) }),
  fc.record({
    kind: fc.constant('garble-base64' as const),
    at: fc.nat(),
    char: fc.constantFrom('!', '-', '_', '*', ' ='),
  }),
);

async function damaged(plaintext: string, how: Damage): Promise<string> {
  const value = await ageEncrypt(plaintext, [
    how.kind === 'other-recipient' ? keys.theirs.recipient : keys.mine.recipient,
  ]);
  const body = value.slice('ENC[age,'.length, -1);
  const bytes = Buffer.from(body, 'base64');
  switch (how.kind) {
    case 'flip': {
      const at = how.at % bytes.length;
      bytes[at] = (bytes[at] ?? 0) ^ (1 << how.bit);
      return `ENC[age,${bytes.toString('base64')}]`;
    }
    case 'truncate':
      return `ENC[age,${bytes.subarray(0, how.keep % bytes.length).toString('base64')}]`;
    case 'other-recipient':
      return value;
    case 'garble-base64': {
      const at = how.at % body.length;
      return `ENC[age,${body.slice(0, at)}${how.char}${body.slice(at + 1)}]`;
    }
  }
}

describe('secret resolvers never leak the plain text', () => {
  it('every damaged age value fails with a SECRET error that does not contain the plain text (property)', async () => {
    const resolver = ageDecrypt({ identityFile: keys.mine.file });
    const context = { path: ['svc', 'token'], source: 'file:app.yaml' };
    await fc.assert(
      fc.asyncProperty(
        // Marked so that a match means a leak, not a random text that happens to occur in a message or a stack.
        fc.string({ maxLength: 80 }).map((text) => `⟦secret:${text}⟧`),
        damage,
        async (plaintext, how) => {
          const value = await damaged(plaintext, how);
          let error: unknown;
          try {
            const result = await resolver.resolve(value, context);
            // A flipped bit that survives is impossible with authenticated encryption, except in the
            // unused padding bits of the last base64 character, which decode to the same bytes.
            expect(result).toBe(plaintext);
            return;
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(ConfigError);
          const configError = error as ConfigError;
          expect(configError.code).toBe('SECRET');
          expect(`${configError.message}\n${configError.stack}`).not.toContain(plaintext);
          expect(JSON.stringify({ ...configError })).not.toContain(plaintext);
        },
      ),
      { numRuns: 150 },
    );
  });
});
