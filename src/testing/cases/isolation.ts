// Isolation (RELIABILITY 18): one program's or one tenant's ids never read or write another's,
// even when the ids collide or would collide once concatenated.
import { accountStateText } from '../../ledger/codec';
import type { Store } from '../../store/types';
import { check, checkSame } from '../assert';
import { available, creditWrite, emptyAccount, notification, partner, processedRecord, programWithId, purchase, purchaseWrite, rewards, serviceOver } from '../fixtures';
import type { ConformanceCase } from '../types';

/** Account keys that a store keying by a concatenation (or a careless separator) would confuse. */
const COLLIDING: readonly (readonly [string, string])[] = [
  ['alpha', 'c1'],
  ['beta', 'c1'],
  ['ab', 'c'],
  ['a', 'bc'],
  ['x:y', 'z'],
  ['x', 'y:z'],
  ['p.q', 'r'],
  ['p', 'q.r'],
];

/** Writes to every colliding account: a purchase of order `o1` (same event id everywhere), a credit (same request id), a schedule. */
async function fill(store: Store): Promise<void> {
  for (const [i, [programId, customerId]] of COLLIDING.entries()) {
    const program = programWithId(programId);
    await store.unit(async (s) => {
      const bought = purchaseWrite(emptyAccount(customerId, programId), 'e1', 'o1', 10 * (i + 1), program);
      await s.append([bought], undefined, []);
      await s.append([creditWrite(bought.state, 'a1', i + 1, program)], undefined, []);
      await s.setSchedule(programId, customerId, { dueAt: new Date(Date.UTC(2027, 0, i + 1)), tickedAt: null });
    });
  }
}

const programIsolation: ConformanceCase = {
  id: 'isolation.programs',
  title: 'accounts are keyed by program and customer: colliding ids (same customer in two programs, ab/c vs a/bc, separators) never share state, ledger, orders or schedules',
  promises: [18],
  async run(ctx) {
    const store = await ctx.store();
    await fill(store);
    await store.unit(async (s) => {
      for (const [i, [programId, customerId]] of COLLIDING.entries()) {
        const where = `(${programId}, ${customerId})`;
        const program = programWithId(programId);
        const bought = purchaseWrite(emptyAccount(customerId, programId), 'e1', 'o1', 10 * (i + 1), program);
        const expected = creditWrite(bought.state, 'a1', i + 1, program).state;
        const state = await s.getAccount(programId, customerId);
        check(state !== undefined && accountStateText(state) === accountStateText(expected), `the state of ${where} is not its own`);
        const ledger = await s.transactions(programId, customerId);
        check(ledger.length === 2 && ledger.every((tx) => tx.programId === programId && tx.customerId === customerId), `the ledger of ${where} holds ${ledger.length} transactions or another account's`);
        const orders = await s.transactionsByOrder(programId, customerId, 'o1');
        check(orders.length === 1 && orders[0]?.programId === programId && orders[0].customerId === customerId, `the order o1 of ${where} finds ${orders.length} transactions or another account's`);
        const page = await s.history(programId, customerId, { limit: 10 });
        check(page.transactions.length === 2, `the history of ${where} has ${page.transactions.length} transactions`);
        checkSame(await s.getSchedule(programId, customerId), { dueAt: new Date(Date.UTC(2027, 0, i + 1)), tickedAt: null }, `the schedule of ${where}`);
      }
      checkSame(await s.dueAccounts(new Date('2100-01-01T00:00:00Z'), 100), COLLIDING.map(([programId, customerId]) => ({ programId, customerId })), 'every colliding account is due once, under its own key');
      check((await s.getAccount('alpha', 'c2')) === undefined && (await s.getAccount('gamma', 'c1')) === undefined, 'an account appeared under a key never written');
    });
  },
};

