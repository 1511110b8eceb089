/**
 * `livecfg put KEY [VALUE|-] --store etcd|consul`: a validated, conflict-safe write. Reads the keys of
 * every given source that reads KEY, loads the config as an instance builds it, applies the write to
 * that view (a {@link WritePreview} armed, then `sync()`: the loader validates and diffs it), prints
 * the changed paths (redacted) or the issues, then writes with compare-and-swap on what it read.
 */
import {
  type FleetStore,
  openFleetStore,
  type PreviewTarget,
  type StoredKey,
  targetReads,
  WritePreview,
} from '../fleet.js';
import { type Config, type ConfigChange, loadConfig, type Source } from '../index.js';
import { OPTIONS, parseFlags, type SourceSpec, sourceSpecs, UsageError } from './args.js';
import type { CliIo } from './commands.js';
import { changeView, formatError, inline, REVEAL } from './output.js';
import { type LoadedSchema, loadSchema } from './schema.js';
import { createSources } from './sources.js';

/** Exit codes of put: 0 written (or a dry run that validates), 1 refused, 3 CAS conflict. */
export const PUT_CONFLICT = 3;

const PUT_OPTIONS = {
  ...OPTIONS,
  store: { type: 'string' },
  'dry-run': { type: 'boolean' },
  delete: { type: 'boolean' },
} as const;

interface PutArgs {
  key: string;
  value: string | null;
  store: 'etcd' | 'consul';
  specs: SourceSpec[];
  schema: string | undefined;
  secrets: string[];
  showSecrets: boolean;
  dryRun: boolean;
}

/** Runs `put`; resolves to the exit code. */
export async function runPut(argv: readonly string[], io: CliIo, cwd: string): Promise<number> {
  const args = await parsePut(argv);
  const schema = args.schema ? await loadSchema(args.schema, cwd) : undefined;
  const secrets = [...(schema?.secrets ?? []), ...args.secrets];
  const targets = args.specs.flatMap((spec, index) => {
    const target = targetOf(spec, args.store);
    return target && targetReads(target, args.key) ? [{ index, target }] : [];
  });
  if (targets.length === 0) {
    io.stderr(
      `livecfg put: ${args.key} is under no given ${args.store} source (--${args.store} PREFIX or ` +
        `--${args.store}-key KEY): the write would reach nothing; nothing written\n`,
    );
    return 1;
  }
  const store = openFleetStore({ store: args.store });
  try {
    return await put(args, store, targets, schema, secrets, io);
  } catch (error) {
    io.stderr(`livecfg put: ${formatError(error, args.showSecrets ? REVEAL : undefined)}\n`);
    return 1;
  } finally {
    store.close();
  }
}

async function put(
  args: PutArgs,
  store: FleetStore,
  targets: Array<{ index: number; target: PreviewTarget }>,
  schema: LoadedSchema | undefined,
  secrets: readonly (string | readonly string[])[],
  io: CliIo,
): Promise<number> {
  const current = await store.get(args.key, { background: false });
  const expected = current.kv?.modRevision ?? '0';
  if (args.value === null && current.kv === undefined) {
    io.stderr(`livecfg put: ${args.key} does not exist; nothing to delete\n`);
    return 1;
  }
  if (args.value !== null && current.kv?.value === args.value) {
    io.stdout(`${args.key} is unchanged (revision ${expected}); nothing written\n`);
    return 0;
  }
  const previews = new Map<number, WritePreview>();
  for (const { index, target } of targets) {
    const keys: StoredKey[] =
      target.mode === 'prefix'
        ? (await store.list(target.prefix, { background: false })).keys
        : current.kv
          ? [current.kv]
          : [];
    previews.set(index, new WritePreview(args.store, target, keys, { key: args.key, value: args.value }));
  }
  // loadConfig closes the sources it was given when it fails: each attempt gets fresh ones.
  const makeSources = async (): Promise<Source[]> => {
    const real = await createSources(args.specs.filter((_spec, index) => !previews.has(index)));
    return args.specs.map((_spec, index) => previews.get(index) ?? (real.shift() as Source));
  };
  const verdict = await validate(
    makeSources,
    [...previews.values()],
    schema,
    { paths: secrets, reveal: args.showSecrets },
    io,
  );
  if (!verdict) {
    io.stderr(`✗ refused: ${args.key} was not written\n`);
    return 1;
  }
  if (args.dryRun) {
    io.stdout(`✓ valid; dry run: nothing written (${args.key} is at revision ${expected})\n`);
    return 0;
  }
  const result = await store.cas(args.key, args.value, expected, { background: false });
  if (!result.ok) {
    io.stderr(
      `livecfg put: conflict: ${args.key} changed since it was read (revision ${expected}); ` +
        'nothing written. Read it again and retry.\n',
    );
    return PUT_CONFLICT;
  }
  io.stdout(`✓ ${args.value === null ? 'deleted' : 'wrote'} ${args.key} at revision ${result.revision}\n`);
  return 0;
}

