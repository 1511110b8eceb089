import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/sources/flags/flags.js';

/** camelCase keys as schemas have them: a lower-case word, then capitalised words (`maxConnections`). */
const camelKey = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
    fc.array(fc.stringMatching(/^[A-Z][a-z0-9]{0,6}$/), { maxLength: 3 }),
  )
  .map(([head, tail]) => head + tail.join(''))
  .filter((key) => key !== 'no' && !key.startsWith('no'));

/** `maxConnections` → `max-connections`. */
function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (char) => `-${char.toLowerCase()}`);
}

const value = fc.stringMatching(/^[A-Za-z0-9_.:/-]{1,12}$/).filter((text) => !text.startsWith('-'));

describe('flag mapping (property, 400 runs each)', () => {
  it('--kebab.case.path=value maps back to the camelCase schema path', () => {
    fc.assert(
      fc.property(fc.array(camelKey, { minLength: 1, maxLength: 5 }), value, (path, text) => {
        const flag = `--${path.map(kebab).join('.')}`;
        for (const argv of [[`${flag}=${text}`], [flag, text]]) {
          expect(parseFlags(argv)).toEqual([{ flag, path, value: text }]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('bare and --no- flags map to booleans on the same path', () => {
    fc.assert(
      fc.property(fc.array(camelKey, { minLength: 1, maxLength: 4 }), (path) => {
        const name = path.map(kebab).join('.');
        expect(parseFlags([`--${name}`])[0]).toMatchObject({ path, value: true });
        expect(parseFlags([`--no-${name}`])[0]).toMatchObject({ path, value: false });
      }),
      { numRuns: 400 },
    );
  });
});
