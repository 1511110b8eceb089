/**
 * Who is answering: the service, a random id for this process (versions and error numbers restart
 * with a process; the id tells a restarted service apart), host, pid, start time, livecfg's version.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The body of `GET /api/instance`. */
export interface InstanceView {
  service: string;
  /** Random per process: events are keyed by `instance` + sequence. */
  instance: string;
  host: string;
  pid: number;
  /** ISO time the process started. */
  startedAt: string;
  /** livecfg's own version, or `null` when its package.json cannot be found. */
  livecfgVersion: string | null;
  node: string;
}

/** This process's id, shared by every inspector in it. */
export const INSTANCE_ID = randomBytes(6).toString('hex');

const STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString();

let version: string | null | undefined;

/**
 * livecfg's version from the package.json above this module: `dist/` (and its chunks) sit one level
 * under it, `src/inspector/` two. Read once; `null` when not found (a bundler inlined us).
 */
function livecfgVersion(): string | null {
  if (version !== undefined) return version;
  version = null;
  try {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let level = 0; level < 4; level++) {
      dir = dirname(dir);
      try {
        const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (json.name === 'livecfg' && typeof json.version === 'string') {
          version = json.version;
          break;
        }
      } catch {
        // no package.json at this level
      }
    }
  } catch {
    // import.meta.url is not a file URL
  }
  return version;
}

/** The instance card of this process for a service name. */
export function instanceView(service: string): InstanceView {
  return {
    service,
    instance: INSTANCE_ID,
    host: hostname(),
    pid: process.pid,
    startedAt: STARTED_AT,
    livecfgVersion: livecfgVersion(),
    node: process.version,
  };
}