/**
 * Loads the config with the previews unarmed, arms them and syncs: prints the changed paths or the
 * issues; true when the result is valid. When the current state is itself invalid, the write is
 * judged alone.
 */
async function validate(
  makeSources: () => Promise<Source[]>,
  previews: readonly WritePreview[],
  schema: LoadedSchema | undefined,
  secrets: Secrets,
  io: CliIo,
): Promise<boolean> {
  let config: Config;
  // Errors of loadConfig come redacted by the config's own service (judged against the candidate).
  const reveal = secrets.reveal ? REVEAL : undefined;
  try {
    config = await open(await makeSources(), schema, secrets.paths);
  } catch (error) {
    io.stderr(`the current configuration does not load: ${formatError(error, reveal)}\n`);
    for (const preview of previews) preview.arm();
    try {
      config = await open(await makeSources(), schema, secrets.paths);
    } catch (candidate) {
      io.stderr(`${formatError(candidate, reveal)}\n`);
      return false;
    }
    io.stdout('the write makes it valid\n');
    await config.close();
    return true;
  }
  try {
    const redaction = secrets.reveal ? REVEAL : config.redaction;
    let change: ConfigChange | undefined;
    const subscription = config.changes$.subscribe((published) => {
      change = published;
    });
    for (const preview of previews) preview.arm();
    try {
      await config.sync();
    } catch (error) {
      io.stderr(`${formatError(error, redaction)}\n`);
      return false;
    } finally {
      subscription.unsubscribe();
    }
    const view = change ? changeView(change, [], (keys) => config.explain(keys), redaction) : undefined;
    if (!view || view.changes.length === 0) io.stdout('no configuration path changes\n');
    for (const item of view?.changes ?? []) {
      io.stdout(`  ${item.path}: ${inline(item.previous)} → ${inline(item.value)}\n`);
    }
    return true;
  } finally {
    await config.close();
  }
}

/** The secret paths of the command line and the schema module, and `--show-secrets`. */
interface Secrets {
  paths: readonly (string | readonly string[])[];
  reveal: boolean;
}

async function open(
  sources: Source[],
  schema: LoadedSchema | undefined,
  secrets: Secrets['paths'],
): Promise<Config> {
  if (schema)
    return (await loadConfig({ schema: schema.schema, sources, watch: false, secrets })) as unknown as Config;
  return loadConfig({ sources, watch: false, secrets });
}

function targetOf(spec: SourceSpec, store: 'etcd' | 'consul'): PreviewTarget | undefined {
  if (spec.kind === store) return { mode: 'prefix', prefix: spec.prefix.replace(/^\/+/, '') };
  if (spec.kind === `${store}-key` && 'key' in spec) return { mode: 'key', key: spec.key };
  return undefined;
}

async function parsePut(argv: readonly string[]): Promise<PutArgs> {
  const { values, positionals, tokens } = parseFlags(argv, PUT_OPTIONS);
  const store = values.store;
  if (store !== 'etcd' && store !== 'consul')
    throw new UsageError('put needs --store etcd or --store consul');
  const [key, value, ...rest] = positionals;
  if (key === undefined || key === '') throw new UsageError('put needs a KEY');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (values.delete && value !== undefined) throw new UsageError('put --delete takes no VALUE');
  if (!values.delete && value === undefined) throw new UsageError('put needs a VALUE, or - to read stdin');
  return {
    key,
    value: values.delete ? null : value === '-' ? await readStdin() : (value as string),
    store,
    specs: sourceSpecs(tokens),
    schema: values.schema,
    secrets: values.secret ?? [],
    showSecrets: values['show-secrets'] ?? false,
    dryRun: values['dry-run'] ?? false,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\n$/, '');
}
