/** The `file()` source: a JSON, YAML, TOML or .env document on disk, with line origins, watched through its directory. */
export { type FileOptions, file } from './file.js';
