/**
 * `scanJsonOffsets` (the lazy origin scan of JSON documents) against a simple model: for any JSON
 * value written by `JSON.stringify` (with or without indentation), the scan finds exactly the paths of
 * the value, and each offset points at that key as written (`"key"`) or, in arrays, at the element.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonOffsets } from '../../src/reader/formats/json.js';
import { pathKey } from '../../src/reader/provenance.js';

/** Every path of a JSON value (objects' keys and arrays' indexes), with the text that starts there. */
function modelPaths(value: unknown, path: string[] = [], out = new Map<string, string[]>()) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const child = [...path, String(index)];
      out.set(pathKey(child), child);
      modelPaths(item, child, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const child = [...path, key];
      out.set(pathKey(child), child);
      modelPaths(item, child, out);
    }
  }
  return out;
}

const key = fc.oneof(
  fc.string(),
  fc.constantFrom('a', 'b.c', 'é', '\u2028', 'quote"d', 'back\\slash', '\u00a0x'),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    ),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('scanJsonOffsets (properties)', () => {
  it('finds exactly the paths of the value, each offset at its key or element', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const offsets = scanJsonOffsets(text);
        const model = modelPaths(value);
        expect([...offsets.keys()].sort()).toEqual([...model.keys()].sort());
        for (const [id, path] of model) {
          const offset = offsets.get(id) as number;
          const last = path[path.length - 1] as string;
          const parent = path
            .slice(0, -1)
            .reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], value);
          if (Array.isArray(parent)) {
            // the element starts here: its first character as JSON.stringify writes it
            expect(text[offset]).toBe((JSON.stringify(parent[Number(last)]) ?? 'null')[0]);
          } else {
            expect(text.slice(offset, offset + JSON.stringify(last).length)).toBe(JSON.stringify(last));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
