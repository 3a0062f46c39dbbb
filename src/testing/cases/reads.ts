// Checks of the StoreSession reads the service pages and schedules with, and of forgetCustomer.
import { transactionText } from '../../ledger/codec';
import type { Transaction } from '../../ledger/types';
import { check, checkSame } from '../assert';
import { emptyAccount, notification, processedRecord, profile, purchaseWrite } from '../fixtures';
import type { ConformanceCase } from '../types';
import { credit, enrolled, read } from './session';

const ids = (txs: readonly Transaction[]): string[] => txs.map((tx) => tx.id);

const entriesByOrder: ConformanceCase = {
  id: 'session.entries-by-order',
  title: "transactionsByOrder returns the account's transactions on one order, oldest first, and only that account's",
  promises: [10, 14, 18],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store, 'c1');
    await enrolled(store, 'c2');
    // c1: order o1 (e1), then a credit, then order o2 (e2); c2 has its own order o1.
    const e1 = purchaseWrite(emptyAccount('c1'), 'e1', 'o1', 40).transaction.id;
    await store.unit(async (s) => s.append([purchaseWrite(emptyAccount('c1'), 'e1', 'o1', 40)], undefined, []));
    const a1 = await credit(store, 'c1', 'a1', 5);
    const e2 = await store.unit(async (s) => {
      const account = await s.getAccount('rewards', 'c1');
      check(account !== undefined, 'the account is missing');
      const write = purchaseWrite(account, 'e2', 'o2', 60);
      await s.append([write], undefined, []);
      return write.transaction.id;
    });
    await store.unit(async (s) => s.append([purchaseWrite(emptyAccount('c2'), 'e1', 'o1', 70)], undefined, []));
    await read(store, async (s) => {
      const o1 = await s.transactionsByOrder('rewards', 'c1', 'o1');
      checkSame(ids(o1), [e1], "c1's transactions on o1");
      check(o1[0]?.customerId === 'c1', "transactionsByOrder returned another customer's transaction");
      checkSame(ids(await s.transactionsByOrder('rewards', 'c1', 'o2')), [e2], "c1's transactions on o2");
      checkSame(ids(await s.transactionsByOrder('rewards', 'c2', 'o2')), [], "c2's transactions on c1's order");
      checkSame(ids(await s.transactionsByOrder('partner', 'c1', 'o1')), [], 'another program sees the order');
      const all = await s.transactions('rewards', 'c1');
      checkSame(ids(all), [e1, a1, e2], "c1's ledger, oldest first");
      const one = await s.transaction('rewards', 'c1', a1);
      check(one !== undefined && transactionText(one) === transactionText(all[1] as Transaction), 'transaction() by id');
      check((await s.transaction('rewards', 'c2', a1)) === undefined, "transaction() found another customer's transaction");
    });
    // Inside a unit, an order's transaction appended by the unit is found.
    await store.unit(async (s) => {
      const account = await s.getAccount('rewards', 'c1');
      check(account !== undefined, 'the account is missing');
      const write = purchaseWrite(account, 'e3', 'o3', 10);
      await s.append([write], undefined, []);
      checkSame(ids(await s.transactionsByOrder('rewards', 'c1', 'o3')), [write.transaction.id], 'inside the unit, its own order transaction');
    });
  },
};

const dueAccounts: ConformanceCase = {
  id: 'session.due-accounts',
  title: 'dueAccounts lists accounts due at or before an instant, soonest first, at most `limit`; schedules round-trip and replace',
  promises: [13],
  async run(ctx) {
    const store = await ctx.store();
    const at = (day: number): Date => new Date(Date.UTC(2027, 2, day));
    await store.unit(async (s) => {
      await s.setSchedule('rewards', 'c3', { dueAt: at(3), tickedAt: null });
      await s.setSchedule('rewards', 'c1', { dueAt: at(1), tickedAt: at(1) });
      await s.setSchedule('partner', 'c1', { dueAt: at(2), tickedAt: null });
      await s.setSchedule('rewards', 'c4', { dueAt: at(9), tickedAt: null });
      await s.setSchedule('rewards', 'c5', { dueAt: null, tickedAt: at(1) });
    });
    await read(store, async (s) => {
      checkSame(await s.getSchedule('rewards', 'c1'), { dueAt: at(1), tickedAt: at(1) }, 'a schedule read back');
      checkSame(await s.getSchedule('rewards', 'c5'), { dueAt: null, tickedAt: at(1) }, 'a schedule with nothing due');
      checkSame(await s.dueAccounts(at(3), 10), [{ programId: 'rewards', customerId: 'c1' }, { programId: 'partner', customerId: 'c1' }, { programId: 'rewards', customerId: 'c3' }], 'accounts due by day 3 (inclusive), soonest first');
      checkSame(await s.dueAccounts(at(3), 2), [{ programId: 'rewards', customerId: 'c1' }, { programId: 'partner', customerId: 'c1' }], 'the limit keeps the soonest');
      checkSame(await s.dueAccounts(new Date(at(1).getTime() - 1), 10), [], 'nothing is due before the first instant');
    });
    await store.unit((s) => s.setSchedule('rewards', 'c1', { dueAt: at(10), tickedAt: at(3) }));
    checkSame(await read(store, (s) => s.dueAccounts(at(9), 10)), [{ programId: 'partner', customerId: 'c1' }, { programId: 'rewards', customerId: 'c3' }, { programId: 'rewards', customerId: 'c4' }], 'a replaced schedule moves in the queue');
  },
};

