import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { describeFailure, run } from './build.js';
import { consumerProject } from './consumer.js';

/**
 * livecfg's Nest peers (`^11 || ^12`) as a Nest user meets them: a plain `npm install` of the packed
 * tarball with `@nestjs/core` and `@nestjs/common` of each major into a fresh project (no
 * `--legacy-peer-deps`), then a Nest application context that injects the loaded Config and closes it.
 * The repository's own tests run Nest 12 (a devDependency); this is where Nest 11 runs.
 */
const APP = `require('reflect-metadata');
const { writeFileSync } = require('node:fs');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { LivecfgModule, LIVECFG_CONFIG } = require('livecfg/nest');
const { file } = require('livecfg');

writeFileSync('app.json', JSON.stringify({ server: { port: 8080 } }));
class AppModule {}
Module({ imports: [LivecfgModule.forRoot({ sources: [file('app.json')], isGlobal: true })] })(AppModule);

(async () => {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const config = app.get(LIVECFG_CONFIG);
  const nest = require('@nestjs/core/package.json').version;
  console.log(JSON.stringify({ port: config.get('server.port'), nest }));
  await app.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe.each([11, 12])('Nest %i', (major) => {
  it(`npm install livecfg @nestjs/core@${major} @nestjs/common@${major} succeeds without flags; LivecfgModule works`, async (_context) => {
    const consumer = await consumerProject(`nest${major}`, 'commonjs', [
      `@nestjs/core@${major}`,
      `@nestjs/common@${major}`,
    ]);
    const dir = consumer.dir as string;
    writeFileSync(join(dir, 'app.js'), APP);
    const result = await run(process.execPath, ['app.js'], { cwd: dir, timeoutMs: 60_000 });
    if (result.code !== 0 || result.error) throw new Error(describeFailure(`Nest ${major} app`, result));
    expect(withoutNodeWarnings(result.stderr)).toBe('');
    const out = JSON.parse(result.stdout) as { port: number; nest: string };
    expect(out.port).toBe(8080);
    expect(out.nest.split('.')[0]).toBe(String(major));
  }, 900_000);
});
