// The tiered kind (SPEC §1, §6, §9): status levels over a qualification window, immediate
// upgrades, period-end downgrades, tier multipliers, benefits, and the ledger records of it all.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore, ProgramConfigError } from '../../../src';
import { evaluate, nextDueAt, parseCustomer, parseEvent, redeemReward, adjust, tick, tierBenefits, tierOf, tierStatus } from '../../../src/core';
import { rewardRequestSchema, adjustRequestSchema } from '../../../src/schemas';
import type { Customer, Notification, Program, ProgramConfigInput, DecimalInput, InstantInput } from '../../../src';
import type { Decision, TierState } from '../../../src/core';
import { LedgerCore } from '../../harness';

type TieredInput = Extract<ProgramConfigInput, { kind: 'tiered' }>;

const ZONE = 'America/New_York';
/** 00:00 on 1 January in New York (EST, UTC−5). */
const newYear = (year: number): string => `${year}-01-01T05:00:00.000Z`;

const perDollar = { id: 'base', on: 'purchase' as const, award: { kind: 'per_amount' as const, points: 1, per: 1 } };

/**
 * The acceptance program: Insider 0 (1×), VIB $350 (1.5×), Rouge $1,000 (2×) on spend per calendar
 * year. Lapse notices are set 10 years out so that the next due instants are the tiers' own.
 */
function beauty(overrides: Partial<TieredInput> = {}) {
  return defineProgram({
    kind: 'tiered',
    id: 'beauty',
    version: 1,
    currency: 'USD',
    timeZone: ZONE,
    lapseDays: 3650,
    tiers: [
      { id: 'insider', threshold: 0 },
      { id: 'vib', threshold: 350, multiplier: '1.5', benefits: { freeShipping: true, birthdayGift: 250 } },
      { id: 'rouge', threshold: 1000, multiplier: 2, benefits: { freeShipping: true, earlyAccess: true, birthdayGift: 500, rewards: ['rouge-gift'] } },
    ],
    qualification: { basis: 'spend', window: 'calendar_year' },
    rewards: [
      { id: 'rouge-gift', name: 'Rouge-only gift set', cost: 100, kind: 'free_product', sku: 'ROUGE-SET' },
      { id: 'tote', name: 'Tote bag', cost: 100, kind: 'free_product', sku: 'TOTE' },
    ],
    rules: [perDollar],
    ...overrides,
  });
}

/** A ledger over the pure core: it keeps the account, every transaction and every notification, and checks the fold after each step. */
class Book extends LedgerCore {
  declare readonly who: Customer;
  private seq = 0;
  constructor(program: Program, who: Customer = parseCustomer({ id: 'c1', enrolledAt: '2026-01-01T00:00:00Z' })) {
    super(program, { who, refusal: (issues) => `refused: ${JSON.stringify(issues)}`, checkEachStep: true, notices: 'recorded' });
  }
  get notes(): Notification[] {
    return this.notices;
  }
  buy(price: string, at: string, orderId?: string): Decision {
    this.seq += 1;
    const id = orderId ?? `o${this.seq}`;
    return this.decide(parseEvent({ id: `buy-${id}`, customerId: this.who.id, type: 'purchase', orderId: id, currency: 'USD', occurredAt: at, lines: [{ lineId: 'l1', sku: 'sku', quantity: 1, unitPrice: price }] }));
  }
  event(input: Record<string, unknown>): Decision {
    this.seq += 1;
    return this.apply(evaluate(this.program, this.account, parseEvent({ id: `ev${this.seq}`, customerId: this.who.id, ...input }), { customer: this.who }));
  }
  refund(orderId: string, body: Record<string, unknown>, at: string): Decision {
    this.seq += 1;
    return this.decide(parseEvent({ id: `refund-${this.seq}`, customerId: this.who.id, type: 'refund', orderId, occurredAt: at, ...body }));
  }
  tier(at?: string): string {
    return tierOf(this.program as ReturnType<typeof beauty>, this.account, at ? { at: new Date(at) } : undefined);
  }
  /** The tier records of the ledger: every `state` entry under `tier`, with its reason. */
  records(): { at: string; tier: string; reason: string; cause: string }[] {
    return this.txs.flatMap((tx) =>
      tx.entries.flatMap((e) => (e.kind === 'state' && e.key === 'tier' && e.value?.kind === 'tier' ? [{ at: tx.at.toISOString(), tier: e.value.tier, reason: e.reason, cause: tx.cause.kind }] : [])),
    );
  }
  state(): TierState {
    const s = this.account.kinds.tier;
    if (s?.kind !== 'tier') throw new Error('no tier state');
    return s;
  }
}

const earned = (d: Decision): string => {
  if (!d.ok || !d.transaction) return '0';
  return d.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s + Number(e.lot.amount.toString()) : s), 0).toString();
};
const types = (d: Decision): string[] => (d.ok ? d.notifications.map((n) => n.type) : []);

