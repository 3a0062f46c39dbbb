import { describe, expect, test } from 'vitest';
import { TZDate } from '@date-fns/tz';
import { defineProgram, ProgramConfigError } from '../../src';
import { balanceAt, explain, evaluate, openAccount, parseEvent } from '../../src/core';
import { customer, earned, event, lineShares, pointsProgram, purchase, run, ZONE } from '../fixtures';

const dollarPerPoint = { id: 'base', on: 'purchase' as const, award: { kind: 'per_amount' as const, points: 1, per: 1 } };

describe('SPEC §2 and §2b worked numbers', () => {
  test('an $80.00 order with a $20.00 gift card earns 60 (gift cards excluded)', () => {
    const program = pointsProgram({ rules: [dollarPerPoint], eligibility: { exclude: { categories: ['gift-card'] } } });
    const { decisions } = run(program, [purchase([{ unitPrice: '60.00' }, { unitPrice: '20.00', categories: ['gift-card'] }])]);
    expect(earned(decisions[0])).toBe('60');
    expect(lineShares(decisions[0])).toEqual([['60', '0']]);
  });

  test('$19.99 earns 19 (floor once per order)', () => {
    const { decisions } = run(pointsProgram({ rules: [dollarPerPoint] }), [purchase([{ unitPrice: '19.99' }])]);
    expect(earned(decisions[0])).toBe('19');
  });

  test('$19.99 at a 1.5× multiplier earns 29 (29.985 → 29: multiplier before rounding)', () => {
    const program = pointsProgram({
      rules: [dollarPerPoint, { id: 'vip', on: 'purchase', when: { all: [{ fact: 'customer.tags', operator: 'contains', value: 'vip' }] }, award: { kind: 'multiplier', factor: '1.5' } }],
    });
    const { decisions } = run(program, [purchase([{ unitPrice: '19.99' }])], customer({ tags: ['vip'] }));
    expect(earned(decisions[0])).toBe('29');
  });

  test('three $0.50 lines earn 1, allocated 1 / 0 / 0', () => {
    const { decisions } = run(pointsProgram({ rules: [dollarPerPoint] }), [purchase([{ unitPrice: '0.50' }, { unitPrice: '0.50' }, { unitPrice: '0.50' }])]);
    expect(earned(decisions[0])).toBe('1');
    expect(lineShares(decisions[0])).toEqual([['1', '0', '0']]);
  });

  test('"10 per full $50" on $30 + $30 + $40 earns 20, allocated 6 / 6 / 8', () => {
    const program = pointsProgram({ rules: [{ id: 'fifty', on: 'purchase', award: { kind: 'per_amount', points: 10, per: 50, whole: true } }] });
    const { decisions } = run(program, [purchase([{ unitPrice: '30' }, { unitPrice: '30' }, { unitPrice: '40' }])]);
    expect(earned(decisions[0])).toBe('20');
    expect(lineShares(decisions[0])).toEqual([['6', '6', '8']]);
  });

  test.each([
    ['highest', '20'],
    ['additive', '30'],
    ['multiplicative', '40'],
  ] as const)('\$10 with a segment 2× and a weekend 2× stacks %s → %s', (stacking, points) => {
    const program = pointsProgram({
      stacking,
      segments: { gold: { all: [{ fact: 'customer.tags', operator: 'contains', value: 'gold' }] } },
      campaigns: { weekend: { daysOfWeek: [0, 6] } },
      rules: [
        dollarPerPoint,
        { id: 'gold-2x', on: 'purchase', segments: ['gold'], award: { kind: 'multiplier', factor: 2 } },
        { id: 'weekend-2x', on: 'purchase', campaign: 'weekend', award: { kind: 'multiplier', factor: 2 } },
      ],
    });
    // Saturday 13 March 2027, noon in New York.
    const saturday = purchase([{ unitPrice: '10.00' }], { occurredAt: '2027-03-13T17:00:00Z' });
    const { decisions } = run(program, [saturday], customer({ tags: ['gold'] }));
    expect(earned(decisions[0])).toBe(points);
  });

  test('a second social_follow on the same network earns 0, and explain names the limit', () => {
    const program = pointsProgram({
      rules: [{ id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] }],
    });
    const first = event('social_follow', { network: 'twitter' });
    const again = event('social_follow', { network: 'twitter' });
    const other = event('social_follow', { network: 'instagram' });
    const { decisions, account } = run(program, [first, again, other]);
    expect(decisions.map(earned)).toEqual(['100', '0', '100']);
    const afterFirst = run(program, [first]).account;
    const why = explain(program, afterFirst, again, { customer: customer() });
    const rule = why.rules.find((r) => r.ruleId === 'follow');
    expect(rule?.fired).toBe(true);
    expect(rule?.award?.points.toString()).toBe('0');
    expect(rule?.award?.clipped[0]?.message).toMatch(/limit of 1 award\(s\) per lifetime per event.network/);
    expect(rule?.award?.clipped[0]?.counter).toContain('event.network=twitter');
    expect(balanceAt(account, new Date('2027-04-01T00:00:00Z')).available.toString()).toBe('200');
  });
});

