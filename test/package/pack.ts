/**
 * `npm pack` of a fresh build, for the tarball test and the footprint benchmark. The build goes to a
 * private folder (see {@link freshBuild}) with the package's docs beside it, and is packed there with
 * scripts off, so nothing races on the checkout's shared `dist/`.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, freshBuild, root, run } from './build.js';

/** Packs livecfg into `destination`; resolves with the tarball's path. */
export async function packTarball(destination: string): Promise<string> {
  const build = await freshBuild({ dts: true });
  try {
    for (const name of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
      if (existsSync(join(root, name))) copyFileSync(join(root, name), join(build.packageDir, name));
    }
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
      cwd: build.packageDir,
      timeoutMs: 60_000,
    });
    if (pack.code !== 0 || pack.error) throw new Error(describeFailure('npm pack', pack));
    const [packed] = JSON.parse(pack.stdout) as [{ filename: string }];
    return join(destination, packed.filename);
  } finally {
    build.remove();
  }
}

/** npm failed for want of the registry (no network, DNS, proxy), not because of the package. */
export function registryUnreachable(stderr: string): boolean {
  return /E(NOTFOUND|CONNREFUSED|AI_AGAIN|TIMEDOUT|CONNRESET|NETUNREACH|HOSTUNREACH)|network|proxy/i.test(
    stderr,
  );
}
