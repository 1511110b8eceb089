import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff, DEFAULT_BACKOFF } from '../../src/source-kit/backoff.js';

describe('Backoff', () => {
  it('defaults: first retry in 100–200 ms, never more than 10 s', () => {
    const backoff = new Backoff({ random: () => 0.999 });
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 200, maxMs: 10_000 });
    const first = backoff.next();
    expect(first).toBeGreaterThanOrEqual(100);
    expect(first).toBeLessThanOrEqual(200);
    for (let attempt = 0; attempt < 60; attempt++) expect(backoff.next()).toBeLessThanOrEqual(10_000);
  });

  it('property: each delay lies in [ceiling/2, ceiling] with ceiling = min(max, initial·2^n); reset starts over', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (initialMs, extra, randoms) => {
          const maxMs = initialMs + extra;
          let call = 0;
          const backoff = new Backoff({
            initialMs,
            maxMs,
            random: () => randoms[call++ % randoms.length] as number,
          });
          randoms.forEach((_, failures) => {
            const ceiling = Math.min(maxMs, initialMs * 2 ** failures);
            const delay = backoff.next();
            expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
            expect(delay).toBeLessThanOrEqual(ceiling);
          });
          backoff.reset();
          expect(backoff.attempts).toBe(0);
          expect(backoff.next()).toBeLessThanOrEqual(initialMs);
        },
      ),
      { numRuns: 500 },
    );
  });
});