const historyPaging: ConformanceCase = {
  id: 'session.history',
  title: "history pages an account's ledger newest first; `next` passed as `before` walks to the oldest, and the last page has no `next`",
  promises: [9],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store);
    const written: string[] = [];
    for (let i = 1; i <= 5; i++) written.push(await credit(store, 'c1', `a${i}`, i));
    await credit(store, 'c2', 'z1', 1);
    const seen: string[] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await read(store, (s) => s.history('rewards', 'c1', { limit: 2, before }));
      check(page.transactions.length <= 2, `a page of limit 2 has ${page.transactions.length} transactions`);
      seen.push(...ids(page.transactions));
      if (page.next === undefined) break;
      before = page.next;
    }
    checkSame(seen, [...written].reverse(), 'pages of 2, newest first');
    checkSame(ids((await read(store, (s) => s.history('rewards', 'c1', { limit: 10 }))).transactions), seen, 'one page with room for all');
    check((await read(store, (s) => s.history('rewards', 'c1', { limit: 10 }))).next === undefined, 'a page that holds the rest has no next');
    const exact = await read(store, (s) => s.history('rewards', 'c1', { limit: 5 }));
    check(exact.transactions.length === 5, 'a page of exactly the ledger size');
  },
};

const countersAndSequences: ConformanceCase = {
  id: 'session.counters-sequences',
  title: 'counters add (negative too) per name and read 0 when never written; sequences count 1, 2, … per name',
  promises: [19],
  async run(ctx) {
    const store = await ctx.store();
    await store.unit(async (s) => {
      await s.addToCounter('stock', 3);
      await s.addToCounter('stock', 2);
      check((await s.counter('stock')) === 5, 'inside the unit, a counter reads its own additions');
    });
    await store.unit((s) => s.addToCounter('stock', -1));
    await store.unit((s) => s.addToCounter('["order","rewards","o1"]', 1));
    await read(store, async (s) => {
      check((await s.counter('stock')) === 4, `counter stock is ${await s.counter('stock')}, expected 4`);
      check((await s.counter('["order","rewards","o1"]')) === 1, 'a counter named with JSON');
      check((await s.counter('other')) === 0, 'an unwritten counter reads 0');
    });
    const a1 = await store.unit((s) => s.nextSequence('a'));
    const a2 = await store.unit((s) => s.nextSequence('a'));
    const b1 = await store.unit((s) => s.nextSequence('b'));
    const inOne = await store.unit(async (s) => [await s.nextSequence('a'), await s.nextSequence('a')]);
    checkSame([a1, a2, b1], [1, 2, 1], 'sequences a, a, b in a fresh store');
    check((inOne[0] ?? 0) > a2 && (inOne[1] ?? 0) > (inOne[0] ?? 0), `two draws in one unit give ${inOne.join(', ')} after ${a2}: each must be greater`);
  },
};

