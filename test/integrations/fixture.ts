/** Shared by the framework integration tests: a schema, a YAML file to edit, and bounded waits. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, tempDir } from '../examples/child.js';

/** The service schema both frameworks' tests load: the examples' own. */
export { Schema } from '../../examples/fastify-service/schema.js';

/** The config the tests start from. */
export const INITIAL =
  'greeting:\n  template: Hello {name}\nrateLimit:\n  requestsPerSecond: 50\n  burst: 60\nfeatures:\n  shout: false\n';

/** A temporary directory holding `config.yaml`; `write` replaces its text and remembers it for nudges. */
export class ConfigFile {
  readonly dir = tempDir('livecfg-frameworks-');
  readonly path = join(this.dir.path, 'config.yaml');
  text = INITIAL;

  constructor() {
    writeFileSync(this.path, this.text);
  }

  write(text: string): void {
    this.text = text;
    writeFileSync(this.path, text);
  }

  /** Rewrites the same text (a just-started watcher may miss a write; the checksum dedupes repeats). */
  nudge(): void {
    writeFileSync(this.path, this.text);
  }

  remove(): void {
    this.dir.remove();
  }
}

/** GETs `url` as JSON. */
export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls `url` (bounded, nudging the file now and then) until `accept(body)` holds; returns that body. */
export function untilBody(
  url: string,
  accept: (body: Record<string, unknown>) => boolean,
  file: ConfigFile,
  what: string,
): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const { body } = await getJson(url);
      return accept(body) ? body : undefined;
    },
    { nudge: () => file.nudge(), what },
  );
}

export { eventually };
