/**
 * How many replays (a viewer's `since`/`last`, a `history` read) the daemon serves at once. The others
 * wait their turn in arrival order; past `maxQueued` waiting, one more is refused. A replay is the
 * clients' load: the health checks read `busy()` to tell it from the daemon's own work.
 */
export interface ReplayLimits {
  maxReplays: number;
  maxQueuedReplays: number;
}

export class ReplayGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Replays started since the daemon started (the checks work on its delta between runs). */
  started = 0;
  /** The most that ever ran at once. */
  peak = 0;

  constructor(private readonly limits: ReplayLimits) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** True while a replay runs or waits. */
  busy(): boolean {
    return this.running > 0 || this.waiting.length > 0;
  }

  /**
   * Runs `work` when a slot is free; resolves with its result, or with null (`work` never ran) when
   * the queue is full.
   */
  async run<T>(work: () => Promise<T>): Promise<T | null> {
    if (this.running >= this.limits.maxReplays) {
      if (this.waiting.length >= this.limits.maxQueuedReplays) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    this.started++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays within the limit.
      if (next) next();
      else this.running--;
    }
  }
}