describe('award kinds and targeting', () => {
  test('a per-item award gives points per unit of matching lines', () => {
    const program = pointsProgram({
      rules: [{ id: 'socks', on: 'purchase', lines: { all: [{ fact: 'line.categories', operator: 'contains', value: 'socks' }] }, award: { kind: 'per_item', points: 25 } }],
    });
    const { decisions } = run(program, [purchase([{ unitPrice: '5', quantity: 3, categories: ['socks'] }, { unitPrice: '50', quantity: 2, categories: ['shoes'] }])]);
    expect(earned(decisions[0])).toBe('75');
    expect(lineShares(decisions[0])).toEqual([['75', '0']]);
  });

  test('a campaign window in the program zone is open at its start instant and closed at its end instant', () => {
    const start = new TZDate(2027, 5, 1, ZONE); // 1 June 2027 00:00 New York
    const end = new TZDate(2027, 5, 8, ZONE);
    const program = pointsProgram({
      campaigns: { june: { start: new Date(start.getTime()), end: new Date(end.getTime()) } },
      rules: [{ id: 'june-bonus', on: 'purchase', campaign: 'june', award: { kind: 'fixed', points: 50 } }],
    });
    const at = (d: Date) => purchase([{ unitPrice: '1' }], { occurredAt: d.toISOString() });
    const results = [new Date(start.getTime() - 1), new Date(start.getTime()), new Date(end.getTime() - 1), new Date(end.getTime())].map((d) => earned(run(program, [at(d)]).decisions[0]));
    expect(results).toEqual(['0', '50', '50', '0']);
    expect(new Date(start.getTime()).toISOString()).toBe('2027-06-01T04:00:00.000Z'); // EDT: the window is in the program's zone, not UTC
  });

  test('a channel condition fires only on its channel', () => {
    const program = pointsProgram({ rules: [{ id: 'app-bonus', on: 'purchase', channels: ['app'], award: { kind: 'fixed', points: 10 } }] });
    expect(earned(run(program, [purchase([{ unitPrice: '1' }], { channel: 'app' })]).decisions[0])).toBe('10');
    expect(earned(run(program, [purchase([{ unitPrice: '1' }], { channel: 'store' })]).decisions[0])).toBe('0');
  });

  test('a segment condition targets customers by their facts', () => {
    const program = pointsProgram({
      segments: { big: { all: [{ fact: 'customer.lifetimeSpend', operator: 'greaterThanInclusive', value: 100 }] } },
      rules: [{ id: 'big-spender', on: 'review', segments: ['big'], award: { kind: 'fixed', points: 40 } }],
    });
    const { decisions } = run(program, [event('review', { platform: 'google', rating: 5 }), purchase([{ unitPrice: '100.00' }]), event('review', { platform: 'google', rating: 5 })]);
    expect(decisions.map(earned)).toEqual(['0', '0', '40']);
  });

  test('referral: 300 once per referred customer, and self-referral is refused', () => {
    const program = pointsProgram({
      rules: [{ id: 'referral', on: 'referral', award: { kind: 'fixed', points: 300 }, limits: [{ per: 'lifetime', count: 1, key: 'event.referredCustomerId' }] }],
    });
    const { decisions } = run(program, [
      event('referral', { referredCustomerId: 'friend1', stage: 'signed_up' }),
      event('referral', { referredCustomerId: 'friend1', stage: 'first_purchase' }),
      event('referral', { referredCustomerId: 'friend2', stage: 'signed_up' }),
      event('referral', { referredCustomerId: 'c1', stage: 'signed_up' }),
    ]);
    expect(decisions.slice(0, 3).map(earned)).toEqual(['300', '0', '300']);
    const self = decisions[3];
    expect(self?.ok).toBe(false);
    if (self && !self.ok) expect(self.issues[0].code).toBe('self_referral');
  });

  test('pending points count as pending, not available, until their instant', () => {
    const program = pointsProgram({ pending: { purchaseDays: 30 }, rules: [dollarPerPoint] });
    const { account } = run(program, [purchase([{ unitPrice: '100' }], { occurredAt: '2027-03-10T15:00:00Z' })]);
    const before = balanceAt(account, new Date('2027-03-20T00:00:00Z'));
    expect([before.available.toString(), before.pending.toString()]).toEqual(['0', '100']);
    // Earned 10:00 EST; 30 calendar days in New York keep the wall-clock time across the DST
    // change of 14 March: 9 April 10:00 EDT = 14:00Z.
    const justBefore = balanceAt(account, new Date('2027-04-09T13:59:59.999Z'));
    const at = balanceAt(account, new Date('2027-04-09T14:00:00Z'));
    expect(justBefore.available.toString()).toBe('0');
    expect([at.available.toString(), at.pending.toString()]).toEqual(['100', '0']);
  });

  test('a late event is judged at its own time, and one older than the lateness is refused', () => {
    const program = pointsProgram({ latenessDays: 30, rules: [dollarPerPoint] });
    const account = openAccount(program, 'c1');
    const late = parseEvent({ id: 'late', customerId: 'c1', type: 'purchase', orderId: 'o-late', currency: 'USD', occurredAt: '2027-03-01T12:00:00Z', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '10' }] });
    const ok = evaluate(program, account, late, { now: new Date('2027-03-30T12:00:00Z') });
    expect(ok.ok && ok.transaction?.at.toISOString()).toBe('2027-03-01T12:00:00.000Z');
    const refused = evaluate(program, account, late, { now: new Date('2027-04-01T12:00:00Z') });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.issues[0].code).toBe('event_too_late');
  });

  test('a currency mismatch is refused with its own code', () => {
    const program = pointsProgram({ rules: [dollarPerPoint] });
    const d = evaluate(program, openAccount(program, 'c1'), purchase([{ unitPrice: '10' }], { currency: 'EUR' }));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.issues[0]).toMatchObject({ code: 'currency_mismatch', path: ['currency'] });
  });
});

