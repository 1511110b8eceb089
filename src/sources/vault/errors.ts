/** ConfigErrors for failed Vault requests: what failed, where, and what to do. Never a secret's value. */
import { ConfigError } from '../../reader/errors.js';
import { describeHttpFailure, HttpRequestError } from '../../source-kit/http-failure.js';
import {
  abortedError,
  deniedError,
  statusError as httpStatusError,
  type RequestSite,
  unreachableError,
} from '../../source-kit/request-errors.js';
import { describeBody, type VaultResponse } from './http.js';

/** Context for messages: who asks (`vault:secret/app`), Vault's address, and what was read. */
export interface FailureContext {
  name: string;
  address: string;
  /** e.g. `secret/metadata/app`. */
  what: string;
  /** The request carried no token. */
  noToken?: boolean;
}

/** The request site of a context, for the kit's messages. */
function site(context: FailureContext): RequestSite {
  return { name: context.name, server: 'Vault', address: context.address, what: context.what };
}

/** The `Retry-After` delays of the errors that carried one. */
const retryAfter = new WeakMap<ConfigError, number>();

/** The delay (ms) the server asked for before a retry (`Retry-After`), if it asked. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof ConfigError ? retryAfter.get(error) : undefined;
}

/**
 * The ConfigError for an HTTP status: 403 → `PERMISSION` (a missing policy, or an expired or revoked
 * token: Vault does not tell them apart); 404 → `NOT_FOUND`; anything else → `SOURCE_READ`.
 */
export function statusError(context: FailureContext, response: VaultResponse): ConfigError {
  const { name, address, what } = context;
  const said = describeBody(response);
  const details = { source: name };
  if (response.status === 403) {
    const advice = context.noToken
      ? 'no token was sent; set VAULT_TOKEN, the token option or auth.appRole'
      : 'the token lacks a policy for it, or it expired or was revoked; check the token, VAULT_TOKEN or the AppRole';
    return deniedError(site(context), said, advice, details);
  }
  if (response.status === 404) {
    return new ConfigError(
      'NOT_FOUND',
      `${name}: Vault at ${address} has no secret at ${what} (404${said})`,
      details,
    );
  }
  const error = httpStatusError(site(context), response.status, said, details);
  if (response.retryAfterMs !== undefined) retryAfter.set(error, response.retryAfterMs);
  return error;
}

/** The ConfigError for a request that got no answer (the kit's {@link HttpRequestError}). */
export function transportError(context: FailureContext, error: unknown): ConfigError {
  const { name, address, what } = context;
  if (error instanceof ConfigError) return error;
  const details = { source: name, cause: error };
  if (!(error instanceof HttpRequestError)) {
    return new ConfigError(
      'SOURCE_READ',
      `${name}: reading ${what} from Vault at ${address} failed: ${String(error)}`,
      details,
    );
  }
  const failure = error.failure;
  switch (failure.kind) {
    case 'timeout':
      return new ConfigError(
        'TIMEOUT',
        `${name}: Vault at ${address} did not answer reading ${what} (${describeHttpFailure(failure)})`,
        details,
      );
    case 'aborted':
      return abortedError(site(context), details);
    case 'network':
      return unreachableError(site(context), failure.code ?? failure.message, details);
    default:
      return new ConfigError(
        'SOURCE_READ',
        `${name}: reading ${what} from Vault at ${address}: ${describeHttpFailure(failure)}`,
        details,
      );
  }
}

/** A 200 whose body is not the JSON expected. */
export function shapeError(context: FailureContext, response: VaultResponse, expected: string): ConfigError {
  return new ConfigError(
    'SOURCE_READ',
    `${context.name}: Vault at ${context.address} answered ${response.status} with ` +
      `${response.json === undefined ? `a ${response.contentType || 'non-JSON'} body` : 'JSON'} without ${expected} reading ${context.what}`,
    { source: context.name },
  );
}
