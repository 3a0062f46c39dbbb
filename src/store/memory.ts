import { LoyaltyError } from '../errors';
import type { AccountState, Transaction } from '../ledger/types';
import { orderIdsOf } from '../ledger/orders';
import type { Notification } from '../engine/notifications';
import type { AccountWrite, ForgetResult, HistoryPage, OutboxRow, ProcessedRecord, Schedule, Store, StoreSession, StoredCustomer, SyncStoreSession, SyncUnit } from './types';

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
 * One unit of work over the committed data: reads see the unit's own staged writes, which
 * `commit` applies in one synchronous step. Methods live on the prototype and the staging maps
 * are made on first write, so a unit costs what it touches (most read a few keys and write a few).
 */
class MemorySession implements SyncStoreSession {
  #customers: Map<string, StoredCustomer | null> | undefined;
  #accounts: Map<string, AccountState> | undefined;
  #appended: Map<string, Transaction[]> | undefined;
  #processed: Map<string, ProcessedRecord> | undefined;
  #outbox: Notification[] | undefined;
  #acked: Set<number> | undefined;
  #sequences: Map<string, number> | undefined;
  #schedules: Map<string, Schedule> | undefined;
  #counters: Map<string, number> | undefined;
  #forgotten: { from: string; to: string } | undefined;
  #writes = 0;

  constructor(
    private readonly data: Data,
    private readonly beforeWrite: ((index: number) => void) | undefined,
  ) {}

