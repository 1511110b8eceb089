/** The serve guard as a function: Host header rules and the bearer token (issue 26 items 10, 11). */
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/cli/args.js';
import { parseServeOptions } from '../../src/cli/serve-args.js';
import { isLoopbackHost, sameToken, serveGuard } from '../../src/cli/serve-guard.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const usage = (message: string) => new UsageError(message);

describe('serveGuard', () => {
  it('any DNS name that is not loopback, bound or allowed gets 403, with or without the port (property)', () => {
    const guard = serveGuard({ host: '127.0.0.1', port: 7070, allowHosts: ['ok.example'] });
    fc.assert(
      fc.property(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })), (name, port) => {
        fc.pre(!isLoopbackHost(name) && name.toLowerCase() !== 'ok.example');
        const host = port === null ? name : `${name}:${port}`;
        expect(serveGuard({ host: '127.0.0.1', port: 7070, allowHosts: [] })(req({ host }))).toMatchObject({
          status: 403,
        });
        expect(guard(req({ host }))).toMatchObject({ status: 403 });
      }),
    );
  });

  it('a bound name or address answers with its port only', () => {
    const guard = serveGuard({ host: 'cfg.lan', port: 7070, allowHosts: [] });
    expect(guard(req({ host: 'cfg.lan:7070' }))).toBe(true);
    expect(guard(req({ host: 'CFG.LAN.:7070' }))).toBe(true);
    expect(guard(req({ host: 'cfg.lan:7071' }))).toMatchObject({ status: 403 });
    expect(guard(req({ host: 'cfg.lan' }))).toMatchObject({ status: 403 });
    const v6 = serveGuard({ host: '::1', port: 80, allowHosts: [] });
    expect(v6(req({ host: '[::1]' }))).toBe(true);
    expect(v6(req({ host: 'localhost' }))).toBe(true);
  });

  it('with a token: the Host check comes first (403), then the token (401)', () => {
    const guard = serveGuard({ host: '127.0.0.1', port: 1, allowHosts: [], token: 'abc' });
    expect(guard(req({ host: 'evil.example:1', authorization: 'Bearer abc' }))).toMatchObject({
      status: 403,
    });
    expect(guard(req({ host: 'localhost:1' }))).toMatchObject({ status: 401 });
    expect(guard(req({ host: 'localhost:1', authorization: 'Bearer abcd' }))).toMatchObject({
      status: 401,
    });
    expect(guard(req({ host: 'localhost:1', authorization: 'Bearer abc' }))).toBe(true);
  });

  it('sameToken is equality (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(sameToken(a, b)).toBe(a === b);
        expect(sameToken(a, a)).toBe(true);
      }),
    );
  });

  it('isLoopbackHost', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'app.localhost']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('parseServeOptions', () => {
  it('a non-loopback host needs a token or --insecure; --token-file wins over LIVECFG_TOKEN', () => {
    expect(() => parseServeOptions({ host: '0.0.0.0' }, {}, usage)).toThrow(/--token-file.*--insecure/);
    expect(() => parseServeOptions({ host: '::' }, {}, usage)).toThrow(UsageError);
    expect(parseServeOptions({ host: '0.0.0.0', insecure: true }, {}, usage)).toMatchObject({
      insecure: true,
    });
    expect(parseServeOptions({ host: '0.0.0.0' }, { LIVECFG_TOKEN: ' t1 \n' }, usage).token).toBe('t1');
    expect(parseServeOptions({}, {}, usage)).toEqual({
      host: '127.0.0.1',
      port: 7070,
      allowHosts: [],
      insecure: false,
    });
    expect(() => parseServeOptions({}, { LIVECFG_TOKEN: '' }, usage)).toThrow(/LIVECFG_TOKEN is empty/);
  });
});

describe('parseCliArgs: serve flags', () => {
  it('reads LIVECFG_TOKEN from the env it is given, --allow-host entries, and rejects serve flags elsewhere', () => {
    const args = parseCliArgs(
      ['serve', '-f', 'a.yaml', '--host', '0.0.0.0', '--allow-host', 'cfg.lan', '--allow-host', 'x:1'],
      { LIVECFG_TOKEN: 'tok' },
    );
    expect(args).toMatchObject({
      listen: { host: '0.0.0.0', port: 7070, allowHosts: ['cfg.lan', 'x:1'], token: 'tok', insecure: false },
    });
    expect(() => parseCliArgs(['serve', '-f', 'a.yaml', '--host', '0.0.0.0'], {})).toThrow(UsageError);
    expect(parseCliArgs(['print', '-f', 'a.yaml'], {})).toMatchObject({ listen: undefined });
    expect(() => parseCliArgs(['get', 'a', '-f', 'a.yaml', '--token-file', 'x'], {})).toThrow(
      /--token-file: options of serve only/,
    );
  });
});
