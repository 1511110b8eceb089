import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { ConfigError } from '../../reader/errors.js';
import type { DocumentContext, Environ, Format, ParsedDocument } from '../../reader/formats/index.js';
import { PieceAssembler } from './parse-pieces.js';
import type { WorkerReply, WorkerRequest } from './parse-worker.js';

/** How long an idle parse worker lives before it is terminated. */
const IDLE_MS = 1000;

/** `worker_threads`' Worker, loaded with the first big document (not when livecfg is imported). */
const workerClass = (): typeof Worker => process.getBuiltinModule('node:worker_threads').Worker;

/**
 * Starts the worker script next to this module: `file-parse-worker.js` / `.cjs` in the build; the
 * `.ts` source in livecfg's own tests and benchmarks, through tsx's loader (a devDependency).
 */
function startWorker(): Worker {
  const here = import.meta.url;
  const extension = /\.(ts|cjs|js)$/.exec(here)?.[1] ?? 'js';
  // In the build the worker is its own entry, `dist/file-parse-worker.*`; in the sources it sits beside this file.
  const name = extension === 'ts' ? 'parse-worker' : 'file-parse-worker';
  const url = new URL(`./${name}.${extension}`, here);
  if (extension !== 'ts') return new (workerClass())(url);
  // require.resolve finds tsx's CommonJS build; its ESM build sits beside it.
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new (workerClass())(boot, { eval: true });
}

/** What one document parse needs besides its text. */
export interface WorkerParseOptions {
  interpolate: boolean;
  environ?: Environ;
  /** Aborting rejects the parse with `TIMEOUT` and terminates the worker (a parse cannot be interrupted). */
  signal?: AbortSignal;
}

/**
 * Parses big documents of the built-in formats off the main thread, in one `worker_threads` worker
 * per file source: created on the first big document, terminated after {@link IDLE_MS} idle or by
 * `close()`, and never keeping the process alive once idle (it is ref'd only while it parses, so
 * that a top-level `await loadConfig(...)` is not cut short). The result comes back in pieces
 * assembled one per event-loop turn, with the same data and origins as a main-thread parse.
 */
export class ParseWorker {
  private worker: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly failures = new Set<(error: Error) => void>();

  /** Parses one document; jobs run one at a time. */
  parse(
    text: string,
    format: Format,
    context: DocumentContext,
    options: WorkerParseOptions,
  ): Promise<ParsedDocument> {
    const job = this.queue.then(() => this.run(text, format, context, options));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Terminates the worker (idempotent); a parse in flight rejects with `CLOSED`. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    for (const fail of this.failures)
      fail(new ConfigError('CLOSED', 'the file source was closed while parsing'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.on('error', (error) => {
      for (const fail of this.failures) fail(error);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const fail of this.failures) fail(new Error('the parse worker exited'));
    });
    this.worker = worker;
    return worker;
  }

  private run(
    text: string,
    format: Format,
    context: DocumentContext,
    options: WorkerParseOptions,
  ): Promise<ParsedDocument> {
    if (this.closed) return Promise.reject(new ConfigError('CLOSED', `${context.source}: closed`));
    const where = context.file ?? context.source;
    const aborted = (): ConfigError =>
      new ConfigError('TIMEOUT', `${where}: parse aborted`, { source: context.source, file: context.file });
    if (options.signal?.aborted) return Promise.reject(aborted());
    clearTimeout(this.idleTimer);
    const worker = this.start();
    worker.ref();
    const id = this.nextId++;
    const wantsEnv = options.interpolate && text.includes('${');
    const env = wantsEnv ? { ...(options.environ ?? (() => process.env))() } : undefined;
    return new Promise<ParsedDocument>((resolve, reject) => {
      const assembler = new PieceAssembler(context.originBase);
      const onAbort = (): void => {
        fail(aborted());
        void this.retire(worker);
      };
      const finish = (): void => {
        options.signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        this.failures.delete(fail);
        worker.unref();
        if (this.closed) return;
        this.idleTimer = setTimeout(() => void this.retire(worker), IDLE_MS);
        this.idleTimer.unref();
      };
      const fail = (error: Error): void => {
        finish();
        reject(
          error instanceof ConfigError
            ? error
            : new ConfigError(
                'SOURCE_READ',
                `${context.file ?? context.source}: parse worker failed: ${error.message}`,
                {
                  source: context.source,
                  file: context.file,
                  cause: error,
                },
              ),
        );
      };
      const onMessage = (reply: WorkerReply): void => {
        if (reply.id !== id) return;
        if (reply.type === 'error') {
          finish();
          const { code, message, ...details } = reply.error;
          reject(new ConfigError(code, message, details));
          return;
        }
        assembler.add(reply.piece);
        if (reply.last) {
          finish();
          resolve({ data: assembler.root, origins: assembler.origins });
        } else {
          worker.postMessage({ type: 'next', id } satisfies WorkerRequest);
        }
      };
      this.failures.add(fail);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', onMessage);
      const request: WorkerRequest = {
        type: 'parse',
        id,
        text,
        format,
        context,
        interpolate: options.interpolate,
        env,
      };
      worker.postMessage(request);
    });
  }

  private async retire(worker: Worker): Promise<void> {
    if (this.worker !== worker) return;
    this.worker = undefined;
    await worker.terminate();
  }
}
