/** The CLI's argument parsing (node:util parseArgs), PATH and --secret syntax. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/cli/args.js';

describe('parseCliArgs', () => {
  it('keeps source options in command-line order', () => {
    const args = parseCliArgs([
      'print',
      '-f',
      'a.yaml',
      '--env',
      'APP_',
      '--file=b.yaml',
      '--consul',
      'cfg/',
      '-o',
      'yaml',
    ]);
    expect(args).toMatchObject({
      kind: 'run',
      command: 'print',
      output: 'yaml',
      sources: [
        { kind: 'file', path: 'a.yaml' },
        { kind: 'env', prefix: 'APP_' },
        { kind: 'file', path: 'b.yaml' },
        { kind: 'consul', prefix: 'cfg/' },
      ],
    });
  });

  it('parses PATH as dotted keys or a JSON array', () => {
    expect(parseCliArgs(['get', 'server.port', '-f', 'x'])).toMatchObject({ path: ['server', 'port'] });
    expect(parseCliArgs(['get', '["labels","a.b"]', '-f', 'x'])).toMatchObject({ path: ['labels', 'a.b'] });
    expect(parseCliArgs(['watch', '-f', 'x'])).toMatchObject({ path: undefined });
  });

  it('keeps --secret paths as written, after checking their syntax', () => {
    const argv = ['print', '-f', 'x', '--secret', 'labels."a.b"', '--secret', '["tenants","*","dsn"]'];
    expect(parseCliArgs(argv)).toMatchObject({ secrets: ['labels."a.b"', '["tenants","*","dsn"]'] });
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command'],
    [['get', '-f', 'x'], 'needs a PATH'],
    [['print', 'extra', '-f', 'x'], 'unexpected argument'],
    [['print', '-o', 'xml', '-f', 'x'], '--output must be one of'],
    [['print', '--nope'], "Unknown option '--nope'"],
    [['print', '-f', 'x', '--secret', 'a."b'], 'unterminated quote'],
    [['print', '-f', 'x', '--secret', '["a"'], 'not a JSON array'],
    [['get', '[1', '-f', 'x'], 'not a JSON array'],
  ])('%j is a usage error (%s)', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
