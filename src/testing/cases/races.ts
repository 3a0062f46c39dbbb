// Races across accounts and within one: program-wide counters (reward stock, order claims) are
// shared by units that touch different accounts, so an account's version cannot protect them;
// mixed holds, redemptions and purchases on one account must still add up.
import { isLoyaltyError } from '../../errors';
import type { RequestResult } from '../../service/loyalty';
import { check, checkSame, errorText } from '../assert';
import { available, purchase, race, rewards, serviceOver } from '../fixtures';
import type { ConformanceCase } from '../types';

const outcomeCode = (r: RequestResult): string => (r.outcome.ok ? 'ok' : (r.outcome.issues[0]?.code ?? '?'));

const stockRace: ConformanceCase = {
  id: 'service.shared-counter-race',
  title: 'program-wide counters under concurrency: customers racing for a reward with 3 in stock get exactly 3; customers racing to buy one order id earn it once',
  promises: [5, 19],
  async run(ctx) {
    const n = Math.max(4, ctx.concurrency);
    const customers = Array.from({ length: n }, (_, i) => `c${i + 1}`);
    const loyalty = await serviceOver(await ctx.store(), [rewards], customers);
    for (const customerId of customers) await loyalty.adjust({ customerId, programId: 'rewards', requestId: `seed-${customerId}`, points: 100, actor: 'conformance', reason: 'seed' });
    const totes = await race(n, (i) => ctx.retrying(() => loyalty.redeemReward({ customerId: customers[i] ?? 'c1', programId: 'rewards', requestId: `w-${i}`, rewardId: 'tote' })));
    const codes = totes.map(outcomeCode);
    check(codes.filter((c) => c === 'ok').length === 3, `${codes.filter((c) => c === 'ok').length} of ${n} customers racing for a reward with a stock of 3 got one (${codes.join(', ')})`);
    check(codes.every((c) => c === 'ok' || c === 'out_of_stock'), `a losing reward request was refused for another reason: ${codes.join(', ')}`);
    // One order id, bought by every customer at once: one purchase earns, the others are order_conflict.
    const buys = await race(n, (i) =>
      ctx.retrying(() => loyalty.process(purchase(`buy-${i}`, customers[i] ?? 'c1', 'shared-order', 50))).then(
        (result) => ({ earned: result.outcomes.some((o) => o.ok && o.transaction !== null), error: undefined as unknown }),
        (error: unknown) => ({ earned: false, error }),
      ),
    );
    check(buys.filter((b) => b.earned).length === 1, `${buys.filter((b) => b.earned).length} of ${n} racing purchases of one order id earned (expected 1)`);
    for (const b of buys) if (!b.earned) check(isLoyaltyError(b.error) && b.error.issues.some((i) => i.code === 'order_conflict'), `a losing purchase of one order id did not throw order_conflict: ${errorText(b.error)}`);
    let points = 0;
    for (const customerId of customers) points += Number(await available(loyalty, customerId));
    check(points === 100 * n - 30 + 50, `the customers hold ${points} points in all (expected ${100 * n - 30 + 50})`);
  },
};

const mixedRace: ConformanceCase = {
  id: 'service.mixed-race',
  title: 'racing holds, redemptions and purchases on one account: nothing is lost or doubled, and the balance never goes below zero',
  promises: [5, 7],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards]);
    const target = { customerId: 'c1', programId: 'rewards' } as const;
    await loyalty.adjust({ ...target, requestId: 'seed', points: 200, actor: 'conformance', reason: 'seed' });
    const n = Math.max(3, ctx.concurrency);
    const results = await race(3 * n, async (i) => {
      if (i % 3 === 0) return { kind: 'redeem', ok: (await ctx.retrying(() => loyalty.redeem({ ...target, requestId: `r${i}`, points: 40 }))).outcome.ok };
      if (i % 3 === 1) return { kind: 'hold', ok: (await ctx.retrying(() => loyalty.hold({ ...target, requestId: `h${i}`, points: 40 }))).outcome.ok };
      await ctx.retrying(() => loyalty.process(purchase(`p${i}`, 'c1', `o${i}`, 10)));
      return { kind: 'earn', ok: true };
    });
    const count = (kind: string): number => results.filter((r) => r.kind === kind && r.ok).length;
    const view = await loyalty.account({ ...target });
    const expectedAvailable = 200 + 10 * count('earn') - 40 * count('redeem') - 40 * count('hold');
    checkSame([view.balance.available.toString(), view.balance.held.toString()], [String(expectedAvailable), String(40 * count('hold'))], 'available and held after the race');
    check(expectedAvailable >= 0, `the race overdrew the account to ${expectedAvailable}`);
    check(count('redeem') + count('hold') >= Math.min(2 * n, 5), `only ${count('redeem') + count('hold')} holds and redemptions succeeded on 200 + purchases (expected at least 5)`);
    checkSame(await loyalty.verify({ ...target }), [], 'verify() after the race');
  },
};

export const raceCases: readonly ConformanceCase[] = [stockRace, mixedRace];
