/**
 * The CLI's use of the library's redaction rules (src/reader/redaction): one redactor per run that
 * learns where values came from once a config is open, and remembers every secret text it has seen
 * (earlier snapshots, rejected edits), so that a secret is masked wherever it shows up later: as the
 * `previous` value of a change, inside another string, or repeated by a message.
 */
import type { Config } from '../index.js';
import type { Origin } from '../reader/provenance.js';
import { createRedactor, type Redactor, type SecretPath } from '../reader/redaction/index.js';

/** Options of {@link CliRedaction}: `--secret` and schema paths, `--show-secrets`. */
export interface CliRedactionOptions {
  paths: readonly SecretPath[];
  reveal: boolean;
}

/** The run's redactor and its memory of secret texts. */
export class CliRedaction {
  private readonly known = new Set<string>();
  private config: Pick<Config, 'explain'> | undefined;
  /** The redactor every output goes through. */
  readonly redactor: Redactor;

  constructor(options: CliRedactionOptions) {
    this.redactor = createRedactor({
      paths: options.paths,
      reveal: options.reveal,
      secretValues: () => this.known,
      originOf: (path) => this.originOf(path),
    });
  }

  /** From now on, values are judged by their origin in `config` too; remembers its snapshot's secrets. */
  attach(config: Config): void {
    this.config = config;
    this.remember(config.value);
  }

  /** Remembers the secret texts in `value` (found at `path`, with `origin`). */
  remember(value: unknown, path: readonly string[] = [], origin?: Origin): void {
    for (const secret of this.redactor.secretsIn(value, path, origin)) this.known.add(secret);
  }

  private originOf(path: readonly string[]): Origin | undefined {
    return this.config?.explain([...path]).origin;
  }
}
