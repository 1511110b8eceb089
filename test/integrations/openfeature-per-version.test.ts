/** The provider's per-version memo: one computation per key and version, bounded. */
import { describe, expect, it } from 'vitest';
import { PerVersion } from '../../src/integrations/openfeature/per-version.js';

describe('PerVersion', () => {
  it('computes once per key and version, again after the version changes, and keeps at most `limit`', () => {
    const config = { version: 1 };
    const memo = new PerVersion<string>(config, 2);
    const calls: string[] = [];
    const get = (key: string) =>
      memo.get(key, () => {
        calls.push(`${key}@${config.version}`);
        return `${key}:${config.version}`;
      });
    expect([get('a'), get('a'), get('b'), get('a')]).toEqual(['a:1', 'a:1', 'b:1', 'a:1']);
    expect(calls).toEqual(['a@1', 'b@1']);
    config.version = 2;
    expect(get('a')).toBe('a:2');
    get('b');
    get('c'); // a third key: the memo starts over rather than grow
    get('a');
    expect(calls).toEqual(['a@1', 'b@1', 'a@2', 'b@2', 'c@2', 'a@2']);
  });
});
