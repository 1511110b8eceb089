/**
 * Lets an open etcd watch stream stop keeping the process alive.
 *
 * grpc-js refs its HTTP/2 session while any call is active and offers no option to unref it, so a
 * long-lived watch stream would keep a service's process alive after everything else has finished.
 * This finds the stream's `ClientHttp2Stream` inside the etcd3 watcher (grpc-js internals, found by
 * a bounded search rather than a fixed property path) and unrefs its session. grpc-js refs the
 * session again only when its active calls go from zero to one, which cannot happen while the
 * watch stream is open; after a reconnect the watch calls this again. When the internals are not
 * where it looks, it does nothing: the process then stays alive until `close()`, as before.
 */

/** How deep the search may go from the watcher (the stream sits about 8 levels down in grpc-js 1.14). */
const MAX_DEPTH = 12;
/** How many objects the search may visit. */
const MAX_VISITS = 5000;

/** Unrefs the HTTP/2 session under an etcd3 watcher's stream; returns whether it found one. */
export function unrefWatchSession(watcher: unknown): boolean {
  const stream = (watcher as { manager?: { stream?: unknown } } | undefined)?.manager?.stream;
  const http2Stream = findByConstructor(stream, 'ClientHttp2Stream');
  const session = (http2Stream as { session?: { unref?: () => void } } | undefined)?.session;
  if (typeof session?.unref !== 'function') return false;
  session.unref();
  return true;
}

function findByConstructor(root: unknown, name: string): object | undefined {
  const seen = new Set<object>();
  let level: object[] = root !== null && typeof root === 'object' ? [root] : [];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: object[] = [];
    for (const node of level) {
      if (seen.has(node) || seen.size >= MAX_VISITS) continue;
      seen.add(node);
      if (node.constructor?.name === name) return node;
      for (const key of Object.keys(node)) {
        let child: unknown;
        try {
          child = (node as Record<string, unknown>)[key];
        } catch {
          continue;
        }
        if (child !== null && typeof child === 'object') next.push(child);
      }
    }
    level = next;
  }
  return undefined;
}
