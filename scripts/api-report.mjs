#!/usr/bin/env node
/**
 * The public surface, pinned: one API report per entry point (`etc/<subpath>.api.md`), written by
 * @microsoft/api-extractor from the built declaration files (`dist/<name>.d.ts`, so run `tsup` first).
 *
 *   node scripts/api-report.mjs          check: exit 1 when an export was added, removed or changed
 *   node scripts/api-report.mjs --write  accept the change: rewrite the reports (commit them)
 *
 * `npm run lint` runs the check, so a new export is a reviewed decision.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const write = process.argv.includes('--write');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every subpath of package.json's `exports` with its declaration file: `.` → index, `./etcd` → etcd. */
const entries = Object.entries(pkg.exports)
  .filter(([subpath]) => subpath !== './package.json')
  .map(([subpath, target]) => ({
    name: subpath === '.' ? 'livecfg' : `livecfg-${subpath.slice(2)}`,
    types: join(root, target.import.types),
  }));

mkdirSync(join(root, 'etc'), { recursive: true });
const changed = [];
for (const entry of entries) {
  if (!existsSync(entry.types)) {
    console.error(`api-report: ${entry.types} is missing: build first (npx tsup)`);
    process.exit(2);
  }
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: entry.types,
      compiler: { tsconfigFilePath: join(root, 'tsconfig.json') },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.name}.api.md`,
        reportFolder: join(root, 'etc'),
        reportTempFolder: join(root, 'node_modules', '.cache', 'api-report'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // The reports pin names and signatures; doc-comment style is Biome's and tsc's job.
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          'ae-missing-release-tag': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
        compilerMessageReporting: { default: { logLevel: 'warning' } },
      },
    },
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: write, showVerboseMessages: false });
  if (result.apiReportChanged) changed.push(`etc/${entry.name}.api.md`);
  if (!result.succeeded && !result.apiReportChanged) {
    console.error(`api-report: api-extractor failed for ${entry.types}`);
    process.exit(2);
  }
}
if (changed.length > 0 && !write) {
  console.error(
    `api-report: the public surface changed: ${changed.join(', ')}.\n` +
      'If the change is intended, run `node scripts/api-report.mjs --write` and commit the reports.',
  );
  process.exit(1);
}
console.log(write ? `api-report: wrote ${entries.length} reports` : `api-report: ${entries.length} reports match`);