  #write(): void {
    this.beforeWrite?.(this.#writes);
    this.#writes += 1;
  }
  /** Whether an id names anything: a customer, an account, a ledger or an event record. */
  #idInUse(id: string): boolean {
    const { data } = this;
    if (this.#customers?.get(id) || data.customers.has(id)) return true;
    for (const key of [...data.accounts.keys(), ...(this.#accounts?.keys() ?? [])]) if (splitKey(key)[1] === id) return true;
    for (const record of [...data.processed.values(), ...(this.#processed?.values() ?? [])]) if (record.customerId === id) return true;
    return false;
  }
  #staged(key: string): readonly Transaction[] {
    return this.#appended?.get(key) ?? [];
  }
  #account(key: string): AccountState | undefined {
    return this.#accounts?.get(key) ?? this.data.accounts.get(key);
  }

  getCustomer(customerId: string): StoredCustomer | undefined {
    const staged = this.#customers?.get(customerId);
    if (staged !== undefined) return staged ?? undefined;
    return this.data.customers.get(customerId);
  }
  putCustomer(customer: StoredCustomer): void {
    this.#write();
    (this.#customers ??= new Map()).set(customer.profile.id, customer);
  }
  getAccount(programId: string, customerId: string): AccountState | undefined {
    return this.#account(accountKey(programId, customerId));
  }
  putAccountIfAbsent(state: AccountState): void {
    const key = accountKey(state.programId, state.customerId);
    if (this.#account(key)) return;
    this.#write();
    (this.#accounts ??= new Map()).set(key, state);
  }
  getProcessed(eventId: string): ProcessedRecord | undefined {
    return this.#processed?.get(eventId) ?? this.data.processed.get(eventId);
  }
  append(list: readonly AccountWrite[], record: ProcessedRecord | undefined, notifications: readonly Notification[]): void {
    for (const w of list) {
      const key = accountKey(w.programId, w.customerId);
      const current = this.#account(key);
      if ((current?.version ?? 0) !== w.expectedVersion) {
        throw new LoyaltyError([{ code: 'version_conflict', path: ['accounts', w.programId, w.customerId], message: `account moved from version ${w.expectedVersion} to ${current?.version ?? 0}` }]);
      }
      if (this.data.ledgers.get(key)?.byId.has(w.transaction.id) === true || this.#staged(key).some((tx) => tx.id === w.transaction.id)) {
        throw new LoyaltyError([{ code: 'duplicate_transaction', path: ['accounts', w.programId, w.customerId], message: `the account already has transaction ${w.transaction.id}` }]);
      }
      this.#write();
      (this.#accounts ??= new Map()).set(key, w.state);
      const appended = (this.#appended ??= new Map());
      const txs = appended.get(key);
      if (txs) txs.push(w.transaction);
      else appended.set(key, [w.transaction]);
    }
    if (record) {
      this.#write();
      (this.#processed ??= new Map()).set(record.eventId, record);
    }
    for (const n of notifications) {
      this.#write();
      (this.#outbox ??= []).push(n);
    }
  }
  transactionsByOrder(programId: string, customerId: string, orderId: string): readonly Transaction[] {
    const key = accountKey(programId, customerId);
    const committed = this.data.ledgers.get(key)?.byOrder.get(orderId) ?? [];
    return [...committed, ...this.#staged(key).filter((tx) => orderIdsOf(tx).has(orderId))];
  }
  transactions(programId: string, customerId: string): readonly Transaction[] {
    const key = accountKey(programId, customerId);
    return [...(this.data.ledgers.get(key)?.list ?? []), ...this.#staged(key)];
  }
  history(programId: string, customerId: string, page: { readonly limit: number; readonly before?: number | undefined }): HistoryPage {
    const key = accountKey(programId, customerId);
    const committed = this.data.ledgers.get(key)?.list ?? [];
    const mine = this.#staged(key);
    const total = committed.length + mine.length;
    const end = Math.min(page.before ?? total, total);
    const start = Math.max(0, end - page.limit);
    const transactions: Transaction[] = [];
    for (let i = end - 1; i >= start; i--) {
      const tx = i < committed.length ? committed[i] : mine[i - committed.length];
      if (tx) transactions.push(tx);
    }
    return start > 0 ? { transactions, next: start } : { transactions };
  }
  forgetCustomer(customerId: string, pseudonym: string): ForgetResult {
    if (this.getCustomer(customerId) === undefined) return 'unknown_customer';
    if (this.#idInUse(pseudonym)) return 'pseudonym_taken';
    this.#write();
    this.#forgotten = { from: customerId, to: pseudonym };
    (this.#customers ??= new Map()).set(customerId, null);
    return 'forgotten';
  }
  transaction(programId: string, customerId: string, transactionId: string): Transaction | undefined {
    const key = accountKey(programId, customerId);
    return this.data.ledgers.get(key)?.byId.get(transactionId) ?? this.#staged(key).find((tx) => tx.id === transactionId);
  }
  getSchedule(programId: string, customerId: string): Schedule | undefined {
    const key = accountKey(programId, customerId);
    return this.#schedules?.get(key) ?? this.data.schedules.get(key);
  }
  setSchedule(programId: string, customerId: string, schedule: Schedule): void {
    this.#write();
    (this.#schedules ??= new Map()).set(accountKey(programId, customerId), schedule);
  }
  dueAccounts(at: Date, limit: number): readonly { readonly programId: string; readonly customerId: string }[] {
    const merged = new Map([...this.data.schedules, ...(this.#schedules ?? [])]);
    return [...merged]
      .filter(([, s]) => s.dueAt !== null && s.dueAt.getTime() <= at.getTime())
      .sort((a, b) => (a[1].dueAt?.getTime() ?? 0) - (b[1].dueAt?.getTime() ?? 0) || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([key]) => {
        const [programId, customerId] = splitKey(key);
        return { programId, customerId };
      });
  }
  counter(name: string): number {
    return this.#counters?.get(name) ?? this.data.counters.get(name) ?? 0;
  }
  addToCounter(name: string, by: number): void {
    this.#write();
    (this.#counters ??= new Map()).set(name, this.counter(name) + by);
  }
  outbox(limit: number): readonly OutboxRow[] {
    const rows: OutboxRow[] = [];
    for (const [seq, notification] of this.data.outbox) {
      if (rows.length >= limit) break;
      if (!this.#acked?.has(seq)) rows.push({ seq, notification });
    }
    return rows;
  }
  acknowledge(seqs: readonly number[]): void {
    this.#write();
    const acked = (this.#acked ??= new Set());
    for (const s of seqs) acked.add(s);
  }
  nextSequence(name: string): number {
    const sequences = (this.#sequences ??= new Map());
    const next = (sequences.get(name) ?? this.data.sequences.get(name) ?? 0) + 1;
    sequences.set(name, next);
    return next;
  }

  /**
   * Applies the unit's staged writes to the committed data, in one synchronous step. It walks the
   * staging maps with `forEach`, not `for…of`: a unit per event, and `for…of` over a Map makes an
   * iterator result and an entry pair per element that the collector then has to sweep.
   */
  commit(): void {
    const { data } = this;
    this.#customers?.forEach((c, id) => {
      if (c === null) data.customers.delete(id);
      else data.customers.set(id, c);
    });
    this.#accounts?.forEach((state, key) => data.accounts.set(key, state));
    this.#appended?.forEach((txs, key) => {
      let ledger = data.ledgers.get(key);
      if (!ledger) data.ledgers.set(key, (ledger = emptyLedger()));
      for (let i = 0; i < txs.length; i++) addToLedger(ledger, txs[i] as Transaction);
    });
    this.#processed?.forEach((r, id) => data.processed.set(id, r));
    if (this.#outbox) {
      let seq = data.sequences.get('outbox') ?? 0;
      for (let i = 0; i < this.#outbox.length; i++) data.outbox.set((seq += 1), this.#outbox[i] as Notification);
      data.sequences.set('outbox', seq);
    }
    this.#acked?.forEach((s) => data.outbox.delete(s));
    this.#sequences?.forEach((v, name) => data.sequences.set(name, v));
    this.#schedules?.forEach((v, key) => data.schedules.set(key, v));
    this.#counters?.forEach((v, name) => data.counters.set(name, v));
    if (this.#forgotten) rekey(data, this.#forgotten.from, this.#forgotten.to);
  }
}

/** The asynchronous session over a synchronous one: each answer through a promise, a throw as a rejection. */
function asyncSession(s: MemorySession): StoreSession {
  return {
    getCustomer: async (customerId) => s.getCustomer(customerId),
    putCustomer: async (customer) => s.putCustomer(customer),
    getAccount: async (programId, customerId) => s.getAccount(programId, customerId),
    putAccountIfAbsent: async (state) => s.putAccountIfAbsent(state),
    getProcessed: async (eventId) => s.getProcessed(eventId),
    append: async (writes, record, outbox) => s.append(writes, record, outbox),
    transactionsByOrder: async (programId, customerId, orderId) => s.transactionsByOrder(programId, customerId, orderId),
    transactions: async (programId, customerId) => s.transactions(programId, customerId),
    history: async (programId, customerId, page) => s.history(programId, customerId, page),
    forgetCustomer: async (customerId, pseudonym) => s.forgetCustomer(customerId, pseudonym),
    transaction: async (programId, customerId, transactionId) => s.transaction(programId, customerId, transactionId),
    getSchedule: async (programId, customerId) => s.getSchedule(programId, customerId),
    setSchedule: async (programId, customerId, schedule) => s.setSchedule(programId, customerId, schedule),
    dueAccounts: async (at, limit) => s.dueAccounts(at, limit),
    counter: async (name) => s.counter(name),
    addToCounter: async (name, by) => s.addToCounter(name, by),
    outbox: async (limit) => s.outbox(limit),
    acknowledge: async (seqs) => s.acknowledge(seqs),
    nextSequence: async (name) => s.nextSequence(name),
  };
}

/** The synchronous unit of each memory store (see {@link syncUnitOf}). */
const syncUnits = new WeakMap<Store, SyncUnit>();

/**
 * The synchronous unit of a store made by `memoryStore`, or `undefined` for any other store.
 * The service runs an event through it when it answers, without a microtask per read; the result,
 * the idempotency and the atomicity are those of `unit`.
 *
 * @example
 * ```ts
 * const ran = syncUnitOf(store)?.((session) => session.counter('stock'));
 * if (ran) console.log(ran.value); // else an asynchronous unit is in flight: use store.unit
 * ```
 */
export function syncUnitOf(store: Store): SyncUnit | undefined {
  return syncUnits.get(store);
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
  const beforeWrite = options?.beforeWrite;
  let queue: Promise<unknown> = Promise.resolve();
  /** Asynchronous units called and not yet settled: while any is, a synchronous unit would cut in, so none runs. */
  let inFlight = 0;
  const store: Store = {
    unit<T>(work: (s: StoreSession) => Promise<T>): Promise<T> {
      inFlight += 1;
      const run = queue.then(async () => {
        const session = new MemorySession(data, beforeWrite);
        const result = await work(asyncSession(session));
        session.commit();
        return result;
      });
      queue = run.then(
        () => void (inFlight -= 1),
        () => void (inFlight -= 1),
      );
      return run;
    },
  };
  syncUnits.set(store, <T>(work: (s: SyncStoreSession) => T): { readonly value: T } | undefined => {
    if (inFlight > 0) return undefined;
    // A unit run from inside another (synchronous) one would see none of its staged writes.
    inFlight += 1;
    try {
      const session = new MemorySession(data, beforeWrite);
      const value = work(session);
      session.commit();
      return { value };
    } finally {
      inFlight -= 1;
    }
  });
  return store;
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
