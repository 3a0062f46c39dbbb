import { ZERO } from '../money/decimal';
import { addMonthsIn, zonedParts } from '../time';
import type { AccountState, Entry, LotDraw } from '../ledger/types';
import { lotCount, markOf, noticeKey } from '../ledger/lot-index';
import { lotsExpiredAt, lotsReleasedAt, lotsToNotice, nextLotInstant, releasedBeforeGone } from './due-lots';
import type { Customer } from '../schema/customer';
import type { Decision } from './decision';
import { expiresAt as expiryOf } from './expiry';
import { drawOf, foldDraft, settleLapsedHolds } from './lots';
import { earnLot, type NewLot } from './earn-lot';
import type { Notification, NotificationBody } from './notifications';
import { accept } from './outcome';
import type { Program } from './program-type';
import { hooksOf, KindCache } from '../kinds';
import { lotId, tickId, tickNoticeId } from '../ledger/ids';
import { yearPaid } from '../ledger/read';
import { birthdayStartMs, nextBirthdayDue, type BirthdayStarts } from './schedule-birthdays';

const DAY_MS = 86_400_000;

/** Options of `tick` and `nextDueAt`. */
export interface TickOptions {
  /** The customer's profile: birthdays need it (and their zone). */
  readonly customer?: Customer | undefined;
}

function inactivityDeadline(program: Program, account: AccountState): Date | null {
  const policy = program.config.expiry;
  if (policy.kind !== 'inactivity' || account.stats.lastActivityAt === null) return null;
  return addMonthsIn(account.stats.lastActivityAt, policy.months, program.config.timeZone);
}

/** True unless the account is marked lapsed for this last purchase (no ISO string made when it has no mark). */
function notLapsedFor(account: AccountState, last: Date): boolean {
  const mark = markOf(account, 'lapsed');
  return mark === undefined || mark !== last.toISOString();
}

function lapseAt(program: Program, account: AccountState): Date | null {
  const last = account.stats.lastPurchaseAt;
  return last === null ? null : new Date(last.getTime() + program.config.lapseDays * DAY_MS);
}

/** What the steps of one tick share: the inputs, the entries so far, and the notice writer. */
interface TickRun {
  readonly program: Program;
  readonly account: AccountState;
  readonly now: Date;
  readonly entries: Entry[];
  readonly note: (n: NotificationBody, suffix: string) => void;
}

/**
 * The birthday bonus, once a year, in the customer's zone. Only a year later than the last one
 * paid: a zone change can move the local year back, and must not pay a birthday again.
 */
function birthdayBonus({ program, account, now, entries, note }: TickRun, customer: Customer | undefined, birthdays: BirthdayStarts | undefined): void {
  const { config } = program;
  if (!config.birthday || !customer?.birthday) return;
  const zone = customer.timeZone ?? config.timeZone;
  const year = zonedParts(now, zone).year;
  const startMs = birthdayStartMs(program, customer, year, birthdays);
  // NaN (no start) fails every comparison below, as the null it stands for did.
  if (!(startMs <= now.getTime()) || !(startMs >= customer.enrolledAt.getTime()) || year <= yearPaid(account, 'birthday')) return;
  const start = new Date(startMs);
  const points = config.birthday.points;
  const lot: NewLot = {
    id: lotId({ kind: 'birthday', year }),
    unit: 'points',
    amount: points,
    earnedAt: start,
    availableAt: start,
    expiresAt: expiryOf(config.birthday.expiry ?? config.expiry, start, config.timeZone),
    account: 'available',
    cause: { eventId: tickId(now), ruleId: 'birthday', programVersion: config.version },
  };
  if (points.gt(0)) entries.push(earnLot(lot, account.debt.points ?? ZERO, 'birthday').entry);
  entries.push({ kind: 'mark', key: 'birthday', value: String(year) });
  note({ type: 'birthday', year, points }, String(year));
}

