/** How `livecfg fleet` prints its rows: a table with the refusals below it, or JSON. */
import type { FleetRow } from '../fleet.js';

/** The rows as a table (text) or one JSON document. */
export function formatFleet(rows: readonly FleetRow[], options: { json: boolean }): string {
  if (options.json) return `${JSON.stringify(rows, null, 2)}\n`;
  if (rows.length === 0) return 'no instances\n';
  const header = ['INSTANCE', 'HOST', 'VERSION', 'CHECKSUM', 'APPLIED', 'HEARTBEAT', 'STATUS'];
  const lines = rows.map((row) => [
    row.instance,
    row.host,
    `v${row.configVersion}`,
    row.checksum.slice(0, 8),
    applied(row),
    `${(row.heartbeatAgeMs / 1000).toFixed(1)}s`,
    row.status,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [render(header), ...lines.map(render)];
  for (const row of rows) {
    const refused = row.rejected;
    if (!refused) continue;
    const where = `${refused.source ?? 'a change'}${refused.revision ? `@${refused.revision}` : ''}`;
    out.push(`✗ ${row.instance} refused ${where}: ${refused.code}: ${refused.message}`);
  }
  return `${out.join('\n')}\n`;
}

/** Each source with a revision as `name@revision`; `-` when none has one. */
function applied(row: FleetRow): string {
  const parts = row.sources
    .filter((source) => source.revision !== null)
    .map((source) => `${source.name}@${source.revision}`);
  return parts.join(',') || '-';
}
