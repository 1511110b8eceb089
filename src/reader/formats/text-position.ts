/** Converts 0-based character offsets in a text to 1-based line/column pairs; the line index is built once, on first use. */
export class TextPositions {
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** The 1-based line and column of a 0-based offset. */
  at(offset: number): { line: number; column: number } {
    const starts = this.starts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1 };
  }

  private starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    for (let index = this.text.indexOf('\n'); index !== -1; index = this.text.indexOf('\n', index + 1)) {
      starts.push(index + 1);
    }
    this.lineStarts = starts;
    return starts;
  }
}
