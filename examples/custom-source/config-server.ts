/**
 * A tiny JSON config endpoint for the custom-source example: `GET /config.json` answers with an ETag
 * and `304 Not Modified` to a matching `If-None-Match`; `PUT /config.json` replaces the document.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConfigServer {
  /** `http://127.0.0.1:<port>/config.json` */
  readonly url: string;
  /** Every GET: the If-None-Match it carried and the status it got. */
  readonly requests: ReadonlyArray<{ ifNoneMatch: string | undefined; status: number }>;
  /** Replaces the document. */
  set(document: Record<string, unknown>): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startConfigServer(initial: Record<string, unknown>, port = 0): Promise<ConfigServer> {
  let body = '';
  let etag = '';
  const set = (document: Record<string, unknown>): void => {
    body = `${JSON.stringify(document, null, 2)}\n`;
    etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
  };
  set(initial);
  const requests: Array<{ ifNoneMatch: string | undefined; status: number }> = [];

  const server = createServer(async (request, response) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/config.json') {
      response.writeHead(404).end();
      return;
    }
    if (request.method === 'GET') {
      const ifNoneMatch = request.headers['if-none-match'];
      const status = ifNoneMatch === etag ? 304 : 200;
      requests.push({ ifNoneMatch, status });
      response.writeHead(status, { etag, 'content-type': 'application/json' });
      response.end(status === 200 ? body : undefined);
      return;
    }
    if (request.method === 'PUT') {
      let document: unknown;
      try {
        document = JSON.parse(await readBody(request));
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
        return;
      }
      if (document === null || typeof document !== 'object' || Array.isArray(document)) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('the document must be a JSON object\n');
        return;
      }
      set(document as Record<string, unknown>);
      response.writeHead(200, { etag, 'content-type': 'application/json' }).end(body);
      return;
    }
    response.writeHead(405, { allow: 'GET, PUT' }).end();
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/config.json`,
    requests,
    set,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
