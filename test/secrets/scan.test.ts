/**
 * Issue 13's acceptance scan: with real `age` ciphertexts decrypted in a live config, no output a
 * user or operator sees contains a decrypted value: the inspector's every endpoint and SSE events,
 * history, sources(), explain(), redact(), errors$ (a rejected edit that repeats the secret in a
 * validation message), rejections and warnings.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ageDecrypt } from '../../src/age.js';
import { file, loadConfig } from '../../src/index.js';
import { inspector } from '../../src/inspector/index.js';
import { next } from '../helpers/watch.js';
import { type AgeKey, ageWorkspace, cliEncrypt } from './age-cli.js';

const FIRST = 'decrypted-first-7f3a91c2';
const SECOND = 'decrypted-second-b8e2d4f0';

let workspace: ReturnType<typeof ageWorkspace>;
let key: AgeKey;

beforeAll(() => {
  workspace = ageWorkspace();
  key = workspace.keygen('scan');
});
afterAll(() => workspace.remove());

describe('no output contains a decrypted value (needs the age CLI)', () => {
  it('inspector bodies and events, history, sources, explain, redact, errors and rejections', async () => {
    const path = join(workspace.dir, 'app.yaml');
    const yaml = (secret: string, port: number | string) =>
      `server:\n  port: ${port}\nservice:\n  apiKeyish: "${cliEncrypt(secret, key.recipient)}"\n  plainName: web\n`;
    await writeFile(path, yaml(FIRST, 8080));
    const Schema = z.object({
      server: z.object({ port: z.number() }),
      // The refinement repeats the value in its message: the secret must still not show.
      service: z.object({
        apiKeyish: z.string().refine((value) => value !== 'forbidden', { message: 'bad value' }),
        plainName: z.string(),
      }),
    });
    const config = await loadConfig({
      schema: Schema,
      sources: [file(path)],
      resolvers: [ageDecrypt({ identityFile: key.file })],
    });
    const outputs: string[] = [];
    config.errors$.subscribe((error) => outputs.push(error.message, JSON.stringify(error.issues ?? [])));
    expect(config.get('service.apiKeyish')).toBe(FIRST);

    const server = createServer(inspector(config));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const events = new AbortController();
    const stream = await fetch(`${base}/api/events`, { signal: events.signal });
    const reader = stream.body?.getReader();
    const sse: string[] = [];
    const reading = (async () => {
      for (;;) {
        const chunk = await reader?.read().catch(() => undefined);
        if (!chunk || chunk.done) return;
        sse.push(Buffer.from(chunk.value).toString('utf8'));
      }
    })();
    try {
      // A new secret arrives by an edit, then a rejected edit (invalid port) keeps the last good config.
      const changed = next(config.changes$);
      await writeFile(path, yaml(SECOND, 8081));
      await changed;
      expect(config.get('service.apiKeyish')).toBe(SECOND);
      const rejected = next(config.errors$);
      await writeFile(path, yaml(SECOND, '"not a port"'));
      await rejected;

      for (const endpoint of [
        '/',
        '/api/config',
        '/api/config?origins=1',
        '/api/explain?path=service.apiKeyish',
        '/api/explain?path=service',
        '/api/sources',
        '/api/history',
      ]) {
        const response = await fetch(`${base}${endpoint}`);
        outputs.push(`${endpoint}: ${await response.text()}`);
      }
      outputs.push(
        JSON.stringify(config.history()),
        JSON.stringify(config.sources()),
        JSON.stringify(config.explain('service.apiKeyish')),
        JSON.stringify(config.redact(config.value)),
        config.redactText(`connecting with ${SECOND}`),
      );
      const refused = await config.set('server.port', 'x').catch((error: Error) => error.message);
      outputs.push(String(refused));
    } finally {
      events.abort();
      await reading;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await config.close();
    }
    outputs.push(...sse);
    const all = outputs.join('\n');
    // The scan saw real output: the page, the API, the events and the rejected edit.
    expect(all).toContain('<html');
    expect(all).toContain('plainName');
    expect(all).toContain('event: change');
    expect(all).toContain('server.port');
    expect(all).not.toContain(FIRST);
    expect(all).not.toContain(SECOND);
  });
});
