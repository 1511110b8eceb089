/** A controllable clock: real time plus an offset that tests move forward (token expiry, deletion times). */
export class Clock {
  private offsetMs = 0;

  /** Milliseconds since the epoch, as the server sees it. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the server's time forward. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** RFC 3339 UTC with nanoseconds, as Vault's `ptypes.TimestampString` writes it. */
  timestamp(ms: number = this.now()): string {
    const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
    return `${iso.slice(0, -1)}000000Z`;
  }
}
