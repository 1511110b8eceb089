/** Builds livecfg sources from the CLI's source options. Consul and etcd load only when used. */

import { env, file, type Source } from '../index.js';
import type { SourceSpec } from './args.js';

/** The sources, in command-line order (later wins). */
export async function createSources(specs: readonly SourceSpec[]): Promise<Source[]> {
  return Promise.all(specs.map(createSource));
}

async function createSource(spec: SourceSpec): Promise<Source> {
  switch (spec.kind) {
    case 'file':
      return file(spec.path);
    case 'env':
      return env({ prefix: spec.prefix });
    case 'consul':
    case 'consul-key': {
      const { consul } = await import('../index.js');
      return spec.kind === 'consul' ? consul({ prefix: spec.prefix }) : consul({ key: spec.key });
    }
    case 'etcd':
    case 'etcd-key': {
      // `livecfg/etcd` is its own entry: loaded only when asked.
      const { etcd } = await import('../etcd.js');
      return spec.kind === 'etcd' ? etcd({ prefix: spec.prefix }) : etcd({ key: spec.key });
    }
  }
}
