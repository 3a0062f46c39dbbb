// Fault injection through the service (RELIABILITY 11, 12). Each operation runs under a fault,
// then is retried; the store must end exactly as a twin store where every operation ran once.
import { accountStateText, transactionText } from '../../ledger/codec';
import type { Loyalty } from '../../service/loyalty';
import type { Store } from '../../store/types';
import { attempt, check, checkSame, errorText } from '../assert';
import { failAtWrite, InjectedWriteFault, loseAcknowledgement, LostAcknowledgement } from '../faults';
import { partner, purchase, rewards, serviceOver, twinService } from '../fixtures';
import type { ConformanceCase } from '../types';

const programs = [rewards, partner];
const actor = { actor: 'conformance', reason: 'test' } as const;
const target = { customerId: 'c1', programId: 'rewards' } as const;

/** The operations faults are injected into; `tag` makes each run's ids new. Each returns whether it was a replay. */
const operations: readonly { readonly name: string; run(loyalty: Loyalty, tag: string): Promise<boolean> }[] = [
  { name: 'a purchase reaching two programs', run: async (l, t) => (await l.process(purchase(`e-${t}`, 'c1', `o-${t}`, 40))).replayed },
  { name: 'a redemption', run: async (l, t) => (await l.redeem({ ...target, requestId: `r-${t}`, points: 15 })).replayed },
  { name: 'an adjustment', run: async (l, t) => (await l.adjust({ ...target, requestId: `a-${t}`, points: 25, ...actor })).replayed },
  { name: 'a catalog reward (stock counter)', run: async (l, t) => (await l.redeemReward({ ...target, requestId: `w-${t}`, rewardId: 'tote' })).replayed },
];

/** Everything the operations can change, as canonical text. */
async function snapshot(store: Store): Promise<Record<string, string>> {
  return store.unit(async (s) => {
    const out: Record<string, string> = {};
    for (const programId of ['rewards', 'partner']) {
      const state = await s.getAccount(programId, 'c1');
      out[`state ${programId}`] = state ? accountStateText(state) : 'none';
      out[`ledger ${programId}`] = JSON.stringify((await s.transactions(programId, 'c1')).map(transactionText));
      out[`schedule ${programId}`] = JSON.stringify(await s.getSchedule(programId, 'c1'));
    }
    out.outbox = JSON.stringify((await s.outbox(100_000)).map((r) => r.notification.id));
    out.due = JSON.stringify(await s.dueAccounts(new Date('2100-01-01T00:00:00Z'), 1000));
    return out;
  });
}

/** Seeds c1 with points to spend; the same on the faulty store and on the twin. */
async function seeded(store: Store): Promise<Loyalty> {
  const loyalty = await serviceOver(store, programs);
  await loyalty.adjust({ ...target, requestId: 'seed', points: 10_000, ...actor });
  return loyalty;
}

/**
 * Runs `operation` with tag `${timing}-k` under a fault at its k-th write, for k = 1, 2, … until
 * the operation makes fewer than k writes; returns the tags run (each committed exactly once).
 */
async function faultEachWrite(store: Store, operation: (typeof operations)[number], timing: 'before' | 'after'): Promise<string[]> {
  const tags: string[] = [];
  for (let k = 1; k <= 64; k++) {
    const tag = `${timing}-${k}`;
    tags.push(tag);
    const faulty = failAtWrite(store, k, { timing });
    const loyalty = twinService(faulty, programs);
    const before = await snapshot(store);
    let failure: unknown;
    try {
      check(!(await operation.run(loyalty, tag)), `${operation.name} (new ids) was answered as a replay`);
    } catch (error) {
      failure = error;
    }
    if (faulty.fired === 0) {
      check(failure === undefined, `${operation.name} failed without an injected fault: ${errorText(failure)}`);
      return tags; // the operation makes fewer than k writes: it ran through, once
    }
    check(failure instanceof InjectedWriteFault, `${operation.name} with a fault at write ${k} (${timing}) did not reject with the injected fault: ${errorText(failure)}`);
    checkSame(await snapshot(store), before, `the store after ${operation.name} failed at write ${k} (${timing} the call)`);
    const retried = await attempt(`the retry of ${operation.name} after a fault at write ${k} (${timing})`, () => operation.run(loyalty, tag));
    check(!retried, `the retry of ${operation.name} after a fault at write ${k} was answered as a replay: the failed unit left its record`);
    check(await operation.run(loyalty, tag), `a second retry of ${operation.name} was not a replay`);
  }
  throw new Error(`${operation.name} made more than 64 writes`);
}

const failedWrite: ConformanceCase = {
  id: 'faults.fail-at-write',
  title: 'a failure at the k-th write of any operation leaves nothing visible; the retry succeeds once (every k, before and after the write)',
  promises: [11],
  async run(ctx) {
    const store = await ctx.store();
    const twin = await ctx.store();
    await seeded(store);
    const clean = await seeded(twin);
    for (const timing of ['before', 'after'] as const) {
      for (const operation of operations) {
        for (const tag of await faultEachWrite(store, operation, timing)) await operation.run(clean, tag);
      }
    }
    checkSame(await snapshot(store), await snapshot(twin), 'the store after every fault and retry, against a twin store where each operation ran once');
  },
};

const lostAcknowledgement: ConformanceCase = {
  id: 'faults.lost-acknowledgement',
  title: 'a unit that commits and then loses its acknowledgement: the retry with the same id replays the original result and never credits twice',
  promises: [12],
  async run(ctx) {
    const store = await ctx.store();
    const twin = await ctx.store();
    const loyalty = await seeded(store);
    const clean = await seeded(twin);
    const lossy = twinService(loseAcknowledgement(store, () => true), programs);
    for (const operation of operations) {
      let failure: unknown;
      await operation.run(lossy, 'lost').catch((error: unknown) => (failure = error));
      check(failure instanceof LostAcknowledgement, `${operation.name}: the acknowledgement was not lost (${errorText(failure)})`);
      const retried = await attempt(`the retry of ${operation.name} after a lost acknowledgement`, () => operation.run(loyalty, 'lost'));
      check(retried, `the retry of ${operation.name} after a lost acknowledgement was not a replay`);
      check(await operation.run(loyalty, 'lost'), `a second retry of ${operation.name} was not a replay`);
      await operation.run(clean, 'lost');
    }
    checkSame(await snapshot(store), await snapshot(twin), 'the store after lost acknowledgements and retries, against a twin where each operation ran once');
    // The replay is the original result: the lossy unit's outcome equals the one the retry returns.
    const first = await loyalty.process(purchase('e-lost', 'c1', 'o-lost', 40));
    const again = await clean.process(purchase('e-lost', 'c1', 'o-lost', 40));
    checkSame(first.outcomes, again.outcomes, 'the replayed outcomes against the twin');
  },
};

export const faultCases: readonly ConformanceCase[] = [failedWrite, lostAcknowledgement];
