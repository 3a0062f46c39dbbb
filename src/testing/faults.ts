import type { Store, StoreSession } from '../store/types';

/**
 * The mutating methods of a `StoreSession`: what `failAtWrite` counts as a write.
 *
 * @example
 * ```ts
 * WRITE_METHODS.includes('append'); // true
 * ```
 */
export const WRITE_METHODS = ['putCustomer', 'putAccountIfAbsent', 'append', 'appendBatch', 'setSchedule', 'addToCounter', 'acknowledge', 'forgetCustomer', 'nextSequence'] as const;

/** The name of a mutating `StoreSession` method. */
export type WriteMethod = (typeof WRITE_METHODS)[number];

const isWrite = (name: string | symbol): name is WriteMethod => (WRITE_METHODS as readonly (string | symbol)[]).includes(name);

/**
 * The error `failAtWrite` throws inside a unit of work.
 *
 * @example
 * ```ts
 * try { await loyalty.process(event); } catch (e) { if (e instanceof InjectedWriteFault) console.log(e.method, e.write); }
 * ```
 */
export class InjectedWriteFault extends Error {
  constructor(
    /** Which write of the unit failed (1 = the first). */
    readonly write: number,
    /** The session method that was called. */
    readonly method: WriteMethod,
    /** Whether the write was performed before the error (`'after'`) or not (`'before'`). */
    readonly timing: 'before' | 'after',
  ) {
    super(`injected fault at write ${write} (${method}, ${timing} the call)`);
    this.name = 'InjectedWriteFault';
  }
}

/**
 * The error `loseAcknowledgement` throws after a unit committed.
 *
 * @example
 * ```ts
 * try { await loyalty.process(event); } catch (e) { if (e instanceof LostAcknowledgement) await loyalty.process(event); }
 * ```
 */
export class LostAcknowledgement extends Error {
  constructor(readonly unit: number) {
    super(`the acknowledgement of unit ${unit} was lost after it committed`);
    this.name = 'LostAcknowledgement';
  }
}

/** Options of `failAtWrite`. */
export interface FailAtWriteOptions {
  /** `'before'` (default): the k-th write is not performed; `'after'`: it is performed, then the error is thrown. */
  readonly timing?: 'before' | 'after' | undefined;
  /** How many units fail before the wrapper passes everything through (default 1: the retry succeeds). */
  readonly times?: number | undefined;
}

/** A store from `failAtWrite`: the wrapped store, and what the wrapper saw. */
export interface WriteFaultStore extends Store {
  /** How many units the fault was injected into so far. */
  readonly fired: number;
  /** How many writes the most recent unit made (counting the failed one). */
  readonly lastUnitWrites: number;
}

/**
 * Wraps a store so that the `k`-th write call (1-based; see {@link WRITE_METHODS}) of a unit of
 * work throws {@link InjectedWriteFault}, which aborts the unit. A correct store then leaves
 * nothing of that unit visible. After `times` failures (default 1) every unit passes, so a retry
 * succeeds. RELIABILITY 11.
 *
 * @example
 * ```ts
 * const store = failAtWrite(memoryStore(), 2);
 * const loyalty = createLoyalty({ programs: [program], store, clock });
 * await loyalty.process(purchase).catch(() => undefined); // fails at its 2nd write, leaves nothing
 * await loyalty.process(purchase); // the retry succeeds, once
 * ```
 */
export function failAtWrite(store: Store, k: number, options: FailAtWriteOptions = {}): WriteFaultStore {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`failAtWrite: k must be a whole number ≥ 1, got ${k}`);
  const timing = options.timing ?? 'before';
  const times = options.times ?? 1;
  let fired = 0;
  let lastUnitWrites = 0;
  return {
    get fired() {
      return fired;
    },
    get lastUnitWrites() {
      return lastUnitWrites;
    },
    unit<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
      let writes = 0;
      lastUnitWrites = 0;
      return store.unit((session) => {
        const faulty = new Proxy(session, {
          get(target, name, receiver) {
            const value: unknown = Reflect.get(target, name, receiver);
            if (typeof value !== 'function' || !isWrite(name)) return value;
            return async (...args: unknown[]) => {
              writes += 1;
              lastUnitWrites = writes;
              const armed = fired < times && writes === k;
              if (armed && timing === 'before') {
                fired += 1;
                throw new InjectedWriteFault(writes, name, timing);
              }
              const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              if (armed) {
                fired += 1;
                throw new InjectedWriteFault(writes, name, timing);
              }
              return result;
            };
          },
        });
        return work(faulty);
      });
    },
  };
}

/** A store from `loseAcknowledgement`: the wrapped store, and how many acknowledgements it lost. */
export interface LostAcknowledgementStore extends Store {
  readonly lost: number;
}

/**
 * Wraps a store so that a unit of work commits and then its caller sees
 * {@link LostAcknowledgement} instead of the result, as when a connection drops after `COMMIT`.
 * `predicate` chooses the units (it gets the unit's result and its number, 1-based); by default
 * only the first unit's acknowledgement is lost. The service must then answer the retry with the
 * original result and never credit twice. RELIABILITY 12.
 *
 * @example
 * ```ts
 * const store = loseAcknowledgement(memoryStore(), (_result, unit) => unit === 2);
 * const loyalty = createLoyalty({ programs: [program], store, clock });
 * await loyalty.upsertCustomer({ customer }); // unit 1
 * await loyalty.process(purchase).catch(() => undefined); // unit 2 commits, the caller sees an error
 * const again = await loyalty.process(purchase); // again.replayed === true, credited once
 * ```
 */
export function loseAcknowledgement(store: Store, predicate: (result: unknown, unit: number) => boolean = (_result, unit) => unit === 1): LostAcknowledgementStore {
  let units = 0;
  let lost = 0;
  return {
    get lost() {
      return lost;
    },
    async unit<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
      units += 1;
      const number = units;
      const result = await store.unit(work);
      if (predicate(result, number)) {
        lost += 1;
        throw new LostAcknowledgement(number);
      }
      return result;
    },
  };
}
