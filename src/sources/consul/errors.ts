/** ConfigErrors for failed Consul KV requests: what failed, where, and what to do. */
import { ConfigError, toConfigError } from '../../reader/errors.js';
import { isTlsFailure } from '../../source-kit/http-client.js';
import { abortedError, deniedError, statusError, unreachableError } from '../../source-kit/request-errors.js';
import { KvRequestError } from './client.js';
import { type ConsulTarget, describeTarget } from './decode.js';

/**
 * Converts a failed KV request to a ConfigError naming the source, the address and the key/prefix:
 * 403 → `PERMISSION`; timeouts and aborts → `TIMEOUT`; HTTP errors and unreachable servers →
 * `SOURCE_READ`.
 */
export function kvError(error: unknown, name: string, target: ConsulTarget): ConfigError {
  if (!(error instanceof KvRequestError)) return toConfigError(error, 'SOURCE_READ', name);
  const { failure, address } = error;
  const what = describeTarget(target);
  const details = { source: name, cause: error };
  const site = { name, server: 'Consul', address, what };
  switch (failure.kind) {
    case 'status': {
      const said = failure.body ? ` ${failure.body}` : '';
      if (failure.status === 403 && /ACL not found/i.test(failure.body)) {
        return new ConfigError(
          'PERMISSION',
          `${name}: Consul at ${address} does not know the ACL token (403 ACL not found) reading ${what}; ` +
            'check the token option or CONSUL_HTTP_TOKEN',
          details,
        );
      }
      if (failure.status === 403) {
        return deniedError(site, said, 'the ACL token lacks key:read permission on it', details);
      }
      return statusError(site, failure.status, said, details);
    }
    case 'body':
      return new ConfigError(
        'SOURCE_READ',
        `${name}: Consul at ${address} answered HTTP ${failure.status} (${failure.contentType}) reading ${what}, ` +
          `but ${failure.problem}; the last good data is kept`,
        details,
      );
    case 'too-large':
      return new ConfigError(
        'SOURCE_READ',
        `${name}: Consul at ${address} sent more than ${failure.limit} bytes reading ${what}; ` +
          'raise the maxBodyBytes option if this is expected',
        details,
      );
    case 'redirects':
      return new ConfigError(
        'SOURCE_READ',
        `${name}: Consul at ${address} redirected too often reading ${what}`,
        details,
      );
    case 'network':
      if (isTlsFailure(failure)) {
        return new ConfigError(
          'SOURCE_READ',
          `${name}: TLS with Consul at ${address} failed (${failure.message}); check the ca, cert and key ` +
            'options (or CONSUL_CACERT, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY)',
          details,
        );
      }
      return unreachableError(site, failure.message, details);
    case 'timeout':
      return new ConfigError(
        'TIMEOUT',
        `${name}: Consul at ${address} did not answer within ${failure.timeoutMs} ms reading ${what}`,
        details,
      );
    case 'aborted':
      return abortedError(site, details);
  }
}
