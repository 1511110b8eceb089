import { describe, expect, it } from 'vitest';
import { file, loadConfig } from '../src/index.js';
import { useTempDirs } from './helpers/temp-dir.js';

const tempDir = useTempDirs();
const KEYS = 10_000;

/** 100 sections of 100 keys each: section42.key7 = 4207. */
function tree(): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (let index = 0; index < KEYS; index++) {
    const section = `section${Math.floor(index / 100)}`;
    out[section] ??= {};
    out[section][`key${index % 100}`] = index;
  }
  return out;
}

function toYaml(data: Record<string, Record<string, number>>): string {
  const lines: string[] = [];
  for (const [section, keys] of Object.entries(data)) {
    lines.push(`${section}:`);
    for (const [key, value] of Object.entries(keys)) lines.push(`  ${key}: ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('a 10,000-key file', () => {
  it.each([
    ['big.json', (data: Record<string, Record<string, number>>) => JSON.stringify(data, null, 2)],
    ['big.yaml', toYaml],
  ])('%s loads; get(), has() and explain() work on it', async (name, render) => {
    const dir = await tempDir();
    const data = tree();
    const path = await dir.write(name, render(data));
    const config = await loadConfig({ sources: [file(path)], watch: false });
    expect(config.value).toEqual(data);
    expect(config.get('section0.key0')).toBe(0);
    expect(config.get('section42.key7')).toBe(4207);
    expect(config.get('section99.key99')).toBe(9999);
    expect(config.get(['section50', 'key50'])).toBe(5050);
    expect(config.get('section100.key0')).toBeUndefined();
    expect(config.has('section12.key34')).toBe(true);
    for (let index = 0; index < KEYS; index += 997) {
      expect(config.get(`section${Math.floor(index / 100)}.key${index % 100}`)).toBe(index);
    }
    // Line 1 + 101 lines per section (header + 100 keys) in YAML; JSON adds the opening brace.
    const origin = config.explain('section99.key99').origin as { line: number };
    expect(origin.line).toBe(name.endsWith('.yaml') ? 99 * 101 + 101 : 99 * 102 + 102);
  });
});
