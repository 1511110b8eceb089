/** `ChangeSet.revision` → `config.sources()[].revision` / `pendingRevision` (the fleet's hook). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ChangeSet, loadConfig, type Source } from '../../src/index.js';
import { Subject } from '../../src/rx/index.js';

function revisioned(): Source & { emit(data: Record<string, unknown>, revision: string): void } {
  const changes = new Subject<ChangeSet>();
  const changeSet = (data: Record<string, unknown>, revision: string): ChangeSet => ({
    data,
    checksum: JSON.stringify(data),
    source: 'store:app/',
    timestamp: new Date(),
    revision,
  });
  return {
    name: 'store:app/',
    read: async () => changeSet({ max: 1 }, '10'),
    watch: () => changes.asObservable(),
    emit: (data, revision) => changes.next(changeSet(data, revision)),
  };
}

describe('source revisions', () => {
  it('reports the applied revision, a refused one as pending, and a newer revision of the same content', async () => {
    const source = revisioned();
    const config = await loadConfig({ schema: z.object({ max: z.number().max(5) }), sources: [source] });
    const errors: string[] = [];
    config.errors$.subscribe((error) => errors.push(error.code));
    try {
      await new Promise((resolve) => setImmediate(resolve)); // the watch subscribes on the next turn
      expect(config.sources()[0]).toMatchObject({ revision: '10', pendingRevision: null });
      source.emit({ max: 2 }, '11');
      await config.sync().catch(() => {});
      await expect.poll(() => config.sources()[0]?.revision).toBe('11');
      source.emit({ max: 50 }, '12');
      await expect.poll(() => errors).toEqual(['VALIDATION']);
      expect(config.sources()[0]).toMatchObject({ revision: '11', pendingRevision: '12' });
      // A fix (back to the published content) clears the pending revision.
      source.emit({ max: 2 }, '13');
      await expect.poll(() => config.sources()[0]?.revision).toBe('13');
      expect(config.sources()[0]?.pendingRevision).toBeNull();
      // Same content as the snapshot at a newer revision: applied without a publish.
      const version = config.version;
      source.emit({ max: 2 }, '14');
      await expect.poll(() => config.sources()[0]?.revision).toBe('14');
      expect(config.version).toBe(version);
    } finally {
      await config.close();
    }
  });
});
