/**
 * The layout is the architecture: every unit under src/ (a top folder, a source's folder, an
 * integration's folder; see unitOf) has an `index.ts` that opens with a doc comment saying its job.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../examples/child.js';
import { unitOf } from './import-rules.js';

function unitFolders(): string[] {
  const units = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && dir !== 'src') units.add(unitOf(path));
    }
  };
  walk('src');
  return [...units].sort();
}

describe('folders', () => {
  const units = unitFolders();

  it('finds the units', () => {
    expect(units).toEqual(expect.arrayContaining(['reader', 'loader', 'publish', 'config', 'sources/file']));
  });

  it.each(units)('src/%s/index.ts opens with a doc comment on the job', (unit) => {
    const index = join(ROOT, 'src', unit, 'index.ts');
    expect(existsSync(index), `src/${unit} has no index.ts`).toBe(true);
    expect(readFileSync(index, 'utf8')).toMatch(/^\/\*\*\s*\n?\s*\*?\s*\S/);
  });
});
