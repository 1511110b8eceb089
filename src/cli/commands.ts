/** The CLI's commands: print, get, explain, validate, watch. */

import { type Config, formatPath, loadConfig, type Source } from '../index.js';
import type { Subscription } from '../rx/index.js';
import type { Command, Output } from './args.js';
import {
  changeView,
  formatChange,
  formatDocument,
  formatError,
  formatExplanation,
  inline,
  REVEAL,
} from './output.js';
import type { LoadedSchema } from './schema.js';
import type { ServeOptions } from './serve-args.js';

/** Where a command writes and how it waits for Ctrl-C. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves on SIGINT/SIGTERM (and keeps the process alive until then). */
  untilInterrupted(): Promise<void>;
}

/** Everything a command needs. */
export interface CommandContext {
  command: Command;
  path: string[] | undefined;
  sources: Source[];
  schema: LoadedSchema | undefined;
  output: Output | undefined;
  /** `serve`: where and how to listen. */
  listen?: ServeOptions | undefined;
  /** Secret path patterns from the schema module and `--secret`: passed to `loadConfig`. */
  secrets?: readonly (string | readonly string[])[];
  /** `--show-secrets`: print, get, explain and watch show values as they are. */
  showSecrets?: boolean;
  io: CliIo;
}

/** Runs a command; resolves to the exit code. */
export async function runCommand(context: CommandContext): Promise<number> {
  const { io } = context;
  let config: Config;
  try {
    config = await open(context, context.command === 'watch' || context.command === 'serve');
  } catch (error) {
    // loadConfig has closed the sources already.
    io.stderr(`${formatError(error)}\n`);
    if (context.command === 'validate') io.stderr('✗ the configuration is invalid\n');
    return 1;
  }
  try {
    return await COMMANDS[context.command](config, context);
  } finally {
    await config.close();
  }
}

async function open(context: CommandContext, watch: boolean): Promise<Config> {
  const { sources, schema, secrets } = context;
  if (schema) {
    return (await loadConfig({ schema: schema.schema, sources, watch, secrets })) as unknown as Config;
  }
  return loadConfig({ sources, watch, secrets });
}

type Run = (config: Config, context: CommandContext) => Promise<number>;

/** The config's redaction service, or nothing masked with `--show-secrets`. */
function redactionOf(config: Config, context: CommandContext) {
  return context.showSecrets ? REVEAL : config.redaction;
}

const COMMANDS: Record<Command, Run> = {
  async print(config, context) {
    const { io, output } = context;
    io.stdout(formatDocument(redactionOf(config, context).redact(config.value), output ?? 'json'));
    return 0;
  },

  async get(config, context) {
    const { io, output, path = [] } = context;
    const value = config.get(path);
    if (value === undefined) return notSet(io, path);
    // By default a scalar prints plainly and a branch as JSON; `-o text` lists a branch's leaves.
    const format = output ?? (value !== null && typeof value === 'object' ? 'json' : 'text');
    io.stdout(formatDocument(redactionOf(config, context).redact(value, path), format));
    return 0;
  },

  async explain(config, context) {
    const { io, output, path = [] } = context;
    const explanation = config.explain(path);
    if (explanation.value === undefined && explanation.source === undefined) return notSet(io, path);
    io.stdout(formatExplanation(explanation, output ?? 'text', redactionOf(config, context)));
    return 0;
  },

  async validate(_config, { io, sources, schema }) {
    const names = sources.map((source) => source.name).join(', ') || 'no sources';
    io.stdout(`✓ the configuration is valid (${names}${schema ? '; schema checked' : '; no schema'})\n`);
    return 0;
  },

  async watch(config, context) {
    const { io, output, path = [] } = context;
    const redaction = redactionOf(config, context);
    const label = path.length === 0 ? 'the configuration' : formatPath(path);
    const current = path.length === 0 ? '' : ` = ${inline(redaction.redact(config.get(path), path))}`;
    const subscriptions: Subscription[] = [
      config.changes$.subscribe((change) => {
        const view = changeView(change, path, (keys) => config.explain(keys), redaction);
        if (view.changes.length > 0) io.stdout(formatChange(view, output ?? 'text'));
      }),
      config.errors$.subscribe((error) => io.stderr(`${formatError(error, redaction)}\n`)),
    ];
    // Listen for Ctrl-C before saying so: a caller may interrupt as soon as it reads the line.
    const interrupted = io.untilInterrupted();
    io.stderr(`watching ${label}${current} (v${config.version}); Ctrl-C to stop\n`);
    await interrupted;
    for (const subscription of subscriptions) subscription.unsubscribe();
    return 0;
  },

  async serve(config, context) {
    const { serve } = await import('./serve.js');
    return serve(config, context);
  },
};

function notSet(io: CliIo, path: readonly string[]): number {
  io.stderr(`${formatPath(path) || '(root)'} is not set\n`);
  return 1;
}