describe('the acceptance story: Insider / VIB $350 / Rouge $1,000 on spend per calendar year', () => {
  test('$340 then $20 on 10 June 2026 is VIB at once; the next $100 earns 150 and $19.99 earns 29', () => {
    const book = new Book(beauty());
    expect(earned(book.buy('340.00', '2026-03-01T15:00:00Z'))).toBe('340');
    expect(book.tier()).toBe('insider');
    // The upgrading purchase earns at the tier held before it: 20 at 1×.
    const up = book.buy('20.00', '2026-06-10T15:00:00Z');
    expect(earned(up)).toBe('20');
    expect(book.tier()).toBe('vib');
    expect(types(up)).toEqual(['points.earned', 'tier.upgraded']);
    const note = up.ok ? up.notifications.find((n) => n.type === 'tier.upgraded') : undefined;
    expect(note).toMatchObject({ from: 'insider', to: 'vib', at: new Date('2026-06-10T15:00:00Z') });
    expect(earned(book.buy('100.00', '2026-06-11T15:00:00Z'))).toBe('150');
    expect(earned(book.buy('19.99', '2026-06-12T15:00:00Z'))).toBe('29');
    expect(book.state()).toMatchObject({ tier: 'vib', since: new Date('2026-06-10T15:00:00Z'), earnedIn: new Date(newYear(2026)), periodStart: new Date(newYear(2026)) });
  });

  test('with no spend in 2027 the VIB holds through 2027 and is Insider from 1 January 2028', () => {
    const book = new Book(beauty());
    book.buy('340.00', '2026-03-01T15:00:00Z');
    book.buy('20.00', '2026-06-10T15:00:00Z');
    const kept = book.tick(newYear(2027));
    expect(book.tier()).toBe('vib');
    expect(types(kept)).not.toContain('tier.downgraded');
    // One instant before the end of 2027 in New York it is still VIB; at 00:00 on 1 January it is not.
    expect(book.tier('2028-01-01T04:59:59.999Z')).toBe('vib');
    book.tick('2027-12-31T23:00:00Z');
    expect(book.tier()).toBe('vib');
    const down = book.tick(newYear(2028));
    expect(book.tier()).toBe('insider');
    expect(types(down)).toContain('tier.downgraded');
    expect(book.state()).toMatchObject({ tier: 'insider', since: new Date(newYear(2028)), earnedIn: null, previous: { tier: 'vib', until: new Date(newYear(2028)) } });
    // Ticking twice at one instant changes nothing.
    const again = tick(book.program, book.account, new Date(newYear(2028)), { customer: book.who });
    expect(again.ok && again.transaction).toBe(null);
  });

  test('Rouge reached in 2026, nothing spent after, "one step": VIB on 1 January 2028, Insider on 1 January 2029', () => {
    const book = new Book(beauty({ retention: { downgrade: 'one_step' } }));
    book.buy('1000.00', '2026-04-01T15:00:00Z');
    expect(book.tier()).toBe('rouge');
    book.tick(newYear(2027));
    expect(book.tier()).toBe('rouge');
    book.tick(newYear(2028));
    expect(book.tier()).toBe('vib');
    expect(book.state().earnedIn).toBe(null);
    book.tick('2028-07-01T12:00:00Z');
    expect(book.tier()).toBe('vib');
    book.tick(newYear(2029));
    expect(book.tier()).toBe('insider');
    expect(book.notes.filter((n) => n.type === 'tier.downgraded').map((n) => n.type === 'tier.downgraded' && [n.from, n.to, n.at.toISOString()])).toEqual([
      ['rouge', 'vib', newYear(2028)],
      ['vib', 'insider', newYear(2029)],
    ]);
    expect(book.records().map((r) => r.reason)).toEqual([
      'upgraded from insider to rouge: spend 1000.00 USD in 2026 reached 1000 (order o1)',
      "kept rouge at the end of 2026: spend 1000.00 USD in 2026 reached rouge's 1000",
      "downgraded from rouge to vib at the end of 2027: spend 0.00 USD in 2027 is below rouge's 1000 (one step)",
      "downgraded from vib to insider at the end of 2028: spend 0.00 USD in 2028 is below vib's 350 (one step)",
    ]);
  });

  test('…and straight to Insider on 1 January 2028 when the program says "to the qualified tier"', () => {
    const book = new Book(beauty({ retention: { downgrade: 'to_qualified' } }));
    book.buy('1000.00', '2026-04-01T15:00:00Z');
    book.tick(newYear(2027));
    book.tick(newYear(2028));
    expect(book.tier()).toBe('insider');
    expect(book.notes.filter((n) => n.type === 'tier.downgraded').map((n) => n.type === 'tier.downgraded' && [n.from, n.to])).toEqual([['rouge', 'insider']]);
    book.tick(newYear(2029));
    expect(book.tier()).toBe('insider');
  });

  test('one late tick does every period end it missed, in order, each with its own record', () => {
    const book = new Book(beauty({ retention: { downgrade: 'one_step' } }));
    book.buy('1000.00', '2026-04-01T15:00:00Z');
    const d = book.tick('2029-06-01T12:00:00Z');
    expect(book.tier()).toBe('insider');
    expect(d.ok && d.notifications.filter((n) => n.type === 'tier.downgraded').map((n) => n.at.toISOString())).toEqual([newYear(2028), newYear(2029)]);
    expect(book.records().slice(1).map((r) => r.tier)).toEqual(['rouge', 'vib', 'insider']);
  });

  test('a downgrade to a lower tier still earned is kept: $400 in 2027 keeps VIB after Rouge (to the qualified tier)', () => {
    const book = new Book(beauty());
    book.buy('1200.00', '2026-04-01T15:00:00Z');
    book.buy('400.00', '2027-04-01T15:00:00Z');
    expect(earned(book.buy('10.00', '2027-05-01T15:00:00Z'))).toBe('20');
    book.tick(newYear(2028));
    expect(book.tier()).toBe('vib');
    book.tick(newYear(2029));
    expect(book.tier()).toBe('insider');
  });

  test('spend in the new year counts toward the new year: $350 on 2 January 2027 re-earns VIB for 2027', () => {
    const book = new Book(beauty());
    book.buy('360.00', '2026-06-10T15:00:00Z');
    book.tick(newYear(2027));
    const d = book.buy('350.00', '2027-01-02T15:00:00Z');
    expect(book.records().at(-1)?.reason).toBe('requalified for vib: spend 350.00 USD in 2027 reached 350 (order o2)');
    expect(types(d)).toEqual(['points.earned']);
    book.tick(newYear(2028));
    expect(book.tier()).toBe('vib');
    book.tick(newYear(2029));
    expect(book.tier()).toBe('insider');
  });
});

