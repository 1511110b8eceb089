/**
 * The parse worker's entry (a worker_threads worker started by `file-worker.ts`): parses one document
 * at a time with the built-in formats, then hands the tree back in pieces, one per `next` request,
 * so that the main thread never stalls on one huge message.
 */
import { parentPort } from 'node:worker_threads';
import { ConfigError } from '../../reader/errors.js';
import {
  type DocumentContext,
  type Format,
  parseDocument,
  prepareFormat,
} from '../../reader/formats/index.js';
import { cutIntoPieces, type Piece } from './parse-pieces.js';

/** A request from the main thread. */
export type WorkerRequest =
  | {
      type: 'parse';
      id: number;
      text: string;
      format: Format;
      context: DocumentContext;
      interpolate: boolean;
      env?: Record<string, string | undefined>;
    }
  | { type: 'next'; id: number };

/** A reply to the main thread. */
export type WorkerReply =
  | { type: 'piece'; id: number; piece: Piece; last: boolean }
  | { type: 'error'; id: number; error: SerializedError };

/** A ConfigError as plain data (classes do not cross threads). */
export interface SerializedError {
  code: ConfigError['code'];
  message: string;
  source?: string;
  file?: string;
  path?: string;
  line?: number;
  column?: number;
}

const port = parentPort;
if (port) {
  let pending: { id: number; pieces: Piece[] } | undefined;
  const send = (id: number): void => {
    const piece = pending?.id === id ? pending.pieces.shift() : undefined;
    if (!piece || !pending) return;
    const last = pending.pieces.length === 0;
    if (last) pending = undefined;
    port.postMessage({ type: 'piece', id, piece, last } satisfies WorkerReply);
  };
  port.on('message', async (request: WorkerRequest) => {
    if (request.type === 'next') {
      send(request.id);
      return;
    }
    try {
      await prepareFormat(request.format);
      const env = request.env ?? {};
      const { data, origins } = parseDocument(request.text, request.format, request.context, {
        interpolate: request.interpolate,
        environ: () => env,
      });
      pending = { id: request.id, pieces: cutIntoPieces(data, origins) };
      send(request.id);
    } catch (error) {
      port.postMessage({ type: 'error', id: request.id, error: serialize(error) } satisfies WorkerReply);
    }
  });
}

function serialize(error: unknown): SerializedError {
  if (error instanceof ConfigError) {
    const { code, message, source, file, path, line, column } = error;
    return { code, message, source, file, path, line, column };
  }
  return { code: 'PARSE', message: error instanceof Error ? error.message : String(error) };
}
