/** What a redacted value prints as. */
export const REDACTED = '[redacted]';