describe('fraud limit keys compare values as people read them', () => {
  const follow = pointsProgram({ rules: [{ id: 'follow', on: 'social_follow', award: { kind: 'fixed', points: 100 }, limits: [{ per: 'lifetime', count: 1, key: 'event.network' }] }] });
  const review = pointsProgram({ rules: [{ id: 'review', on: 'review', award: { kind: 'fixed', points: 20 }, limits: [{ per: 'lifetime', count: 1, key: 'event.platform' }] }] });
  const refer = pointsProgram({ rules: [{ id: 'refer', on: 'referral', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1, key: 'event.referredCustomerId' }] }] });
  const followOf = (network: string) => event('social_follow', { network });

  test.each([
    ['a leading space', ' twitter'],
    ['a trailing space and tab', 'twitter \t'],
    ['full-width letters', 'ｔｗｉｔｔｅｒ'],
    ['full-width capitals', 'ＴＷＩＴＴＥＲ'],
    ['a zero-width space', 'twit\u200Bter'],
    ['a zero-width joiner and a BOM', '\uFEFFtwit\u200Dter'],
    ['capitals', 'TWITTER'],
  ])('once per network: %s does not make a second network', (_, variant) => {
    const { decisions } = run(follow, [followOf('twitter'), followOf(variant)]);
    expect(decisions.map(earned)).toEqual(['100', '0']);
  });

  test('two different networks still earn twice', () => {
    expect(run(follow, [followOf('twitter'), followOf('instagram')]).decisions.map(earned)).toEqual(['100', '100']);
  });

  test.each([
    ['capitals', 'TrustPilot'],
    ['a trailing space', 'trustpilot '],
    ['full-width letters', 'ｔｒｕｓｔｐｉｌｏｔ'],
    ['a zero-width space', 'trust\u200Bpilot'],
  ])('once per platform: %s does not make a second platform', (_, variant) => {
    const { decisions } = run(review, [event('review', { platform: 'trustpilot', rating: 5 }), event('review', { platform: variant, rating: 5 })]);
    expect(decisions.map(earned)).toEqual(['20', '0']);
  });

  test('once per friend: customer ids are opaque (compared byte for byte), so C2 is another friend than c2', () => {
    const friend = (id: string) => event('referral', { referredCustomerId: id, stage: 'signed_up' });
    expect(run(refer, [friend('c2'), friend('c2')]).decisions.map(earned)).toEqual(['500', '0']);
    expect(run(refer, [friend('c2'), friend('C2')]).decisions.map(earned)).toEqual(['500', '500']);
  });
});

