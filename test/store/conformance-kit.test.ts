// The conformance kit can fail: each check named below rejects a store broken in the way the check
// is about (test/store/broken-stores.ts), and passes the memory store it wraps, so the rejection is
// the break's doing. Also the fault wrappers on their own, and the suite's shape.
import { describe, expect, test } from 'vitest';
import * as root from '../../src';
import * as core from '../../src/core';
import * as schemas from '../../src/schemas';
import * as testing from '../../src/testing';
import { memoryStore } from '../../src';
import type { Store } from '../../src';
import { conformanceCases, ConformanceFailure, failAtWrite, InjectedWriteFault, loseAcknowledgement, LostAcknowledgement, runConformanceCase, WRITE_METHODS } from '../../src/testing';
import type { ConformanceCase } from '../../src/testing';
import { concatenatesKeys, dueIgnoresInstant, forgetsEvents, historyOldestFirst, ignoresProgram, ignoresVersion, noIsolation, notAtomic, optimisticAccountsOnly } from './broken-stores';

const caseById = (id: string): ConformanceCase => {
  const found = conformanceCases.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

const sameStore = (store: Store) => () => store;
const BROKEN: readonly { readonly store: string; readonly make: () => Store; readonly rejectedBy: readonly string[]; readonly tenants?: (id: string) => Store }[] = [
  { store: 'ignores expectedVersion', make: () => ignoresVersion(memoryStore()), rejectedBy: ['session.version-conflict'] },
  { store: 'is not atomic', make: () => notAtomic(memoryStore()), rejectedBy: ['session.atomic-unit', 'faults.fail-at-write'] },
  { store: 'has no isolation between units', make: () => noIsolation(memoryStore()), rejectedBy: ['service.overdraft-race', 'service.concurrent-duplicates', 'service.refund-race', 'service.caps-race', 'service.shared-counter-race', 'service.mixed-race'] },
  { store: 'versions accounts but not the program-wide counters', make: () => optimisticAccountsOnly(memoryStore()), rejectedBy: ['service.shared-counter-race'] },
  { store: 'leaks between programs', make: () => ignoresProgram(memoryStore()), rejectedBy: ['isolation.programs', 'isolation.service-programs', 'session.duplicate-transaction'] },
  { store: 'concatenates program and customer ids', make: () => concatenatesKeys(memoryStore()), rejectedBy: ['isolation.programs'] },
  { store: 'forgets processed events', make: () => forgetsEvents(memoryStore()), rejectedBy: ['service.replay', 'service.concurrent-duplicates', 'faults.lost-acknowledgement', 'session.append'] },
  { store: 'lists accounts as due whatever the instant and the limit', make: () => dueIgnoresInstant(memoryStore()), rejectedBy: ['session.due-accounts', 'service.tick-due'] },
  { store: 'pages history oldest first', make: () => historyOldestFirst(memoryStore()), rejectedBy: ['session.history', 'service.history-outbox'] },
  { store: 'shares one database between all tenants', make: () => memoryStore(), tenants: sameStore(memoryStore()), rejectedBy: ['isolation.tenants'] },
];

describe('the conformance kit rejects broken stores', () => {
  for (const broken of BROKEN) {
    for (const id of broken.rejectedBy) {
      test(`${id} rejects a store that ${broken.store}`, async () => {
        const options = broken.tenants ? { tenants: broken.tenants } : {};
        const failure = await runConformanceCase(caseById(id), broken.make, options).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure, `${id} passed a store that ${broken.store}`).toBeInstanceOf(ConformanceFailure);
        expect((failure as ConformanceFailure).caseId).toBe(id);
        // A store's own error (a LoyaltyError it threw) may stop a check; a bug of the kit may not.
        const cause = (failure as ConformanceFailure).cause;
        expect(cause instanceof TypeError || cause instanceof ReferenceError, String(cause)).toBe(false);
      });
    }
  }

  test('every check the broken stores name passes the memory store they wrap (the break is what fails)', async () => {
    const ids = new Set(BROKEN.flatMap((b) => b.rejectedBy));
    const tenants = new Map<string, Store>();
    const options = { tenants: (id: string) => tenants.get(id) ?? tenants.set(id, memoryStore()).get(id) ?? memoryStore() };
    for (const id of ids) await runConformanceCase(caseById(id), () => memoryStore(), options);
  });

  test('a failure names its check, and every store a check made is cleaned up', async () => {
    const made: Store[] = [];
    const cleaned: Store[] = [];
    const error = await runConformanceCase(caseById('session.version-conflict'), () => {
      const store = ignoresVersion(memoryStore());
      made.push(store);
      return store;
    }, { cleanup: (store) => void cleaned.push(store) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceFailure);
    expect((error as ConformanceFailure).caseId).toBe('session.version-conflict');
    expect((error as ConformanceFailure).message).toMatch(/version_conflict/);
    expect(cleaned).toEqual(made);
    expect(made.length).toBeGreaterThan(0);
  });
});

describe('the suite', () => {
  test('loyalty-engine/testing exports the kit, and none of its names lives in another entry point', () => {
    expect(Object.keys(testing).sort()).toEqual(['ConformanceFailure', 'InjectedWriteFault', 'LostAcknowledgement', 'WRITE_METHODS', 'conformanceCases', 'failAtWrite', 'loseAcknowledgement', 'runConformanceCase', 'runStoreConformance']);
    for (const name of Object.keys(testing)) for (const other of [root, core, schemas]) expect(other, name).not.toHaveProperty(name);
  });

  test('check ids are unique and name their group; every RELIABILITY promise the brief lists is held by some check', () => {
    const ids = conformanceCases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(session|service|faults|isolation)\.[a-z-]+$/);
    const held = new Set(conformanceCases.flatMap((c) => c.promises));
    for (const promise of [1, 2, 3, 4, 5, 10, 11, 12, 18, 19]) expect(held, `RELIABILITY ${promise}`).toContain(promise);
  });
});