const outbox: ConformanceCase = {
  id: 'session.outbox',
  title: 'the outbox returns unacknowledged rows in seq order, at most `limit`; acknowledged rows never return; unknown seqs are ignored',
  promises: [],
  async run(ctx) {
    const store = await ctx.store();
    await store.unit((s) => s.append([], undefined, [notification('n1', 'c1'), notification('n2', 'c1')]));
    await store.unit((s) => s.append([], undefined, [notification('n3', 'c2')]));
    const rows = await read(store, (s) => s.outbox(10));
    checkSame(rows.map((r) => r.notification.id), ['n1', 'n2', 'n3'], 'the outbox in order');
    check(rows.every((r, i) => i === 0 || r.seq > (rows[i - 1]?.seq ?? Infinity)), 'seqs increase');
    checkSame((await read(store, (s) => s.outbox(2))).map((r) => r.notification.id), ['n1', 'n2'], 'outbox(2)');
    const [first, , third] = rows;
    check(first !== undefined && third !== undefined, 'rows are missing');
    await store.unit((s) => s.acknowledge([first.seq, third.seq, third.seq + 1000]));
    checkSame((await read(store, (s) => s.outbox(10))).map((r) => r.notification.id), ['n2'], 'the outbox after acknowledging n1, n3 and an unknown seq');
    await store.unit((s) => s.append([], undefined, [notification('n4', 'c1')]));
    const later = await read(store, (s) => s.outbox(10));
    checkSame(later.map((r) => r.notification.id), ['n2', 'n4'], 'a new row after acknowledgements');
    check((later[1]?.seq ?? 0) > third.seq, 'a new row reuses an acknowledged seq');
  },
};

const forget: ConformanceCase = {
  id: 'session.forget',
  title: "forgetCustomer: unknown_customer; forgotten (profile erased, accounts, ledger and records moved under the pseudonym); pseudonym_taken (nothing moved)",
  promises: [9, 18],
  async run(ctx) {
    const store = await ctx.store();
    await enrolled(store, 'c1', ['rewards', 'partner']);
    await enrolled(store, 'taken');
    const write = purchaseWrite(emptyAccount('c1'), 'e1', 'o1', 30);
    await store.unit((s) => s.append([write], processedRecord('e1', 'c1', write.transaction), []));
    await store.unit((s) => s.append([], processedRecord('e-orphan', 'record-only', null), []));
    await store.unit((s) => s.putAccountIfAbsent(emptyAccount('account-only')));
    check((await store.unit((s) => s.forgetCustomer('nobody', 'p-0'))) === 'unknown_customer', 'forgetting an unknown customer');
    for (const pseudonym of ['taken', 'account-only', 'record-only']) {
      const result = await store.unit((s) => s.forgetCustomer('c1', pseudonym));
      check(result === 'pseudonym_taken', `forgetting under a pseudonym that names ${pseudonym === 'taken' ? 'a customer' : pseudonym === 'account-only' ? 'an account' : 'an event record'} gave ${result}`);
    }
    await read(store, async (s) => {
      check((await s.getCustomer('c1')) !== undefined, 'a refused forget erased the profile');
      check((await s.transactions('rewards', 'c1')).length === 1, 'a refused forget moved the ledger');
      check((await s.getAccount('rewards', 'taken'))?.version === 0, "a refused forget touched the pseudonym's account");
    });
    check((await store.unit((s) => s.forgetCustomer('c1', 'p-1'))) === 'forgotten', 'forgetting a known customer');
    await read(store, async (s) => {
      check((await s.getCustomer('c1')) === undefined, 'the profile is still there');
      check((await s.getCustomer('p-1')) === undefined, 'the pseudonym has a profile');
      check((await s.getAccount('rewards', 'c1')) === undefined && (await s.getAccount('partner', 'c1')) === undefined, 'accounts remain under the forgotten id');
      check((await s.getAccount('rewards', 'p-1'))?.customerId === 'p-1', 'the account did not move under the pseudonym');
      check((await s.getAccount('partner', 'p-1'))?.customerId === 'p-1', 'the second account did not move under the pseudonym');
      const moved = await s.transactions('rewards', 'p-1');
      check(moved.length === 1 && moved[0]?.customerId === 'p-1', 'the ledger did not move under the pseudonym');
      check((await s.transactions('rewards', 'c1')).length === 0, 'the ledger remains under the forgotten id');
      checkSame(ids(await s.transactionsByOrder('rewards', 'p-1', 'o1')), [write.transaction.id], "the pseudonym's order index");
      check((await s.getProcessed('e1'))?.customerId === 'p-1', 'the event record did not move under the pseudonym');
      checkSame(await s.getCustomer('taken'), { profile: profile('taken'), programs: ['rewards'] }, 'another customer');
    });
  },
};

export const readCases: readonly ConformanceCase[] = [entriesByOrder, dueAccounts, historyPaging, countersAndSequences, outbox, forget];
