/**
 * The pure core: paths, merge, values, formats, coercion, validation, provenance and redaction rules.
 * No I/O, no module loading, no environment variables, no rxjs. Other units import its small modules directly
 * (each has one job); the central names are here.
 */
export { ConfigError, type ConfigErrorCode, type ConfigIssue, isConfigError } from './errors.js';
export { formatPath, type PathInput, parsePath, parsePathText, toPath } from './path.js';
