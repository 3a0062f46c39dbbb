// `nextDueAt` and `tick` when the state holds work whose instant is already past (a late event
// brings it after the account's last tick): it is due at once, and `tick` writes it in time
// order — a pending lot released before it expired is released, then expired.
import { describe, expect, test } from 'vitest';
import { defineProgram } from '../../src';
import { applyEntries, evaluate, hold, nextDueAt, openAccount, parseEvent, tick, type AccountState, type Decision } from '../../src/core';
import { holdRequestSchema } from '../../src/schemas';
import type { Entry, Program } from '../../src';

const DAY = 86_400_000;
const T = Date.parse('2027-06-01T12:00:00Z');
const customer = { id: 'c1', enrolledAt: new Date('2027-01-01T00:00:00Z'), tags: [], attributes: {} };

function program(purchaseDays: number, expiryDays: number, lapseDays = 60, expiringNoticeDays = 0): Program {
  return defineProgram({
    kind: 'points',
    id: 'rewards',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    pending: { purchaseDays },
    expiry: { kind: 'rolling', days: expiryDays },
    lapseDays,
    expiringNoticeDays,
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}

function apply(account: AccountState, d: Decision): AccountState {
  if (!d.ok) throw new Error(d.issues.map((i) => i.code).join(', '));
  return d.transaction ? applyEntries(account, d.transaction) : account;
}

/** A purchase at `at`, judged at `now` (later: a late event). */
function buy(p: Program, account: AccountState, id: string, dollars: number, at: number, now = at): AccountState {
  const event = parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: new Date(at).toISOString(), lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: String(dollars) }] });
  return apply(account, evaluate(p, account, event, { customer, now: new Date(now) }));
}

const kinds = (d: Decision): string[] => (d.ok && d.transaction ? d.transaction.entries.map((e: Entry) => (e.kind === 'expire' ? `expire ${e.draws.map((x) => `${x.amount.toString()} from ${x.from}`).join(', ')}` : e.kind)) : []);

describe('nextDueAt: past work not yet written down is due at once', () => {
  test('a lot still pending after its release instant is due at after + 1 ms, not at its expiry', () => {
    const p = program(14, 365);
    const account = buy(p, openAccount(p, 'c1'), 'late', 100, T - 30 * DAY, T);
    expect(nextDueAt(p, account, new Date(T))?.getTime()).toBe(T + 1);
    // From before its release, the release instant itself.
    expect(nextDueAt(p, account, new Date(T - 20 * DAY))?.toISOString()).toBe(account.lots[0]?.availableAt.toISOString());
  });

  test('a lot still open after its expiry is due at after + 1 ms (its expiring-soon notice already sent)', () => {
    const p = program(0, 20, 60, 30);
    let account = buy(p, openAccount(p, 'c1'), 'p1', 100, T - 30 * DAY);
    // A tick a day later sends the notice (30 days ahead of the expiry at T − 10 d), and nothing else.
    const d = tick(p, account, new Date(T - 29 * DAY), { customer });
    expect(kinds(d)).toEqual(['mark']);
    account = apply(account, d);
    expect(account.lots[0]?.expiresAt?.getTime()).toBe(T - 10 * DAY);
    expect(nextDueAt(p, account, new Date(T))?.getTime()).toBe(T + 1);
  });

  test('a hold past its timeout, and a lapse not yet marked, are due at after + 1 ms', () => {
    const p = program(0, 365, 10);
    let account = buy(p, openAccount(p, 'c1'), 'p1', 100, T - 30 * DAY, T - 30 * DAY);
    account = apply(account, hold(p, account, holdRequestSchema.parse({ requestId: 'h1', at: new Date(T - 29 * DAY), points: 10, timeoutMinutes: 60 })));
    expect(nextDueAt(p, account, new Date(T - 29 * DAY))?.getTime()).toBe(T - 29 * DAY + 3_600_000);
    expect(nextDueAt(p, account, new Date(T))?.getTime()).toBe(T + 1);
    // A tick writes both down; then the lapse is marked and nothing is owed.
    const d = tick(p, account, new Date(T + 1), { customer });
    expect(kinds(d)).toEqual(['restore', 'mark']);
    const after = apply(account, d);
    expect(nextDueAt(p, after, new Date(T + 1))?.toISOString()).toBe(after.lots[0]?.expiresAt?.toISOString());
  });
});

describe('tick: a pending lot released before it expired is released, then expired', () => {
  test('one tick past both instants writes the release, then the expiry from available; a second tick nothing', () => {
    const p = program(14, 20);
    const account = buy(p, openAccount(p, 'c1'), 'p1', 100, T - 30 * DAY);
    const now = new Date(T);
    const d = tick(p, account, now, { customer });
    expect(kinds(d)).toEqual(['release', 'expire 100 from available']);
    const after = apply(account, d);
    expect(after.lots).toEqual([]);
    expect(kinds(tick(p, after, now, { customer }))).toEqual([]);
    // Nothing owed: the next instant is the lapse, 60 days after the purchase.
    expect(nextDueAt(p, after, now)?.getTime()).toBe(T + 30 * DAY);
  });

  test('a lot that expires before (or at) its release never was available: expired from pending, no release', () => {
    const p = program(30, 20);
    const account = buy(p, openAccount(p, 'c1'), 'p1', 100, T - 40 * DAY);
    expect(kinds(tick(p, account, new Date(T), { customer }))).toEqual(['expire 100 from pending']);
  });

  test('a lot only released, and a lot only expired, in one tick: the order is unchanged (expire, then release)', () => {
    const p = program(14, 20);
    let account = buy(p, openAccount(p, 'c1'), 'old', 50, T - 25 * DAY);
    account = apply(account, tick(p, account, new Date(T - 10 * DAY), { customer }));
    account = buy(p, account, 'new', 70, T - 15 * DAY);
    expect(kinds(tick(p, account, new Date(T), { customer }))).toEqual(['expire 50 from available', 'release']);
  });
});
