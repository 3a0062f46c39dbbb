// RELIABILITY 18 (isolation) and 19 (fraud limits under concurrency) on the memory store.
// 18 — random commands over two programs × two customers in one service, and over two services on
// two stores with the same program, customer, event and request ids: every command changes exactly
// the accounts it names (state, history and schedule of every other account stay byte-identical),
// an event naming its program reaches only it, balances follow an independent per-account model,
// every transaction sits in its own account's history. Colliding ids that the key encoding of the
// store or the service can confuse (a customer id containing the key separator, reward ids and
// program ids containing ':') must still not reach another account or program.
// 19 — caps hold under concurrency: K concurrent follows of one network, signups, reviews of one
// day; self-referral refused, sticky, and each referred friend paid once.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram, LoyaltyError, memoryStore } from '../../src';
import { pointsEarned } from '../../src/core';
import type { Loyalty, ProcessResult, Program } from '../../src';
import { announce, FC_SEED, runsFor } from './seed';
import { ago, available, cents, makeService, NOW, NOW_MS, scheduledStore, serviceOver, settle, snapshot } from './harness';
import type { Service } from './harness';

const base = { kind: 'points' as const, version: 1, currency: 'USD' as const, timeZone: 'America/New_York' };
const alpha = defineProgram({ ...base, id: 'alpha', rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
const beta = defineProgram({ ...base, id: 'beta', rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 2, per: 1 } }] });
const PROGRAMS = [alpha, beta];
const RATE: Record<string, number> = { alpha: 1, beta: 2 };
const CUSTOMERS = ['c1', 'c2'] as const;

type Cmd =
  | { kind: 'purchase'; svc: 0 | 1; customer: 0 | 1; program: 'alpha' | 'beta' | null; dollars: number }
  | { kind: 'adjust' | 'redeem'; svc: 0 | 1; customer: 0 | 1; program: 'alpha' | 'beta'; points: number };
