/**
 * One origin describer: each source describes its own origins (`describeOrigin`; the kit gives the
 * built-ins theirs), and explain, the CLI, the inspector and error messages all show that text.
 */
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { formatExplanation } from '../../src/cli/output.js';
import {
  type ChangeSet,
  ConfigError,
  loadConfig,
  type Source,
  type StandardSchemaV1,
} from '../../src/index.js';
import { inspector } from '../../src/inspector/index.js';
import { describeOrigin } from '../../src/reader/origin-text.js';
import { Subject } from '../../src/rx/index.js';
import {
  describeEnvOrigin,
  describeFileOrigin,
  describeFlagOrigin,
  describeKvOrigin,
  describeMemoryOrigin,
  describeVaultOrigin,
} from '../../src/source-kit/origins.js';
import { describeHttpOrigin } from '../../src/sources/http/http.js';
import { listen } from '../inspector/helpers.js';

describe("the kit's describers of the built-in sources", () => {
  it.each([
    [describeFileOrigin, { file: 'config/app.yaml', line: 12, column: 3 }, 'config/app.yaml:12:3'],
    [describeFileOrigin, { file: 'config/app.json', line: 4 }, 'config/app.json:4'],
    [describeFileOrigin, { file: '.env' }, '.env'],
    [
      describeFileOrigin,
      { file: 'a.yaml', line: 2, column: 5, vars: ['HOME', 'USER'] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the description shows ${NAME} literally
      'a.yaml:2:5 via ${HOME}, ${USER}',
    ],
    [describeEnvOrigin, { env: 'APP_SERVER_PORT' }, 'env APP_SERVER_PORT'],
    [
      describeEnvOrigin,
      { file: '.env.local', line: 3, column: 1, env: 'APP_PORT' },
      '.env.local:3:1 (APP_PORT)',
    ],
    [describeEnvOrigin, { file: 'a.env', line: 2, column: 1 }, 'a.env:2:1'],
    [describeFlagOrigin, { flag: '--server.port' }, 'flag --server.port'],
    [describeMemoryOrigin, { memory: true }, 'memory'],
    [describeKvOrigin, { consulKey: 'app/port', modifyIndex: 7 }, 'consul key app/port (ModifyIndex 7)'],
    [
      describeKvOrigin,
      { etcdKey: '/app.yaml', modRevision: '9', line: 2, column: 5 },
      'etcd key /app.yaml:2:5 (mod_revision 9)',
    ],
    [describeVaultOrigin, { vaultPath: 'kv/app', version: 3 }, 'vault kv/app (version 3)'],
    [
      describeHttpOrigin,
      { url: 'https://cfg/app.json', etag: '"7"', line: 3, column: 1 },
      'https://cfg/app.json:3:1 (ETag "7")',
    ],
  ])('%o describes %j as %s', (describer, origin, text) => {
    expect(describer(origin)).toBe(text);
  });

  it('each describer answers undefined for an origin that is not its own', () => {
    for (const describer of [
      describeEnvOrigin,
      describeFlagOrigin,
      describeMemoryOrigin,
      describeKvOrigin,
      describeVaultOrigin,
    ]) {
      expect(describer({ somethingElse: 1 })).toBeUndefined();
    }
  });
});

describe('describeOrigin (reader/origin-text)', () => {
  it("asks the source's describer, then the origin's text, then a file location, then the loader's own layers", () => {
    expect(describeOrigin({ x: 1 }, 'custom', () => 'own text')).toBe('own text');
    expect(describeOrigin({ text: 'vault secret/app v3' }, 'vault')).toBe('vault secret/app v3');
    expect(describeOrigin({ file: 'a.json', line: 1 }, 'file:a.json')).toBe('a.json:1');
    expect(describeOrigin({ default: true }, 'defaults')).toBe('defaults');
    expect(describeOrigin({ default: true }, 'schema')).toBe('schema default');
    expect(describeOrigin({ set: true }, 'set')).toBe('config.set()');
    expect(describeOrigin(undefined, 'custom:thing')).toBe('custom:thing');
  });

  it('a describer that throws does not break the message', () => {
    const broken = (): string => {
      throw new Error('bug');
    };
    expect(describeOrigin({ file: 'x.yaml', line: 2 }, 'file:x.yaml', broken)).toBe('x.yaml:2');
  });
});

/** A custom source whose origins only it can describe. */
function ticketSource(): Source & { push(data: Record<string, unknown>): void } {
  const changes = new Subject<ChangeSet>();
  const changeSet = (data: Record<string, unknown>, serial: number): ChangeSet => ({
    data,
    origins: { lookup: () => ({ ticket: serial }) },
    checksum: String(serial),
    source: 'tickets',
    timestamp: new Date(),
  });
  let serial = 1;
  return {
    name: 'tickets',
    read: async () => changeSet({ limit: 5, name: 'first' }, serial),
    watch: () => changes.asObservable(),
    describeOrigin: (origin) => `ticket OPS-${String((origin as { ticket?: number }).ticket)}`,
    push(data) {
      serial++;
      changes.next(changeSet(data, serial));
    },
  };
}

/** Rejects a negative `limit`, so that a validation message names the offending value's origin. */
const positiveLimit: StandardSchemaV1 = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate(value) {
      const limit = (value as { limit?: unknown }).limit;
      return typeof limit === 'number' && limit < 0
        ? { issues: [{ message: 'must be positive', path: ['limit'] }] }
        : { value };
    },
  },
};

describe("a custom source's describeOrigin", () => {
  it('appears in explain, the CLI output, the inspector (explain, history, origins) and error messages', async () => {
    const source = ticketSource();
    const config = await loadConfig({ sources: [source], schema: positiveLimit });
    const { server, url } = await listen(inspector(config));
    try {
      // 1. explain()
      expect(config.explain('limit').description).toBe('ticket OPS-1');
      // 2. the CLI's explain text
      const text = formatExplanation(config.explain('limit'), 'text', config.redaction);
      expect(text).toContain('tickets (ticket OPS-1)');
      // 3. the inspector: explain, history and the tree with origins
      const explained = (await (await fetch(`${url}/api/explain?path=limit`)).json()) as {
        describedOrigin: string;
      };
      expect(explained.describedOrigin).toBe('ticket OPS-1');
      const changed = firstValueFrom(config.changes$);
      source.push({ limit: 6, name: 'second' });
      await changed;
      expect(config.history()[0]?.changes.find((change) => change.path === 'limit')?.description).toBe(
        'ticket OPS-2',
      );
      const history = await (await fetch(`${url}/api/history`)).text();
      expect(history).toContain('ticket OPS-2');
      const tree = await (await fetch(`${url}/api/config?origins=1`)).text();
      expect(tree).toContain('ticket OPS-2');
      // 4. an error message about a value from this source
      const rejected = firstValueFrom(config.errors$);
      source.push({ limit: -1, name: 'third' });
      const error = await rejected;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('(from ticket OPS-3)');
      expect(error.issues?.[0]?.description).toBe('ticket OPS-3');
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await config.close();
    }
  });
});
