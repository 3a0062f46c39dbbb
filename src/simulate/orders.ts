import { orderIdsOf } from '../ledger/orders';
import type { Transaction } from '../ledger/types';

/** An order's transactions, kept for its refunds, with the instant of its first transaction (the purchase). */
export interface RetainedOrder {
  readonly at: number;
  readonly transactions: Transaction[];
}

/** Where an account keeps its orders (null until its first). */
export interface HasOrders {
  orders: Map<string, RetainedOrder> | null;
}

/** An order in the order it was first seen: what the sweep drops, oldest first. */
interface Kept<T extends HasOrders> {
  readonly holder: T;
  readonly orderId: string;
  readonly order: RetainedOrder;
}

const NONE: readonly Transaction[] = [];

/**
 * The transactions of each account's orders, kept for the refunds that may name them (what the
 * service's `transactionsByOrder` reads). With a retention, an order is kept that long after its
 * purchase: a refund later than that finds nothing (`unknown_order`), and a sweep at each day
 * boundary drops the expired orders of every account, oldest first, so memory holds only the
 * orders of the last `retentionMs` — not each account's last orders since its last purchase.
 */
export class RetainedOrders<T extends HasOrders> {
  /** Orders in first-seen order (time order: a replay's transactions come in time order). Only with a retention. */
  private queue: (Kept<T> | undefined)[] = [];
  private head = 0;

  /** @param retentionMs - how long an order is kept after its purchase (Infinity: for the whole run) */
  constructor(private readonly retentionMs: number) {}

  /** Files a written transaction under every order it touches. */
  add(holder: T, tx: Transaction): void {
    const ids = orderIdsOf(tx);
    if (ids.size === 0) return;
    const t = tx.at.getTime();
    const orders = (holder.orders ??= new Map());
    for (const orderId of ids) {
      const known = orders.get(orderId);
      if (known) known.transactions.push(tx);
      else {
        const order: RetainedOrder = { at: t, transactions: [tx] };
        orders.set(orderId, order);
        if (Number.isFinite(this.retentionMs)) this.queue.push({ holder, orderId, order });
      }
    }
  }

  /** The transactions of an order as of `at`: none when unknown, or older than the retention then. */
  transactionsOf(holder: T, orderId: string, at: number): readonly Transaction[] {
    const order = holder.orders?.get(orderId);
    if (order === undefined || order.at + this.retentionMs < at) return NONE;
    return order.transactions;
  }

  /** Drops every order whose retention ended before `t`. */
  dropBefore(t: number): void {
    const queue = this.queue;
    let head = this.head;
    for (let kept = queue[head]; kept !== undefined && kept.order.at + this.retentionMs < t; kept = queue[head]) {
      const orders = kept.holder.orders;
      // The same order object: an id seen again after its drop starts a new record, kept on its own.
      if (orders?.get(kept.orderId) === kept.order) orders.delete(kept.orderId);
      if (orders?.size === 0) kept.holder.orders = null;
      // Let go of the dropped order now, not when the queue is next compacted.
      queue[head] = undefined;
      head += 1;
    }
    if (head > 1024 && head * 2 > queue.length) {
      this.queue = queue.slice(head);
      head = 0;
    }
    this.head = head;
  }
}