const svc = fc.constantFrom<0 | 1>(0, 1);
const who = fc.constantFrom<0 | 1>(0, 1);
const prog = fc.constantFrom<'alpha' | 'beta'>('alpha', 'beta');
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('purchase' as const), svc, customer: who, program: fc.option(prog, { nil: null }), dollars: fc.integer({ min: 0, max: 300 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('adjust' as const), svc, customer: who, program: prog, points: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeem' as const), svc, customer: who, program: prog, points: fc.integer({ min: 1, max: 400 }) }) },
);

const ALL_ACCOUNTS = PROGRAMS.flatMap((p) => CUSTOMERS.map((c) => [p.id, c] as const));
const accountKeys = (programId: string, customerId: string) => [`state ${programId}/${customerId}`, `history ${programId}/${customerId}`, `schedule ${programId}/${customerId}`];

describe('isolation (RELIABILITY 18)', () => {
  test('two programs × two customers in one service, and two services over two stores with the same ids', async () => {
    const runs = runsFor(120);
    announce('store isolation: programs, customers, stores', runs);
    let passed = 0;
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 20 }), async (cmds) => {
        const services: Service[] = [await makeService(PROGRAMS, { customers: CUSTOMERS }), await makeService(PROGRAMS, { customers: CUSTOMERS })];
        const model = [0, 1].map(() => new Map<string, number>(ALL_ACCOUNTS.map(([p, c]) => [`${p}/${c}`, 0])));
        const counters = [0, 0]; // per service: the same event and request ids appear in both
        for (const c of cmds) {
          const { loyalty, store } = services[c.svc] as Service;
          const other = services[1 - c.svc] as Service;
          const m = model[c.svc] as Map<string, number>;
          const customerId = CUSTOMERS[c.customer];
          const n = (counters[c.svc] = (counters[c.svc] ?? 0) + 1);
          const beforeHere = await snapshot(store, { accounts: ALL_ACCOUNTS });
          const beforeOther = await snapshot(other.store, { accounts: ALL_ACCOUNTS });
          let touched: string[];
          if (c.kind === 'purchase') {
            const event = { id: `e${n}`, customerId, type: 'purchase', orderId: `o${n}`, currency: 'USD', occurredAt: ago(30), lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: cents(c.dollars * 100) }], ...(c.program ? { programId: c.program } : {}) };
            const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
            touched = c.program ? [c.program] : ['alpha', 'beta'];
            expect(result.outcomes.map((o) => o.programId).sort()).toEqual(touched); // a named program only
            for (const o of result.outcomes) {
              expect(pointsEarned(o).toString()).toBe(String(c.dollars * (RATE[o.programId] ?? 0)));
              m.set(`${o.programId}/${customerId}`, (m.get(`${o.programId}/${customerId}`) ?? 0) + c.dollars * (RATE[o.programId] ?? 0));
            }
            // A purchase of $0 earns nothing but is still recorded (the purchase counts as activity).
          } else {
            const key = `${c.program}/${customerId}`;
            const request = { customerId, programId: c.program, requestId: `q${n}`, points: c.points, at: NOW };
            const r = c.kind === 'adjust' ? await loyalty.adjust({ ...request, actor: 'agent:test', reason: 'test' }) : await loyalty.redeem(request);
            const bal = m.get(key) ?? 0;
            const ok = c.kind === 'adjust' || c.points <= bal;
            expect(r.outcome.ok).toBe(ok);
            expect(r.outcome.programId).toBe(c.program);
            if (ok) m.set(key, c.kind === 'adjust' ? bal + c.points : bal - c.points);
            touched = ok ? [c.program] : [];
          }
          // Every account the command does not name is byte-identical, in this store and the other.
          const afterHere = await snapshot(store, { accounts: ALL_ACCOUNTS });
          for (const [p, cu] of ALL_ACCOUNTS) {
            if (cu === customerId && touched.includes(p)) continue;
            for (const k of accountKeys(p, cu)) expect({ k, v: afterHere[k] }).toEqual({ k, v: beforeHere[k] });
          }
          const afterOther = await snapshot(other.store, { accounts: ALL_ACCOUNTS });
          expect(afterOther).toEqual(beforeOther);
          commands += 1;
        }
        for (const [s, { loyalty }] of services.entries()) {
          for (const [p, cu] of ALL_ACCOUNTS) {
            expect({ s, p, cu, available: await available(loyalty, cu, p) }).toEqual({ s, p, cu, available: model[s]?.get(`${p}/${cu}`) });
            const history = await loyalty.history({ customerId: cu, programId: p, limit: 1000 });
            expect(history.transactions.every((tx) => tx.programId === p && tx.customerId === cu)).toBe(true);
            expect(await loyalty.verify({ customerId: cu, programId: p })).toEqual([]);
          }
        }
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store isolation: ${passed} command sequences passed, ${commands} commands, every other account byte-identical after each`);
  });

  test('a customer not enrolled in a program is refused there and nothing is written', async () => {
    const { loyalty, store } = await makeService(PROGRAMS, { customers: ['c1'], enrol: ['alpha'] });
    await loyalty.upsertCustomer({ customer: { id: 'c2', enrolledAt: '2027-01-01T00:00:00Z' }, programs: ['beta'] });
    const scope = { accounts: [...ALL_ACCOUNTS] };
    const before = await snapshot(store, scope);
    const error = await settle(loyalty.process({ id: 'e1', customerId: 'c1', type: 'purchase', programId: 'beta', orderId: 'o1', currency: 'USD', occurredAt: ago(5), lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: '10' }] }));
    expect(error.ok).toBe(false);
    if (!error.ok) {
      expect(error.error).toBeInstanceOf(LoyaltyError);
      expect((error.error as LoyaltyError).code).toBe('not_enrolled');
    }
    expect(await snapshot(store, scope)).toEqual(before);
    // An event without a program reaches only the customer's own program.
    const r = await loyalty.process({ id: 'e2', customerId: 'c2', type: 'purchase', orderId: 'o2', currency: 'USD', occurredAt: ago(5), lines: [{ lineId: 'l1', sku: 's1', quantity: 1, unitPrice: '10' }] });
    expect(r.outcomes.map((o) => o.programId)).toEqual(['beta']);
    expect(await available(loyalty, 'c2', 'beta')).toBe(20);
  });

  // Ids built to collide with how a store might join keys: the memory store keys accounts by a
  // JSON pair, so quotes, commas and brackets in ids must not confuse it; control characters
  // (a NUL separator, say) are refused at the boundary.
  const suffix = fc.string({ minLength: 1, maxLength: 6 }).filter((x) => !/[\u0000-\u001f\u007f]/.test(x));

  test('ids with control characters are refused as invalid_id', async () => {
    const { loyalty } = await makeService([alpha]);
    const refused = await settle(loyalty.upsertCustomer({ customer: { id: 'c1\u0000x', enrolledAt: NOW } }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error instanceof LoyaltyError && refused.error.issues.map((i) => i.code)).toEqual(['invalid_id']);
  });

  test('forgetting customer "c1" leaves customer \'c1","…\' alone', async () => {
    const runs = runsFor(30);
    announce('store isolation: separator in customer ids (forget)', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(suffix, fc.integer({ min: 1, max: 500 }), async (tail, points) => {
        const other = `c1","${tail}`;
        const { loyalty } = await makeService([alpha], { customers: ['c1', other] });
        await loyalty.adjust({ customerId: other, programId: 'alpha', requestId: 'a1', points, actor: 'agent:test', reason: 'seed', at: NOW });
        await loyalty.adjust({ customerId: 'c1', programId: 'alpha', requestId: 'a2', points: 7, actor: 'agent:test', reason: 'seed', at: NOW });
        const { pseudonym } = await loyalty.forgetCustomer({ customerId: 'c1' });
        const kept = await settle(available(loyalty, other, 'alpha'));
        expect(kept).toEqual({ ok: true, value: points }); // the other customer's account is still theirs
        expect(await available(loyalty, pseudonym, 'alpha')).toBe(7);
        const moved = await loyalty.history({ customerId: pseudonym, programId: 'alpha', limit: 1000 });
        expect(moved.transactions.map((tx) => tx.id)).toEqual(['adjust:a2']);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store isolation forget: ${passed} runs passed`);
  });

  test('tickDue ticks the account of customer \'c1","x]\' itself (a lapsed hold is restored)', async () => {
    const { loyalty } = await makeService([alpha], { customers: ['c1","x]'] });
    const id = 'c1","x]';
    await loyalty.adjust({ customerId: id, programId: 'alpha', requestId: 'a1', points: 100, actor: 'agent:test', reason: 'seed', at: NOW });
    expect((await loyalty.hold({ customerId: id, programId: 'alpha', requestId: 'h1', points: 40, at: NOW })).outcome.ok).toBe(true);
    const later = new Date(NOW_MS + 60 * 60_000); // the 15-minute hold has lapsed
    const ticked = await loyalty.tickDue({ now: later });
    expect(ticked).toEqual({ ticked: 1, changed: 1, failed: [] });
    expect((await loyalty.account({ customerId: id, programId: 'alpha' })).state.holds).toEqual([]);
  });

  test('reward stock is per program even when program and reward ids contain ":"', async () => {
    // Program "a" with reward "b:c" and program "a:b" with reward "c", one of each in stock.
    const mk = (id: string, rewardId: string): Program => defineProgram({ ...base, id, rules: [], rewards: [{ id: rewardId, name: rewardId, cost: 10, kind: 'free_shipping', stock: 1 }] });
    const { loyalty } = await makeService([mk('a', 'b:c'), mk('a:b', 'c')]);
    for (const p of ['a', 'a:b']) await loyalty.adjust({ customerId: 'c1', programId: p, requestId: `seed-${p}`, points: 100, actor: 'agent:test', reason: 'seed', at: NOW });
    const first = await loyalty.redeemReward({ customerId: 'c1', programId: 'a', requestId: 'r1', rewardId: 'b:c', at: NOW });
    const second = await loyalty.redeemReward({ customerId: 'c1', programId: 'a:b', requestId: 'r2', rewardId: 'c', at: NOW });
    expect(first.outcome.ok).toBe(true);
    expect(second.outcome.ok ? 'ok' : second.outcome.issues[0]?.code).toBe('ok'); // not out_of_stock: program "a" used its own stock
  });

  test('a request id reused in another program or by another customer never writes to the first one', async () => {
    // Request ids are one namespace per service today (a reuse is an idempotency_conflict); either
    // way the first account is untouched and the second gets a typed answer.
    const { loyalty, store } = await makeService(PROGRAMS, { customers: CUSTOMERS });
    await loyalty.adjust({ customerId: 'c1', programId: 'alpha', requestId: 'r1', points: 50, actor: 'agent:test', reason: 'seed', at: NOW });
    for (const [customerId, programId] of [
      ['c1', 'beta'],
      ['c2', 'alpha'],
    ] as const) {
      const before = await snapshot(store, { accounts: [['alpha', 'c1']] });
      const r = await settle(loyalty.adjust({ customerId, programId, requestId: 'r1', points: 50, actor: 'agent:test', reason: 'seed', at: NOW }));
      if (r.ok) expect(await available(loyalty, customerId, programId)).toBe(50);
      else {
        expect(r.error).toBeInstanceOf(LoyaltyError);
        expect((r.error as LoyaltyError).code).toBe('idempotency_conflict');
      }
      expect(await snapshot(store, { accounts: [['alpha', 'c1']] })).toEqual(before);
    }
  });
});

