// Checks through createLoyalty over the store: idempotency (RELIABILITY 1-4) and races on one
// account (5, 10, 19). The races launch their calls at once (Promise.all); a call that hits a
// retryable conflict is retried with the same ids, as a host would.
import { isLoyaltyError } from '../../errors';
import { pointsEarned, type ProcessResult, type RequestResult } from '../../service/loyalty';
import type { ProgramOutcome } from '../../store/types';
import { attempt, check, checkSame, checkThrowsCode, canonical } from '../assert';
import { available, limited, partner, purchase, race, refund, rewards, serviceOver } from '../fixtures';
import type { ConformanceCase } from '../types';

const target = { customerId: 'c1', programId: 'rewards' } as const;
const earnedBy = (outcomes: readonly ProgramOutcome[]): number => outcomes.reduce((sum, o) => sum + pointsEarned(o).toNumber(), 0);
const okCount = (results: readonly RequestResult[]): number => results.filter((r) => r.outcome.ok && r.transactionId !== null).length;

const replay: ConformanceCase = {
  id: 'service.replay',
  title: 'processing an event id again returns the first result and writes nothing (sequential duplicate delivery)',
  promises: [1],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards, partner]);
    const first = await loyalty.process(purchase('e1', 'c1', 'o1', 100));
    check(!first.replayed && earnedBy(first.outcomes) === 300, `the first delivery earned ${earnedBy(first.outcomes)} (expected 100 + 200)`);
    for (let i = 0; i < 3; i++) {
      const again = await attempt('a repeated delivery of e1', () => loyalty.process(purchase('e1', 'c1', 'o1', 100)));
      check(again.replayed, 'a repeated delivery is not marked replayed');
      checkSame(again.outcomes, first.outcomes, 'the replayed outcomes');
    }
    check((await available(loyalty, 'c1')) === '100' && (await available(loyalty, 'c1', 'partner')) === '200', 'a replay moved a balance');
    check((await loyalty.history({ ...target })).transactions.length === 1, 'a replay added a transaction');
    check((await loyalty.outbox()).length === 2, 'a replay added outbox rows');
  },
};

const idempotencyConflict: ConformanceCase = {
  id: 'service.idempotency-conflict',
  title: 'the same event or request id with a different payload is an idempotency_conflict, and nothing is written',
  promises: [2],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards]);
    await loyalty.process(purchase('e1', 'c1', 'o1', 100));
    await checkThrowsCode(() => loyalty.process(purchase('e1', 'c1', 'o1', 999)), 'idempotency_conflict', 'event e1 again with another amount');
    await loyalty.redeem({ ...target, requestId: 'r1', points: 10 });
    await checkThrowsCode(() => loyalty.redeem({ ...target, requestId: 'r1', points: 20 }), 'idempotency_conflict', 'request r1 again with other points');
    check((await available(loyalty, 'c1')) === '90', 'a conflicting call moved the balance');
    check((await loyalty.history({ ...target })).transactions.length === 2, 'a conflicting call wrote a transaction');
  },
};

const stickyRefusal: ConformanceCase = {
  id: 'service.sticky-refusal',
  title: 'a refused redemption stays refused when retried with the same id after the balance grew',
  promises: [3],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards]);
    const refused = await loyalty.redeem({ ...target, requestId: 'r1', points: 50 });
    check(!refused.outcome.ok, 'a redemption without points was accepted');
    await loyalty.process(purchase('e1', 'c1', 'o1', 100));
    const again = await loyalty.redeem({ ...target, requestId: 'r1', points: 50 });
    check(again.replayed && !again.outcome.ok, 'the retried refusal was not replayed as a refusal');
    checkSame(again.outcome, refused.outcome, 'the replayed refusal');
    check((await available(loyalty, 'c1')) === '100', 'the retried refusal spent points');
  },
};

