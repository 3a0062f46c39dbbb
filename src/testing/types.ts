import type { Store } from '../store/types';

/**
 * What a conformance check gets: fresh stores of the adapter under test, and the knobs of the run.
 *
 * @example
 * ```ts
 * const check: ConformanceCase = {
 *   id: 'my.check', title: 'a fresh store has no customers', promises: [],
 *   async run(ctx) { const store = await ctx.store(); await store.unit(async (s) => s.getCustomer('c1')); },
 * };
 * ```
 */
export interface ConformanceContext {
  /** A fresh, empty store from the adapter's factory; cleaned up after the check. */
  store(): Promise<Store>;
  /** The store of one tenant (the same id shares data, different ids are isolated); undefined when the adapter has no tenants. */
  readonly tenant: ((tenantId: string) => Promise<Store>) | undefined;
  /** How many concurrent units the races launch. */
  readonly concurrency: number;
  /**
   * Runs `work` again while it throws an error the adapter calls retryable (a `version_conflict`,
   * a serialization failure): what a host does with a conflict. The same ids are reused, so a
   * retry is only correct because the service is idempotent.
   */
  retrying<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * One named conformance check. `runStoreConformance` registers one vitest test per check; the
 * list is exported (`conformanceCases`) so a check can also be run alone with `runConformanceCase`.
 *
 * @example
 * ```ts
 * const versions = conformanceCases.find((c) => c.id === 'session.version-conflict');
 * ```
 */
export interface ConformanceCase {
  /** A stable id: `<group>.<name>`. */
  readonly id: string;
  /** What the check proves, as a test title. */
  readonly title: string;
  /** The RELIABILITY.md promises the check holds (empty: a plain interface contract). */
  readonly promises: readonly number[];
  /** `'tenants'`: the check runs only when the adapter gives a tenant factory. */
  readonly requires?: 'tenants';
  /** Runs the check; throws (a `ConformanceFailure`, or the store's own error) when the store fails it. */
  run(ctx: ConformanceContext): Promise<void>;
}

/**
 * Options of `runStoreConformance` and `runConformanceCase`.
 *
 * @example
 * ```ts
 * const options: ConformanceOptions = { concurrency: 16, cleanup: (store) => closeStore(store), timeout: 120_000 };
 * ```
 */
export interface ConformanceOptions {
  /**
   * For stores that let tenants share one database: the store of a tenant id (the same id shares
   * data, different ids are isolated). Enables the tenant isolation check, which uses the tenant
   * ids `t1` and `t2`: they must hold no data when the check starts (a fresh schema per run, or
   * delete them in `cleanup`).
   */
  readonly tenants?: ((tenantId: string) => Store | Promise<Store>) | undefined;
  /** How many concurrent units the races launch (default 8). The overdraft race always launches 50 redemptions. */
  readonly concurrency?: number | undefined;
  /** Called after each check with every store it made (close pools, drop schemas). */
  readonly cleanup?: ((store: Store) => void | Promise<void>) | undefined;
  /**
   * Which errors a host would retry (default: a `LoyaltyError` with code `version_conflict`).
   * An adapter whose database reports conflicts its own way widens it: a serialization failure,
   * or the unique violation of two racing deliveries recording one event id.
   */
  readonly isRetryable?: ((error: unknown) => boolean) | undefined;
  /** How many times one racing call is retried before the check fails (default 200). */
  readonly maxRetries?: number | undefined;
  /** The vitest timeout of each check, in milliseconds (default: vitest's configured one). */
  readonly timeout?: number | undefined;
}
