/** The last N message ids handed to the application, to drop redeliveries (delivery is at-least-once). */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array(Math.max(0, capacity));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.capacity === 0 || this.ids.has(id)) {
      return;
    }
    const evicted = this.ring[this.next];
    if (evicted !== undefined) {
      this.ids.delete(evicted);
    }
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.ids.add(id);
  }
}
