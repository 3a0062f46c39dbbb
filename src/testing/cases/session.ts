// Checks at the raw StoreSession level: what each method promises in src/store/types.ts.
import { accountStateText, transactionText } from '../../ledger/codec';
import type { Store, StoreSession } from '../../store/types';
import { check, checkSame, checkThrowsCode } from '../assert';
import { creditWrite, emptyAccount, notification, processedRecord, profile, programWithId, purchaseWrite } from '../fixtures';
import type { ConformanceCase } from '../types';

const read = <T>(store: Store, work: (s: StoreSession) => Promise<T>): Promise<T> => store.unit(work);

/** A customer c1 enrolled in `rewards`, with an empty account, committed. */
async function enrolled(store: Store, customerId = 'c1', programs: readonly string[] = ['rewards']): Promise<void> {
  await store.unit(async (s) => {
    await s.putCustomer({ profile: profile(customerId), programs });
    for (const p of programs) await s.putAccountIfAbsent(emptyAccount(customerId, p));
  });
}

/** Credits `points` to (program, customer) in its own unit, from the stored version; returns the transaction id. */
async function credit(store: Store, customerId: string, requestId: string, points: number, programId = 'rewards'): Promise<string> {
  return store.unit(async (s) => {
    const account = (await s.getAccount(programId, customerId)) ?? emptyAccount(customerId, programId);
    const write = creditWrite(account, requestId, points, programWithId(programId));
    await s.append([write], undefined, []);
    return write.transaction.id;
  });
}

const freshStoreIsEmpty: ConformanceCase = {
  id: 'session.empty',
  title: 'a fresh store is empty: no customer, account, record, ledger, schedule, counter, outbox row or due account',
  promises: [],
  async run(ctx) {
    const store = await ctx.store();
    await read(store, async (s) => {
      check((await s.getCustomer('c1')) === undefined, 'getCustomer of an unknown customer is undefined');
      check((await s.getAccount('rewards', 'c1')) === undefined, 'getAccount of an unknown account is undefined');
      check((await s.getProcessed('e1')) === undefined, 'getProcessed of an unknown event is undefined');
      check((await s.getSchedule('rewards', 'c1')) === undefined, 'getSchedule of an unknown account is undefined');
      check((await s.transaction('rewards', 'c1', 'tx')) === undefined, 'transaction of an unknown id is undefined');
      checkSame(await s.transactions('rewards', 'c1'), [], 'transactions of an unknown account');
      checkSame(await s.transactionsByOrder('rewards', 'c1', 'o1'), [], 'transactionsByOrder of an unknown order');
      checkSame(await s.history('rewards', 'c1', { limit: 10 }), { transactions: [] }, 'history of an unknown account');
      check((await s.counter('n')) === 0, 'a counter never written reads 0');
      checkSame(await s.outbox(10), [], 'the outbox of a fresh store');
      checkSame(await s.dueAccounts(new Date('2100-01-01T00:00:00Z'), 10), [], 'dueAccounts of a fresh store');
    });
  },
};

const customersAndAccounts: ConformanceCase = {
  id: 'session.customers-accounts',
  title: 'putCustomer replaces a profile; putAccountIfAbsent creates an account once and never overwrites it',
  promises: [],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store);
    checkSame(await read(store, (s) => s.getCustomer('c1')), { profile: profile('c1'), programs: ['rewards'] }, 'the stored customer');
    await store.unit((s) => s.putCustomer({ profile: { ...profile('c1'), tags: ['vip'] }, programs: ['rewards', 'partner'] }));
    checkSame(await read(store, (s) => s.getCustomer('c1')), { profile: { ...profile('c1'), tags: ['vip'] }, programs: ['rewards', 'partner'] }, 'the replaced customer');
    await credit(store, 'c1', 'a1', 100);
    const before = await read(store, (s) => s.getAccount('rewards', 'c1'));
    check(before !== undefined && before.version === 1, `the account is at version 1 after one append (got ${before?.version})`);
    await store.unit((s) => s.putAccountIfAbsent(emptyAccount('c1')));
    const after = await read(store, (s) => s.getAccount('rewards', 'c1'));
    check(after !== undefined && accountStateText(after) === accountStateText(before), 'putAccountIfAbsent overwrote an existing account');
  },
};

