import type { Origin, OriginMap } from '../../reader/provenance.js';
import { pathKey } from '../../reader/provenance.js';

/**
 * The wire format between the parse worker and the file source: a parsed tree cut into pieces of at
 * most about {@link NODE_BUDGET} nodes, so that the main thread deserialises and assembles one piece
 * per event-loop turn (never one long stall), with the origins of each piece's nodes.
 */

/** Nodes (objects, arrays, scalars) per message. */
export const NODE_BUDGET = 5000;

/** A value to set at a path; a container too big for one piece is sent empty, its children after it. */
export type PieceEntry = readonly [path: readonly string[], value: unknown];

/** The origins of a piece's nodes: `keys[i]` (a pathKey) is at `lines[i]`/`columns[i]`. */
export interface PieceOrigins {
  keys: string[];
  lines: Int32Array;
  columns: Int32Array;
  /** Interpolated variables by index into `keys`. */
  vars: Array<[number, string[]]>;
}

/** One message's worth of the tree. */
export interface Piece {
  entries: PieceEntry[];
  origins: PieceOrigins;
}

/** Cuts a parsed tree into pieces of about {@link NODE_BUDGET} nodes, with their origins (worker side). */
export function cutIntoPieces(
  data: Record<string, unknown>,
  origins: OriginMap,
  budget = NODE_BUDGET,
): Piece[] {
  const sizes = new WeakMap<object, number>();
  const sizeOf = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 1;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    let size = 1;
    for (const child of Object.values(value)) size += sizeOf(child);
    sizes.set(value, size);
    return size;
  };
  const entries: Array<{ path: string[]; value: unknown; whole: boolean; size: number }> = [];
  const split = (value: unknown, path: string[]): void => {
    const size = sizeOf(value);
    if (size <= budget || value === null || typeof value !== 'object') {
      entries.push({ path, value, whole: true, size });
      return;
    }
    entries.push({ path, value: Array.isArray(value) ? [] : {}, whole: false, size: 1 });
    for (const key of Object.keys(value)) split((value as Record<string, unknown>)[key], [...path, key]);
  };
  split(data, []);

  const pieces: Piece[] = [];
  let current: { entries: PieceEntry[]; nodes: Array<[string[], Origin | undefined]>; size: number } = {
    entries: [],
    nodes: [],
    size: 0,
  };
  const flush = (): void => {
    if (current.entries.length === 0) return;
    pieces.push({ entries: current.entries, origins: packOrigins(current.nodes) });
    current = { entries: [], nodes: [], size: 0 };
  };
  for (const entry of entries) {
    if (current.size + entry.size > budget) flush();
    current.entries.push([entry.path, entry.value]);
    current.size += entry.size;
    const visit = (value: unknown, path: string[]): void => {
      current.nodes.push([path, origins.lookup(path)]);
      if (!entry.whole || value === null || typeof value !== 'object') return;
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], [...path, key]);
    };
    visit(entry.value, entry.path);
  }
  flush();
  return pieces;
}

function packOrigins(nodes: Array<[string[], Origin | undefined]>): PieceOrigins {
  const keys: string[] = [];
  const lines: number[] = [];
  const columns: number[] = [];
  const vars: Array<[number, string[]]> = [];
  for (const [path, origin] of nodes) {
    const { line, column } = (origin ?? {}) as { line?: unknown; column?: unknown };
    const used = (origin as { vars?: unknown } | undefined)?.vars;
    if (typeof line !== 'number' && !Array.isArray(used)) continue;
    if (Array.isArray(used)) vars.push([keys.length, used as string[]]);
    keys.push(pathKey(path));
    lines.push(typeof line === 'number' ? line : 0);
    columns.push(typeof column === 'number' ? column : 0);
  }
  return { keys, lines: Int32Array.from(lines), columns: Int32Array.from(columns), vars };
}

/** Puts the pieces back together, one at a time, on the main thread; `origins` answers lookups. */
export class PieceAssembler {
  root: Record<string, unknown> = {};
  private readonly index = new Map<string, number>();
  private readonly lines: number[] = [];
  private readonly columns: number[] = [];
  private readonly vars = new Map<number, string[]>();

  constructor(private readonly base: Origin) {}

  /** Adds one piece. */
  add(piece: Piece): void {
    for (const [path, value] of piece.entries) {
      if (path.length === 0) {
        this.root = value as Record<string, unknown>;
        continue;
      }
      let parent: unknown = this.root;
      for (let depth = 0; depth < path.length - 1; depth++) {
        parent = (parent as Record<string, unknown>)[path[depth] as string];
      }
      const key = path[path.length - 1] as string;
      // An own data property, also for `__proto__` (the loader reports and drops it, as for any file).
      Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
    }
    const { keys, lines, columns, vars } = piece.origins;
    const offset = this.lines.length;
    for (let at = 0; at < keys.length; at++) {
      this.index.set(keys[at] as string, offset + at);
      this.lines.push(lines[at] as number);
      this.columns.push(columns[at] as number);
    }
    for (const [at, names] of vars) this.vars.set(offset + at, names);
  }

  /** The origins of the assembled document (nearest known ancestor, as every file origin map). */
  get origins(): OriginMap {
    return {
      lookup: (path) => {
        for (let end = path.length; end >= 0; end--) {
          const at = this.index.get(pathKey(path.slice(0, end)));
          if (at === undefined) continue;
          const line = this.lines[at] as number;
          const origin: Record<string, unknown> = { ...this.base };
          if (line > 0) {
            origin.line = line;
            origin.column = this.columns[at];
          }
          const names = end === path.length ? this.vars.get(at) : undefined;
          if (names) origin.vars = names;
          return origin as Origin;
        }
        return undefined;
      },
    };
  }
}
