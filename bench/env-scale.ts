/**
 * env() at scale (issue 26 item 9): a child process whose real environment holds N variables matching
 * the prefix (`APP_K<i>__PORT`), loading `env({ prefix: 'APP_' })` beside a memory source, below and
 * above it. Reports the load time and the median time of 20 reloads of the memory source (update →
 * published change), which must not pay for the environment.
 *
 *   npx tsx bench/env-scale.ts [N=100000] [livecfg root=.]
 *
 * The child runs with a larger stack limit so that the kernel accepts an environment of that size.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RELOADS = 20;

async function child(root: string): Promise<void> {
  const lib = (await import(
    pathToFileURL(join(root, 'src/index.ts')).href
  )) as typeof import('../src/index.js');
  const out: Record<string, number> = {};
  for (const order of ['memory-below', 'memory-above'] as const) {
    const mem = lib.memory({ app: { k0: { port: 'x' } }, extra: { n: 0 } });
    const environment = lib.env({ prefix: 'APP_' });
    const started = performance.now();
    const config = await lib.loadConfig({
      sources: order === 'memory-below' ? [mem, environment] : [environment, mem],
    });
    out[`load ${order} ms`] = Math.round(performance.now() - started);
    await new Promise((done) => setImmediate(done));
    const times: number[] = [];
    for (let index = 1; index <= RELOADS; index++) {
      const published = new Promise<void>((done) => {
        const subscription = config.changes$.subscribe(() => {
          subscription.unsubscribe();
          done();
        });
      });
      const before = performance.now();
      mem.update({ app: { k0: { port: 'x' } }, extra: { n: index } });
      await published;
      times.push(performance.now() - before);
    }
    times.sort((a, b) => a - b);
    out[`reload ${order} median ms`] = Number((times[times.length >> 1] as number).toFixed(2));
    await config.close();
  }
  console.log(JSON.stringify(out));
}

/** Runs in a process whose stack limit lets the kernel pass a large environment to the child. */
function launch(count: number, root: string): void {
  const environment: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (let index = 0; index < count; index++)
    environment[`APP_K${index}__PORT`] = String(8000 + (index % 1000));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', root],
    {
      env: environment,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (run.status !== 0) throw new Error(`child failed (${run.status}, ${String(run.error)}): ${run.stderr}`);
  process.stdout.write(run.stdout);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string);
} else if (process.argv[2] === '--launch') {
  launch(Number(process.argv[3]), process.argv[4] as string);
} else {
  const count = Number(process.argv[2] ?? 100_000);
  const root = resolve(process.argv[3] ?? '.');
  // The kernel checks an environment's size against the stack limit of the process that execs it.
  const run = spawnSync(
    'sh',
    [
      '-c',
      'ulimit -s 32768 && exec "$0" --import tsx "$@"',
      process.execPath,
      fileURLToPath(import.meta.url),
    ].concat(['--launch', String(count), root]),
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) throw new Error(`launcher failed (${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split('\n').pop() as string) as Record<string, number>;
  console.log(JSON.stringify({ root, count, ...result }));
}
