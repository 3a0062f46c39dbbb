// A customer's birthday starts kept between calls (src/engine/schedule-birthdays.ts): `tick` and
// `nextDueAt` with a `BirthdayStarts` must answer exactly what they answer without one, and the
// starts must be computed once per year, not on every call.
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { applyEntries, nextDueAt, openAccount, parseCustomer, tick } from '../../src/core';
import type { AccountState, Decision } from '../../src/core';
import { nextDueKeeping, tickKeeping } from '../../src/engine/tick';
import { BirthdayStarts } from '../../src/engine/schedule-birthdays';
import * as time from '../../src/time';
import { pointsProgram } from '../fixtures';
import { announce, FC_SEED, runsFor } from '../properties/seed';

// Counts the zoned wall-time resolutions the birthday starts make.
vi.mock('../../src/time', async (importOriginal) => {
  const original = await importOriginal<typeof time>();
  return { ...original, localDateTimeIn: vi.fn(original.localDateTimeIn) };
});

const byDay = pointsProgram({ birthday: { points: 100 }, pending: { purchaseDays: 3 } });
const byMonth = pointsProgram({ birthday: { points: 50, on: 'month' } });
const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Etc/GMT+12'] as const;
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 5, 1);

const apply = (account: AccountState, d: Decision): AccountState => (d.ok && d.transaction ? applyEntries(account, d.transaction) : account);

describe('birthday starts kept per customer', () => {
  it('tick and nextDueAt answer the same with the kept starts as without, across years and profile changes (fast-check)', () => {
    const runs = runsFor(40);
    announce('birthday starts kept', runs);
    const profile = fc.record({
      birthday: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 29 })).map(([m, d]) => `--${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      timeZone: fc.constantFrom(...ZONES),
    });
    const step = fc.record({ gapMs: fc.integer({ min: 1, max: 40 * DAY }), newProfile: fc.option(profile, { freq: 6 }) });
    const scenario = fc.record({
      monthly: fc.boolean(),
      enrolledDays: fc.integer({ min: 0, max: 400 }),
      first: profile,
      steps: fc.array(step, { minLength: 1, maxLength: 40 }),
    });
    fc.assert(
      fc.property(scenario, ({ monthly, enrolledDays, first, steps }) => {
        const program = monthly ? byMonth : byDay;
        const enrolledAt = new Date(FROM + enrolledDays * DAY).toISOString();
        let customer = parseCustomer({ id: 'c1', enrolledAt, ...first });
        const kept = new BirthdayStarts();
        let plain = openAccount(program, 'c1');
        let cached = plain;
        let now = FROM;
        expect(nextDueKeeping(program, cached, new Date(now), { customer }, kept)).toEqual(nextDueAt(program, plain, new Date(now), { customer }));
        for (const { gapMs, newProfile } of steps) {
          now += gapMs;
          if (newProfile) customer = parseCustomer({ id: 'c1', enrolledAt, ...newProfile });
          const at = new Date(now);
          const a = tick(program, plain, at, { customer });
          const b = tickKeeping(program, cached, at, { customer }, kept);
          expect(b).toEqual(a);
          plain = apply(plain, a);
          cached = apply(cached, b);
          expect(nextDueKeeping(program, cached, at, { customer }, kept)).toEqual(nextDueAt(program, plain, at, { customer }));
        }
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  it('computes each year’s start once, where nextDueAt alone computes it on every call', () => {
    const customer = parseCustomer({ id: 'c1', enrolledAt: '2026-01-01T00:00:00Z', birthday: '--07-14', timeZone: 'Europe/London' });
    const account = openAccount(byDay, 'c1');
    const resolutions = vi.mocked(time.localDateTimeIn);
    const instants = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i * 5)));

    resolutions.mockClear();
    const plain = instants.map((at) => nextDueAt(byDay, account, at, { customer })?.toISOString());
    const uncachedCalls = resolutions.mock.calls.length;

    resolutions.mockClear();
    const kept = new BirthdayStarts();
    const cached = instants.map((at) => nextDueKeeping(byDay, account, at, { customer }, kept)?.toISOString());
    expect(cached).toEqual(plain);
    expect(uncachedCalls).toBe(60); // this year's and next year's start, on each of 30 calls
    expect(resolutions.mock.calls.length).toBe(2); // 2027 and 2028, once each
  });

  it('computes afresh when the profile changes (a moved zone is not read from the old one)', () => {
    const london = parseCustomer({ id: 'c1', enrolledAt: '2026-01-01T00:00:00Z', birthday: '--07-14', timeZone: 'Europe/London' });
    const tokyo = parseCustomer({ id: 'c1', enrolledAt: '2026-01-01T00:00:00Z', birthday: '--07-14', timeZone: 'Asia/Tokyo' });
    const account = openAccount(byDay, 'c1');
    const kept = new BirthdayStarts();
    const at = new Date('2027-03-01T00:00:00Z');
    expect(nextDueKeeping(byDay, account, at, { customer: london }, kept)?.toISOString()).toBe('2027-07-13T23:00:00.000Z');
    expect(nextDueKeeping(byDay, account, at, { customer: tokyo }, kept)?.toISOString()).toBe('2027-07-13T15:00:00.000Z');
  });
});
