import { ConfigError } from '../reader/errors.js';

/**
 * A loader for an optional peer dependency, imported the first time a document needs it. When the
 * package is missing it rejects with an `INVALID_ARGUMENT` ConfigError naming the package and how to
 * install it; a later call tries again (the package may have been installed meanwhile).
 */
export function optionalModule<T>(pkg: string, parser: string, importer: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= importer().catch((error: unknown) => {
      loading = undefined;
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `the ${parser}() parser needs the optional package "${pkg}", which is not installed: run \`npm install ${pkg}\``,
        { cause: error },
      );
    });
    return loading;
  };
}

/** The text without a leading byte order mark (lines and columns count from after it, as editors show them). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
