// Shared helpers of the property tests. For the store-* tests (RELIABILITY 5, 11, 12, 18, 19): a service over a
// memory store with a fixed clock, snapshots of everything a unit of work may write, and Store
// wrappers that let fast-check's scheduler order units, inject a fault at the k-th write, or lose the
// acknowledgement of a committed unit. For the burn-* and kind tests: an independent calendar
// (Intl only), a fold over the pure core, and a bigint model of rounding and allocation.
import type fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../src';
import { accountStateText, applyEntries, encodeLedgerJson, transactionText } from '../../src/core';
import type { Loyalty, Program, Store, StoreSession, Transaction, InstantInput } from '../../src';
import type { AccountState, Decision } from '../../src/core';
import type { RoundingMode } from '../../src/schemas';

/** An ISO instant string, as the typed inputs take it (toISOString() is typed as a plain string). */
export type IsoInstant = Exclude<InstantInput, Date>;
import { requestsAtTheirInstant } from '../request-clock';

/** The points program of the service tests: 1 point per dollar on purchases. */
export const perDollarProgram: Program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

/** The service clock of every store-* test; events and requests happen at or shortly before it. */
export const NOW: IsoInstant = '2027-03-12T00:00:00Z';
export const NOW_MS = Date.parse(NOW);
/** An instant `minutes` before NOW (negative: after). */
export const ago = (minutes: number) => new Date(NOW_MS - minutes * 60_000).toISOString() as IsoInstant;
/** A whole number of cents as a money string: 1234 → '12.34'. */
export const cents = (n: number): `${number}` => `${Math.trunc(n / 100)}.${String(n % 100).padStart(2, '0')}` as `${number}`;
/** A Decimal (or anything with a numeric toString) as a number. */
export const pts = (d: { toString(): string }) => Number(d.toString());

/** Minute 0 of the burn-* service tests: 15:00Z on 10 March 2027. */
export const T0 = Date.UTC(2027, 2, 10, 15, 0, 0);
/** The instant `minutes` after T0. */
export const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString() as IsoInstant;

/** Canonical text of any ledger value (Decimals and Dates included): equal values, equal text. */
export const canon = (value: unknown): string => JSON.stringify(encodeLedgerJson(value));

export interface Service {
  readonly loyalty: Loyalty;
  /** The store the service writes to (unwrapped), for direct reads in snapshots. */
  readonly store: Store;
}

/**
 * A service over `store` (default: a fresh memory store) with the clock fixed at NOW, and the
 * customers upserted (enrolled in every program unless `programs` says otherwise).
 */
export async function makeService(
  programs: readonly Program[],
  options: { readonly store?: Store; readonly customers?: readonly string[]; readonly enrol?: readonly string[]; readonly now?: string } = {},
): Promise<Service> {
  const store = options.store ?? memoryStore();
  const clock = fixedClock(options.now ?? NOW);
  const loyalty = requestsAtTheirInstant(createLoyalty({ programs, store, clock }), clock);
  for (const id of options.customers ?? ['c1']) {
    await loyalty.upsertCustomer({ customer: { id, enrolledAt: '2027-01-01T00:00:00Z' }, ...options.enrol ? { programs: options.enrol } : undefined });
  }
  return { loyalty, store };
}

/** A second service over the same store (e.g. one whose store is wrapped): same programs, same clock. */
export const serviceOver = (programs: readonly Program[], store: Store): Loyalty => {
  const clock = fixedClock(NOW);
  return requestsAtTheirInstant(createLoyalty({ programs, store, clock }), clock);
};

/** An account's whole history, oldest first. */
export async function transactions(loyalty: Loyalty, customerId = 'c1', programId = 'rewards'): Promise<Transaction[]> {
  return [...(await loyalty.history({ customerId, programId, limit: 1000 })).transactions].reverse();
}

/** Available points of an account, as a number. */
export async function available(loyalty: Loyalty, customerId: string, programId: string): Promise<number> {
  return Number((await loyalty.account({ customerId, programId })).balance.available.toString());
}

export interface SnapshotScope {
  /** Accounts to read, as [programId, customerId]. */
  readonly accounts: readonly (readonly [string, string])[];
  /** Processed-record keys (event ids, `request:<id>`) to read. */
  readonly processed?: readonly string[];
  /** Store counters (reward stock…) to read. */
  readonly counters?: readonly string[];
}

/**
 * Everything a unit of work may have written, as canonical text: per account its state, its whole
 * history and its schedule; the processed records asked for; the counters; the unacknowledged outbox.
 */
export async function snapshot(store: Store, scope: SnapshotScope): Promise<Record<string, string>> {
  return store.unit(async (s: StoreSession) => {
    const out: Record<string, string> = {};
    for (const [programId, customerId] of scope.accounts) {
      const key = `${programId}/${customerId}`;
      const state = await s.getAccount(programId, customerId);
      out[`state ${key}`] = state ? accountStateText(state) : 'none';
      out[`history ${key}`] = JSON.stringify((await s.transactions(programId, customerId)).map(transactionText));
      out[`schedule ${key}`] = canon(await s.getSchedule(programId, customerId));
    }
    for (const id of scope.processed ?? []) out[`processed ${id}`] = canon(await s.getProcessed(id));
    for (const name of scope.counters ?? []) out[`counter ${name}`] = String(await s.counter(name));
    out.outbox = canon(await s.outbox(100_000));
    return out;
  });
}

