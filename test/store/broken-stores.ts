// Deliberately broken stores, each over a memory store, for test/store/conformance-kit.test.ts:
// the kit must reject every one of them. Each breaks one promise a real adapter could get wrong.
import type { Store, StoreSession } from '../../src';
import type { AccountWrite } from '../../src/core';

type Method = keyof StoreSession;
type Rewrite = (name: Method, args: unknown[], session: StoreSession) => Promise<unknown[]> | unknown[];

/** A store whose sessions pass each call's arguments through `rewrite` first. */
function rewriting(inner: Store, rewrite: Rewrite): Store {
  return {
    unit: (work) =>
      inner.unit((session) =>
        work(
          new Proxy(session, {
            get(target, name, receiver) {
              const value: unknown = Reflect.get(target, name, receiver);
              if (typeof value !== 'function') return value;
              return async (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, await rewrite(name as Method, args, target));
            },
          }),
        ),
      ),
  };
}

/** Appends from whatever version the account is at: `expectedVersion` is ignored (lost updates). */
export function ignoresVersion(inner: Store): Store {
  return rewriting(inner, async (name, args, session) => {
    if (name !== 'append') return args;
    const [writes, ...rest] = args as [readonly AccountWrite[], ...unknown[]];
    const current: AccountWrite[] = [];
    for (const w of writes) current.push({ ...w, expectedVersion: (await session.getAccount(w.programId, w.customerId))?.version ?? 0 });
    return [current, ...rest];
  });
}

const PER_ACCOUNT: ReadonlySet<Method> = new Set(['getAccount', 'transactionsByOrder', 'transactions', 'history', 'transaction', 'getSchedule', 'setSchedule']);

/** Keys accounts by `key(programId, customerId)`, which may confuse two accounts. */
function keyedBy(inner: Store, key: (programId: string, customerId: string) => [string, string]): Store {
  return rewriting(inner, (name, args) => {
    if (PER_ACCOUNT.has(name)) {
      const [programId, customerId, ...rest] = args as [string, string, ...unknown[]];
      return [...key(programId, customerId), ...rest];
    }
    if (name === 'putAccountIfAbsent') {
      const [state] = args as [{ programId: string; customerId: string }];
      const [programId, customerId] = key(state.programId, state.customerId);
      return [{ ...state, programId, customerId }];
    }
    if (name === 'append') {
      const [writes, ...rest] = args as [readonly AccountWrite[], ...unknown[]];
      return [writes.map((w) => ({ ...w, programId: key(w.programId, w.customerId)[0], customerId: key(w.programId, w.customerId)[1] })), ...rest];
    }
    return args;
  });
}

/** Ignores the program: one customer's accounts in two programs are one account. */
export const ignoresProgram = (inner: Store): Store => keyedBy(inner, (_programId, customerId) => ['shared', customerId]);

/** Keys accounts by the concatenation of program and customer ids: ('ab', 'c') is ('a', 'bc'). */
export const concatenatesKeys = (inner: Store): Store => keyedBy(inner, (programId, customerId) => ['k', `${programId}${customerId}`]);

/** Commits every write at once, in its own unit: a unit that fails halfway leaves its first writes. */
export function notAtomic(inner: Store): Store {
  return {
    unit: (work) =>
      work(
        new Proxy({} as StoreSession, {
          get(_target, name) {
            // The optional batch methods are absent: this store is read and written call by call.
            if (name === 'prefetch' || name === 'appendBatch') return undefined;
            return (...args: unknown[]) => inner.unit((s) => (s[name as Method] as (...a: unknown[]) => Promise<unknown>)(...args));
          },
        }),
      ),
  };
}

/**
 * No isolation between units (as interleaved BEGIN/COMMIT over one connection): every read sees
 * what is committed now, writes are buffered and committed together at the end, and appends ignore
 * `expectedVersion`. Racing units all read the same balance.
 */
export function noIsolation(inner: Store): Store {
  return readCommitted(ignoresVersion(inner));
}

/**
 * Optimistic on accounts only: reads see what is committed now, writes are buffered and committed
 * together at the end, and `append` checks account versions, so racing units on one account
 * conflict and retry; but a program-wide counter shared by units on different accounts is read
 * and added to without any check (the reward-stock lost update).
 */
export const optimisticAccountsOnly = (inner: Store): Store => readCommitted(inner);

/** Units whose reads each see the committed state of `inner`, and whose writes commit together at the end. */
function readCommitted(inner: Store): Store {
  const WRITES: ReadonlySet<string> = new Set(['putCustomer', 'putAccountIfAbsent', 'append', 'setSchedule', 'addToCounter', 'acknowledge', 'forgetCustomer']);
  return {
    async unit(work) {
      const buffered: ((s: StoreSession) => Promise<unknown>)[] = [];
      const session = new Proxy({} as StoreSession, {
        get(_target, name) {
          // The optional batch methods are absent: this store is read and written call by call.
          if (name === 'prefetch' || name === 'appendBatch') return undefined;
          const call = (s: StoreSession, args: unknown[]) => (s[name as Method] as (...a: unknown[]) => Promise<unknown>)(...args);
          if (WRITES.has(String(name))) {
            return async (...args: unknown[]) => {
              buffered.push((s) => call(s, args));
              return name === 'forgetCustomer' ? 'forgotten' : undefined;
            };
          }
          return (...args: unknown[]) => inner.unit((s) => call(s, args));
        },
      });
      const result = await work(session);
      await inner.unit(async (s) => {
        for (const write of buffered) await write(s);
      });
      return result;
    },
  };
}

/** Never finds an event record: every delivery of an event is processed as new. */
export function forgetsEvents(inner: Store): Store {
  return {
    unit: (work) =>
      inner.unit((session) =>
        work(
          new Proxy(session, {
            get(target, name, receiver) {
              if (name === 'getProcessed') return async () => undefined;
              const value: unknown = Reflect.get(target, name, receiver);
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
            },
          }),
        ),
      ),
  };
}

/** Pages history oldest first (and so `next` walks the wrong way). */
export function historyOldestFirst(inner: Store): Store {
  return {
    unit: (work) =>
      inner.unit((session) =>
        work(
          new Proxy(session, {
            get(target, name, receiver) {
              if (name === 'history') {
                return async (programId: string, customerId: string, page: { limit: number }) => {
                  const all = await target.transactions(programId, customerId);
                  return { transactions: all.slice(0, page.limit) };
                };
              }
              const value: unknown = Reflect.get(target, name, receiver);
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
            },
          }),
        ),
      ),
  };
}

/** Lists every scheduled account from `dueAccounts`, ignoring the instant and the limit. */
export function dueIgnoresInstant(inner: Store): Store {
  return {
    unit: (work) =>
      inner.unit((session) =>
        work(
          new Proxy(session, {
            get(target, name, receiver) {
              if (name === 'dueAccounts') return async () => target.dueAccounts(new Date('9999-12-31T00:00:00Z'), 1_000_000);
              const value: unknown = Reflect.get(target, name, receiver);
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
            },
          }),
        ),
      ),
  };
}
