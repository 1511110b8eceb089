/**
 * Inspector test helpers: a real YAML file config served by a real HTTP server on a loopback port,
 * and an SSE client that parses the stream and waits on events (never on time).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, file, loadConfig } from '../../src/index.js';
import { type Inspector, type InspectorOptions, inspector } from '../../src/inspector/index.js';

/** A config file with a secret, a URL with a password and an array. */
export const YAML = `server:
  host: 127.0.0.1
  port: 8080
db:
  url: postgres://app:s3cr3t-url-pw@db.internal:5432/app
  password: hunter2-db-password
greeting: hello
tags: [a, b]
`;

/** A running inspector over a real file config. */
export interface Served {
  url: string;
  file: string;
  config: Config;
  handler: Inspector;
  server: Server;
  /** Writes the config file. */
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 (the handler directly, or `wrap` around it). */
export function listen(handle: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

/** Closes a server, its idle and open connections included. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A real file config (debounce 0) with an inspector on a real server. */
export async function serve(options: InspectorOptions = {}, yaml = YAML): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'livecfg-inspector-'));
  const path = join(dir, 'app.yaml');
  await writeFile(path, yaml);
  const config = await loadConfig({ sources: [file(path)], debounceMs: 0 });
  const handler = inspector(config, options);
  const { server, url } = await listen(handler);
  return {
    url,
    file: path,
    config,
    handler,
    server,
    write: (text) => writeFile(path, text),
    async close() {
      handler.close();
      await closeServer(server);
      await config.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One parsed SSE event. */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/** An open `text/event-stream` response, parsed as it arrives. */
export class SseClient {
  /** Every event but `hello` (the stream's greeting: instance id and version; see {@link hellos}). */
  readonly events: SseEvent[] = [];
  /** The `hello` events (one per stream). */
  readonly hellos: SseEvent[] = [];
  comments = 0;
  ended = false;
  private buffer = '';
  private readonly listeners = new Set<() => void>();

  constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    const end = (): void => {
      this.ended = true;
      this.notify();
    };
    response.on('end', end);
    response.on('close', end);
  }

  /** Connects to `url`; resolves once the headers arrive. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        resolve(new SseClient(response));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The parsed `data` of the events named `event`. */
  data<T = Record<string, unknown>>(event: string): T[] {
    return this.events.filter((item) => item.event === event).map((item) => JSON.parse(item.data) as T);
  }

  /** Resolves when `predicate` holds; rejects when the stream ends first or after `timeoutMs`. */
  until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate()) {
          done();
          resolve();
        } else if (this.ended) {
          done();
          reject(new Error(`the stream ended before ${what}; events: ${JSON.stringify(this.events)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms; events: ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves when the server ends the stream. */
  untilEnded(timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.ended, 'the end of the stream', timeoutMs).catch((error: Error) => {
      if (!this.ended) throw error;
    });
  }

  close(): void {
    this.response.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let split = this.buffer.indexOf('\n\n');
    while (split !== -1) {
      const block = this.buffer.slice(0, split);
      this.buffer = this.buffer.slice(split + 2);
      this.parse(block);
      split = this.buffer.indexOf('\n\n');
    }
    this.notify();
  }

  private parse(block: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      fields++;
      if (name === 'event') event = value;
      else if (name === 'id') id = value;
      else if (name === 'data') data.push(value);
    }
    if (data.length > 0 || (fields > 0 && event !== 'message')) {
      (event === 'hello' ? this.hellos : this.events).push({ event, id, data: data.join('\n') });
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
