/**
 * The Vault source's `watch()` on the kit's {@link PollLoop}: poll `metadata/` (one small request)
 * every interval and read `data/` only when the current version or its state moved. An outage is
 * reported once, however many polls it spans and whatever each says (refused, reset, socket closed,
 * 503…), and its end once: the first good poll hands the data over again, unchanged or not, so the
 * loader knows the source is healthy.
 */
import { ConfigError } from '../../reader/errors.js';
import type { Observable } from '../../rx/index.js';
import type { BackoffOptions } from '../../source-kit/backoff.js';
import { PollLoop } from '../../source-kit/poll-loop.js';
import type { ChangeSet } from '../../source-kit/source.js';
import { type LoopTracker, loopWatch } from '../../source-kit/watch-loop.js';

/** What the loop needs from its source. */
export interface PollHost {
  readonly name: string;
  /** The fingerprint of the current version (`3:live`, `absent`…): one metadata request. */
  fingerprint(signal: AbortSignal): Promise<string>;
  /** Reads the data: the ChangeSet and the fingerprint it was read at. Throws NOT_FOUND and other ConfigErrors. */
  load(signal: AbortSignal): Promise<{ changeSet: ChangeSet; fingerprint: string }>;
  /** The fingerprint and checksum last handed to the loader, if any. */
  baseline(): { fingerprint: string | undefined; checksum: string | undefined };
  /** Records what was handed to the loader. */
  accept(fingerprint: string, checksum: string | undefined): void;
  /** Reports a non-fatal error to the source's `onError` listeners. */
  report(error: ConfigError): void;
  /** The delay a failed request's server asked for (`Retry-After`), if any. */
  retryAfter?(error: unknown): number | undefined;
}

/** Timing of the loop. */
export interface PollTiming {
  intervalMs: number;
  /** Delays after failures; a `PERMISSION` error waits `maxMs` at once (retrying the same token cannot help). */
  backoff: Required<Pick<BackoffOptions, 'initialMs' | 'maxMs'>> & Pick<BackoffOptions, 'random'>;
}

/** The cold observable behind `watch()`; `track` registers the loop so `close()` can end it. */
export function watchByPolling(
  host: PollHost,
  timing: PollTiming,
  track: LoopTracker,
): Observable<ChangeSet> {
  const { intervalMs, backoff } = timing;
  return loopWatch(
    track,
    (subscriber) =>
      new PollLoop(
        {
          name: host.name,
          backoff,
          poll: (signal, failing) =>
            pollOnce(host, signal, failing === 'unavailable' || failing === 'denied'),
          firstDelay: () => intervalMs,
          delayAfterSuccess: () => intervalMs,
          delayAfterFailure: (failure, error, retries) => {
            const wait = failure.code === 'PERMISSION' ? backoff.maxMs : Math.max(intervalMs, retries.next());
            return Math.max(wait, host.retryAfter?.(error) ?? 0);
          },
          failureKind,
          report: (error) => host.report(error),
        },
        subscriber,
      ),
  );
}

/** One poll; `recovering` (after an outage) hands the data over even when it did not change. */
async function pollOnce(
  host: PollHost,
  signal: AbortSignal,
  recovering: boolean,
): Promise<ChangeSet | undefined> {
  const baseline = host.baseline();
  const fingerprint = await host.fingerprint(signal);
  if (fingerprint === baseline.fingerprint && !recovering) return undefined;
  let loaded: Awaited<ReturnType<PollHost['load']>>;
  try {
    loaded = await host.load(signal);
  } catch (error) {
    // A deleted secret is reported once; later polls compare against it and cost one request again.
    if (error instanceof ConfigError && error.code === 'NOT_FOUND')
      host.accept(fingerprint, baseline.checksum);
    throw error;
  }
  const { changeSet, fingerprint: readAt } = loaded;
  // Stopped meanwhile (the loop aborts its signal): nothing is recorded or handed over.
  if (signal.aborted) return undefined;
  host.accept(readAt, changeSet.checksum);
  return changeSet.checksum !== baseline.checksum || recovering ? changeSet : undefined;
}

/**
 * What a failure is, for reporting once: `unavailable` (no answer, a reset, a timeout, a 5xx or a
 * page that is not Vault's: one outage, whatever each poll says), `denied` (403), or the message of
 * any other failure (a deleted secret…).
 */
function failureKind(error: ConfigError): string {
  if (error.code === 'PERMISSION') return 'denied';
  if (error.code === 'SOURCE_READ' || error.code === 'TIMEOUT') return 'unavailable';
  return `other: ${error.message}`;
}
