import { describe, test } from 'vitest';
import { isLoyaltyError } from '../errors';
import type { Store } from '../store/types';
import { ConformanceFailure, errorText } from './assert';
import { conformanceCases } from './cases';
import type { ConformanceCase, ConformanceContext, ConformanceOptions } from './types';

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_MAX_RETRIES = 200;

/** A conflict the service reports when an account moved under a unit: a host retries it. */
const isVersionConflict = (error: unknown): boolean => isLoyaltyError(error) && error.issues.some((i) => i.code === 'version_conflict');

/**
 * Runs one conformance check against stores from `makeStore`, outside any test framework: resolves
 * when the store passes, rejects with the failure otherwise (a `ConformanceFailure` carries the
 * check's id). Every store the check made is handed to `options.cleanup` either way.
 *
 * @example
 * ```ts
 * const versions = conformanceCases.find((c) => c.id === 'session.version-conflict')!;
 * await runConformanceCase(versions, () => memoryStore());
 * ```
 */
export async function runConformanceCase(check: ConformanceCase, makeStore: () => Store | Promise<Store>, options: ConformanceOptions = {}): Promise<void> {
  const made: Store[] = [];
  const track = async (store: Store | Promise<Store>): Promise<Store> => {
    const ready = await store;
    made.push(ready);
    return ready;
  };
  const { tenants } = options;
  const ctx: ConformanceContext = {
    store: () => track(makeStore()),
    tenant: tenants ? (id) => track(tenants(id)) : undefined,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    retrying: (work) => retrying(work, options.isRetryable ?? isVersionConflict, options.maxRetries ?? DEFAULT_MAX_RETRIES),
  };
  try {
    await check.run(ctx);
  } catch (error) {
    // What the store threw mid-check (an invariant it broke, a bug) is the check's failure too.
    const failure = error instanceof ConformanceFailure ? error : new ConformanceFailure(`the check stopped on an error: ${errorText(error)}`, { cause: error });
    failure.caseId = check.id;
    throw failure;
  } finally {
    if (options.cleanup) for (const store of made) await options.cleanup(store);
  }
}

async function retrying<T>(work: () => Promise<T>, isRetryable: (error: unknown) => boolean, maxRetries: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= maxRetries) throw new ConformanceFailure(`still conflicting after ${maxRetries} retries: ${errorText(error)}`);
    }
  }
}

/**
 * Registers the store conformance suite as a vitest `describe` block: one test per check of
 * {@link conformanceCases}, each against fresh stores from `makeStore` (it must return a new,
 * empty store each call; it may be async). Covers versioned appends, atomic units, duplicate
 * delivery, concurrent redemptions, refunds and caps on one account, the reads the service pages
 * and schedules with, forgetCustomer, isolation between programs (and between tenants when
 * `options.tenants` is given), and fault injection (a failed write, a lost acknowledgement).
 * Call it at the top level of a test file.
 *
 * @example
 * ```ts
 * // test/my-store.test.ts
 * import { runStoreConformance } from 'loyalty-engine/testing';
 * import { myStore } from '../src';
 *
 * runStoreConformance('my store', () => myStore({ url: process.env.DATABASE_URL }), {
 *   tenants: (tenantId) => myStore({ url: process.env.DATABASE_URL, tenantId }),
 *   concurrency: 16,
 *   cleanup: (store) => (store as MyStore).close(),
 * });
 * ```
 */
export function runStoreConformance(name: string, makeStore: () => Store | Promise<Store>, options: ConformanceOptions = {}): void {
  describe(`store conformance: ${name}`, () => {
    for (const check of conformanceCases) {
      const title = `${check.id}: ${check.title}`;
      if (check.requires === 'tenants' && !options.tenants) {
        // Shown as skipped, so a reader sees what the adapter does not claim.
        test.skip(`${title} (needs the tenants option)`, () => undefined);
        continue;
      }
      test(title, () => runConformanceCase(check, makeStore, options), options.timeout);
    }
  });
}