const concurrentDuplicates: ConformanceCase = {
  id: 'service.concurrent-duplicates',
  title: 'N racing deliveries of one event id make one transaction, and every caller gets the same outcomes',
  promises: [1, 4],
  async run(ctx) {
    const store = await ctx.store();
    const loyalty = await serviceOver(store, [rewards, partner]);
    const n = ctx.concurrency;
    const results: ProcessResult[] = await race(n, () => ctx.retrying(() => loyalty.process(purchase('e1', 'c1', 'o1', 100))));
    check(results.filter((r) => !r.replayed).length === 1, `${results.filter((r) => !r.replayed).length} of ${n} racing deliveries were processed as new (expected 1)`);
    const first = canonical(results[0]?.outcomes);
    check(results.every((r) => canonical(r.outcomes) === first), 'racing deliveries got different outcomes');
    check((await loyalty.history({ ...target })).transactions.length === 1, 'racing deliveries wrote more than one transaction');
    check((await available(loyalty, 'c1')) === '100' && (await available(loyalty, 'c1', 'partner')) === '200', 'racing deliveries credited more than once');
    // The same with a request id: N racing redemptions r1 burn once.
    const burns: RequestResult[] = await race(n, () => ctx.retrying(() => loyalty.redeem({ ...target, requestId: 'r1', points: 30 })));
    check(burns.filter((r) => !r.replayed).length === 1 && okCount(burns) === n, 'racing copies of one redemption were not one redemption with one answer');
    check(new Set(burns.map((r) => r.transactionId)).size === 1, 'racing copies of one redemption got different transactions');
    check((await available(loyalty, 'c1')) === '70', `after racing copies of one redemption of 30 the balance is ${await available(loyalty, 'c1')}`);
  },
};

const overdraftRace: ConformanceCase = {
  id: 'service.overdraft-race',
  title: 'balance 1,000, 50 concurrent redemptions of 30: exactly 33 succeed and the balance ends at 10',
  promises: [5],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards]);
    await loyalty.adjust({ ...target, requestId: 'seed', points: 1000, actor: 'conformance', reason: 'seed' });
    const results = await race(50, (i) => ctx.retrying(() => loyalty.redeem({ ...target, requestId: `r${i}`, points: 30 })));
    const refused = results.filter((r) => !r.outcome.ok);
    check(okCount(results) === 33, `${okCount(results)} of 50 redemptions of 30 succeeded on 1,000 (expected 33)`);
    check(refused.every((r) => !r.outcome.ok && r.outcome.issues.some((i) => i.code === 'insufficient_points')), 'a losing redemption was refused for another reason than insufficient_points');
    check((await available(loyalty, 'c1')) === '10', `the balance ended at ${await available(loyalty, 'c1')} (expected 10)`);
    checkSame(await loyalty.verify({ ...target }), [], 'verify() after the race');
    const burns = (await loyalty.history({ ...target, limit: 100 })).transactions.filter((tx) => tx.entries.some((e) => e.kind === 'redeem'));
    check(burns.length === 33, `${burns.length} redemption transactions in the ledger (expected 33)`);
  },
};

const refundRace: ConformanceCase = {
  id: 'service.refund-race',
  title: 'a refund sent twice concurrently takes the points back once; a reversal sent twice concurrently happens once',
  promises: [10],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards]);
    await loyalty.process(purchase('e1', 'c1', 'o1', 100));
    await loyalty.process(purchase('e2', 'c1', 'o2', 40));
    const copies = Math.max(2, ctx.concurrency);
    const refunds = await race(copies, (i) => ctx.retrying(() => loyalty.process(refund(`rf${i}`, 'c1', 'o1'))));
    const clawing = refunds.filter((r) => r.outcomes.some((o) => o.ok && o.transaction?.entries.some((e) => e.kind === 'clawback')));
    check(clawing.length === 1, `${clawing.length} of ${copies} concurrent full refunds of one order clawed points back (expected 1)`);
    check((await available(loyalty, 'c1')) === '40', `after ${copies} concurrent full refunds of a 100-point order the balance is ${await available(loyalty, 'c1')} (expected 40)`);
    checkSame(await loyalty.verify({ ...target }), [], 'verify() after the refunds');
    const credit = await loyalty.adjust({ ...target, requestId: 'goodwill', points: 25, actor: 'conformance', reason: 'goodwill' });
    const txId = credit.transactionId;
    check(txId !== null, 'the goodwill credit wrote no transaction');
    const reversals = await race(copies, (i) => ctx.retrying(() => loyalty.reverse({ ...target, requestId: `rv${i}`, transactionId: txId, actor: 'conformance', reason: 'test' })));
    check(okCount(reversals) === 1, `${okCount(reversals)} of ${copies} concurrent reversals of one transaction succeeded (expected 1)`);
    const losers = reversals.filter((r) => !r.outcome.ok);
    check(losers.every((r) => !r.outcome.ok && r.outcome.issues.some((i) => i.code === 'already_reversed')), 'a losing reversal was refused for another reason than already_reversed');
    check((await available(loyalty, 'c1')) === '40', `after the reversals the balance is ${await available(loyalty, 'c1')} (expected 40)`);
  },
};