/** Expiring-soon notices, `expiringNoticeDays` ahead, once per lot, one notice per expiry instant. */
function expiringNotices({ program, account, now, entries, note }: TickRun, expiredIds: ReadonlySet<string>): void {
  const ahead = program.config.expiringNoticeDays * DAY_MS;
  for (const [instant, lots] of lotsToNotice(account, now.getTime(), ahead, expiredIds)) {
    const at = now.toISOString();
    let points = ZERO;
    for (const lot of lots) {
      entries.push({ kind: 'mark', key: noticeKey(lot.id), value: at });
      points = points.plus(lot.remaining);
    }
    note({ type: 'points.expiring', points, expiresAt: new Date(instant), lots: lots.map((l) => l.id) }, String(instant));
  }
}

/**
 * Expires lots (every lot once the account is inactive, else those whose expiry has come), one
 * entry per unit. A pending lot that was released before it went gets its `release` first, so
 * the ledger says what a read as of an instant between the two saw: available, then expired.
 * Returns the ids of the lots expired.
 */
function expireLots({ account, now, entries, note }: TickRun, inactive: Date | null): ReadonlySet<string> {
  const t = now.getTime();
  const goneAt = inactive !== null && inactive.getTime() <= t ? inactive.getTime() : Number.POSITIVE_INFINITY;
  // Lots in expiry order up to the first one still good; every lot once the account is inactive.
  const gone = goneAt <= t ? account.lots : lotsExpiredAt(account, t);
  const expiring: LotDraw[] = gone.map((lot) => {
    if (!releasedBeforeGone(lot, t, goneAt)) return drawOf(lot, lot.remaining);
    entries.push({ kind: 'release', unit: lot.unit, lot: lot.id, amount: lot.remaining });
    return drawOf({ ...lot, account: 'available' }, lot.remaining);
  });
  for (const unit of [...new Set(expiring.map((d) => d.terms.unit))]) {
    const draws = expiring.filter((d) => d.terms.unit === unit);
    entries.push({ kind: 'expire', unit, draws });
    if (unit === 'points') note({ type: 'points.expired', points: draws.reduce((s, d) => s.plus(d.amount), ZERO) }, 'all');
  }
  return new Set(expiring.map((d) => d.lot));
}

/**
 * Does what time alone triggers, at `now`: expires lots (an expiry at t means gone at t; with an
 * inactivity policy, every lot after N months without activity), releases pending points whose
 * instant has come, lets lapsed holds go, awards the birthday bonus once a year in the customer's
 * zone, marks a customer lapsed once `lapseDays` × 24 h pass without a purchase, and emits
 * `points.expiring` (N days ahead), `points.expired`, `birthday` and `customer.lapsed`.
 * Running it twice at the same instant changes nothing the second time.
 *
 * @example
 * ```ts
 * const d = tick(program, account, new Date('2028-01-01T05:00:00Z'), { customer });
 * if (d.ok && d.transaction) account = applyEntries(account, d.transaction);
 * ```
 */
export function tick(program: Program, account: AccountState, now: Date, options?: TickOptions): Decision {
  return tickKeeping(program, account, now, options, undefined);
}

