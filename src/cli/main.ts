/** The `livecfg` CLI, wired: parse the arguments, build sources, run the command. */

import { maskByRules } from '../redaction.js';
import { parseCliArgs, USAGE, UsageError } from './args.js';
import { type CliIo, runCommand } from './commands.js';
import { runEncrypt } from './encrypt.js';
import { formatError } from './output.js';
import { type LoadedSchema, loadSchema } from './schema.js';
import { createSources } from './sources.js';

/** Runs the CLI with `argv` (the arguments after `livecfg`); resolves to the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  cwd: string,
  version: string,
): Promise<number> {
  try {
    if (argv[0] === 'encrypt') return await runEncrypt(argv.slice(1), io);
    if (argv[0] === 'fleet') return await (await import('./fleet.js')).runFleet(argv.slice(1), io);
    if (argv[0] === 'put') return await (await import('./put.js')).runPut(argv.slice(1), io, cwd);
    if (argv[0] === 'schema') {
      return await (await import('./json-schema.js')).runSchema(argv.slice(1), io, cwd);
    }
    const args = parseCliArgs(argv);
    if (args.kind === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (args.kind === 'version') {
      io.stdout(`${version}\n`);
      return 0;
    }
    if (args.sources.length === 0 && !args.schema) {
      throw new UsageError(
        'no sources: give at least one -f FILE, --env PREFIX, --consul PREFIX or --etcd PREFIX',
      );
    }
    const schema: LoadedSchema | undefined = args.schema ? await loadSchema(args.schema, cwd) : undefined;
    let sources: Awaited<ReturnType<typeof createSources>>;
    try {
      sources = await createSources(args.sources);
    } catch (error) {
      io.stderr(`${formatError(error)}\n`);
      return 1;
    }
    return await runCommand({
      command: args.command,
      path: args.path,
      sources,
      schema,
      output: args.output,
      listen: args.listen,
      secrets: [...(schema?.secrets ?? []), ...args.secrets],
      showSecrets: args.showSecrets,
      io,
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // Usage errors quote arguments and module errors: mask URL passwords in them too.
    io.stderr(`livecfg: ${maskByRules(error.message)}\nRun "livecfg --help" for usage.\n`);
    return 2;
  }
}
