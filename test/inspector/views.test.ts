/** Origin descriptions and the inspector's extra secret paths, against a real config. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, memory } from '../../src/index.js';
import { describeOrigin, errorView } from '../../src/inspector/views.js';

describe('describeOrigin', () => {
  it.each([
    [{ file: 'config/app.yaml', line: 12, column: 3 }, 'file:config/app.yaml', 'config/app.yaml:12:3'],
    [{ file: 'config/app.json', line: 4 }, 'file:config/app.json', 'config/app.json:4'],
    [{ file: '.env' }, 'file:.env', '.env'],
    [
      { file: 'a.yaml', line: 2, column: 5, vars: ['HOME', 'USER'] },
      'file:a.yaml',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the description shows ${NAME} literally
      'a.yaml:2:5 via ${HOME}, ${USER}',
    ],
    [{ env: 'APP_SERVER_PORT' }, 'env:APP_', 'env APP_SERVER_PORT'],
    [{ flag: '--server.port' }, 'flags', 'flag --server.port'],
    [
      { consulKey: 'config/app/port', modifyIndex: 42 },
      'consul:config/app/',
      'consul config/app/port (ModifyIndex 42)',
    ],
    [{ etcdKey: 'app/port', modRevision: '7' }, 'etcd:app/', 'etcd app/port (revision 7)'],
    [{ default: true }, 'defaults', 'default'],
    [{ default: true }, 'schema', 'schema default'],
    [{ set: true }, 'set', 'set()'],
    [{ memory: true }, 'memory', 'memory'],
    [{ memory: true }, 'overrides', 'memory overrides'],
    [undefined, 'custom:thing', 'custom:thing'],
  ])('%j from %s → %s', (origin, source, text) => {
    expect(describeOrigin(origin, source)).toBe(text);
  });
});

describe('config.redaction.withSecrets: extra secret paths (the inspector option)', () => {
  it('masks values at the paths (with *), their text in messages, and leaves the rest', async () => {
    const config = await loadConfig({
      sources: [
        memory({
          tenants: {
            acme: { dsn: 'acme-dsn-value', name: 'Acme' },
            beta: { dsn: 'beta-dsn-value', name: 'Beta' },
          },
          region: 'eu-west-1',
        }),
      ],
      watch: false,
    });
    try {
      const redaction = config.redaction.withSecrets(['tenants.*.dsn', ['region']]);
      expect(redaction.isSecret(['tenants', 'acme', 'dsn'])).toBe(true);
      expect(redaction.isSecret(['tenants', 'acme', 'name'])).toBe(false);
      expect(redaction.redact(config.value)).toEqual({
        tenants: {
          acme: { dsn: '[redacted]', name: 'Acme' },
          beta: { dsn: '[redacted]', name: 'Beta' },
        },
        region: '[redacted]',
      });
      expect(redaction.redact(config.get(['tenants', 'beta']), ['tenants', 'beta'])).toEqual({
        dsn: '[redacted]',
        name: 'Beta',
      });
      const message = 'tenants.acme.dsn: cannot reach acme-dsn-value in eu-west-1 for Acme';
      expect(redaction.redactText(message)).toBe(
        'tenants.acme.dsn: cannot reach [redacted] in [redacted] for Acme',
      );
      const view = errorView(
        new ConfigError('VALIDATION', message, { source: 'memory', path: 'tenants.acme.dsn' }),
        redaction,
        7,
      );
      expect(view).toMatchObject({ seq: 7, code: 'VALIDATION', source: 'memory', path: 'tenants.acme.dsn' });
      expect(JSON.stringify(view)).not.toMatch(/acme-dsn-value|eu-west-1/);
    } finally {
      await config.close();
    }
  });
});
