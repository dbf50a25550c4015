/** The last N message ids handed to the application, to drop redeliveries (delivery is at-least-once). */
export class RecentIds {
  private readonly ids = new Set<string>();
  // Grown as ids arrive: a ring allocated at full capacity up front cost 32 KB per connection (4 096 slots)
  // before the first push, most of an idle connection's memory in a process holding thousands of them.
  private readonly ring: string[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.capacity <= 0 || this.ids.has(id)) {
      return;
    }
    if (this.ring.length < this.capacity) {
      this.ring.push(id);
    } else {
      this.ids.delete(this.ring[this.next]);
      this.ring[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.ids.add(id);
  }
}