const limited = defineProgram({
  ...base,
  id: 'rewards',
  rules: [
    { id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] },
    { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 20 }, limits: [{ per: 'day', points: 40 }] },
    { id: 'refer', on: 'referral', award: { kind: 'fixed', points: 200 }, limits: [{ per: 'lifetime', count: 1, key: 'event.referredCustomerId' }] },
  ],
});
const earners = (results: readonly ProcessResult[]) => results.filter((r) => r.outcomes.some((o) => pointsEarned(o).gt(0))).length;
const earned = (results: readonly ProcessResult[]) => results.reduce((s, r) => s + r.outcomes.reduce((t, o) => t + Number(pointsEarned(o).toString()), 0), 0);

/** The racing service: plain Promise.all over the memory store, or every step released by the scheduler. */
async function racer(s: fc.Scheduler | null): Promise<{ loyalty: Loyalty; racing: Loyalty; wait<T>(p: Promise<T>): Promise<T> }> {
  const { loyalty, store } = await makeService([limited]);
  if (!s) return { loyalty, racing: loyalty, wait: (p) => p };
  return { loyalty, racing: serviceOver([limited], scheduledStore(store, s)), wait: (p) => s.waitFor(p) };
}
const maybeScheduler = fc.option(fc.scheduler(), { nil: null, freq: 2 });

