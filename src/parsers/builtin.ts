import { BUILTIN_PARSERS } from '../reader/formats/index.js';
import type { Parser } from '../source-kit/source.js';

/** The built-in JSON parser (`JSON.parse`, lazy line origins), as a {@link Parser}. */
export function json(): Parser {
  return BUILTIN_PARSERS.json;
}

/** The built-in YAML 1.2 parser (the `yaml` package, loaded on first use), as a {@link Parser}. */
export function yaml(): Parser {
  return BUILTIN_PARSERS.yaml;
}

/** The built-in TOML 1.0 parser (the `smol-toml` package, loaded on first use), as a {@link Parser}. */
export function toml(): Parser {
  return BUILTIN_PARSERS.toml;
}

/** The built-in `.env` parser (Node's `util.parseEnv`; `__` nests), as a {@link Parser}. */
export function dotenv(): Parser {
  return BUILTIN_PARSERS.env;
}
