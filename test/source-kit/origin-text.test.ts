/** A source describes its own origins: reader/origin-text asks its describer, then the origin's text. */
import { describe, expect, it } from 'vitest';
import { describeOrigin } from '../../src/reader/origin-text.js';
import { describeKvOrigin } from '../../src/source-kit/origins.js';
import { describeHttpOrigin } from '../../src/sources/http/http.js';

describe('describeOrigin', () => {
  it("asks the source's describer first, then the origin's own text, then the built-in kinds", () => {
    const origin = { url: 'https://cfg/app.json', etag: '"7"', line: 3, column: 1 };
    expect(describeOrigin(origin, 'http:https://cfg/app.json', describeHttpOrigin)).toBe(
      'https://cfg/app.json:3:1 (ETag "7")',
    );
    expect(describeOrigin(origin, 'http:https://cfg/app.json')).toBe('http:https://cfg/app.json');
    expect(describeOrigin({ vaultPath: 'secret/app', text: 'vault secret/app v3' }, 'vault')).toBe(
      'vault secret/app v3',
    );
    expect(describeOrigin({ env: 'APP_PORT' }, 'env', () => undefined)).toBe('env APP_PORT');
  });

  it('a describer that throws does not break the message', () => {
    const broken = () => {
      throw new Error('bug');
    };
    expect(describeOrigin({ flag: '--port' }, 'flags', broken)).toBe('flag --port');
  });

  it('Consul and etcd origins, with document positions', () => {
    expect(describeKvOrigin({ consulKey: 'app/port', modifyIndex: 7 })).toBe(
      'consul key app/port (ModifyIndex 7)',
    );
    expect(describeKvOrigin({ etcdKey: '/app.yaml', modRevision: '9', line: 2, column: 5 })).toBe(
      'etcd key /app.yaml:2:5 (mod_revision 9)',
    );
    expect(describeKvOrigin({ file: 'x' })).toBeUndefined();
  });
});