/** The outcome of a promise without throwing: its value or its error. */
export async function settle<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * A memory store whose `beforeWrite` hook counts the writes of each unit and, once armed, throws at
 * the k-th write (0-based) of the next unit that reaches it.
 */
export function faultyMemoryStore(): { store: Store; armAt(k: number): void; readonly fired: boolean; readonly maxIndex: number; resetCount(): void } {
  let armed: number | undefined;
  let fired = false;
  let maxIndex = -1;
  const store = memoryStore({
    beforeWrite: (index) => {
      maxIndex = Math.max(maxIndex, index);
      if (armed !== undefined && index === armed) {
        armed = undefined;
        fired = true;
        throw new InjectedFault(index);
      }
    },
  });
  return {
    store,
    armAt(k) {
      armed = k;
      fired = false;
    },
    get fired() {
      return fired;
    },
    get maxIndex() {
      return maxIndex;
    },
    resetCount() {
      maxIndex = -1;
    },
  };
}

/** The error a fault injection throws. */
export class InjectedFault extends Error {
  constructor(readonly index: number) {
    super(`injected fault at write ${index}`);
  }
}

/** The error a lost acknowledgement throws (after the unit committed). */
export class LostAck extends Error {
  constructor() {
    super('connection reset after commit');
  }
}

/**
 * RELIABILITY 12: a Store whose next unit, once armed, commits in the inner store and then throws
 * to the caller, as when the acknowledgement of a commit is lost on the wire.
 */
export function lostAckStore(inner: Store): { store: Store; arm(): void; readonly lost: number } {
  let armed = false;
  let lost = 0;
  return {
    store: {
      async unit<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
        const result = await inner.unit(work);
        if (armed) {
          armed = false;
          lost += 1;
          throw new LostAck();
        }
        return result;
      },
    },
    arm() {
      armed = true;
    },
    get lost() {
      return lost;
    },
  };
}

/**
 * A Store over `inner` whose every step is released by fast-check's scheduler: the moment a unit
 * enters the store's queue, and each session call inside it. `onCommit` gets each unit's result
 * right after its work resolved (the memory store commits synchronously then, before any other unit
 * starts), which gives the commit order of the interleaving.
 */
export function scheduledStore(inner: Store, s: fc.Scheduler, onCommit?: (result: unknown) => void): Store {
  let units = 0;
  return {
    async unit<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
      units += 1;
      const label = `unit ${units}`;
      await s.schedule(Promise.resolve(), `${label} enters`);
      return inner.unit(async (session) => {
        const gated = new Proxy(session, {
          get(target, prop, receiver) {
            const value: unknown = Reflect.get(target, prop, receiver);
            if (typeof value !== 'function') return value;
            return async (...args: unknown[]) => {
              await s.schedule(Promise.resolve(), `${label}.${String(prop)}`);
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
        const result = await work(gated);
        onCommit?.(result);
        return result;
      });
    },
  };
}

// ---- An independent calendar (Intl only). ----

const DAY = 86_400_000;

/** The wall-clock fields of instant `t` in `zone`. */
export function wallOf(t: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}
/** The UTC offset of `zone` at instant `t`, in milliseconds. */
export function offsetOf(t: number, zone: string): number {
  const w = wallOf(t, zone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(t / 1000) * 1000;
}
/**
 * The instant a wall-clock time (given as UTC fields, which may overflow) occurs in `zone`. A time
 * repeated at fall-back is the earlier instant; a time inside a spring-forward gap moves forward by
 * the gap (it is read with the offset in force before the change).
 */
export function instantOfWall(wallAsUtc: number, zone: string): number {
  const before = wallAsUtc - offsetOf(wallAsUtc - DAY, zone);
  const after = wallAsUtc - offsetOf(wallAsUtc + DAY, zone);
  const fits = (t: number) => offsetOf(t, zone) === wallAsUtc - t;
  if (fits(before) && fits(after)) return Math.min(before, after);
  if (fits(before)) return before;
  if (fits(after)) return after;
  return before; // in the gap
}

// ---- The pure core. ----

/** Folds an accepted decision into the account (a refusal throws): the new account and the transaction. */
export function fold(account: AccountState, d: Decision): { account: AccountState; tx: Transaction | null } {
  if (!d.ok) throw new Error(`refused: ${d.issues.map((i) => i.code).join(', ')}`);
  return { account: d.transaction ? applyEntries(account, d.transaction) : account, tx: d.transaction };
}

// ---- An independent model in bigint arithmetic. ----

/** Rounds the non-negative rational n/d to an integer under `mode`. */
export function roundRational(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  switch (mode) {
    case 'floor':
    case 'down':
      return q;
    case 'ceil':
      return q + 1n;
    case 'half-up':
      return 2n * r >= d ? q + 1n : q;
    case 'half-even':
      return 2n * r > d || (2n * r === d && q % 2n === 1n) ? q + 1n : q;
  }
}

/** Largest remainder, ties to the earlier index; all-zero weights split equally. */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  let ws = weights;
  let sum = ws.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    ws = ws.map(() => 1n);
    sum = BigInt(ws.length);
  }
  const parts = ws.map((w) => (total * w) / sum);
  const rema = ws.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - parts.reduce((a, b) => a + b, 0n);
  rema.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rema) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts;
}
