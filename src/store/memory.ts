import { LoyaltyError } from '../errors';
import type { AccountState, Transaction } from '../ledger/types';
import { orderIdsOf } from '../ledger/orders';
import type { Notification } from '../engine/notifications';
import type { AccountWrite, HistoryPage, OutboxRow, ProcessedRecord, Schedule, Store, StoreSession, StoredCustomer } from './types';

// Keys are JSON pairs, so no id — whatever characters it holds — can be mistaken for another's.
const accountKey = (programId: string, customerId: string): string => JSON.stringify([programId, customerId]);
const splitKey = (key: string): [string, string] => JSON.parse(key) as [string, string];

/**
 * One account's ledger: its transactions in order, and the indexes by id and by order a refund
 * or a reversal reads. Keyed by the plain ids the transactions already hold (no key strings per
 * transaction), one per account, so an event costs the store only what it is given.
 */
interface Ledger {
  readonly list: Transaction[];
  readonly byId: Map<string, Transaction>;
  readonly byOrder: Map<string, Transaction[]>;
}

const emptyLedger = (): Ledger => ({ list: [], byId: new Map(), byOrder: new Map() });

/** Everything a memory store holds; one committed copy, replaced at each commit. */
interface Data {
  customers: Map<string, StoredCustomer>;
  accounts: Map<string, AccountState>;
  ledgers: Map<string, Ledger>;
  processed: Map<string, ProcessedRecord>;
  outbox: Map<number, Notification>;
  sequences: Map<string, number>;
  schedules: Map<string, Schedule>;
  counters: Map<string, number>;
}

/** Adds a transaction to a ledger and its indexes. */
function addToLedger(ledger: Ledger, tx: Transaction): void {
  ledger.list.push(tx);
  ledger.byId.set(tx.id, tx);
  for (const orderId of orderIdsOf(tx)) {
    const list = ledger.byOrder.get(orderId);
    if (list) list.push(tx);
    else ledger.byOrder.set(orderId, [tx]);
  }
}

/** Options of `memoryStore`. */
export interface MemoryStoreOptions {
  /**
   * Test hook for RELIABILITY 11/12: called before each write of a commit with its index (0-based);
   * throwing from it aborts the commit, which then leaves nothing behind.
   */
  readonly beforeWrite?: ((index: number) => void) | undefined;
}

/**
 * The embedded store: everything in memory, each unit of work atomic and isolated (units run one
 * at a time; a unit's writes are staged and applied together when it resolves). For examples,
 * tests, simulations and single-process apps.
 *
 * @example
 * ```ts
 * const loyalty = createLoyalty({ programs: [program], store: memoryStore() });
 * ```
 */
