/** What the schedule needs of an account: its due instant, its place in enrolment order, its place in the heap. */
export interface Scheduled {
  /** The next due instant in ms (Infinity: nothing scheduled, not in the heap). */
  dueAt: number;
  /** Enrolment order: accounts due at one boundary are ticked in this order, as a scan would. */
  readonly order: number;
  /** Index in the heap, −1 when not in it. Owned by the schedule. */
  heapIndex: number;
}

const before = (a: Scheduled, b: Scheduled): boolean => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.order < b.order);

/**
 * The accounts with something due, in a binary min-heap on their due instant: a day boundary
 * takes only the accounts due by then (O(due · log n)) instead of scanning every customer.
 * An account's place is kept on it, so a new due instant moves it in place (one entry per
 * account, never stale ones).
 */
export class Schedule<T extends Scheduled> {
  private readonly heap: T[] = [];

  /** Accounts in the heap. */
  get size(): number {
    return this.heap.length;
  }

  /** Sets an account's due instant (Infinity takes it out) and moves it to its place. */
  set(item: T, due: number): void {
    // An invalid instant compares false with everything: a scan would tick it at every boundary.
    const dueAt = Number.isNaN(due) ? Number.NEGATIVE_INFINITY : due;
    item.dueAt = dueAt;
    const i = item.heapIndex;
    if (dueAt === Number.POSITIVE_INFINITY) {
      if (i >= 0) this.removeAt(i);
      return;
    }
    if (i < 0) {
      item.heapIndex = this.heap.length;
      this.heap.push(item);
      this.up(item.heapIndex);
    } else {
      this.up(i);
      this.down(item.heapIndex);
    }
  }

  /**
   * Takes out every account due at or before `t`, in enrolment order: the order a scan of all
   * accounts would have ticked them in. The caller sets each one's next due instant.
   */
  takeDue(t: number): T[] {
    const due: T[] = [];
    for (let top = this.heap[0]; top !== undefined && top.dueAt <= t; top = this.heap[0]) {
      this.removeAt(0);
      due.push(top);
    }
    return due.sort((a, b) => a.order - b.order);
  }

  private removeAt(i: number): void {
    const item = this.heap[i];
    const last = this.heap.pop();
    if (item === undefined || last === undefined) return;
    item.heapIndex = -1;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    last.heapIndex = i;
    this.up(i);
    this.down(last.heapIndex);
  }

  private up(start: number): void {
    const heap = this.heap;
    const item = heap[start] as T;
    let i = start;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex] as T;
      if (!before(item, parent)) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private down(start: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[start] as T;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right] as T, heap[left] as T) ? right : left;
      const c = heap[child] as T;
      if (!before(c, item)) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}
