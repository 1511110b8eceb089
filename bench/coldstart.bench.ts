/**
 * Cold start, as whole processes: `node script` from spawn to exit, for
 *   - bare `node` (an empty module): the floor every process pays;
 *   - livecfg (a fresh build of dist/, imported as users import it): loadConfig of a small JSON file +
 *     env + get + close, with `watch: false`;
 *   - node-config doing the same: `require('config').get(...)` with NODE_CONFIG_DIR at a temp dir holding
 *     default.json and custom-environment-variables.json (its env mapping);
 *   - the same pair with a YAML file, livecfg with `watch: true`.
 * The scripts run alternately, round after round (bare, livecfg, node-config, …), and each row reports
 * medians of 15 rounds after 2 warm-up rounds, so machine noise falls on every side alike.
 *
 * `tsx bench/coldstart.bench.ts --detail` also prints where livecfg's time goes: the phases inside the
 * process, and the cold import of each dependency on its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FreshBuild, freshBuild } from '../test/package/build.js';
import { isMain, median } from './harness.js';
import type { BenchRow } from './rows/types.js';

const ROUNDS = 15;
const WARMUP = 2;

/** The scripts, by name; each prints the port it read (9090, from APP_SERVER_PORT). */
function scripts(jsonDir: string, yamlDir: string): Record<string, string> {
  const json = JSON.stringify(join(jsonDir, 'default.json'));
  const yaml = JSON.stringify(join(yamlDir, 'default.yaml'));
  const ours = (path: string, watch: boolean) => `import { loadConfig, file, env } from 'livecfg';
const config = await loadConfig({ sources: [file(${path}), env({ prefix: 'APP_', separator: '_' })], watch: ${watch} });
console.log(config.get('server.port'));
await config.close();
`;
  return {
    'bare.mjs': '',
    'livecfg-json.mjs': ours(json, false),
    'livecfg-json.cjs': `const { loadConfig, file, env } = require('livecfg');
loadConfig({ sources: [file(${json}), env({ prefix: 'APP_', separator: '_' })], watch: false }).then(async (config) => {
  console.log(config.get('server.port'));
  await config.close();
});
`,
    'livecfg-yaml-watch.mjs': ours(yaml, true),
    'node-config.cjs': `console.log(require('config').get('server.port'));\n`,
    'phases.mjs': `const started = performance.now();
const { loadConfig, file, env } = await import('livecfg');
const imported = performance.now();
const config = await loadConfig({ sources: [file(${json}), env({ prefix: 'APP_', separator: '_' })], watch: false });
config.get('server.port');
const loaded = performance.now();
await config.close();
const closed = performance.now();
console.log(JSON.stringify({ boot: started, import: imported - started, load: loaded - imported, close: closed - loaded }));
`,
  };
}

/**
 * The config files, in a temp dir (node-config's NODE_CONFIG_DIR): exactly the files livecfg reads,
 * `default.json` or `default.yaml`, plus node-config's mapping of APP_SERVER_PORT
 * (`custom-environment-variables.json`, its equivalent of livecfg's env source). Nothing else: a
 * `default.yaml` next to `default.json` would make node-config load the `yaml` package too.
 */
function configFiles(format: 'json' | 'yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), `livecfg-coldstart-${format}-`));
  const settings = { server: { host: 'localhost', port: 8080 }, greeting: 'hello', limits: { max: 10 } };
  if (format === 'json') writeFileSync(join(dir, 'default.json'), JSON.stringify(settings, null, 2));
  else
    writeFileSync(
      join(dir, 'default.yaml'),
      'server:\n  host: localhost\n  port: 8080\ngreeting: hello\nlimits:\n  max: 10\n',
    );
  writeFileSync(
    join(dir, 'custom-environment-variables.json'),
    JSON.stringify({ server: { port: 'APP_SERVER_PORT' } }),
  );
  return dir;
}

/** A preload (CommonJS, so it costs ESM and CJS scripts alike nothing) that reports the process's CPU time. */
const CPU_PRELOAD = `process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write('\\ncpu ' + (user + system) / 1000 + '\\n');
});
`;

/** One run of a script: wall time from spawn to exit, and the CPU time the process used, in ms. */
interface Sample {
  wall: number;
  cpu: number;
}

/** Runs `node -r cpu.cjs <script>`; throws unless it printed `expected`. */
function time(cwd: string, script: string, env: NodeJS.ProcessEnv, expected: string): Sample {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', './cpu.cjs', script], { cwd, env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  const cpu = Number(/cpu ([\d.]+)\s*$/.exec(result.stderr)?.[1]);
  if (result.status !== 0 || result.stdout.trim() !== expected || Number.isNaN(cpu)) {
    throw new Error(`node ${script} failed (status ${result.status}): ${result.stderr || result.stdout}`);
  }
  return { wall, cpu };
}

interface Run {
  script: string;
  env: NodeJS.ProcessEnv;
  /** What the script prints (default '9090', the port). */
  expected?: string;
}

