// The root's file() (one copy of it in the built package: this entry imports the root's build).
import { file } from '../../index.js';
import { checksumData } from '../../reader/checksum.js';
import { ConfigError, toConfigError } from '../../reader/errors.js';
import { formatPath } from '../../reader/path.js';
import { type Origin, StaticOriginMap } from '../../reader/provenance.js';
import { observable } from '../../rx/lazy.js';
import { DIRECT_WATCH, type DirectWatchable, type WatchObserver } from '../../source-kit/direct-watch.js';
import { ErrorListeners } from '../../source-kit/error-listeners.js';
import { describeFileOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';
import { parseFormatted, parserForExtension } from './formats.js';
import type { NodeConfigSettings } from './settings.js';

type Environ = NodeConfigSettings['environ'];

/** `env NAME (mapped at config/custom-environment-variables.yaml:3:5)`. */
function describeCustomEnvOrigin(origin: Origin): string | undefined {
  const name = (origin as { env?: unknown }).env;
  if (typeof name !== 'string') return describeFileOrigin(origin);
  const mapped = describeFileOrigin(origin);
  return mapped === undefined ? `env ${name}` : `env ${name} (mapped at ${mapped})`;
}

/**
 * node-config's `custom-environment-variables.{ext}`: a watched mapping file whose leaves name
 * environment variables; the layer holds the variables that are set and not empty, at the mapping's
 * paths. A leaf `{ __name, __format }` reads the variable with a format (see `parseFormatted`).
 * `explain()` names the variable and the mapping's line. The variables are read on every read (and
 * `sync()`); an edit of the mapping file reloads it.
 */
export function customEnvSource(path: string, ext: string, environ: Environ): Source {
  const mapping = file(path, { optional: true, interpolate: false, parser: parserForExtension(ext) });
  const name = `custom-env:${path}`;
  const errorListeners = new ErrorListeners();
  mapping.onError?.((error) => errorListeners.report(error));

  async function substitute(changeSet: ChangeSet): Promise<ChangeSet> {
    const origins = new StaticOriginMap();
    const data = await substituteDeep(changeSet, environ(), origins, path);
    return { data, origins, checksum: checksumData(data), source: name, timestamp: changeSet.timestamp };
  }

  function watchDirect(observer: WatchObserver): () => void {
    let queue = Promise.resolve();
    return (mapping as unknown as DirectWatchable)[DIRECT_WATCH]({
      next(changeSet) {
        // A failed substitution (a bad __format value) is reported; the last good layer stays.
        const report = (error: unknown) => errorListeners.report(toConfigError(error, 'PARSE', name));
        queue = queue.then(() => substitute(changeSet).then((next) => observer.next(next), report));
      },
      error: (error) => observer.error(error),
    });
  }

  const source: Source = {
    name,
    read: async (signal) => await substitute(await mapping.read(signal)),
    watch: () => observable<ChangeSet>((subscriber) => watchDirect(subscriber)),
    attach: (context) => mapping.attach?.(context),
    onError: (listener) => errorListeners.add(listener),
    describeOrigin: describeCustomEnvOrigin,
    close: async () => await mapping.close?.(),
  };
  Object.defineProperty(source, DIRECT_WATCH, { value: watchDirect });
  return source;
}

/** node-config's `substituteDeep`: the mapping's shape, holding the values of the variables it names. */
async function substituteDeep(
  mapping: ChangeSet,
  vars: Readonly<Record<string, string | undefined>>,
  origins: StaticOriginMap,
  file: string,
): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const mappedAt = (path: string[]): Origin => ({ ...(mapping.origins?.lookup(path) ?? { file }) });
  const set = (path: string[], name: string, value: unknown): void => {
    if (value === undefined) return;
    let node = result;
    for (const key of path.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = value;
    origins.set(path, { ...mappedAt(path), env: name });
  };
  const visit = async (map: Record<string, unknown>, at: string[]): Promise<void> => {
    for (const key of Object.keys(map)) {
      const value = map[key];
      const path = [...at, key];
      if (typeof value === 'string') {
        const variable = vars[value];
        if (variable !== undefined && variable !== '') set(path, value, variable);
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const { __name, __format } = value as { __name?: unknown; __format?: unknown };
        if (typeof __name === 'string' && __format !== undefined) {
          const variable = vars[__name];
          if (variable === undefined || variable === '') continue;
          set(path, __name, await formatted(variable, String(__format), __name, path, mappedAt(path)));
        } else {
          await visit(value as Record<string, unknown>, path);
        }
      } else {
        throw new ConfigError(
          'PARSE',
          `${file}: ${formatPath(path)}: a custom environment variable mapping holds variable names (strings) or { __name, __format }, not ${Array.isArray(value) ? 'an array' : typeof value}`,
          { source: `custom-env:${file}`, file, path: formatPath(path) },
        );
      }
    }
  };
  await visit(mapping.data, []);
  return result;
}

/** A variable read with its `__format`; an error names the variable and the mapping, never the value. */
async function formatted(
  text: string,
  format: string,
  name: string,
  path: string[],
  at: Origin,
): Promise<unknown> {
  try {
    return await parseFormatted(text, format, `$${name}`);
  } catch {
    const where = describeFileOrigin(at) ?? String((at as { file?: unknown }).file);
    throw new ConfigError(
      'PARSE',
      `${where}: ${formatPath(path)}: environment variable ${name} is not valid ${format} (__format)`,
      // No cause: a parser's message may quote the variable's text, which may be a secret.
      { source: `custom-env:${String((at as { file?: unknown }).file)}`, path: formatPath(path) },
    );
  }
}
