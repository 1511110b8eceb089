import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/reader/duration.js';

describe('parseDuration', () => {
  it.each([
    ['1h2m3.5s', 3_723_500],
    ['250ms', 250],
    ['1.5s', 1500],
    ['.5s', 500],
    ['2h', 7_200_000],
    ['1m', 60_000],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['1μs', 0.001],
    ['1000000ns', 1],
    ['-1m', -60_000],
    ['+1s', 1000],
    ['0', 0],
    ['-0', -0],
    [' 5s ', 5000],
    ['1500', 1500],
    ['1.25', 1.25],
    ['1h1h', 7_200_000],
  ])('%s → %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', ' ', 'abc', '5x', 's', '1h 2m', '--1s', '1s!', 'ms', 'Infinity', '1e3s', '.s'])(
    '%j is not a duration',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('accepts "1.s" like Go does', () => {
    expect(parseDuration('1.s')).toBe(1000);
  });
});