/** Runs the named scripts alternately, round after round; the median wall and CPU ms of each. */
function alternate(cwd: string, names: Record<string, Run>): Record<string, Sample> {
  writeFileSync(join(cwd, 'cpu.cjs'), CPU_PRELOAD);
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(names).map((name) => [name, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const [name, { script, env, expected }] of Object.entries(names)) {
      const sample = time(cwd, script, env, expected ?? '9090');
      if (round >= WARMUP) samples[name]?.push(sample);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [
      name,
      { wall: median(values.map((v) => v.wall)), cpu: median(values.map((v) => v.cpu)) },
    ]),
  );
}

/** The environment of a run: APP_SERVER_PORT for both libraries, NODE_CONFIG_DIR for node-config. */
function environment(configDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    APP_SERVER_PORT: '9090',
    NODE_CONFIG_DIR: configDir,
    SUPPRESS_NO_CONFIG_WARNING: '1',
  };
}

/** Writes the scripts into the fresh build's project folder (where `livecfg` resolves to the build). */
function prepare(build: FreshBuild, jsonDir: string, yamlDir = jsonDir): void {
  for (const [name, source] of Object.entries(scripts(jsonDir, yamlDir)))
    writeFileSync(join(build.dir, name), source);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The medians of one alternating run of every script (see the top of this file). */
export async function measureColdStart(): Promise<Record<string, Sample>> {
  const build = await freshBuild();
  const jsonDir = configFiles('json');
  const yamlDir = configFiles('yaml');
  try {
    prepare(build, jsonDir, yamlDir);
    const jsonEnv = environment(jsonDir);
    const yamlEnv = environment(yamlDir);
    return alternate(build.dir, {
      bare: { script: 'bare.mjs', env: jsonEnv, expected: '' },
      livecfgJson: { script: 'livecfg-json.mjs', env: jsonEnv },
      nodeConfigJson: { script: 'node-config.cjs', env: jsonEnv },
      livecfgYaml: { script: 'livecfg-yaml-watch.mjs', env: yamlEnv },
      nodeConfigYaml: { script: 'node-config.cjs', env: yamlEnv },
    });
  } finally {
    build.remove();
    rmSync(jsonDir, { recursive: true, force: true });
    rmSync(yamlDir, { recursive: true, force: true });
  }
}

let measured: Promise<Record<string, Sample>> | undefined;
/** One measurement for both rows. */
const once = (): Promise<Record<string, Sample>> => {
  measured ??= measureColdStart();
  return measured;
};

const none: Sample = { wall: Number.NaN, cpu: Number.NaN };

/** A cold-start row: livecfg's script against node-config's, as a ratio of whole-process wall time. */
function coldRow(id: string, operation: string, ours: string, peer: string, limit: number): BenchRow {
  return {
    id,
    operation,
    peer: 'node-config reading the same file (+ its env mapping), same process shape',
    goal: `≤ ${limit}× node-config`,
    async run() {
      const result = await once();
      const bare = result.bare ?? none;
      const us = result[ours] ?? none;
      const them = result[peer] ?? none;
      const ratio = us.wall / them.wall;
      const met = ratio <= limit;
      return {
        figure: `${ratio.toFixed(2)}× (${ms(us.wall)}, +${ms(us.wall - bare.wall)} over bare node ${ms(bare.wall)}; CPU ${ms(us.cpu)}, ${(us.cpu / them.cpu).toFixed(2)}×)`,
        peer: `node-config ${ms(them.wall)} (+${ms(them.wall - bare.wall)}; CPU ${ms(them.cpu)})`,
        met,
        why: met
          ? 'the import loads one file and no rxjs, http, https, worker_threads or crypto'
          : 'what remains is evaluating the root bundle (~220 kB, consul and http sources included) and reading env; loading the consul and http sources on first use would take ~25% of it',
        numbers: {
          ratio,
          livecfgWallMs: us.wall,
          peerWallMs: them.wall,
          bareWallMs: bare.wall,
          livecfgCpuMs: us.cpu,
          peerCpuMs: them.cpu,
        },
      };
    },
  };
}

/** The registered rows (bench/run.ts). */
export const rows: BenchRow[] = [
  coldRow(
    'coldstart-json',
    `cold start, whole process: import + small JSON + env + get + close (medians of ${ROUNDS} alternating rounds)`,
    'livecfgJson',
    'nodeConfigJson',
    1.2,
  ),
  coldRow(
    'coldstart-yaml-watch',
    'cold start, whole process: the same with YAML and `watch: true`',
    'livecfgYaml',
    'nodeConfigYaml',
    1.25,
  ),
];

/** Dependencies that the JSON + env case (watch: false) never calls. */
const UNUSED_IN_JSON_CASE = ['yaml', 'smol-toml', 'consul', 'chokidar'];

/**
 * Shadows `modules` for the fresh build with empty stub packages in the project's node_modules (the build's
 * own imports resolve there first): every name the built files import from them becomes a function that
 * throws. With them, the JSON + env run shows what loading those modules only on use would save.
 */
function stubModules(build: FreshBuild, modules: readonly string[]): void {
  const dist = join(build.packageDir, 'dist');
  const code = readdirSync(dist)
    .filter((name) => name.endsWith('.js'))
    .map((name) => readFileSync(join(dist, name), 'utf8'))
    .join('\n');
  for (const module of modules) {
    const names = new Set<string>();
    let hasDefault = false;
    const pattern = new RegExp(`import\\s*(\\w+)?\\s*,?\\s*(?:\\{([^}]*)\\})?\\s*from\\s*"${module}"`, 'g');
    for (const match of code.matchAll(pattern)) {
      if (match[1]) hasDefault = true;
      for (const part of (match[2] ?? '').split(',')) {
        const name = part.trim().split(/\s+as\s+/)[0];
        if (name) names.add(name);
      }
    }
    if (code.includes(`import("${module}")`)) hasDefault = true;
    const dir = join(build.dir, 'node_modules', module);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: module, type: 'module', main: 'index.js' }),
    );
    const stub = (name: string) => `function ${name}() { throw new Error('${module} is stubbed'); }`;
    writeFileSync(
      join(dir, 'index.js'),
      [
        ...[...names].map((name) => `export ${stub(name)}`),
        hasDefault ? `export default ${stub('stub')}` : '',
      ].join('\n'),
    );
  }
}