export function memoryStore(options?: MemoryStoreOptions): Store {
  const data: Data = {
    customers: new Map(),
    accounts: new Map(),
    ledgers: new Map(),
    processed: new Map(),
    outbox: new Map(),
    sequences: new Map(),
    schedules: new Map(),
    counters: new Map(),
  };
  let queue: Promise<unknown> = Promise.resolve();

  function session(): { api: StoreSession; commit: () => void } {
    // Staged writes, applied in `commit` in one synchronous step.
    const customers = new Map<string, StoredCustomer | null>();
    const accounts = new Map<string, AccountState>();
    const appended = new Map<string, Transaction[]>();
    const processed = new Map<string, ProcessedRecord>();
    const outbox: Notification[] = [];
    const acked = new Set<number>();
    const sequences = new Map<string, number>();
    const schedules = new Map<string, Schedule>();
    const counters = new Map<string, number>();
    let forgotten: { from: string; to: string } | undefined;
    let writes = 0;
    const write = (): void => {
      options?.beforeWrite?.(writes);
      writes += 1;
    };

    /** Whether an id names anything: a customer, an account, a ledger or an event record. */
    const idInUse = (id: string): boolean => {
      if (customers.get(id) || data.customers.has(id)) return true;
      for (const key of [...data.accounts.keys(), ...accounts.keys()]) if (splitKey(key)[1] === id) return true;
      for (const record of [...data.processed.values(), ...processed.values()]) if (record.customerId === id) return true;
      return false;
    };
    const allTransactions = (key: string): Transaction[] => [...(data.ledgers.get(key)?.list ?? []), ...(appended.get(key) ?? [])];
    const staged = (key: string): readonly Transaction[] => appended.get(key) ?? [];

    const api: StoreSession = {
      async getCustomer(customerId) {
        if (customers.has(customerId)) return customers.get(customerId) ?? undefined;
        return data.customers.get(customerId);
      },
      async putCustomer(customer) {
        write();
        customers.set(customer.profile.id, customer);
      },
      async getAccount(programId, customerId) {
        const key = accountKey(programId, customerId);
        return accounts.get(key) ?? data.accounts.get(key);
      },
      async putAccountIfAbsent(state) {
        const key = accountKey(state.programId, state.customerId);
        if (accounts.has(key) || data.accounts.has(key)) return;
        write();
        accounts.set(key, state);
      },
      async getProcessed(eventId) {
        return processed.get(eventId) ?? data.processed.get(eventId);
      },
      async append(list: readonly AccountWrite[], record, notifications) {
        for (const w of list) {
          const key = accountKey(w.programId, w.customerId);
          const current = accounts.get(key) ?? data.accounts.get(key);
          if ((current?.version ?? 0) !== w.expectedVersion) {
            throw new LoyaltyError([{ code: 'version_conflict', path: ['accounts', w.programId, w.customerId], message: `account moved from version ${w.expectedVersion} to ${current?.version ?? 0}` }]);
          }
          if (data.ledgers.get(key)?.byId.has(w.transaction.id) === true || staged(key).some((tx) => tx.id === w.transaction.id)) {
            throw new LoyaltyError([{ code: 'duplicate_transaction', path: ['accounts', w.programId, w.customerId], message: `the account already has transaction ${w.transaction.id}` }]);
          }
          write();
          accounts.set(key, w.state);
          const txs = appended.get(key) ?? [];
          txs.push(w.transaction);
          appended.set(key, txs);
        }
        if (record) {
          write();
          processed.set(record.eventId, record);
        }
        for (const n of notifications) {
          write();
          outbox.push(n);
        }
      },
      async transactionsByOrder(programId, customerId, orderId) {
        const key = accountKey(programId, customerId);
        const committed = data.ledgers.get(key)?.byOrder.get(orderId) ?? [];
        return [...committed, ...staged(key).filter((tx) => orderIdsOf(tx).has(orderId))];
      },
      async transactions(programId, customerId) {
        return allTransactions(accountKey(programId, customerId));
      },
      async history(programId, customerId, page): Promise<HistoryPage> {
        const key = accountKey(programId, customerId);
        const committed = data.ledgers.get(key)?.list ?? [];
        const mine = staged(key);
        const total = committed.length + mine.length;
        const end = Math.min(page.before ?? total, total);
        const start = Math.max(0, end - page.limit);
        const transactions: Transaction[] = [];
        for (let i = end - 1; i >= start; i--) {
          const tx = i < committed.length ? committed[i] : mine[i - committed.length];
          if (tx) transactions.push(tx);
        }
        return start > 0 ? { transactions, next: start } : { transactions };
      },
      async forgetCustomer(customerId, pseudonym) {
        const known = (await api.getCustomer(customerId)) !== undefined;
        if (!known) return 'unknown_customer';
        if (idInUse(pseudonym)) return 'pseudonym_taken';
        write();
        forgotten = { from: customerId, to: pseudonym };
        customers.set(customerId, null);
        return 'forgotten';
      },
      async transaction(programId, customerId, transactionId) {
        const key = accountKey(programId, customerId);
        return data.ledgers.get(key)?.byId.get(transactionId) ?? staged(key).find((tx) => tx.id === transactionId);
      },
      async getSchedule(programId, customerId) {
        const key = accountKey(programId, customerId);
        return schedules.get(key) ?? data.schedules.get(key);
      },
      async setSchedule(programId, customerId, schedule) {
        write();
        schedules.set(accountKey(programId, customerId), schedule);
      },
      async dueAccounts(at, limit) {
        const merged = new Map([...data.schedules, ...schedules]);
        return [...merged]
          .filter(([, s]) => s.dueAt !== null && s.dueAt.getTime() <= at.getTime())
          .sort((a, b) => (a[1].dueAt?.getTime() ?? 0) - (b[1].dueAt?.getTime() ?? 0) || (a[0] < b[0] ? -1 : 1))
          .slice(0, limit)
          .map(([key]) => {
            const [programId, customerId] = splitKey(key);
            return { programId, customerId };
          });
      },
      async counter(name) {
        return counters.get(name) ?? data.counters.get(name) ?? 0;
      },
      async addToCounter(name, by) {
        write();
        counters.set(name, (counters.get(name) ?? data.counters.get(name) ?? 0) + by);
      },
      async outbox(limit): Promise<readonly OutboxRow[]> {
        const rows: OutboxRow[] = [];
        for (const [seq, notification] of data.outbox) {
          if (rows.length >= limit) break;
          if (!acked.has(seq)) rows.push({ seq, notification });
        }
        return rows;
      },
      async acknowledge(seqs) {
        write();
        for (const s of seqs) acked.add(s);
      },
      async nextSequence(name) {
        const next = (sequences.get(name) ?? data.sequences.get(name) ?? 0) + 1;
        sequences.set(name, next);
        return next;
      },
    };

    const commit = (): void => {
      for (const [id, c] of customers) {
        if (c === null) data.customers.delete(id);
        else data.customers.set(id, c);
      }
      for (const [key, state] of accounts) data.accounts.set(key, state);
      for (const [key, txs] of appended) {
        let ledger = data.ledgers.get(key);
        if (!ledger) data.ledgers.set(key, (ledger = emptyLedger()));
        for (const tx of txs) addToLedger(ledger, tx);
      }
      for (const [id, r] of processed) data.processed.set(id, r);
      let seq = data.sequences.get('outbox') ?? 0;
      for (const n of outbox) data.outbox.set((seq += 1), n);
      data.sequences.set('outbox', seq);
      for (const s of acked) data.outbox.delete(s);
      for (const [name, v] of sequences) data.sequences.set(name, v);
      for (const [key, v] of schedules) data.schedules.set(key, v);
      for (const [name, v] of counters) data.counters.set(name, v);
      if (forgotten) rekey(data, forgotten.from, forgotten.to);
    };
    return { api, commit };
  }

  return {
    unit<T>(work: (s: StoreSession) => Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        const { api, commit } = session();
        const result = await work(api);
        commit();
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** Moves a forgotten customer's accounts, ledger, event records and outbox rows under a pseudonym. */
function rekey(data: Data, from: string, to: string): void {
  for (const [key, state] of [...data.accounts]) {
    const [programId, customerId] = splitKey(key);
    if (customerId !== from) continue;
    const newKey = accountKey(programId, to);
    data.accounts.delete(key);
    data.accounts.set(newKey, { ...state, customerId: to });
    const ledger = data.ledgers.get(key);
    data.ledgers.delete(key);
    if (ledger) {
      const moved = emptyLedger();
      for (const tx of ledger.list) addToLedger(moved, { ...tx, customerId: to });
      data.ledgers.set(newKey, moved);
    }
    const schedule = data.schedules.get(key);
    data.schedules.delete(key);
    if (schedule) data.schedules.set(newKey, schedule);
  }
  for (const [id, record] of data.processed) {
    if (record.customerId !== from) continue;
    const outcomes = record.outcomes.map((o) => (o.ok && o.transaction ? { ...o, transaction: { ...o.transaction, customerId: to }, notifications: o.notifications.map((n) => ({ ...n, customerId: to })) } : o));
    data.processed.set(id, { ...record, customerId: to, outcomes });
  }
  for (const [seq, n] of data.outbox) {
    if (n.customerId === from) data.outbox.set(seq, { ...n, customerId: to });
  }
}