describe('fraud limits under concurrency (RELIABILITY 19)', () => {
  test('K concurrent follows of one network (any letter case): exactly one earns', async () => {
    const runs = runsFor(150);
    announce('store caps: concurrent follows', runs);
    let passed = 0;
    let events = 0;
    await fc.assert(
      fc.asyncProperty(maybeScheduler, fc.array(fc.constantFrom('instagram', 'Instagram', 'INSTAGRAM'), { minLength: 2, maxLength: 12 }), async (s, networks) => {
        const { loyalty, racing, wait } = await racer(s);
        const results = await wait(Promise.all(networks.map((network, i) => racing.process({ id: `f${i}`, customerId: 'c1', type: 'social_follow', network, occurredAt: ago(10 - i / 10) }))));
        expect(earners(results)).toBe(1);
        expect(await available(loyalty, 'c1', 'rewards')).toBe(100);
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
        events += networks.length;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store caps follows: ${passed} races passed, ${events} concurrent events, one winner each`);
  });

  test('K concurrent signups earn the welcome bonus once; K reviews of one day earn at most 40', async () => {
    const runs = runsFor(100);
    announce('store caps: signups and reviews', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(maybeScheduler, fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 10 }), async (s, signups, reviews) => {
        const { loyalty, racing, wait } = await racer(s);
        const all = [
          ...Array.from({ length: signups }, (_, i) => racing.process({ id: `s${i}`, customerId: 'c1', type: 'signup', occurredAt: ago(20) })),
          ...Array.from({ length: reviews }, (_, i) => racing.process({ id: `r${i}`, customerId: 'c1', type: 'review', platform: 'google', rating: 5, occurredAt: ago(15) })),
        ];
        const results = await wait(Promise.all(all));
        expect(earned(results.slice(0, signups))).toBe(500);
        expect(earned(results.slice(signups))).toBe(Math.min(40, 20 * reviews));
        expect(await available(loyalty, 'c1', 'rewards')).toBe(500 + Math.min(40, 20 * reviews));
        expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store caps signups/reviews: ${passed} races passed`);
  });

  test('self-referral is refused (and stays refused); each referred friend pays once, even concurrently', async () => {
    const runs = runsFor(100);
    announce('store caps: referrals', runs);
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(maybeScheduler, fc.array(fc.constantFrom('c1', 'f1', 'f2', 'f3'), { minLength: 1, maxLength: 10 }), async (s, referred) => {
        const { loyalty, racing, wait } = await racer(s);
        const events = referred.map((friend, i) => ({ id: `ref${i}`, customerId: 'c1', type: 'referral', referredCustomerId: friend, stage: 'signed_up', occurredAt: ago(10) }));
        const results = await wait(Promise.all(events.map((e) => racing.process(e as Parameters<typeof racing.process>[0]))));
        results.forEach((r, i) => {
          const o = r.outcomes[0];
          if (referred[i] === 'c1') {
            expect(o?.ok).toBe(false);
            if (o && !o.ok) expect(o.issues.map((x) => x.code)).toContain('self_referral');
          } else expect(o?.ok).toBe(true);
        });
        const friends = new Set(referred.filter((f) => f !== 'c1'));
        expect(earned(results)).toBe(200 * friends.size);
        expect(await available(loyalty, 'c1', 'rewards')).toBe(200 * friends.size);
        // Sticky: the refused self-referral replays its refusal.
        for (const [i, e] of events.entries()) {
          const again = await loyalty.process(e as Parameters<typeof loyalty.process>[0]);
          expect(again.replayed).toBe(true);
          expect(again.outcomes).toEqual(results[i]?.outcomes);
        }
        expect(await available(loyalty, 'c1', 'rewards')).toBe(200 * friends.size);
        passed += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] store caps referrals: ${passed} races passed`);
  });
});

// The memory store itself, to be sure the two services above did not share state by accident.
test('two memory stores share nothing', async () => {
  const one = memoryStore();
  const two = memoryStore();
  const a = await makeService([alpha], { store: one });
  await makeService([alpha], { store: two });
  await a.loyalty.adjust({ customerId: 'c1', programId: 'alpha', requestId: 'r1', points: 5, actor: 'agent:test', reason: 'seed', at: NOW });
  expect(await available(serviceOver([alpha], two), 'c1', 'alpha')).toBe(0);
});