/** Where livecfg's cold start goes: phases inside the process, and each dependency's cold import. */
async function detail(): Promise<void> {
  const build = await freshBuild();
  const jsonDir = configFiles('json');
  try {
    prepare(build, jsonDir);
    const env = environment(jsonDir);
    const phases: Record<string, number[]> = { boot: [], import: [], load: [], close: [] };
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const result = spawnSync(process.execPath, ['phases.mjs'], { cwd: build.dir, env, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(result.stderr);
      const sample = JSON.parse(result.stdout) as Record<string, number>;
      if (round >= WARMUP)
        for (const key of Object.keys(phases)) phases[key]?.push(sample[key] ?? Number.NaN);
    }
    const formats = alternate(build.dir, {
      bare: { script: 'bare.mjs', env, expected: '' },
      'livecfg ESM (import)': { script: 'livecfg-json.mjs', env },
      'livecfg CJS (require)': { script: 'livecfg-json.cjs', env },
      'node-config': { script: 'node-config.cjs', env },
    });
    console.log('JSON + env, watch: false (median ms: wall, CPU):');
    for (const [name, { wall, cpu }] of Object.entries(formats)) {
      console.log(`  ${name.padEnd(24)} ${wall.toFixed(1)}  ${cpu.toFixed(1)}`);
    }
    stubModules(build, UNUSED_IN_JSON_CASE);
    const stubbed = alternate(build.dir, {
      bare: { script: 'bare.mjs', env, expected: '' },
      'livecfg ESM, stubbed': { script: 'livecfg-json.mjs', env },
      'node-config': { script: 'node-config.cjs', env },
    });
    for (const module of UNUSED_IN_JSON_CASE)
      rmSync(join(build.dir, 'node_modules', module), { recursive: true });
    console.log(
      `the same with ${UNUSED_IN_JSON_CASE.join(', ')} never loaded (stubbed; median ms: wall, CPU):`,
    );
    for (const [name, { wall, cpu }] of Object.entries(stubbed)) {
      console.log(`  ${name.padEnd(24)} ${wall.toFixed(1)}  ${cpu.toFixed(1)}`);
    }
    console.log('livecfg phases (median ms):');
    for (const [key, values] of Object.entries(phases))
      console.log(`  ${key.padEnd(7)} ${median(values).toFixed(1)}`);

    const modules = [
      'rxjs/internal/Observable',
      'rxjs/internal/BehaviorSubject',
      'rxjs',
      'yaml',
      'smol-toml',
      'chokidar',
      'consul',
      'config',
    ];
    const importers: Record<string, Run> = { bare: { script: 'bare.mjs', env, expected: '' } };
    for (const [index, name] of modules.entries()) {
      const script = `import-${index}.mjs`;
      writeFileSync(join(build.dir, script), `await import(${JSON.stringify(name)});\n`);
      importers[name] = { script, env, expected: '' };
    }
    const times = alternate(build.dir, importers);
    const bare = times.bare;
    console.log('cold import of each module alone (median ms over bare node: wall, CPU):');
    for (const name of modules) {
      const wall = (times[name]?.wall ?? Number.NaN) - (bare?.wall ?? Number.NaN);
      const cpu = (times[name]?.cpu ?? Number.NaN) - (bare?.cpu ?? Number.NaN);
      console.log(`  ${name.padEnd(30)} +${wall.toFixed(1)}  +${cpu.toFixed(1)}`);
    }
  } finally {
    build.remove();
    rmSync(jsonDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--detail')) await detail();
  else for (const row of rows) console.log(row.operation, await row.run());
}
