import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/reader/errors.js';
import { ErrorListeners } from '../../src/source-kit/error-listeners.js';

describe('ErrorListeners', () => {
  it('calls every listener, even after one throws', () => {
    const listeners = new ErrorListeners();
    const seen: string[] = [];
    listeners.add(() => {
      throw new Error('listener bug');
    });
    listeners.add((error) => seen.push(error.code));
    expect(() => listeners.report(new ConfigError('SOURCE_READ', 'down'))).not.toThrow();
    expect(seen).toEqual(['SOURCE_READ']);
  });

  it('forgets its listeners on clear()', () => {
    const listeners = new ErrorListeners();
    const seen: unknown[] = [];
    listeners.add((error) => seen.push(error));
    listeners.clear();
    listeners.report(new ConfigError('PARSE', 'bad'));
    expect(seen).toEqual([]);
  });
});