/** `tick`, with the customer's birthday starts kept in `birthdays` between calls (one per account). */
export function tickKeeping(program: Program, account: AccountState, now: Date, options: TickOptions | undefined, birthdays: BirthdayStarts | undefined): Decision {
  const { config } = program;
  const t = now.getTime();
  const entries: Entry[] = [];
  const notifications: Notification[] = [];
  const id = tickId(now);
  const note = (n: NotificationBody, suffix: string): void => {
    // The envelope's keys first, then the body: a spread into a literal that adds keys after it is slow on Node 20.
    notifications.push({ id: tickNoticeId(now, n.type, suffix), programId: program.id, customerId: account.customerId, at: now, ...n } as Notification);
  };
  const run: TickRun = { program, account, now, entries, note };

  // 1. Expiry (a pending lot released before it went is released first).
  const expiredIds = expireLots(run, inactivityDeadline(program, account));

  // 2. Pending points whose instant has come.
  for (const lot of lotsReleasedAt(account, t, expiredIds)) entries.push({ kind: 'release', unit: lot.unit, lot: lot.id, amount: lot.remaining });

  // 3. Holds past their timeout give their points back, to lots as they are after 1 and 2.
  // Entries of 1 and 2 never add a hold: without a lapsed hold now, the draft state is not needed.
  if (account.holds.some((h) => h.expiresAt.getTime() <= t)) entries.push(...settleLapsedHolds(foldDraft(account, now, entries), now).entries);

  // 4. Birthday bonus, once a year, in the customer's zone.
  const customer = options?.customer;
  birthdayBonus(run, customer, birthdays);

  // 5. Lapse: no purchase for lapseDays × 24 h, emitted once per last purchase.
  const lapse = lapseAt(program, account);
  const last = account.stats.lastPurchaseAt;
  if (lapse && last && lapse.getTime() <= t && markOf(account, 'lapsed') !== last.toISOString()) {
    entries.push({ kind: 'mark', key: 'lapsed', value: last.toISOString() });
    note({ type: 'customer.lapsed', lastPurchaseAt: last, days: config.lapseDays }, last.toISOString());
  }

  // 6. Expiring-soon notices, N days ahead, once per lot.
  expiringNotices(run, expiredIds);

  // 7. What the program's kind does with time (tier periods, membership renewals, card expiry).
  const hooks = hooksOf(program);
  if (hooks.onTick) {
    const extra = hooks.onTick({ program, account, customer, now, entries, after: foldDraft(account, now, entries), cache: new KindCache() });
    entries.push(...extra.entries);
    notifications.push(...extra.notifications);
  }

  return accept(program, account, id, now, { kind: 'tick' }, entries, notifications);
}

/**
 * When the account next needs a `tick` after `after`: the soonest of a lot's expiry, a pending
 * release, a hold's timeout, an expiring-soon notice, the next birthday, the lapse instant and the
 * inactivity deadline. One of these that is past but not yet written down (a lot still pending
 * after its release: a late purchase brings one after the account's last tick) is due at once,
 * `after` + 1 ms. Null when nothing is scheduled. Stores index accounts by it, so `tickDue`
 * finds due accounts without scanning all.
 *
 * @example
 * ```ts
 * nextDueAt(program, account, new Date('2027-03-01T00:00:00Z'), { customer })?.toISOString();
 * ```
 */
export function nextDueAt(program: Program, account: AccountState, after: Date, options?: TickOptions): Date | null {
  return nextDueKeeping(program, account, after, options, undefined);
}

/** `nextDueAt`, with the customer's birthday starts kept in `birthdays` between calls (one per account). */
export function nextDueKeeping(program: Program, account: AccountState, after: Date, options: TickOptions | undefined, birthdays: BirthdayStarts | undefined): Date | null {
  const { config } = program;
  const t = after.getTime();
  let best = Number.POSITIVE_INFINITY;
  const consider = (d: Date | null | undefined): void => {
    if (d && d.getTime() > t && d.getTime() < best) best = d.getTime();
  };
  // What the state shows undone although its instant is past (a late event can bring it after
  // the last tick) is due at once: `tick` at any later instant does it.
  const owed = (d: Date | null): void => {
    if (d) best = Math.min(best, Math.max(d.getTime(), t + 1));
  };
  best = nextLotInstant(account, t, config.expiringNoticeDays * DAY_MS);
  for (const h of account.holds) owed(h.expiresAt);
  if (lotCount(account) > 0) owed(inactivityDeadline(program, account));
  const last = account.stats.lastPurchaseAt;
  if (last && notLapsedFor(account, last)) owed(lapseAt(program, account));
  const customer = options?.customer;
  if (customer) best = Math.min(best, nextBirthdayDue(program, account, after, customer, birthdays));
  consider(hooksOf(program).nextDueAt?.({ program, account, customer, after, cache: new KindCache() }));
  return Number.isFinite(best) ? new Date(best) : null;
}
