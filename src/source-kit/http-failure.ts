/** Why an HTTP request of the source kit failed, as data and as an error (shared by http-client and http-stream). */

/** Why a request failed before a complete response arrived. */
export type HttpFailure =
  | { kind: 'network'; message: string; code?: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'aborted'; reason: unknown }
  | { kind: 'too-large'; limit: number }
  | { kind: 'redirects'; limit: number };

/** Thrown by {@link HttpClient.get}; `failure` says why. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  constructor(
    readonly failure: HttpFailure,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${describeHttpFailure(failure)}`, options);
  }
}

/** A short text for a failure: "no answer within 5000 ms", "body larger than 1048576 bytes". */
export function describeHttpFailure(failure: HttpFailure): string {
  switch (failure.kind) {
    case 'network':
      return failure.message;
    case 'timeout':
      return `no answer within ${failure.timeoutMs} ms`;
    case 'aborted':
      return 'request aborted';
    case 'too-large':
      return `body larger than ${failure.limit} bytes (raise the source's maxBodyBytes if this is expected)`;
    case 'redirects':
      return `more than ${failure.limit} redirects`;
  }
}

/** Whether a network failure is a TLS problem (unknown CA, bad or missing client certificate). */
export function isTlsFailure(failure: HttpFailure): boolean {
  if (failure.kind !== 'network') return false;
  return /certificate|CERT_|SSL|TLS|alert|handshake|self[- ]signed/i.test(
    `${failure.code ?? ''} ${failure.message}`,
  );
}