describe('events before the tick and late events are judged at their own instant', () => {
  test('a purchase on 2 January 2028, before any tick, earns at the downgraded tier and records the downgrade', () => {
    const book = new Book(beauty());
    book.buy('1000.00', '2026-04-01T15:00:00Z');
    book.tick(newYear(2027));
    expect(book.tier('2028-01-02T15:00:00Z')).toBe('insider');
    const d = book.buy('100.00', '2028-01-02T15:00:00Z');
    expect(earned(d)).toBe('100');
    expect(types(d)).toEqual(['points.earned', 'tier.downgraded']);
    expect(book.tier()).toBe('insider');
    // The tick that follows has nothing left to do for the tier.
    const t = book.tick('2028-01-03T00:00:00Z');
    expect(t.ok && t.transaction?.entries.some((e) => e.kind === 'state')).toBeFalsy();
  });

  test('a late purchase dated before the last change earns at the tier held then', () => {
    const book = new Book(beauty());
    book.buy('340.00', '2026-03-01T15:00:00Z');
    book.buy('20.00', '2026-06-10T15:00:00Z', 'up');
    // Dated 9 June (before the upgrade), delivered after it: 1×, not 1.5×.
    const late = book.buy('100.00', '2026-06-09T15:00:00Z');
    expect(earned(late)).toBe('100');
    expect(book.tier()).toBe('vib');
  });
});

describe('progress facts (SPEC §6: "$120 more to reach VIB")', () => {
  const nudge = {
    id: 'nudge',
    on: 'custom' as const,
    when: { all: [{ fact: 'tier.next', operator: 'equal', value: 'vib' }, { fact: 'tier.progress', operator: 'lessThanInclusive', value: 120 }] },
    award: { kind: 'fixed' as const, points: 10 },
  };
  const vibOnly = { id: 'vib-bonus', on: 'custom' as const, when: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'vib' }] }, award: { kind: 'fixed' as const, points: 5 } };

  test('$230 spent: 120 more to reach VIB, in the status and in the facts rules read', () => {
    const book = new Book(beauty({ rules: [perDollar, nudge, vibOnly] }));
    const fresh = tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2026-01-05T00:00:00Z'));
    expect([fresh.tier, fresh.next, fresh.needed.toString(), fresh.amount.toString()]).toEqual(['insider', 'vib', '350', '0']);
    book.buy('229.99', '2026-05-01T15:00:00Z');
    expect(earned(book.event({ type: 'custom', name: 'app_open', occurredAt: '2026-05-01T16:00:00Z' }))).toBe('0');
    book.buy('0.01', '2026-05-01T17:00:00Z');
    const s = tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2026-05-02T12:00:00Z'));
    expect(`${s.needed.toFixed(2)} more to reach ${s.next}`).toBe('120.00 more to reach vib');
    expect(earned(book.event({ type: 'custom', name: 'app_open', occurredAt: '2026-05-02T12:00:00Z' }))).toBe('10');
    book.buy('120.00', '2026-05-03T15:00:00Z');
    expect(earned(book.event({ type: 'custom', name: 'app_open', occurredAt: '2026-05-03T16:00:00Z' }))).toBe('5');
    const vib = tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2026-05-04T00:00:00Z'));
    expect([vib.tier, vib.next, vib.needed.toString(), vib.toKeep.toString()]).toEqual(['vib', 'rouge', '650', '0']);
    expect(vib.evaluatedAt?.toISOString()).toBe(newYear(2027));
    // In 2027 the VIB earned in 2026 holds, but keeping it past 2027 needs $350 of 2027 spend.
    book.tick(newYear(2027));
    const next = tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2027-02-01T00:00:00Z'));
    expect([next.tier, next.amount.toString(), next.needed.toString(), next.toKeep.toString(), next.evaluatedAt?.toISOString()]).toEqual(['vib', '0', '1000', '350', newYear(2028)]);
  });

  test('at the top tier there is no next tier and nothing still needed', () => {
    const book = new Book(beauty());
    book.buy('1500.00', '2026-05-01T15:00:00Z');
    const s = tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2026-05-02T00:00:00Z'));
    expect([s.tier, s.next, s.needed.toString()]).toEqual(['rouge', null, '0']);
  });
});

