import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { type ChildResult, describeFailure, devVersion, root, run } from './build.js';
import { consumerProject } from './consumer.js';

/**
 * What the README says, checked against the package: its quick start (the ES module as written,
 * compiled by strict tsc, and its CommonJS variant) runs against the packed tarball installed from
 * the registry; the runtime-dependency sentence names package.json's `dependencies`; the version
 * matches the CHANGELOG; links work on the registry page; no development notes.
 */

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

/** The text of a `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The first fenced block of `language` in `text`. */
function block(text: string, language: string): string {
  const code = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1];
  expect(code, `a \`\`\`${language} block`).toBeDefined();
  return code as string;
}

/** Runs the quick start's shell lines (but the install, done already) in `dir`. */
async function prepare(dir: string): Promise<void> {
  const shell = block(section('Quick start'), 'sh');
  expect(shell).toMatch(/^npm install livecfg zod$/m);
  const setup = shell
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^npm install\b/.test(line))
    .join('\n');
  const prepared = await run('sh', ['-c', setup], { cwd: dir, timeoutMs: 30_000 });
  if (prepared.code !== 0) throw new Error(describeFailure('the quick start shell lines', prepared));
}

async function node(cwd: string, args: string[]): Promise<ChildResult> {
  const result = await run(process.execPath, args, { cwd, timeoutMs: 60_000 });
  if (result.code !== 0 || result.error) throw new Error(describeFailure(`node ${args.join(' ')}`, result));
  expect(withoutNodeWarnings(result.stderr)).toBe('');
  return result;
}

describe('the README', () => {
  it('names the runtime dependencies of package.json, no more, no less', () => {
    const sentence = /^Runtime dependencies: (.+)\.$/m.exec(readme)?.[1];
    expect(sentence, 'a "Runtime dependencies: …." line').toBeDefined();
    const named = [...(sentence as string).matchAll(/`([^`]+)`/g)].map((match) => match[1]).sort();
    expect(named).toEqual(Object.keys(manifest.dependencies).sort());
  });

  it('is for users: at most 400 lines, absolute links, the version of the CHANGELOG, no development notes', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(400);
    // Relative links are dead on the registry page.
    expect(readme.match(/\]\((?!https?:\/\/|#)[^)]*\)/g) ?? []).toEqual([]);
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    expect(/^## (\d+\.\d+\.\d+)/m.exec(changelog)?.[1]).toBe(manifest.version);
    const docs = readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => [`docs/${name}`, readFileSync(join(root, 'docs', name), 'utf8')] as const);
    const notes = /this branch|main's|rerun it|quiet machine|load average|shared (2-core )?build machine/i;
    for (const [name, text] of [
      ['README.md', readme],
      ['CONTRIBUTING.md', readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8')],
      ...docs,
    ]) {
      expect(notes.exec(text)?.[0], `${name} has no development notes`).toBeUndefined();
    }
    // The two commands a contributor needs first.
    expect(readme).toContain('`npm test`');
    expect(readme).toContain('`npm run example`');
  });

  it('quick start (ES module): compiles under strict tsc against the packed package and runs', async (_context) => {
    const consumer = await consumerProject('quickstart-esm', 'module', [
      `zod@${devVersion('zod')}`,
      `@types/node@${devVersion('@types/node')}`,
    ]);
    const dir = consumer.dir as string;
    await prepare(dir);
    writeFileSync(join(dir, 'main.ts'), block(section('Quick start'), 'ts'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          outDir: 'out',
          skipLibCheck: true, // as `tsc --init` sets it; attw checks our declarations
        },
        files: ['main.ts'],
      }),
    );
    const tsc = await run(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      {
        cwd: dir,
        timeoutMs: 120_000,
      },
    );
    if (tsc.code !== 0) throw new Error(describeFailure('tsc of the quick start', tsc));
    const { stdout } = await node(dir, [join('out', 'main.js')]);
    expect(stdout).toContain('greeting is now Hello');
    expect(stdout).toContain("source: 'file:config/default.yaml'");
  }, 900_000);

  it('quick start (CommonJS variant): runs as main.js in a default CommonJS project', async (_context) => {
    const consumer = await consumerProject('quickstart-cjs', 'commonjs', [`zod@${devVersion('zod')}`]);
    const dir = consumer.dir as string;
    await prepare(dir);
    writeFileSync(join(dir, 'main.js'), block(section('Quick start'), 'js'));
    const { stdout } = await node(dir, ['main.js']);
    expect(stdout).toBe('port 8080\ngreeting is now Hello\n');
  }, 900_000);
});
