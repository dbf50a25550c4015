/**
 * Exponential reconnect delays with jitter: attempt n (from 0) waits a random time between half and all of
 * min(max, initial × 2^n), so a fleet of devices cut off by one node's death does not come back in one wave.
 */
export class Backoff {
  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(initialMs > 0) || !(maxMs >= initialMs)) {
      throw new RangeError(`backoff needs 0 < initial <= max, got ${initialMs} and ${maxMs}`);
    }
  }

  delayMs(attempt: number): number {
    const ceiling = Math.max(1, Math.min(this.maxMs, this.initialMs * 2 ** Math.min(attempt, 30)));
    const floor = Math.floor(ceiling / 2);
    return floor + Math.floor(this.random() * (ceiling - floor + 1));
  }
}