describe('refunds', () => {
  test('reduce the qualifying amount of the purchase’s period, never below 0, and never downgrade mid-period', () => {
    const book = new Book(beauty());
    book.buy('400.00', '2026-05-01T15:00:00Z', 'big');
    expect(book.tier()).toBe('vib');
    book.refund('big', { lines: [{ lineId: 'l1', quantity: 1 }] }, '2026-05-10T15:00:00Z');
    expect(book.tier()).toBe('vib');
    expect(book.state().buckets.map((b) => b.amount.toString())).toEqual(['0']);
    expect(book.records().at(-1)?.reason).toBe('−spend 400.00 USD (refund of order big)');
    // Earned by qualifying during 2026: it holds through 2027 (holdThroughNextPeriod), then goes.
    book.tick(newYear(2027));
    expect(book.tier()).toBe('vib');
    book.tick(newYear(2028));
    expect(book.tier()).toBe('insider');
  });

  test('without holdThroughNextPeriod the period end sees what the refunds left', () => {
    const book = new Book(beauty({ retention: { holdThroughNextPeriod: false } }));
    book.buy('400.00', '2026-05-01T15:00:00Z', 'big');
    book.refund('big', { amount: '100.00', currency: 'USD' }, '2026-05-10T15:00:00Z');
    expect(book.tier()).toBe('vib');
    book.tick(newYear(2027));
    expect(book.tier()).toBe('insider');
    expect(book.records().at(-1)?.reason).toBe("downgraded from vib to insider at the end of 2026: spend 300.00 USD in 2026 is below vib's 350 (to the tier qualified for)");
  });

  test('a refund in 2027 of a 2026 order reduces 2026, not 2027', () => {
    const book = new Book(beauty());
    book.buy('300.00', '2026-12-20T15:00:00Z', 'dec');
    book.buy('340.00', '2027-01-05T15:00:00Z');
    book.refund('dec', { amount: '50.00', currency: 'USD' }, '2027-01-06T15:00:00Z');
    expect(book.state().buckets.map((b) => [b.start.toISOString(), b.amount.toString()])).toEqual([
      [newYear(2026), '250'],
      [newYear(2027), '340'],
    ]);
  });
});

