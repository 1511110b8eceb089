/** The kit's request ConfigErrors: codes, the exact wording both Consul and Vault use, details kept. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/reader/errors.js';
import {
  abortedError,
  deniedError,
  statusError,
  unreachableError,
} from '../../src/source-kit/request-errors.js';

const site = {
  name: 'vault:secret/app',
  server: 'Vault',
  address: 'http://127.0.0.1:8200',
  what: 'secret/data/app',
};
const cause = new Error('socket hang up');

describe('request errors', () => {
  it('403 → PERMISSION naming the server, address, what was read and the advice', () => {
    const error = deniedError(site, ' permission denied', 'check the token', { source: site.name });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('PERMISSION');
    expect(error.message).toBe(
      'vault:secret/app: Vault at http://127.0.0.1:8200 denied reading secret/data/app (403 permission denied): check the token',
    );
  });

  it('another status → SOURCE_READ with the status and the reason', () => {
    const error = statusError(site, 503, '', { source: site.name });
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toBe(
      'vault:secret/app: Vault at http://127.0.0.1:8200 answered HTTP 503 reading secret/data/app',
    );
  });

  it('unreachable → SOURCE_READ; aborted → TIMEOUT; the cause is kept', () => {
    const unreachable = unreachableError(site, 'ECONNREFUSED', { source: site.name, cause });
    expect(unreachable.code).toBe('SOURCE_READ');
    expect(unreachable.message).toBe(
      'vault:secret/app: cannot reach Vault at http://127.0.0.1:8200 (ECONNREFUSED)',
    );
    expect(unreachable.cause).toBe(cause);
    const aborted = abortedError({ ...site, server: 'Consul' }, { source: site.name, cause });
    expect(aborted.code).toBe('TIMEOUT');
    expect(aborted.message).toBe(
      'vault:secret/app: reading secret/data/app from Consul at http://127.0.0.1:8200 was aborted',
    );
  });
});
