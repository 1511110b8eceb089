/**
 * `livecfg fleet --store etcd|consul --service NAME`: the instances of a service, what each applied
 * and refused, and their heartbeat; `--wait-revision R` waits until each applied or refused R.
 */
import {
  type FleetRow,
  type FleetStore,
  fleetPrefix,
  fleetRows,
  openFleetStore,
  type PrefixRead,
  parseRecords,
  rolloutState,
} from '../fleet.js';
import { parseDuration } from '../reader/duration.js';
import { maskUrlPassword } from '../reader/redaction/index.js';
import { parseFlags, UsageError } from './args.js';
import type { CliIo } from './commands.js';
import { formatFleet } from './fleet-output.js';

const FLEET_OPTIONS = {
  store: { type: 'string' },
  service: { type: 'string' },
  prefix: { type: 'string' },
  output: { type: 'string', short: 'o' },
  watch: { type: 'boolean' },
  'wait-revision': { type: 'string' },
  timeout: { type: 'string' },
} as const;

interface FleetArgs {
  store: 'etcd' | 'consul';
  service: string;
  prefix: string | undefined;
  json: boolean;
  watch: boolean;
  waitRevision: string | undefined;
  timeoutMs: number;
}

/** Runs `fleet`; resolves to the exit code (0 all applied, 1 any refused or the wait timed out). */
export async function runFleet(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseFleet(argv);
  const store = openFleetStore({ store: args.store });
  const prefix = fleetPrefix(args.prefix, args.service);
  try {
    if (args.waitRevision !== undefined) return await waitRollout(store, prefix, args, io);
    if (args.watch) return await watchFleet(store, prefix, args, io);
    const rows = await rowsNow(store, prefix, args);
    io.stdout(formatFleet(rows.rows, args));
    return rows.rows.some((row) => row.status === 'rejected') ? 1 : 0;
  } catch (error) {
    io.stderr(`livecfg fleet: ${maskUrlPassword(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  } finally {
    store.close();
  }
}

async function rowsNow(
  store: FleetStore,
  prefix: string,
  args: FleetArgs,
  read?: PrefixRead,
): Promise<{ read: PrefixRead; rows: FleetRow[] }> {
  const current = read ?? (await store.list(prefix, { background: false }));
  const records = parseRecords(current.keys.map((key) => key.value));
  const rows = fleetRows(records, args.waitRevision === undefined ? {} : { waitRevision: args.waitRevision });
  return { read: current, rows };
}

/** Re-reads after each change under the prefix (and at least every second, for heartbeat ages). */
async function waitRollout(store: FleetStore, prefix: string, args: FleetArgs, io: CliIo): Promise<number> {
  const deadline = Date.now() + args.timeoutMs;
  let { read, rows } = await rowsNow(store, prefix, args);
  for (;;) {
    const state = rolloutState(rows);
    if (state.done) {
      io.stdout(formatFleet(rows, args));
      if (state.ok) {
        io.stdout(`✓ all ${rows.length} instances applied revision ${args.waitRevision}\n`);
        return 0;
      }
      const refused = rows.filter((row) => row.status === 'rejected').map((row) => row.instance);
      io.stderr(`✗ refused revision ${args.waitRevision}: ${refused.join(', ')}\n`);
      return 1;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      io.stdout(formatFleet(rows, args));
      const waiting = rows.filter((row) => row.status !== 'ok' && row.status !== 'rejected');
      const who = waiting.map((row) => `${row.instance} (${row.status})`).join(', ') || 'no instances';
      io.stderr(`✗ timeout after ${args.timeoutMs} ms waiting for revision ${args.waitRevision}: ${who}\n`);
      return 1;
    }
    const next = await store.waitList(prefix, read.revision, Math.min(left, 1000), { background: false });
    ({ read, rows } = await rowsNow(store, prefix, args, next));
  }
}

/** Prints the table on each change until Ctrl-C. */
async function watchFleet(store: FleetStore, prefix: string, args: FleetArgs, io: CliIo): Promise<number> {
  const controller = new AbortController();
  const interrupted = io.untilInterrupted().then(() => controller.abort());
  let { read, rows } = await rowsNow(store, prefix, args);
  io.stdout(formatFleet(rows, args));
  while (!controller.signal.aborted) {
    try {
      const next = await store.waitList(prefix, read.revision, 30_000, {
        background: true,
        signal: controller.signal,
      });
      if (next.revision === read.revision) continue;
      ({ read, rows } = await rowsNow(store, prefix, args, next));
      io.stdout(formatFleet(rows, args));
    } catch (error) {
      if (controller.signal.aborted) break;
      throw error;
    }
  }
  await interrupted;
  return 0;
}

function parseFleet(argv: readonly string[]): FleetArgs {
  const { values, positionals } = parseFlags(argv, FLEET_OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const store = values.store;
  if (store !== 'etcd' && store !== 'consul')
    throw new UsageError('fleet needs --store etcd or --store consul');
  if (!values.service) throw new UsageError('fleet needs --service NAME');
  if (values.output !== undefined && values.output !== 'json' && values.output !== 'text') {
    throw new UsageError(`--output must be json or text, got "${values.output}"`);
  }
  const revision = values['wait-revision'];
  if (revision !== undefined && !/^\d+$/.test(revision)) {
    throw new UsageError(`--wait-revision must be a revision number, got "${revision}"`);
  }
  const timeoutMs = values.timeout === undefined ? 30_000 : parseDuration(values.timeout);
  if (timeoutMs === undefined || !(timeoutMs > 0)) {
    throw new UsageError(`--timeout must be a duration such as 30s, got "${values.timeout}"`);
  }
  if (values.watch && revision !== undefined) throw new UsageError('--watch and --wait-revision do not mix');
  return {
    store,
    service: values.service,
    prefix: values.prefix,
    json: values.output === 'json',
    watch: values.watch ?? false,
    waitRevision: revision,
    timeoutMs,
  };
}
