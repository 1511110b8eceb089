/** The inspector's extra secret paths and error views, against a real config. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, memory } from '../../src/index.js';
import { Redaction } from '../../src/inspector/redaction.js';
import { errorView } from '../../src/inspector/views.js';

describe('Redaction with extra secret paths', () => {
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
      const redaction = new Redaction(config, ['tenants.*.dsn', ['region']]);
      expect(redaction.isSecret(['tenants', 'acme', 'dsn'])).toBe(true);
      expect(redaction.isSecret(['tenants', 'acme', 'name'])).toBe(false);
      expect(redaction.value(config.value)).toEqual({
        tenants: {
          acme: { dsn: '[redacted]', name: 'Acme' },
          beta: { dsn: '[redacted]', name: 'Beta' },
        },
        region: '[redacted]',
      });
      expect(redaction.value(config.get(['tenants', 'beta']), ['tenants', 'beta'])).toEqual({
        dsn: '[redacted]',
        name: 'Beta',
      });
      const message = 'tenants.acme.dsn: cannot reach acme-dsn-value in eu-west-1 for Acme';
      expect(redaction.text(message)).toBe(
        'tenants.acme.dsn: cannot reach [redacted] in [redacted] for Acme',
      );
      const view = errorView(
        new ConfigError('VALIDATION', message, { source: 'memory', path: 'tenants.acme.dsn' }),
        redaction,
        'abc123',
        7,
      );
      expect(view).toMatchObject({
        id: 'abc123:7',
        seq: 7,
        code: 'VALIDATION',
        source: 'memory',
        path: 'tenants.acme.dsn',
      });
      expect(JSON.stringify(view)).not.toMatch(/acme-dsn-value|eu-west-1/);
    } finally {
      await config.close();
    }
  });
});
