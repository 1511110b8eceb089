import { filter, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { etcd } from '../../src/etcd.js';
import { env, loadConfig } from '../../src/index.js';
import { useEtcd } from '../helpers/use-etcd.js';

const etcdFixture = useEtcd();

const Schema = z.object({
  server: z.object({ port: z.number().int(), host: z.string().default('0.0.0.0') }),
  greeting: z.string().default('Hello'),
});

describe('etcd through loadConfig', () => {
  it('puts and deletes reach watch(path) subscribers; explain names the etcd key and mod_revision', async () => {
    await etcdFixture.admin.put('/it/app/server/port', '8080');
    await etcdFixture.admin.put('/it/app/greeting', 'Hi');
    const config = await loadConfig({
      schema: Schema,
      sources: [etcd({ prefix: '/it/app/', hosts: etcdFixture.server.endpoint })],
    });
    try {
      expect(config.get('server.port')).toBe(8080);
      const explained = config.explain('server.port');
      expect(explained.source).toBe('etcd:/it/app/');
      expect(explained.origin).toMatchObject({ etcdKey: '/it/app/server/port' });
      expect(Number((explained.origin as { modRevision: string }).modRevision)).toBeGreaterThan(0);

      const greetings: unknown[] = [];
      config.watch('greeting', { emitCurrent: false }).subscribe((value) => greetings.push(value));
      const ports = firstValueFrom(
        config.watch('server.port', { emitCurrent: false }).pipe(take(1), timeout(5000)),
      );
      await etcdFixture.admin.put('/it/app/server/port', '9090');
      expect(await ports).toBe(9090);

      const fallback = firstValueFrom(
        config.watch('greeting').pipe(
          filter((value) => value === 'Hello'),
          timeout(5000),
        ),
      );
      await etcdFixture.admin.deleteRange('/it/app/greeting');
      expect(await fallback).toBe('Hello');
      expect(greetings).toEqual(['Hello']);
    } finally {
      await config.close();
    }
  });

  it('env overrides etcd, and a schema-invalid put goes to errors$ while the last good value stays', async () => {
    await etcdFixture.admin.put('/it/second/server/port', '7000');
    const config = await loadConfig({
      schema: Schema,
      sources: [
        etcd({ prefix: '/it/second/', hosts: etcdFixture.server.endpoint }),
        env({ prefix: 'APP_', environ: () => ({ APP_SERVER_HOST: 'example.test' }) }),
      ],
    });
    try {
      expect(config.value.server).toEqual({ port: 7000, host: 'example.test' });
      const error = firstValueFrom(config.errors$.pipe(timeout(5000)));
      await etcdFixture.admin.put('/it/second/server/port', '"not a number"');
      expect((await error).code).toBe('VALIDATION');
      expect(config.get('server.port')).toBe(7000);
      const versions = firstValueFrom(config.changes$.pipe(take(1), toArray(), timeout(5000)));
      await etcdFixture.admin.put('/it/second/server/port', '7001');
      expect((await versions)[0]?.changed).toEqual(['server.port']);
    } finally {
      await config.close();
    }
  });
});