describe('the qualification window', () => {
  const rolling = (overrides: Partial<TieredInput> = {}) =>
    defineProgram({
      kind: 'tiered',
      id: 'air',
      version: 1,
      currency: 'USD',
      timeZone: ZONE,
      lapseDays: 3650,
      tiers: [{ id: 'member', threshold: 0 }, { id: 'silver', threshold: 500, multiplier: '1.25' }, { id: 'gold', threshold: 1500, multiplier: 2 }],
      qualification: { basis: 'spend', window: 'rolling_12_months' },
      rules: [perDollar],
      ...overrides,
    });

  test('rolling 12 months counts the month of the instant and the 11 before it', () => {
    const book = new Book(rolling());
    book.buy('300.00', '2026-03-15T15:00:00Z');
    book.buy('250.00', '2026-09-20T15:00:00Z');
    expect(book.tier()).toBe('silver');
    const p = book.program as ReturnType<typeof rolling>;
    expect(tierStatus(p, book.account, new Date('2027-02-28T15:00:00Z')).amount.toString()).toBe('550');
    // From 1 March 2027 (New York) the March 2026 purchase has left the window.
    expect(tierStatus(p, book.account, new Date('2027-03-01T05:00:00Z')).amount.toString()).toBe('250');
    expect(tierStatus(p, book.account, new Date('2027-03-01T04:59:59Z')).amount.toString()).toBe('550');
  });

  test('rolling 12 months downgrades on the anniversary of the tier, after holding through the year after it was earned', () => {
    const book = new Book(rolling());
    book.buy('300.00', '2026-03-15T15:00:00Z');
    book.buy('250.00', '2026-09-20T15:00:00Z');
    book.buy('200.00', '2027-02-10T15:00:00Z');
    expect(nextDueAt(book.program, book.account, new Date('2026-10-01T00:00:00Z'))?.toISOString()).toBe('2027-09-20T15:00:00.000Z');
    book.tick('2027-09-20T14:59:59Z');
    expect(book.tier()).toBe('silver');
    book.tick('2027-09-20T15:00:00Z');
    expect(book.tier()).toBe('silver');
    expect(book.records().at(-1)?.reason).toBe('kept silver at the anniversary on 2027-09-20: silver was earned during the period and holds through the next one');
    book.tick('2028-09-20T15:00:00Z');
    expect(book.tier()).toBe('member');
    expect(book.state().since.toISOString()).toBe('2028-09-20T15:00:00.000Z');
  });

  test('rolling 12 months without holding: the first anniversary looks at the 12 months before it', () => {
    const book = new Book(rolling({ retention: { holdThroughNextPeriod: false } }));
    book.buy('300.00', '2026-03-15T15:00:00Z');
    book.buy('250.00', '2026-09-20T15:00:00Z');
    book.buy('200.00', '2027-02-10T15:00:00Z');
    book.tick('2027-09-20T15:00:00Z');
    expect(book.tier()).toBe('member');
    expect(book.records().at(-1)?.reason).toBe("downgraded from silver to member at the anniversary on 2027-09-20: spend 200.00 USD in 2026-10..2027-09 is below silver's 500 (to the tier qualified for)");
  });

  test('rolling 12 months: re-qualifying on the trailing window keeps the tier at the anniversary', () => {
    const book = new Book(rolling({ retention: { holdThroughNextPeriod: false } }));
    book.buy('600.00', '2026-09-20T15:00:00Z');
    book.buy('520.00', '2027-05-01T15:00:00Z');
    book.tick('2027-09-20T15:00:00Z');
    expect(book.tier()).toBe('silver');
    // The next anniversary is counted from the tier's since, not from the evaluation.
    expect(nextDueAt(book.program, book.account, new Date('2027-09-21T00:00:00Z'))?.toISOString()).toBe('2028-09-20T15:00:00.000Z');
  });

  test('rolling buckets stay bounded: at most 13 months are kept', () => {
    const book = new Book(rolling());
    for (let m = 0; m < 30; m++) book.buy('10.00', new Date(Date.UTC(2026, m, 10, 15)).toISOString());
    expect(book.state().buckets.length).toBeLessThanOrEqual(13);
    expect(tierStatus(book.program as ReturnType<typeof rolling>, book.account, new Date(Date.UTC(2028, 5, 11))).amount.toString()).toBe('120');
  });

  test('lifetime never downgrades and needs no tick', () => {
    const book = new Book(rolling({ qualification: { basis: 'spend', window: 'lifetime' } }));
    book.buy('600.00', '2026-03-15T15:00:00Z');
    book.buy('900.00', '2029-06-01T15:00:00Z');
    expect(book.tier()).toBe('gold');
    expect(tierStatus(book.program as ReturnType<typeof rolling>, book.account, new Date('2029-06-02T00:00:00Z')).evaluatedAt).toBe(null);
    // The only thing due is the lapse notice, 3650 days after the last purchase.
    expect(nextDueAt(book.program, book.account, new Date('2029-06-02T00:00:00Z'))?.toISOString()).toBe('2039-05-30T15:00:00.000Z');
    book.tick('2035-01-01T05:00:00Z');
    expect(book.tier()).toBe('gold');
    expect(book.state().buckets.map((b) => [b.start.toISOString(), b.amount.toString()])).toEqual([['1970-01-01T00:00:00.000Z', '1500']]);
  });

  test('calendar-year buckets stay bounded: the current and the previous year', () => {
    const book = new Book(beauty());
    for (let y = 2026; y < 2032; y++) book.buy('10.00', `${y}-06-01T15:00:00Z`);
    expect(book.state().buckets.map((b) => b.start.toISOString())).toEqual([newYear(2030), newYear(2031)]);
  });
});

