/**
 * The ConfigErrors of a failed request to a config server (Consul, Vault…), worded alike for every
 * source: `<source>: <Server> at <address> …reading <what>`. Never a secret's value: only the status,
 * the server's short reason and the transport's message.
 */
import { ConfigError, type ConfigErrorDetails } from '../reader/errors.js';

/** Where a request went and what it read, for messages. */
export interface RequestSite {
  /** The source's name (`consul:app`, `vault:secret/app`). */
  name: string;
  /** The server's product name, e.g. `Consul`. */
  server: string;
  /** The server's address. */
  address: string;
  /** What was read, e.g. `key app/config`. */
  what: string;
}

/** 403 → `PERMISSION`: the server denied the read; `advice` says what to check. */
export function deniedError(
  site: RequestSite,
  said: string,
  advice: string,
  details: ConfigErrorDetails,
): ConfigError {
  return new ConfigError(
    'PERMISSION',
    `${site.name}: ${site.server} at ${site.address} denied reading ${site.what} (403${said}): ${advice}`,
    details,
  );
}

/** Any other failing status → `SOURCE_READ`. `said`: the server's reason, with a leading space, or ''. */
export function statusError(
  site: RequestSite,
  status: number,
  said: string,
  details: ConfigErrorDetails,
): ConfigError {
  return new ConfigError(
    'SOURCE_READ',
    `${site.name}: ${site.server} at ${site.address} answered HTTP ${status}${said} reading ${site.what}`,
    details,
  );
}

/** The server could not be reached → `SOURCE_READ`. */
export function unreachableError(
  site: RequestSite,
  message: string,
  details: ConfigErrorDetails,
): ConfigError {
  return new ConfigError(
    'SOURCE_READ',
    `${site.name}: cannot reach ${site.server} at ${site.address} (${message})`,
    details,
  );
}

/** The request was aborted → `TIMEOUT`. */
export function abortedError(site: RequestSite, details: ConfigErrorDetails): ConfigError {
  return new ConfigError(
    'TIMEOUT',
    `${site.name}: reading ${site.what} from ${site.server} at ${site.address} was aborted`,
    details,
  );
}
