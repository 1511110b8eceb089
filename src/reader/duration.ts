const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go-style duration ("1h2m3.5s", "250ms", "-1.5h") or a plain number of milliseconds
 * ("1500") into milliseconds. Returns `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  let input = text.trim();
  if (input === '') return undefined;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(input)) return Number(input);
  let sign = 1;
  if (input[0] === '-' || input[0] === '+') {
    sign = input[0] === '-' ? -1 : 1;
    input = input.slice(1);
  }
  if (input === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const match = PART.exec(input);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return sign * total;
}