describe('the qualification basis', () => {
  test('points: the points events earn count (purchases, signups, reviews); a refund takes its clawback back', () => {
    const program = beauty({
      tiers: [{ id: 'base', threshold: 0 }, { id: 'plus', threshold: 1000, multiplier: 2 }],
      qualification: { basis: 'points', window: 'calendar_year' },
      rewards: [],
      rules: [perDollar, { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 } }, { id: 'review', on: 'review', award: { kind: 'fixed', points: 100 } }],
    });
    const book = new Book(program);
    book.event({ type: 'signup', occurredAt: '2026-02-01T15:00:00Z' });
    book.buy('300.00', '2026-02-02T15:00:00Z');
    book.event({ type: 'review', platform: 'google', rating: 5, occurredAt: '2026-02-03T15:00:00Z' });
    expect(book.tier()).toBe('base');
    expect(tierStatus(program, book.account, new Date('2026-02-04T00:00:00Z')).needed.toString()).toBe('100');
    const up = book.buy('100.00', '2026-02-04T15:00:00Z', 'last');
    expect(types(up)).toContain('tier.upgraded');
    expect(book.tier()).toBe('plus');
    expect(earned(book.buy('10.00', '2026-02-05T15:00:00Z'))).toBe('20');
    book.refund('last', { lines: [{ lineId: 'l1', quantity: 1 }] }, '2026-02-06T15:00:00Z');
    expect(book.tier()).toBe('plus');
    expect(tierStatus(program, book.account, new Date('2026-02-07T00:00:00Z')).amount.toString()).toBe('920');
  });

  test('orders: one per purchase; the refund that completes an order takes it out; holding decides the period end', () => {
    const tiers = [{ id: 'bronze', threshold: 0 }, { id: 'silver', threshold: 3 }];
    for (const hold of [true, false]) {
      const book = new Book(beauty({ tiers, qualification: { basis: 'orders', window: 'calendar_year' }, rewards: [], retention: { holdThroughNextPeriod: hold } }));
      book.buy('5.00', '2026-02-01T15:00:00Z', 'a');
      book.buy('5.00', '2026-02-02T15:00:00Z', 'b');
      expect(tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2026-02-03T00:00:00Z')).needed.toString()).toBe('1');
      book.buy('5.00', '2026-02-03T15:00:00Z', 'c');
      expect(book.tier()).toBe('silver');
      book.refund('c', { amount: '2.00', currency: 'USD' }, '2026-02-04T15:00:00Z');
      expect(tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2026-02-05T00:00:00Z')).amount.toString()).toBe('3');
      book.refund('c', { amount: '3.00', currency: 'USD' }, '2026-02-05T15:00:00Z');
      expect(tierStatus(book.program as ReturnType<typeof beauty>, book.account, new Date('2026-02-06T00:00:00Z')).amount.toString()).toBe('2');
      expect(book.tier()).toBe('silver');
      book.tick(newYear(2027));
      expect(book.tier()).toBe(hold ? 'silver' : 'bronze');
    }
  });
});

describe('grace period', () => {
  test('a downgrade applies graceDays calendar days after the period end, in the program’s zone', () => {
    const book = new Book(beauty({ retention: { graceDays: 30 } }));
    book.buy('400.00', '2026-05-01T15:00:00Z');
    // The evaluation of 2026 is due on 31 January 2027: a tick on 1 January does nothing for the tier.
    expect(nextDueAt(book.program, book.account, new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe('2027-01-31T05:00:00.000Z');
    book.tick(newYear(2027));
    expect(nextDueAt(book.program, book.account, new Date(newYear(2027)))?.toISOString()).toBe('2027-01-31T05:00:00.000Z');
    book.tick('2027-01-31T05:00:00Z');
    expect(book.records().at(-1)?.reason).toBe("kept vib at the end of 2026: spend 400.00 USD in 2026 reached vib's 350");
    expect(nextDueAt(book.program, book.account, new Date('2027-06-01T00:00:00Z'))?.toISOString()).toBe('2028-01-31T05:00:00.000Z');
    book.tick(newYear(2028));
    expect(book.tier()).toBe('vib');
    expect(book.tier('2028-01-31T04:59:59Z')).toBe('vib');
    book.tick('2028-01-31T05:00:00Z');
    expect(book.tier()).toBe('insider');
    expect(book.state().since.toISOString()).toBe('2028-01-31T05:00:00.000Z');
    expect(book.records().at(-1)?.reason).toBe("downgraded from vib to insider at the end of 2027 after 30 days of grace: spend 0.00 USD in 2027 is below vib's 350 (to the tier qualified for)");
  });

  test('spend during the grace period that re-earns the tier keeps it', () => {
    const book = new Book(beauty({ retention: { graceDays: 30 } }));
    book.buy('400.00', '2026-05-01T15:00:00Z');
    book.tick(newYear(2027));
    book.buy('350.00', '2028-01-10T15:00:00Z');
    book.tick('2028-01-31T05:00:00Z');
    expect(book.tier()).toBe('vib');
    expect(book.records().at(-1)?.reason).toBe('kept vib at the end of 2027: vib was earned after the period');
  });

  test('spend during the grace period that earns a lower tier softens the downgrade', () => {
    const book = new Book(beauty({ retention: { graceDays: 30 } }));
    book.buy('1000.00', '2026-05-01T15:00:00Z');
    book.tick(newYear(2027));
    book.buy('360.00', '2028-01-10T15:00:00Z');
    book.tick('2028-01-31T05:00:00Z');
    expect(book.tier()).toBe('vib');
    expect(book.state().earnedIn?.toISOString()).toBe(newYear(2028));
  });
});

describe('benefits', () => {
  test('a reward listed in a higher tier’s benefits is refused with not_in_tier, and open from that tier up', () => {
    const book = new Book(beauty());
    book.apply(adjust(book.program, book.account, adjustRequestSchema.parse({ requestId: 'seed', points: 1000, actor: 'test', reason: 'seed', at: '2026-01-02T00:00:00Z' })));
    book.buy('400.00', '2026-05-01T15:00:00Z');
    const refused = redeemReward(book.program, book.account, rewardRequestSchema.parse({ requestId: 'r1', rewardId: 'rouge-gift', at: '2026-05-02T00:00:00Z' }));
    expect(refused.ok ? [] : refused.issues.map((i) => i.code)).toEqual(['not_in_tier']);
    expect(refused.ok ? '' : refused.issues[0].message).toBe('reward "rouge-gift" is for rouge and above; the customer is vib');
    expect(redeemReward(book.program, book.account, rewardRequestSchema.parse({ requestId: 'r2', rewardId: 'tote', at: '2026-05-02T00:00:00Z' })).ok).toBe(true);
    book.buy('600.00', '2026-05-03T15:00:00Z');
    book.apply(redeemReward(book.program, book.account, rewardRequestSchema.parse({ requestId: 'r3', rewardId: 'rouge-gift', at: '2026-05-04T00:00:00Z' })));
    // After the downgrade it is refused again, whether or not tick has run.
    const later = redeemReward(book.program, book.account, rewardRequestSchema.parse({ requestId: 'r4', rewardId: 'rouge-gift', at: '2028-02-01T00:00:00Z' }));
    expect(later.ok ? [] : later.issues.map((i) => i.code)).toEqual(['not_in_tier']);
  });

  test('free shipping, early access, the multiplier and the tier-only rewards are exposed as data', () => {
    const book = new Book(beauty());
    const p = book.program as ReturnType<typeof beauty>;
    expect(tierBenefits(p, book.account)).toEqual({ tier: 'insider', name: undefined, multiplier: expect.anything(), freeShipping: false, earlyAccess: false, birthdayGift: null, rewards: [] });
    book.buy('400.00', '2026-05-01T15:00:00Z');
    const vib = tierBenefits(p, book.account);
    expect([vib.tier, vib.multiplier.toString(), vib.freeShipping, vib.earlyAccess, vib.birthdayGift?.toString(), vib.rewards]).toEqual(['vib', '1.5', true, false, '250', []]);
    book.buy('600.00', '2026-05-02T15:00:00Z');
    const rouge = tierBenefits(p, book.account);
    expect([rouge.tier, rouge.multiplier.toString(), rouge.freeShipping, rouge.earlyAccess, rouge.birthdayGift?.toString(), rouge.rewards]).toEqual(['rouge', '2', true, true, '500', ['rouge-gift']]);
    expect(tierBenefits(p, book.account, { at: new Date(newYear(2028)) }).tier).toBe('insider');
  });

  test('the birthday gift: the held tier’s points once a year on the birthday, in the customer’s zone', () => {
    const who = parseCustomer({ id: 'c1', enrolledAt: '2026-01-01T00:00:00Z', birthday: '1990-07-14', timeZone: 'Pacific/Auckland' });
    const book = new Book(beauty(), who);
    book.buy('400.00', '2026-05-01T15:00:00Z');
    // 14 July 00:00 in Auckland (NZST, UTC+12) is 13 July 12:00 UTC.
    expect(nextDueAt(book.program, book.account, new Date('2026-05-02T00:00:00Z'), { customer: who })?.toISOString()).toBe('2026-07-13T12:00:00.000Z');
    const before = book.tick('2026-07-13T11:59:59Z');
    expect(earned(before)).toBe('0');
    const gift = book.tick('2026-07-13T12:00:00Z');
    expect(earned(gift)).toBe('250');
    expect(gift.ok && gift.notifications.map((n) => n.type === 'birthday' && [n.year, n.points.toString()])).toEqual([[2026, '250']]);
    expect(earned(book.tick('2026-07-20T00:00:00Z'))).toBe('0');
    // 2027: still VIB (earned in 2026); 2028: Insider, which has no gift.
    expect(earned(book.tick('2027-07-13T12:00:00Z'))).toBe('250');
    book.tick('2028-07-13T12:00:00Z');
    expect(book.tier()).toBe('insider');
    expect(book.txs.flatMap((tx) => tx.entries.flatMap((e) => (e.kind === 'earn' && e.ruleId === 'tier-birthday' ? [e.lot.id] : [])))).toEqual(['tier-birthday:2026', 'tier-birthday:2027']);
  });
});

describe('purity', () => {
  const deepFreeze = <T>(value: T): T => {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const v of Object.values(value as object)) deepFreeze(v);
    }
    return value;
  };

  test('evaluate and tick never mutate the account or its tier state (STYLE 9)', () => {
    const book = new Book(beauty({ retention: { graceDays: 10 } }));
    book.buy('1200.00', '2026-04-01T15:00:00Z');
    const frozen = deepFreeze(book.account);
    const before = JSON.stringify(frozen);
    book.account = frozen;
    expect(() => book.buy('50.00', '2028-01-05T15:00:00Z')).not.toThrow();
    expect(() => book.tick('2029-03-01T00:00:00Z')).not.toThrow();
    expect(JSON.stringify(frozen)).toBe(before);
    expect(book.tier()).toBe('insider');
  });
});

describe('the config', () => {
  test('tiers start at 0, increase, have unique ids; tier-only rewards exist; counts are whole', () => {
    const bad = () =>
      defineProgram({
        kind: 'tiered',
        id: 'bad',
        version: 1,
        currency: 'USD',
        timeZone: 'UTC',
        tiers: [{ id: 'a', threshold: 10 }, { id: 'b', threshold: '2.5', benefits: { rewards: ['nope'] } }, { id: 'b', threshold: 20 }],
        qualification: { basis: 'orders', window: 'calendar_year' },
      });
    expect(bad).toThrow(ProgramConfigError);
    try {
      bad();
    } catch (e) {
      expect((e as ProgramConfigError).issues.map((i) => [i.code, i.path.join('.')])).toEqual([
        ['first_tier_threshold', 'tiers.0.threshold'],
        ['tier_order', 'tiers.1.threshold'],
        ['invalid_threshold', 'tiers.1.threshold'],
        ['unknown_reward', 'tiers.1.benefits.rewards.0'],
        ['duplicate_tier_id', 'tiers.2.id'],
      ]);
    }
  });
});

describe('through the service: createLoyalty + tickDue', () => {
  test('the acceptance story, with the store checked after every step', async () => {
    const program = beauty({ retention: { downgrade: 'one_step' } });
    const clock = fixedClock('2026-01-01T12:00:00Z');
    const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
    await loyalty.upsertCustomer({ customer: { id: 'ana', enrolledAt: '2026-01-01T00:00:00Z' } });
    await loyalty.upsertCustomer({ customer: { id: 'rose', enrolledAt: '2026-01-01T00:00:00Z' } });
    const check = async (): Promise<void> => {
      for (const id of ['ana', 'rose']) expect(await loyalty.verify({ customerId: id, programId: 'beauty' })).toEqual([]);
    };
    const buy = async (customerId: string, id: string, price: DecimalInput, at: InstantInput): Promise<string> => {
      clock.set(at);
      const r = await loyalty.process({ id, customerId, type: 'purchase', orderId: id, currency: 'USD', occurredAt: at, lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: price }] });
      await check();
      const outcome = r.outcomes[0];
      return outcome?.ok && outcome.transaction ? outcome.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s + Number(e.lot.amount.toString()) : s), 0).toString() : '0';
    };
    const tierNow = async (customerId: string): Promise<string> => tierOf(program, (await loyalty.account({ customerId, programId: 'beauty' })).state);
    const tickDue = async (at: string) => {
      clock.set(at);
      const r = await loyalty.tickDue({ now: new Date(at) });
      await check();
      return r;
    };

    expect(await buy('ana', 'a1', '340.00', '2026-03-01T15:00:00Z')).toBe('340');
    expect(await buy('ana', 'a2', '20.00', '2026-06-10T15:00:00Z')).toBe('20');
    expect(await tierNow('ana')).toBe('vib');
    expect(await buy('ana', 'a3', '100.00', '2026-06-11T15:00:00Z')).toBe('150');
    expect(await buy('ana', 'a4', '19.99', '2026-06-12T15:00:00Z')).toBe('29');
    expect(await buy('rose', 'r1', '1000.00', '2026-04-01T15:00:00Z')).toBe('1000');
    expect(await tierNow('rose')).toBe('rouge');
    // A replay of the upgrading purchase changes nothing.
    const replay = await loyalty.process({ id: 'a2', customerId: 'ana', type: 'purchase', orderId: 'a2', currency: 'USD', occurredAt: '2026-06-10T15:00:00Z', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '20' }] });
    expect(replay.replayed).toBe(true);

    const view = await loyalty.account({ customerId: 'ana', programId: 'beauty' });
    expect(view.nextDueAt?.toISOString()).toBe(newYear(2027));
    await tickDue(newYear(2027));
    expect([await tierNow('ana'), await tierNow('rose')]).toEqual(['vib', 'rouge']);
    // Nothing is due again at the same instant.
    expect((await loyalty.tickDue({ now: new Date(newYear(2027)) })).changed).toBe(0);
    await tickDue(newYear(2028));
    expect([await tierNow('ana'), await tierNow('rose')]).toEqual(['insider', 'vib']);
    await tickDue(newYear(2029));
    expect([await tierNow('ana'), await tierNow('rose')]).toEqual(['insider', 'insider']);

    const outbox = await loyalty.outbox({ limit: 1000 });
    const tierNotes = outbox.flatMap((row) => (row.notification.type === 'tier.upgraded' || row.notification.type === 'tier.downgraded' ? [[row.notification.customerId, row.notification.type, row.notification.from, row.notification.to, row.notification.at.toISOString()]] : []));
    expect(tierNotes).toEqual([
      ['ana', 'tier.upgraded', 'insider', 'vib', '2026-06-10T15:00:00.000Z'],
      ['rose', 'tier.upgraded', 'insider', 'rouge', '2026-04-01T15:00:00.000Z'],
      ['ana', 'tier.downgraded', 'vib', 'insider', newYear(2028)],
      ['rose', 'tier.downgraded', 'rouge', 'vib', newYear(2028)],
      ['rose', 'tier.downgraded', 'vib', 'insider', newYear(2029)],
    ]);
    // The history holds each change with its reason.
    const history = await loyalty.history({ customerId: 'rose', programId: 'beauty', limit: 100 });
    const reasons = [...history.transactions].reverse().flatMap((tx) => tx.entries.flatMap((e) => (e.kind === 'state' && e.key === 'tier' ? [e.reason] : [])));
    expect(reasons.filter((r) => !r.startsWith('kept'))).toEqual([
      'upgraded from insider to rouge: spend 1000.00 USD in 2026 reached 1000 (order r1)',
      "downgraded from rouge to vib at the end of 2027: spend 0.00 USD in 2027 is below rouge's 1000 (one step)",
      "downgraded from vib to insider at the end of 2028: spend 0.00 USD in 2028 is below vib's 350 (one step)",
    ]);
  });
});
