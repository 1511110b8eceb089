/**
 * Rows of issue 26's scale goals, measured by the standalone scripts (each also runs alone, see its
 * header): redaction with 8,000 secret leaves (bench/redaction.bench.ts), 10,000 age-encrypted values
 * (bench/age-load.ts) and env() with 100,000 variables in a real child environment (bench/env-scale.ts).
 * Each script runs in its own process (`node --import tsx`), and its last JSON line is the figure.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchRow, ms } from './types.js';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `script` (a file of bench/) with `args`; resolves with its stdout's JSON lines. */
function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<Record<string, number>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${BENCH}${script}`, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code}: ${err.slice(-2000)}`));
        return;
      }
      const lines = out.split('\n').filter((line) => line.startsWith('{'));
      resolve(lines.map((line) => JSON.parse(line) as Record<string, number>));
    });
  });
}

const AGE_VALUES = Number(process.env.LIVECFG_AGE_BENCH_VALUES ?? 10_000);
const ENV_VARIABLES = Number(process.env.LIVECFG_ENV_BENCH_VARIABLES ?? 100_000);

export const rows: BenchRow[] = [
  {
    id: 'redaction-8k-secrets',
    operation:
      'redaction: first `GET /api/config` after a change, 8,000 secret leaves beside 8,000 scanned strings (and the first `redact()`)',
    peer: '—',
    goal: '≤ 100 ms',
    async run() {
      const [result] = await runScript('redaction.bench.ts', ['--json'], { SIZES: '8000', RUNS: '3' });
      if (!result) throw new Error('redaction.bench.ts printed no figure');
      const api = result.apiConfig as number;
      const met = api <= 100;
      return {
        figure: `${ms(api)} (CPU ${ms(result.apiCpu as number)}; first redact() ${ms(result.redact as number)}; median of 3)`,
        met,
        why: met
          ? 'secret texts are collected once per version and matched in one pass per string (linear in leaves plus secret text); the change that retires them is walked only where the snapshots differ'
          : 'the first answer after a change collects the version’s secret texts over the value and every layer; meeting it needs that collection done incrementally, per changed subtree',
        numbers: result,
      };
    },
  },
  {
    id: 'age-10k-load',
    operation: `age: load ${AGE_VALUES.toLocaleString('en')} \`ENC[age,…]\` values of one file with \`ageDecrypt\``,
    peer: '—',
    goal: '≤ 15 s (10,000 values)',
    async run() {
      const [result] = await runScript('age-load.ts', [String(AGE_VALUES)]);
      if (!result) throw new Error('age-load.ts printed no figure');
      const load = result.loadMs as number;
      const met = load <= 15_000 && AGE_VALUES >= 10_000;
      return {
        figure: `${(load / 1000).toFixed(2)} s for ${AGE_VALUES.toLocaleString('en')} values`,
        met,
        why: met
          ? 'resolved values are set into one copy of the tree (linear), and the identity is imported once as a WebCrypto key'
          : 'each value still needs its own X25519 key agreement (WebCrypto deriveBits, one peer-key import) and ChaCha20-Poly1305, done one after another on a loaded machine; meeting it needs the decryptions spread over worker threads',
        numbers: { values: AGE_VALUES, loadMs: load },
      };
    },
  },
  {
    id: 'env-100k',
    operation: `env() with ${ENV_VARIABLES.toLocaleString('en')} matching variables in a real child environment: load, and a reload of ANOTHER source (memory below / above env)`,
    peer: '—',
    goal: 'load ≤ 2 s; reload of another source ≤ 20 ms',
    async run() {
      const [result] = await runScript('env-scale.ts', [String(ENV_VARIABLES)]);
      if (!result) throw new Error('env-scale.ts printed no figure');
      const load = Math.max(
        result['load memory-below ms'] as number,
        result['load memory-above ms'] as number,
      );
      const reload = Math.max(
        result['reload memory-below median ms'] as number,
        result['reload memory-above median ms'] as number,
      );
      const met = load <= 2000 && reload <= 20;
      return {
        figure: `load ${ms(load)}; reload of the memory source ${ms(reload)} (worse of below/above env; median of 20)`,
        met,
        why: met
          ? 'the env layer and the merged root are shared, not rebuilt, when env did not change'
          : 'a reload of another source re-merges the wide root (100,000 env keys under one object): meeting it needs the merge to share the unchanged layer’s wide objects (structural sharing of wide roots, or a persistent map)',
        numbers: result,
      };
    },
  },
];