const appendRoundTrip: ConformanceCase = {
  id: 'session.append',
  title: 'append stores the transaction, the new state, the processed record and outbox rows together; the unit reads its own writes',
  promises: [1],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store);
    const account = emptyAccount('c1');
    const write = purchaseWrite(account, 'e1', 'o1', 120);
    const record = processedRecord('e1', 'c1', write.transaction);
    const inUnit = await store.unit(async (s) => {
      await s.append([write], record, [notification('n1', 'c1'), notification('n2', 'c1')]);
      return { state: await s.getAccount('rewards', 'c1'), tx: await s.transaction('rewards', 'c1', write.transaction.id), record: await s.getProcessed('e1') };
    });
    check(inUnit.state !== undefined && accountStateText(inUnit.state) === accountStateText(write.state), 'inside the unit, getAccount does not return the appended state');
    check(inUnit.tx !== undefined && transactionText(inUnit.tx) === transactionText(write.transaction), 'inside the unit, transaction() does not find the appended transaction');
    checkSame(inUnit.record, record, 'inside the unit, the processed record');
    await read(store, async (s) => {
      const state = await s.getAccount('rewards', 'c1');
      check(state !== undefined, 'the appended account is missing');
      check(accountStateText(state) === accountStateText(write.state), 'the stored state differs from the appended one');
      check(state.version === write.state.version && state.version === 1, `the version is ${state.version}, expected ${write.state.version}`);
      checkSame((await s.transactions('rewards', 'c1')).map(transactionText), [transactionText(write.transaction)], 'the ledger');
      checkSame(await s.getProcessed('e1'), record, 'the processed record');
      const rows = await s.outbox(10);
      checkSame(rows.map((r) => r.notification), [notification('n1', 'c1'), notification('n2', 'c1')], 'the outbox rows, in order');
      check(rows.length === 2 && (rows[0]?.seq ?? 0) < (rows[1]?.seq ?? 0), 'outbox seqs increase');
    });
    // A record alone (a refusal: no transaction) is stored too.
    await store.unit((s) => s.append([], processedRecord('e2', 'c1', null), []));
    checkSame(await read(store, (s) => s.getProcessed('e2')), processedRecord('e2', 'c1', null), 'a refusal record appended without a transaction');
  },
};

const versionConflict: ConformanceCase = {
  id: 'session.version-conflict',
  title: 'append refuses a stale expectedVersion with version_conflict, and the unit leaves nothing',
  promises: [5, 11],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store);
    const stale = emptyAccount('c1');
    await credit(store, 'c1', 'a1', 100);
    const write = creditWrite(stale, 'a2', 50);
    await checkThrowsCode(() => store.unit((s) => s.append([write], processedRecord('e-stale', 'c1', write.transaction), [notification('n-stale', 'c1')])), 'version_conflict', 'append at version 0 over version 1');
    // A write from a version the account never had (ahead of it), and one for an absent account.
    await checkThrowsCode(() => store.unit((s) => s.append([{ ...write, expectedVersion: 5 }], undefined, [])), 'version_conflict', 'append at version 5 over version 1');
    const ghost = creditWrite(emptyAccount('c9'), 'a3', 10);
    await checkThrowsCode(() => store.unit((s) => s.append([{ ...ghost, expectedVersion: 1 }], undefined, [])), 'version_conflict', 'append at version 1 to an absent account');
    await read(store, async (s) => {
      check((await s.getAccount('rewards', 'c1'))?.version === 1, 'a refused append changed the version');
      check((await s.transactions('rewards', 'c1')).length === 1, 'a refused append left a transaction');
      check((await s.getProcessed('e-stale')) === undefined, 'a refused append left its processed record');
      check((await s.outbox(10)).length === 0, 'a refused append left an outbox row');
      check((await s.getAccount('rewards', 'c9')) === undefined, 'a refused append created an account');
    });
    // From the current version, the same write goes through; an absent account takes expectedVersion 0.
    await store.unit(async (s) => {
      const current = await s.getAccount('rewards', 'c1');
      check(current !== undefined, 'the account is missing');
      await s.append([creditWrite(current, 'a2', 50)], undefined, []);
      await s.append([ghost], undefined, []);
    });
    check((await read(store, (s) => s.getAccount('rewards', 'c1')))?.version === 2, 'an append from the current version did not move it to 2');
    check((await read(store, (s) => s.getAccount('rewards', 'c9')))?.version === 1, 'an append at version 0 did not create the account');
  },
};

