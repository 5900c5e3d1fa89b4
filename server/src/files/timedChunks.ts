/**
 * Sizes the chunks of a read done between requests so that each takes about `budgetMs`: a fixed
 * size is too long a step where the code is still cold (the first chunks of a read took 45-81 ms
 * for 64 KiB on a slow machine, against 5 ms later) or the machine is slow or shared, and
 * shorter than need be elsewhere. The next chunk is scaled by how long the last one took, by at
 * most a factor of two either way, between `minBytes` and `maxBytes`; it starts at `minBytes`.
 */
export class TimedChunks {
  private size: number;

  constructor(
    private readonly budgetMs: number,
    private readonly minBytes: number,
    private readonly maxBytes: number,
  ) {
    this.size = minBytes;
  }

  /** The size of the next chunk, in bytes. */
  get bytes(): number {
    return this.size;
  }

  /** The last chunk took `ms`. */
  took(ms: number): void {
    const scale = ms > 0 ? Math.min(2, Math.max(0.5, this.budgetMs / ms)) : 2;
    this.size = Math.round(Math.min(this.maxBytes, Math.max(this.minBytes, this.size * scale)));
  }
}