const capsRace: ConformanceCase = {
  id: 'service.caps-race',
  title: 'fraud caps hold under concurrency: racing signups earn the once-per-customer bonus once; racing reviews of one day earn at most the daily cap',
  promises: [19],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [limited]);
    const n = Math.max(3, ctx.concurrency);
    const at = '2027-03-11T20:00:00Z' as const;
    const signups = await race(n, (i) => ctx.retrying(() => loyalty.process({ id: `s${i}`, customerId: 'c1', type: 'signup', occurredAt: at })));
    const reviews = await race(n, (i) => ctx.retrying(() => loyalty.process({ id: `v${i}`, customerId: 'c1', type: 'review', platform: 'google', rating: 5, occurredAt: at })));
    const bonus = signups.reduce((sum, r) => sum + earnedBy(r.outcomes), 0);
    const reviewed = reviews.reduce((sum, r) => sum + earnedBy(r.outcomes), 0);
    check(bonus === 500, `${n} racing signups earned ${bonus} (expected one bonus of 500)`);
    check(reviewed === 40, `${n} racing reviews of one day earned ${reviewed} (expected the cap, 40)`);
    check((await available(loyalty, 'c1', 'limited')) === '540', `the balance is ${await available(loyalty, 'c1', 'limited')} (expected 540)`);
  },
};

const processManyBatch: ConformanceCase = {
  id: 'service.process-many',
  title: 'processMany: one result per input in order, duplicates in a batch as if in order, replays and conflicts across batches, nothing written twice',
  promises: [1, 2],
  async run(ctx) {
    const loyalty = await serviceOver(await ctx.store(), [rewards], ['c1', 'c2']);
    const batch = [purchase('e1', 'c1', 'o1', 100), purchase('e2', 'c2', 'o2', 50), purchase('e1', 'c1', 'o1', 100), purchase('e3', 'c1', 'o3', 10)];
    const first = await loyalty.processMany(batch);
    const replayed = first.map((item) => (item.ok ? item.result.replayed : 'refused'));
    check(JSON.stringify(replayed) === '[false,false,true,false]', `the batch gave ${JSON.stringify(replayed)} (expected a replay for the duplicate e1 only)`);
    check((await available(loyalty, 'c1')) === '110' && (await available(loyalty, 'c2')) === '50', 'the balances after the batch are not 110 and 50');
    const again = await loyalty.processMany(batch);
    check(again.every((item) => item.ok && item.result.replayed), 'a batch sent again was not replayed in full');
    const [changed] = await loyalty.processMany([purchase('e2', 'c2', 'o2', 99)]);
    check(changed !== undefined && !changed.ok && isLoyaltyError(changed.error) && changed.error.issues[0]?.code === 'idempotency_conflict', 'a changed payload under a known id was not an idempotency_conflict');
    check((await loyalty.history({ ...target })).transactions.length === 2 && (await available(loyalty, 'c2')) === '50', 'a replayed or conflicting batch wrote again');
    check((await loyalty.process(purchase('e3', 'c1', 'o3', 10))).replayed, 'process does not replay what processMany recorded');
  },
};

export const serviceCases: readonly ConformanceCase[] = [replay, idempotencyConflict, stickyRefusal, concurrentDuplicates, overdraftRace, refundRace, capsRace, processManyBatch];
