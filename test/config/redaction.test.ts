/**
 * The one redaction service of a Config (issue 20 item 5, issue 26 items 1–3): messages are judged
 * against the snapshot they are about — the candidate of a rejected change, both snapshots of a change —
 * and the new rule shapes are masked in every output.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConfigChange, ConfigError, loadConfig, memory } from '../../src/index.js';
import { inspector } from '../../src/inspector/index.js';
import { closeServer, listen, SseClient } from '../inspector/helpers.js';

const OLD = 'oldPw-7Kq2xZ9';
const NEW = 'newPw-3Rt8vW1';

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  return response.json();
}

describe('a rejected change is judged against its candidate (issue 26 item 1)', () => {
  const Schema = z
    .object({
      db: z
        .object({ host: z.string(), password: z.string() })
        .refine((db) => db.host !== 'forbidden', { message: 'host is forbidden' }),
      port: z.number().optional(),
    })
    .refine((root) => root.port !== 13, { message: 'port 13 is unlucky' });

  it('startup: an object refine does not print the subtree secrets (message, issues[].value)', async () => {
    const error = await loadConfig({
      schema: Schema,
      sources: [memory({ db: { host: 'forbidden', password: OLD } })],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const text = `${(error as ConfigError).message}\n${JSON.stringify((error as ConfigError).issues)}`;
    expect(text).toContain('host is forbidden');
    expect(text).not.toContain(OLD);
  });

  it('startup: a root refine does not print the tree secrets', async () => {
    const error = await loadConfig({
      schema: Schema,
      sources: [memory({ db: { host: 'h', password: OLD }, port: 13 })],
    }).catch((caught: unknown) => caught);
    const text = `${(error as ConfigError).message}\n${JSON.stringify((error as ConfigError).issues)}`;
    expect(text).toContain('port 13 is unlucky');
    expect(text).not.toContain(OLD);
  });

  it('set() rejection and reload errors carry the candidate secret masked', async () => {
    const source = memory({ db: { host: 'h', password: OLD } });
    const config = await loadConfig({ schema: Schema, sources: [source], debounceMs: 0 });
    try {
      const rejected = await config.set('db', { host: 'forbidden', password: NEW }).catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(ConfigError);
      const setText = `${(rejected as ConfigError).message}${JSON.stringify((rejected as ConfigError).issues)}`;
      expect(setText).toContain('host is forbidden');
      expect(setText).not.toContain(NEW);

      const errors: ConfigError[] = [];
      const subscription = config.errors$.subscribe((error) => errors.push(error));
      const reported = new Promise<void>((resolve) => {
        const check = config.errors$.subscribe(() => {
          check.unsubscribe();
          resolve();
        });
      });
      source.update({ db: { host: 'h', password: NEW }, port: 13 });
      await reported;
      subscription.unsubscribe();
      const reloadText = `${errors[0]?.message}${JSON.stringify(errors[0]?.issues)}`;
      expect(reloadText).toContain('port 13 is unlucky');
      expect(reloadText).not.toContain(NEW);
    } finally {
      await config.close();
    }
  });

  it('a resolved value that fails validation is not printed (startup, and the reload that first resolves it)', async () => {
    const plain = 'americ-pQn9Z1';
    const sealed = `rev:${[...plain].reverse().join('')}`;
    const reverse = {
      name: 'reverse',
      matches: (value: string) => value.startsWith('rev:'),
      resolve: async (value: string) => [...value.slice(4)].reverse().join(''),
    };
    const Long = z.object({ s: z.object({ port: z.string().min(40) }) });
    const error = await loadConfig({
      schema: Long,
      sources: [memory({ s: { port: sealed } })],
      resolvers: [reverse],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const text = `${(error as ConfigError).message}${JSON.stringify((error as ConfigError).issues)}`;
    expect(text).toContain('s.port');
    expect(text).not.toContain(plain);

    const source = memory({ s: { port: 'x'.repeat(50) } });
    const config = await loadConfig({ schema: Long, sources: [source], resolvers: [reverse], debounceMs: 0 });
    try {
      const reported = new Promise<ConfigError>((resolve) => {
        const subscription = config.errors$.subscribe((caught) => {
          subscription.unsubscribe();
          resolve(caught);
        });
      });
      source.update({ s: { port: sealed } });
      const reload = await reported;
      const reloadText = `${reload.message}${JSON.stringify(reload.issues)}`;
      expect(reloadText).toContain('s.port');
      expect(reloadText).not.toContain(plain);
    } finally {
      await config.close();
    }
  });
});

describe('a change is judged against both of its snapshots (issue 26 item 2)', () => {
  it('after a rotation, the old password inside a non-secret key is masked in history, /api/history and SSE replay', async () => {
    const source = memory({ db: { password: OLD }, motd: `log in with ${OLD}` });
    const config = await loadConfig({ sources: [source], debounceMs: 0 });
    const handler = inspector(config);
    const { server, url } = await listen(handler);
    const live = await SseClient.connect(`${url}/api/events`);
    try {
      const changed = new Promise<void>((resolve) => {
        const subscription = config.changes$.subscribe(() => {
          subscription.unsubscribe();
          resolve();
        });
      });
      source.update({ db: { password: NEW }, motd: `log in with ${NEW}` });
      await changed;
      await live.until(() => live.data('change').length > 0, 'the live change');
      const streamed = JSON.stringify(live.data('change'));
      expect(streamed).toContain('log in with');
      expect(streamed).not.toContain(OLD);
      const history = JSON.stringify(await getJson(`${url}/api/history`));
      expect(history).toContain('log in with');
      expect(history).not.toContain(OLD);
      expect(history).not.toContain(NEW);

      const replay = await SseClient.connect(`${url}/api/events`, { 'last-event-id': '1' });
      await replay.until(() => replay.data('change').length > 0, 'the replayed change');
      replay.close();
      const replayed = JSON.stringify(replay.data('change'));
      expect(replayed).toContain('log in with');
      expect(replayed).not.toContain(OLD);

      const entry = config.redaction.redactHistoryEntry(config.history()[0] as never);
      expect(JSON.stringify(entry)).not.toContain(OLD);
    } finally {
      live.close();
      handler.close();
      await closeServer(server);
      await config.close();
    }
  });
});

describe('a value that was resolved before a change', () => {
  it('stays masked as `previous` in a redacted change event once a plain value replaces it', async () => {
    const plain = 'decrypted-Wq4Ls8';
    const reverse = {
      name: 'reverse',
      matches: (value: string) => value.startsWith('rev:'),
      resolve: async (value: string) => [...value.slice(4)].reverse().join(''),
    };
    const source = memory({ motd: `rev:${[...plain].reverse().join('')}` });
    const config = await loadConfig({ sources: [source], resolvers: [reverse], debounceMs: 0 });
    try {
      const published = new Promise<ConfigChange>((resolve) => {
        const subscription = config.changes$.subscribe((change) => {
          subscription.unsubscribe();
          resolve(change);
        });
      });
      source.update({ motd: 'hello' });
      const change = await published;
      expect(JSON.stringify(change.previous)).toContain(plain);
      const redacted = config.redaction.redactChange(change);
      expect(redacted.previous).toEqual({ motd: '[redacted]' });
      expect(redacted.current).toEqual({ motd: 'hello' });
      expect(JSON.stringify(config.redaction.redactHistoryEntry(config.history()[0] as never))).not.toContain(
        plain,
      );
    } finally {
      await config.close();
    }
  });
});

describe('secret shapes in keys and values (issue 26 item 3)', () => {
  it('URL credentials inside a key, Bearer, Password= and query tokens are masked in /api/config and /api/explain', async () => {
    const key = 'https://relay:hubPw-5Hn2q@up.example';
    const config = await loadConfig({
      sources: [
        memory({
          upstreams: { [key]: { weight: 1 } },
          headers: { authorization: 'Bearer tok-9Vb3Xm2Lq8' },
          sql: 'Server=db;User Id=sa;Password=sqlPw-4Kd8;',
          callback: 'https://api.example.com/cb?token=qTok-7Zx1&page=2',
        }),
      ],
      watch: false,
    });
    const handler = inspector(config);
    const { server, url } = await listen(handler);
    try {
      const body = await (await fetch(`${url}/api/config`)).text();
      const origins = await (await fetch(`${url}/api/config?origins=1`)).text();
      const path = encodeURIComponent(`upstreams.${JSON.stringify(key)}.weight`);
      const explained = await (await fetch(`${url}/api/explain?path=${path}`)).text();
      expect(body).toContain('https://relay:[redacted]@up.example');
      expect(body).toContain('Bearer [redacted]');
      expect(JSON.parse(explained)).toMatchObject({ value: 1, source: 'memory' });
      expect(explained).toContain('[redacted]');
      for (const text of [body, origins, explained]) {
        for (const secret of ['hubPw-5Hn2q', 'tok-9Vb3Xm2Lq8', 'sqlPw-4Kd8', 'qTok-7Zx1']) {
          expect(text).not.toContain(secret);
        }
      }
    } finally {
      handler.close();
      await closeServer(server);
      await config.close();
    }
  });
});