const duplicateTransaction: ConformanceCase = {
  id: 'session.duplicate-transaction',
  title: 'append refuses a transaction id the account already has (duplicate_transaction); another account may reuse it',
  promises: [1, 9, 18],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store, 'c1', ['rewards', 'partner']);
    const firstId = await credit(store, 'c1', 'a1', 100);
    // Another credit (a2) from the current version, carrying a1's transaction id.
    const replay = await store.unit(async (s) => {
      const account = await s.getAccount('rewards', 'c1');
      check(account !== undefined, 'the account is missing');
      const write = creditWrite(account, 'a2', 100);
      return { ...write, transaction: { ...write.transaction, id: firstId } };
    });
    await checkThrowsCode(() => store.unit((s) => s.append([replay], undefined, [])), 'duplicate_transaction', 'append of transaction adjust:a1 twice');
    // Twice in one append, on a fresh account.
    const first = creditWrite(emptyAccount('c2'), 'b1', 10);
    const other = creditWrite(first.state, 'b2', 10);
    const second = { ...other, transaction: { ...other.transaction, id: first.transaction.id } };
    await checkThrowsCode(() => store.unit((s) => s.append([first, second], undefined, [])), 'duplicate_transaction', 'one append with the same transaction id twice');
    check((await read(store, (s) => s.getAccount('rewards', 'c2'))) === undefined, 'a refused append created an account');
    const ledger = await read(store, (s) => s.transactions('rewards', 'c1'));
    check(ledger.length === 1, `the ledger was overwritten or extended: ${ledger.length} transactions`);
    // The same id in another program's account is another transaction.
    await credit(store, 'c1', 'a1', 100, 'partner');
    check((await read(store, (s) => s.transactions('partner', 'c1'))).length === 1, 'the same transaction id was refused in another account');
  },
};

const atomicUnit: ConformanceCase = {
  id: 'session.atomic-unit',
  title: 'a unit that throws leaves none of its writes visible, and its error reaches the caller unchanged',
  promises: [11],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store);
    await store.unit((s) => s.append([], undefined, [notification('n0', 'c1')]));
    const [row] = await read(store, (s) => s.outbox(10));
    check(row !== undefined, 'the outbox row is missing');
    const boom = new Error('abort the unit');
    let seen: unknown;
    try {
      await store.unit(async (s) => {
        await s.putCustomer({ profile: profile('c2'), programs: ['rewards'] });
        await s.putCustomer({ profile: { ...profile('c1'), tags: ['changed'] }, programs: ['rewards'] });
        await s.putAccountIfAbsent(emptyAccount('c2'));
        const write = purchaseWrite(emptyAccount('c1'), 'e1', 'o1', 50);
        await s.append([write], processedRecord('e1', 'c1', write.transaction), [notification('n1', 'c1')]);
        await s.setSchedule('rewards', 'c1', { dueAt: new Date('2027-01-01T00:00:00Z'), tickedAt: null });
        await s.addToCounter('stock', 3);
        await s.acknowledge([row.seq]);
        await s.forgetCustomer('c2', 'p-1');
        throw boom;
      });
    } catch (error) {
      seen = error;
    }
    check(seen === boom, 'the unit did not reject with the error its work threw');
    await read(store, async (s) => {
      check((await s.getCustomer('c2')) === undefined, 'a customer put in a failed unit is visible');
      checkSame(await s.getCustomer('c1'), { profile: profile('c1'), programs: ['rewards'] }, 'a profile replaced in a failed unit');
      check((await s.getAccount('rewards', 'c2')) === undefined, 'an account created in a failed unit is visible');
      check((await s.getAccount('rewards', 'c1'))?.version === 0, 'a state appended in a failed unit is visible');
      check((await s.transactions('rewards', 'c1')).length === 0, 'a transaction appended in a failed unit is visible');
      check((await s.transactionsByOrder('rewards', 'c1', 'o1')).length === 0, 'an order indexed in a failed unit is visible');
      check((await s.getProcessed('e1')) === undefined, 'a processed record of a failed unit is visible');
      check((await s.getSchedule('rewards', 'c1')) === undefined, 'a schedule set in a failed unit is visible');
      check((await s.counter('stock')) === 0, 'a counter added to in a failed unit moved');
      checkSame((await s.outbox(10)).map((r) => r.notification.id), ['n0'], 'the outbox after a failed unit (appended rows must not show, acknowledged ones must stay)');
      check((await s.getAccount('rewards', 'p-1')) === undefined, 'a forget of a failed unit is visible');
    });
  },
};

export const sessionCases: readonly ConformanceCase[] = [freshStoreIsEmpty, customersAndAccounts, appendRoundTrip, versionConflict, duplicateTransaction, atomicUnit];
export { enrolled, credit, read };
