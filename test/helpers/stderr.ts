/**
 * Child-process stderr without Node's own known warnings, so that tests can require "nothing else on
 * stderr" on any Node version: `ExperimentalWarning` (e.g. JSON modules, `require(esm)`), Node's
 * `DeprecationWarning`s (`[DEP0040]` punycode and the like, often triggered by dependencies) and the
 * "(Use `node --trace-warnings ...`)" hint after them. livecfg's own warnings are kept.
 *
 * @example
 * expect(withoutNodeWarnings(child.stderr)).toBe('');
 */
export function withoutNodeWarnings(stderr: string): string {
  return stderr
    .split('\n')
    .filter(
      (line) =>
        !/^\(node:\d+\) (\[DEP\d+\] DeprecationWarning|ExperimentalWarning): /.test(line) &&
        !/^\(Use `node --trace-(warnings|deprecation) \.\.\.` to show where the warning was created\)$/.test(
          line,
        ),
    )
    .join('\n');
}
