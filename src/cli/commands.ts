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
} from './output.js';
import type { CliRedaction } from './redaction.js';
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
  /** Secret path patterns from the schema and `--secret` (for serve). */
  secrets?: readonly (string | readonly string[])[];
  redaction: CliRedaction;
  io: CliIo;
}

/** Runs a command; resolves to the exit code. */
export async function runCommand(context: CommandContext): Promise<number> {
  const { io, redaction } = context;
  let config: Config;
  try {
    config = await open(context, context.command === 'watch' || context.command === 'serve');
  } catch (error) {
    // loadConfig has closed the sources already.
    io.stderr(`${formatError(error, redaction)}\n`);
    if (context.command === 'validate') io.stderr('✗ the configuration is invalid\n');
    return 1;
  }
  try {
    redaction.attach(config);
    return await COMMANDS[context.command](config, context);
  } finally {
    await config.close();
  }
}

async function open(context: CommandContext, watch: boolean): Promise<Config> {
  const { sources, schema } = context;
  if (schema) {
    return (await loadConfig({ schema: schema.schema, sources, watch })) as unknown as Config;
  }
  return loadConfig({ sources, watch });
}

type Run = (config: Config, context: CommandContext) => Promise<number>;

const COMMANDS: Record<Command, Run> = {
  async print(config, { io, redaction, output }) {
    io.stdout(formatDocument(redaction.redactor.redactTree(config.value), output ?? 'json'));
    return 0;
  },

  async get(config, { io, redaction, output, path = [] }) {
    const value = config.get(path);
    if (value === undefined) return notSet(io, path);
    const { origin } = config.explain(path);
    io.stdout(formatDocument(redaction.redactor.redactTree(value, path, origin), output ?? 'text'));
    return 0;
  },

  async explain(config, { io, redaction, output, path = [] }) {
    const explanation = config.explain(path);
    if (explanation.value === undefined && explanation.source === undefined) return notSet(io, path);
    io.stdout(formatExplanation(explanation, output ?? 'text', redaction.redactor));
    return 0;
  },

  async validate(_config, { io, sources, schema }) {
    const names = sources.map((source) => source.name).join(', ') || 'no sources';
    io.stdout(`✓ the configuration is valid (${names}${schema ? '; schema checked' : '; no schema'})\n`);
    return 0;
  },

  async watch(config, { io, redaction, output, path = [] }) {
    const { redactor } = redaction;
    const label = path.length === 0 ? 'the configuration' : formatPath(path);
    const current =
      path.length === 0
        ? ''
        : ` = ${inline(redactor.redactTree(config.get(path), path, config.explain(path).origin))}`;
    const subscriptions: Subscription[] = [
      config.changes$.subscribe((change) => {
        // The previous snapshot's secrets are remembered already; remember the new ones before printing.
        redaction.remember(change.current);
        const view = changeView(change, path, (keys) => config.explain(keys), redactor);
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
