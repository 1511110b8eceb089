import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  type Config,
  type ConfigChange,
  type ConfigError,
  file,
  loadConfig,
  memory,
} from '../../../src/index.js';
import { next, Recorder, tempDir, WAIT_MS, watchFor } from '../../helpers/watch.js';

/** `double` must be twice `counter`: a half-written `counter`/`double` pair fails the refinement. */
const Schema = z
  .object({
    seq: z.number().int().nonnegative(),
    counter: z.number().int().nonnegative(),
    double: z.number().int(),
    end: z.literal(true),
    limit: z.number().int().positive(),
  })
  .refine((value) => value.double === value.counter * 2, { message: 'double must be 2 × counter' });

const doc = (seq: number, counter: number, double = counter * 2): string =>
  `seq: ${seq}\ncounter: ${counter}\ndouble: ${double}\nend: true\n`;

let dir: string;
let cleanup: () => Promise<void>;
let config: Config<z.infer<typeof Schema>> | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await config?.close();
  config = undefined;
  await cleanup();
});

describe('write storms', () => {
  it('1,000 writes in a tight loop converge to the last write; no invalid snapshot is published', async () => {
    const path = join(dir, 'storm.yaml');
    await writeFile(path, doc(0, 0));
    config = await loadConfig({ schema: Schema, defaults: { limit: 1 }, sources: [file(path)] });
    const changes = new Recorder(config.changes$);
    const errors = new Recorder(config.errors$);
    for (let counter = 1; counter <= 1000; counter++) await writeFile(path, doc(counter, counter));
    await watchFor(config, 'counter', 1000, 10_000);
    expect(config.value).toMatchObject({ seq: 1000, counter: 1000, double: 2000 });
    expect(changes.values.length).toBeGreaterThan(0);
    let version = 1;
    for (const change of changes.values) {
      expect(Schema.safeParse(change.current).success).toBe(true);
      expect(change.version).toBe(++version);
    }
    // Partial reads may fail validation (reported, never published), but not parse errors past retries.
    for (const error of errors.values) expect(error.code).toBe('VALIDATION');
    changes.stop();
    errors.stop();
  });

  it('1,000 random corruptions interleaved with valid writes: only valid snapshots, every failure reported', async () => {
    const path = join(dir, 'app.yaml');
    const temp = join(dir, '.app.yaml.tmp');
    await writeFile(path, doc(0, 0));
    const mem = memory({ limit: 1 });
    // Writes are atomic (temp + rename), so every read sees one whole document: no retries needed.
    config = await loadConfig({ schema: Schema, sources: [file(path, { retryDelaysMs: [] }), mem] });
    const published: ConfigChange<z.infer<typeof Schema>>[] = [];
    const errors: ConfigError[] = [];
    config.changes$.subscribe((change) => published.push(change));
    config.errors$.subscribe((error) => errors.push(error));

    let seed = 0x2f6b_1a3d; // mulberry32: reproducible
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (max: number): number => Math.floor(random() * max);

    let expectedFailures = 0;
    let good = { seq: 0, counter: 0, double: 0, end: true, limit: 1 };
    const write = async (text: string): Promise<void> => {
      await writeFile(temp, text);
      await rename(temp, path);
    };

    for (let seq = 1; seq <= 1000; seq++) {
      const kind = int(6);
      const counter = int(1000);
      const failed = next(config.errors$, () => true, WAIT_MS);
      failed.catch(() => undefined);
      if (kind === 0) {
        await write(doc(seq, counter));
        good = { ...good, seq, counter, double: counter * 2 };
        await watchFor(config, 'seq', seq);
        continue;
      }
      if (kind === 1) {
        const limit = 1 + int(100);
        if (limit === good.limit) continue;
        mem.update({ limit });
        good = { ...good, limit };
        await watchFor(config, 'limit', limit);
        continue;
      }
      expectedFailures++;
      if (kind === 2) {
        // Truncated: a whole document cut before its final `end: true`.
        const text = doc(seq, counter);
        await write(text.slice(0, 1 + int(text.length - 2)));
      } else if (kind === 3) {
        await write(`seq: ${seq}\ncounter: [${counter}\ndouble: {\n`); // invalid YAML
      } else if (kind === 4) {
        const bad = [`counter: -${counter + 1}`, `counter: "x${counter}"`, `double: ${counter * 2 + 1}`][
          int(3)
        ];
        await write(`seq: ${seq}\n${doc(seq, counter).split('\n').slice(1).join('\n')}${bad}\n`);
      } else {
        mem.update({ limit: -counter }); // schema-invalid value from memory
        const error = await failed;
        expect(error.code).toBe('VALIDATION');
        expect(error.source).toBe('memory');
        expect(error.path).toBe('limit');
        continue;
      }
      const error = await failed;
      expect(['PARSE', 'VALIDATION']).toContain(error.code);
      if (error.code === 'PARSE') {
        expect(error.file).toBe(path);
        // A document cut down to a bare scalar ("s") is not a mapping: no position is given for that.
        if (!/top level must be a mapping/.test(error.message)) {
          expect(error.line, error.message).toBeGreaterThanOrEqual(1);
        }
        expect(error.message).toContain(path);
        expect(() => parseYaml(doc(seq, counter))).not.toThrow();
      }
    }
    // Converge: a last valid write to both sources.
    await write(doc(1001, 1));
    mem.update({ limit: 1000 });
    await watchFor(config, 'limit', 1000);
    await watchFor(config, 'seq', 1001);

    expect(errors).toHaveLength(expectedFailures);
    for (const change of published) {
      const result = Schema.safeParse(change.current);
      expect(result.success, JSON.stringify(change.current)).toBe(true);
    }
    expect(published.map((change) => change.version)).toEqual(published.map((_, index) => index + 2));
    expect(config.value).toEqual({ seq: 1001, counter: 1, double: 2, end: true, limit: 1000 });
  }, 60_000);
});