describe('config strictness', () => {
  test('a misspelt key is a config error naming it, not a silently ignored setting', () => {
    const attempt = () =>
      defineProgram({
        kind: 'points',
        id: 'typo',
        version: 1,
        currency: 'USD',
        timeZone: 'UTC',
        rules: [{ id: 'r', on: 'purchase', campain: 'weekend', award: { kind: 'fixed', points: 1 } } as never],
      });
    expect(attempt).toThrow(ProgramConfigError);
    try {
      attempt();
    } catch (error) {
      const issue = (error as ProgramConfigError).issues[0];
      expect(issue?.code).toBe('unrecognized_keys');
      expect(issue?.path).toEqual(['rules', 0]);
      expect(issue?.message).toContain('campain');
    }
  });

  const kindBase = { version: 1, currency: 'USD', timeZone: 'UTC', id: 'x' };
  test.each([
    ['spend', { ...kindBase, kind: 'spend', credit: { percent: 5, percnt: 3 } }, ['credit']],
    ['tiered', { ...kindBase, kind: 'tiered', tiers: [{ id: 'a', threshold: 0, multipler: 2 }], qualification: { basis: 'spend', window: 'lifetime' } }, ['tiers', 0]],
    ['paid', { ...kindBase, kind: 'paid', membership: { fee: '1', period: 'month', trialDay: 3 } }, ['membership']],
    ['punch', { ...kindBase, kind: 'punch', cards: [{ id: 'c', required: 2, qualifying: { skus: ['s'] }, reward: { kind: 'free_item', sku: 's' }, expiry: 3 }] }, ['cards', 0]],
  ])('a misspelt key in a %s config is refused at its path', (_kind, config, path) => {
    try {
      defineProgram(config as never);
      expect.unreachable('the config was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ProgramConfigError);
      expect((error as ProgramConfigError).issues.map((i) => [i.code, i.path])).toContainEqual(['unrecognized_keys', path]);
    }
  });

  test('a config written `as const` is accepted', () => {
    const config = {
      kind: 'points',
      id: 'frozen',
      version: 1,
      currency: 'USD',
      timeZone: 'UTC',
      rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
    } as const;
    expect(defineProgram(config).config.rules[0]?.id).toBe('base');
  });
});
