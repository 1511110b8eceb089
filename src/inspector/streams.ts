/**
 * Server-Sent Event streams: open (with a cap), write one pre-serialised event to all, heartbeat,
 * end all. A stream never keeps the process alive by itself: the heartbeat timer is unref'd and an
 * ended stream closes its connection.
 */
import type { ServerResponse } from 'node:http';

/** Options of {@link StreamHub}. */
export interface StreamHubOptions {
  maxStreams: number;
  heartbeatMs: number;
  /** A client whose unsent data passes this many bytes is dropped (it reconnects and replays). */
  maxBufferedBytes?: number;
}

/** Serialises one SSE event; `data` is JSON on one line. */
export function sseEvent(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The open streams of one inspector. */
export class StreamHub {
  private readonly streams = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(private readonly options: StreamHubOptions) {}

  /** Open streams. */
  get size(): number {
    return this.streams.size;
  }

  /** Whether another stream may open. */
  get full(): boolean {
    return this.streams.size >= this.options.maxStreams;
  }

  /** Starts a stream on `response`: headers, a `retry` hint, then `initial` (replayed events). */
  open(response: ServerResponse, initial: string): void {
    // The connection ends with the stream (`Connection: close`): no idle keep-alive socket outlives it.
    response.shouldKeepAlive = false;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    response.socket?.setNoDelay(true);
    response.write(`retry: 2000\n: livecfg inspector\n\n${initial}`);
    this.streams.add(response);
    response.on('close', () => this.remove(response));
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), this.options.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /** Writes `text` to every stream; a client too slow to keep up is dropped. */
  broadcast(text: string): void {
    const limit = this.options.maxBufferedBytes ?? 4 * 1024 * 1024;
    for (const response of this.streams) {
      if (response.writableLength > limit) {
        // destroy, not end: end() would keep the backlog in memory until the client reads it.
        response.destroy();
        this.remove(response);
        continue;
      }
      response.write(text);
    }
  }

  /** Ends every stream; with `final`, no stream opens again. */
  endAll(final = false): void {
    if (final) this.ended = true;
    for (const response of [...this.streams]) {
      response.end();
      this.remove(response);
    }
  }

  /** Whether {@link endAll} ended the hub for good. */
  get closed(): boolean {
    return this.ended;
  }

  private remove(response: ServerResponse): void {
    this.streams.delete(response);
    if (this.streams.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }
}