describe('failAtWrite and loseAcknowledgement', () => {
  const writeAll = async (store: Store): Promise<void> =>
    store.unit(async (s) => {
      await s.addToCounter('a', 1);
      await s.addToCounter('b', 1);
      await s.nextSequence('s');
    });

  test('failAtWrite throws at the k-th write of a unit, once; reads are not writes', async () => {
    const inner = memoryStore();
    const store = failAtWrite(inner, 2);
    const error = await writeAll(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedWriteFault);
    expect(error).toMatchObject({ write: 2, method: 'addToCounter', timing: 'before' });
    expect(store.fired).toBe(1);
    expect(await inner.unit((s) => s.counter('a'))).toBe(0); // the unit was aborted
    await writeAll(store); // the retry passes
    expect(store.lastUnitWrites).toBe(3);
    expect(await inner.unit(async (s) => [await s.counter('a'), await s.counter('b')])).toEqual([1, 1]);
    await store.unit(async (s) => {
      await s.counter('a');
      await s.getAccount('p', 'c');
    });
    expect(store.lastUnitWrites).toBe(0);
    expect([...WRITE_METHODS].sort()).toEqual(['acknowledge', 'addToCounter', 'append', 'appendBatch', 'forgetCustomer', 'nextSequence', 'putAccountIfAbsent', 'putCustomer', 'setSchedule']);
  });

  test("failAtWrite with timing 'after' performs the write before throwing; `times` fails that many units", async () => {
    const inner = notAtomic(memoryStore()); // shows what the write did even though the unit failed
    const store = failAtWrite(inner, 1, { timing: 'after', times: 2 });
    for (let i = 0; i < 2; i++) await expect(writeAll(store)).rejects.toMatchObject({ write: 1, timing: 'after' });
    expect(await inner.unit((s) => s.counter('a'))).toBe(2);
    await writeAll(store);
    expect(store.fired).toBe(2);
    expect(() => failAtWrite(inner, 0)).toThrow(RangeError);
  });

  test('loseAcknowledgement commits the unit, then throws; by default only the first unit', async () => {
    const inner = memoryStore();
    const store = loseAcknowledgement(inner);
    await expect(store.unit(async (s) => s.addToCounter('a', 1))).rejects.toBeInstanceOf(LostAcknowledgement);
    expect(await store.unit((s) => s.counter('a'))).toBe(1);
    expect(store.lost).toBe(1);
    const picky = loseAcknowledgement(inner, (result) => result === 'lose me');
    await expect(picky.unit(async () => 'lose me')).rejects.toMatchObject({ unit: 1 });
    await expect(picky.unit(async () => 'keep me')).resolves.toBe('keep me');
    expect(picky.lost).toBe(1);
  });
});
