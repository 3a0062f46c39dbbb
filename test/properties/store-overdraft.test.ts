// RELIABILITY 5 on the memory store: no overdraft under any interleaving. fast-check's scheduler
// decides when each unit of work enters the store and when each of its session calls runs
// (`scheduledStore`); K concurrent redemptions of a points against a balance B have exactly
// min(K, ⌊B/a⌋) winners, the balance ends at B − a·winners ≥ 0 and the ledger verifies. Mixed races
// (redemptions, holds, purchases, and the release or capture of an existing hold) follow, in the
// order the units committed, a sequential model of the available balance.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { ProcessResult, RequestResult } from '../../src';
import { announce, FC_SEED, runsFor } from './seed';
import { ago, canon, cents, makeService, NOW, perDollarProgram, scheduledStore, serviceOver } from './harness';

const program = perDollarProgram;
const programs = [program];
const target = { customerId: 'c1', programId: 'rewards' } as const;
const code = (r: RequestResult): string => (r.outcome.ok ? 'ok' : (r.outcome.issues[0]?.code ?? '?'));
/** A request that threw: its error's code, marked so it is never mistaken for an outcome. */
const thrown = (id: string) => (e: unknown) => ({ id, code: `thrown:${String((e as { code?: unknown }).code)}` });

describe('no overdraft under any interleaving (RELIABILITY 5, memory store + fc.scheduler)', () => {
  test('K concurrent redemptions of a points against B: exactly min(K, ⌊B/a⌋) succeed', async () => {
    const runs = runsFor(200);
    announce('store overdraft: equal redemptions', runs);
    let passed = 0;
    const orders = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 12 }), async (s, B, a, K) => {
        const { loyalty, store } = await makeService(programs);
        if (B > 0) await loyalty.adjust({ ...target, requestId: 'seed', points: B, actor: 'agent:test', reason: 'seed', at: NOW });
        const committed: string[] = [];
        const racing = serviceOver(
          programs,
          scheduledStore(store, s, (r) => committed.push((r as RequestResult).requestId)),
        );
        const all = Promise.all(Array.from({ length: K }, (_, i) => racing.redeem({ ...target, requestId: `r${i}`, points: a, at: NOW })));
        const results = await s.waitFor(all);

        const winners = Math.min(K, Math.floor(B / a));
        expect(results.filter((r) => r.outcome.ok)).toHaveLength(winners);
        expect(results.every((r) => !r.replayed)).toBe(true);
        // The first ⌊B/a⌋ to commit win; every later one is refused for insufficient points.
        expect(committed).toHaveLength(K);
        const byId = new Map(results.map((r) => [r.requestId, r]));
        committed.forEach((id, i) => expect(code(byId.get(id) as RequestResult)).toBe(i < winners ? 'ok' : 'insufficient_points'));
        orders.add(committed.join(','));

        const view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
        expect(view.balance.available.toString()).toBe(String(B - a * winners));
        expect(view.balance.available.isNegative()).toBe(false);
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        const history = await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
        expect(history.transactions.filter((tx) => tx.entries.some((e) => e.kind === 'redeem'))).toHaveLength(winners);

        // RELIABILITY 1 and 3 after the race: every request replays its first answer, nothing moves.
        for (const r of results) {
          const again = await loyalty.redeem({ ...target, requestId: r.requestId, points: a, at: NOW });
          expect(again.replayed).toBe(true);
          expect(canon(again.outcome)).toBe(canon(r.outcome));
        }
        expect((await loyalty.account({ customerId: 'c1', programId: 'rewards' })).balance.available.toString()).toBe(String(B - a * winners));
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store overdraft: ${passed} interleavings passed (${orders.size} distinct commit orders)`);
  });

  type Op = { kind: 'redeem' | 'hold' | 'earn'; points: number } | { kind: 'release' | 'capture' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 500 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('hold' as const), points: fc.integer({ min: 1, max: 500 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 300 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('capture' as const) }) },
  );

  test('mixed holds, redemptions, purchases, release and capture: the sequential model in commit order', async () => {
    const runs = runsFor(200);
    announce('store overdraft: mixed', runs);
    let passed = 0;
    let operations = 0;
    const orders = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 2000 }), fc.nat({ max: 400 }), fc.array(op, { minLength: 1, maxLength: 10 }), async (s, B, h0Wanted, ops) => {
        const { loyalty, store } = await makeService(programs);
        if (B > 0) await loyalty.adjust({ ...target, requestId: 'seed', points: B, actor: 'agent:test', reason: 'seed', at: NOW });
        // An existing hold H0 that a racing release or capture may end.
        const H0 = Math.min(h0Wanted, B);
        if (H0 > 0) expect((await loyalty.hold({ ...target, requestId: 'H0', points: H0, at: NOW })).outcome.ok).toBe(true);

        const committed: string[] = [];
        const racing = serviceOver(
          programs,
          scheduledStore(store, s, (r) => committed.push('requestId' in (r as object) ? (r as RequestResult).requestId : (r as ProcessResult).eventId)),
        );
        const launched = ops.map((o, i): Promise<{ id: string; code: string }> => {
          const id = `${o.kind}-${i}`;
          switch (o.kind) {
            case 'redeem':
              return racing.redeem({ ...target, requestId: id, points: o.points, at: NOW }).then((r) => ({ id, code: code(r) }));
            case 'hold':
              return racing.hold({ ...target, requestId: id, points: o.points, at: NOW }).then((r) => ({ id, code: code(r) }));
            case 'release':
              return racing.release({ ...target, requestId: id, holdId: 'H0', at: NOW }).then((r) => ({ id, code: code(r) }), thrown(id));
            case 'capture':
              return racing.capture({ ...target, requestId: id, holdId: 'H0', at: NOW }).then((r) => ({ id, code: code(r) }), thrown(id));
            case 'earn':
              return racing
                .process({ id, customerId: 'c1', type: 'purchase', orderId: `o-${i}`, currency: 'USD', occurredAt: ago(1), lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: cents(o.points * 100) }] })
                .then((r) => ({ id, code: r.outcomes[0]?.ok ? 'ok' : 'refused' }));
          }
        });
        const results = await s.waitFor(Promise.all(launched));
        const got = new Map(results.map((r) => [r.id, r.code]));
        // A hold id that never opened (H0 = 0) is an unknown id: thrown, and nothing commits.
        const unknown = results.filter((r) => r.code.startsWith('thrown:'));
        for (const r of unknown) expect({ id: r.id, code: r.code, H0 }).toEqual({ id: r.id, code: 'thrown:unknown_hold', H0: 0 });
        expect(committed).toHaveLength(ops.length - unknown.length);
        orders.add(committed.join(','));

        // The sequential model, replayed in the order the units committed.
        let avail = B - H0;
        let held = 0;
        let h0Open = H0 > 0;
        let spent = 0;
        const byId = new Map(ops.map((o, i) => [`${o.kind}-${i}`, o]));
        for (const id of committed) {
          const o = byId.get(id) as Op;
          let expected = 'ok';
          if (o.kind === 'redeem' || o.kind === 'hold') {
            if (o.points <= avail) {
              avail -= o.points;
              if (o.kind === 'hold') held += o.points;
              else spent += o.points;
            } else expected = 'insufficient_points';
          } else if (o.kind === 'earn') avail += o.points;
          else if (!h0Open) expected = 'hold_closed'; // H0 opened, and a racing release or capture closed it
          else {
            h0Open = false;
            if (o.kind === 'release') avail += H0;
            else spent += H0;
          }
          expect({ id, code: got.get(id) }).toEqual({ id, code: expected });
        }
        const view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
        expect(view.balance.available.toString()).toBe(String(avail));
        expect(view.balance.held.toString()).toBe(String(held + (h0Open ? H0 : 0)));
        expect(avail).toBeGreaterThanOrEqual(0);
        const earned = ops.reduce((sum, o) => sum + (o.kind === 'earn' ? o.points : 0), 0);
        expect(spent + held + (h0Open ? H0 : 0) + avail).toBe(B + earned); // nothing lost or doubled
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
        operations += ops.length;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store overdraft mixed: ${passed} interleavings passed, ${operations} concurrent operations (${orders.size} distinct commit orders)`);
  });
});
