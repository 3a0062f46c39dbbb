// The service's reads and housekeeping over the store: history pages, the outbox, scheduled ticks
// and forgetting a customer, through createLoyalty.
import { check, checkSame, checkThrowsCode } from '../assert';
import { available, purchase, rewards, serviceOver } from '../fixtures';
import type { ConformanceCase } from '../types';

const target = { customerId: 'c1', programId: 'rewards' } as const;
const DAY = 86_400_000;

const historyAndOutbox: ConformanceCase = {
  id: 'service.history-outbox',
  title: 'through the service: history pages newest first with `next`/`before`; the outbox delivers each notification until acknowledged',
  promises: [9],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards]);
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const result = await loyalty.process(purchase(`e${i}`, 'c1', `o${i}`, 10 * i));
      const outcome = result.outcomes[0];
      check(outcome?.ok === true && outcome.transaction !== null, `purchase e${i} wrote no transaction`);
      ids.push(outcome.transaction.id);
    }
    const first = await loyalty.history({ ...target, limit: 2 });
    checkSame(first.transactions.map((tx) => tx.id), [ids[2], ids[1]], 'the first page of 2');
    check(first.next !== undefined, 'the first page of 2 of 3 has no next');
    const second = await loyalty.history({ ...target, limit: 2, before: first.next });
    checkSame(second.transactions.map((tx) => tx.id), [ids[0]], 'the second page');
    check(second.next === undefined, 'the last page has a next');
    const rows = await loyalty.outbox();
    checkSame(rows.map((r) => r.notification.type), ['points.earned', 'points.earned', 'points.earned'], 'the outbox after three purchases');
    await loyalty.acknowledge({ seqs: rows.slice(0, 2).map((r) => r.seq) });
    checkSame((await loyalty.outbox()).map((r) => r.seq), [rows[2]?.seq], 'the outbox after acknowledging two rows');
  },
};

const tickDue: ConformanceCase = {
  id: 'service.tick-due',
  title: 'through the service: tickDue finds accounts due by their schedule, at most `limit`, expires their points once, and moves their schedule on',
  promises: [13],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards], ['c1', 'c2']);
    await loyalty.process(purchase('e1', 'c1', 'o1', 100));
    await loyalty.process(purchase('e2', 'c2', 'o2', 50));
    const later = new Date(Date.parse('2027-03-12T00:00:00Z') + 31 * DAY);
    const due = (await loyalty.account({ ...target })).nextDueAt;
    check(due !== null && due.getTime() <= later.getTime(), `c1's account is not due by ${later.toISOString()} (next due ${due?.toISOString() ?? 'never'})`);
    // Ticks at NOW (whatever the program schedules early) expire nothing.
    for (let round = 0; round < 10 && (await loyalty.tickDue({ now: '2027-03-12T00:00:00Z' })).ticked > 0; round++);
    checkSame([await available(loyalty, 'c1'), await available(loyalty, 'c2')], ['100', '50'], 'balances after ticks at NOW');
    let changed = 0;
    for (let round = 0; round < 10; round++) {
      const result = await loyalty.tickDue({ now: later, limit: 1 });
      check(result.ticked <= 1, `tickDue with limit 1 ticked ${result.ticked} accounts`);
      check(result.failed.length === 0, `tickDue failed: ${JSON.stringify(result.failed)}`);
      changed += result.changed;
      if (result.ticked === 0) break;
    }
    check(changed === 2, `${changed} accounts changed by ticks at day 31 (expected 2: both expire)`);
    checkSame([await available(loyalty, 'c1'), await available(loyalty, 'c2')], ['0', '0'], 'balances after expiry');
    const ledger = (await loyalty.history({ ...target })).transactions.length;
    check((await loyalty.tickDue({ now: later })).changed === 0, 'a second tickDue at the same instant changed an account');
    check((await loyalty.history({ ...target })).transactions.length === ledger, 'a second tickDue wrote a transaction');
    checkSame(await loyalty.verify({ ...target }), [], 'verify() after the ticks');
  },
};

const forget: ConformanceCase = {
  id: 'service.forget',
  title: "through the service: forgetCustomer moves the ledger under a pseudonym, the old id is unknown, and another customer's pseudonym is never reused",
  promises: [18],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards], ['c1', 'c2']);
    await loyalty.process(purchase('e1', 'c1', 'o1', 100));
    await loyalty.process(purchase('e2', 'c2', 'o2', 40));
    const one = await loyalty.forgetCustomer({ customerId: 'c1' });
    const two = await loyalty.forgetCustomer({ customerId: 'c2' });
    check(one.pseudonym !== two.pseudonym, `two customers were given one pseudonym ${one.pseudonym}`);
    checkSame([await available(loyalty, one.pseudonym), await available(loyalty, two.pseudonym)], ['100', '40'], 'the balances under the pseudonyms');
    checkSame(await loyalty.verify({ customerId: one.pseudonym, programId: 'rewards' }), [], 'verify() under the pseudonym');
    await checkThrowsCode(() => loyalty.account({ ...target }), 'unknown_account', "the forgotten id's account");
    await checkThrowsCode(() => loyalty.forgetCustomer({ customerId: 'c1' }), 'unknown_customer', 'forgetting c1 twice');
  },
};

export const serviceReadCases: readonly ConformanceCase[] = [historyAndOutbox, tickDue, forget];