const serviceProgramIsolation: ConformanceCase = {
  id: 'isolation.service-programs',
  title: 'through the service, one customer in two programs: an event naming a program, a redemption and a history stay in that program',
  promises: [18],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards, partner], ['c1', 'c2']);
    await loyalty.process(purchase('e1', 'c1', 'o1', 100, 'partner'));
    await loyalty.process(purchase('e2', 'c1', 'o2', 50));
    await loyalty.redeem({ customerId: 'c1', programId: 'partner', requestId: 'r1', points: 30 });
    checkSame([await available(loyalty, 'c1'), await available(loyalty, 'c1', 'partner'), await available(loyalty, 'c2'), await available(loyalty, 'c2', 'partner')], ['50', '270', '0', '0'], 'balances of c1 and c2 in rewards and partner');
    check((await loyalty.history({ customerId: 'c1', programId: 'rewards' })).transactions.length === 1, "rewards' history holds partner's transactions");
    // The same request id in another program is another request.
    const other = await loyalty.redeem({ customerId: 'c1', programId: 'rewards', requestId: 'r1', points: 30 });
    check(!other.replayed && other.outcome.ok, "a request id used in partner was replayed in rewards");
    check((await available(loyalty, 'c1')) === '20', 'the redemption in rewards');
  },
};

const tenantIsolation: ConformanceCase = {
  id: 'isolation.tenants',
  title: 'tenants sharing one database: the same ids in two tenants are two worlds (accounts, events, outbox, counters, sequences, schedules); the same tenant id shares them',
  promises: [18],
  requires: 'tenants',
  async run(ctx) {
    const tenant = ctx.tenant;
    check(tenant !== undefined, 'no tenant factory');
    const [one, two] = [await tenant('t1'), await tenant('t2')];
    const a = await serviceOver(one, [rewards]);
    const b = await serviceOver(two, [rewards]);
    const first = await a.process(purchase('e1', 'c1', 'o1', 100));
    const second = await b.process(purchase('e1', 'c1', 'o1', 7));
    check(!first.replayed && !second.replayed, 'the same event id in another tenant was a replay (or a conflict)');
    checkSame([await available(a, 'c1'), await available(b, 'c1')], ['100', '7'], 'balances of c1 in t1 and t2');
    await one.unit(async (s) => {
      await s.addToCounter('n', 5);
      await s.setSchedule('rewards', 'only-t1', { dueAt: new Date('2027-01-01T00:00:00Z'), tickedAt: null });
      await s.append([], processedRecord('x1', 'c1', null), [notification('n-t1', 'c1')]);
    });
    const seq = await one.unit(async (s) => [await s.nextSequence('s'), await s.nextSequence('s')]);
    await two.unit(async (s) => {
      check((await s.counter('n')) === 0, "t2 reads t1's counter");
      check((await s.nextSequence('s')) === 1, "t2's sequence continues t1's");
      check((await s.getProcessed('x1')) === undefined, "t2 reads t1's event record");
      check(!(await s.dueAccounts(new Date('2100-01-01T00:00:00Z'), 100)).some((d) => d.customerId === 'only-t1'), "t2's due accounts list t1's");
      check(!(await s.outbox(100)).some((r) => r.notification.id === 'n-t1'), "t2's outbox holds t1's row");
    });
    check((await b.forgetCustomer({ customerId: 'c1' })).pseudonym !== '', 'forget in t2');
    check((await a.account({ customerId: 'c1', programId: 'rewards' })).state.version === 1, "forgetting c1 in t2 touched t1's c1");
    // The same tenant id, another handle: the same data.
    const again = await tenant('t1');
    await again.unit(async (s) => {
      check((await s.counter('n')) === 5, "a second handle of t1 does not read t1's counter");
      check((await s.getProcessed('x1')) !== undefined, "a second handle of t1 does not read t1's event record");
      check((await s.nextSequence('s')) > (seq[1] ?? 0), "a second handle of t1 restarts t1's sequence");
      check((await s.getCustomer('c1')) !== undefined, "a second handle of t1 does not see t1's customer");
    });
  },
};

export const isolationCases: readonly ConformanceCase[] = [programIsolation, serviceProgramIsolation, tenantIsolation];
