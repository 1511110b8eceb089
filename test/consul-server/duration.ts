/** Go `time.ParseDuration`, as Consul uses it for `?wait=`. */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART = /^(\d*)(?:\.(\d*))?([^\d.]+)/;

/**
 * Parses a Go duration string ("300ms", "-1.5h", "2h45m", "0") to milliseconds, or `undefined`
 * when Go would reject it (empty, a bare number other than 0, an unknown unit).
 *
 * @example
 * parseGoDuration('1m30s'); // 90000
 * parseGoDuration('10');    // undefined: Go says "missing unit in duration"
 */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let totalNs = 0;
  while (rest !== '') {
    const match = PART.exec(rest);
    if (!match) return undefined;
    const [whole, integer = '', fraction, unit = ''] = match;
    if (integer === '' && (fraction === undefined || fraction === '')) return undefined;
    const factor = UNIT_NS[unit];
    if (factor === undefined) return undefined;
    totalNs += Number(`${integer || '0'}.${fraction || '0'}`) * factor;
    rest = rest.slice(whole.length);
  }
  return (sign * totalNs) / 1e6;
}
