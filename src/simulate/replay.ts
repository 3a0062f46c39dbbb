import { LoyaltyError } from '../errors';
import { customerSchema, type Customer } from '../schema/customer';
import { eventSchema, type LoyaltyEvent } from '../schema/events';
import { fastEvent } from '../schema/fast/event';
import { issuesFromZod } from '../schema/issues';
import { instantSchema } from '../schema/primitives';
import { applyTransaction, emptyAccountState } from '../ledger/fold';
import type { AccountState, Transaction, Unit } from '../ledger/types';
import { evaluate } from '../engine/evaluate';
import { hooksOf } from '../kinds';
import type { Program } from '../engine/program';
import { INPUT_REFUSALS } from '../engine/refusals';
import { nextDueKeeping, tickKeeping } from '../engine/tick';
import { BirthdayStarts } from '../engine/schedule-birthdays';
import { addDaysIn, startOfDayIn } from '../time';
import { minorUnits } from '../money/currencies';
import { metricsAccumulator, type MetricsAccumulator, type MetricsOptions, type MetricsState } from '../metrics';
import { Books } from './books';
import { RetainedOrders, type RetainedOrder } from './orders';
import { Schedule, type Scheduled } from './schedule';
import type { SimulateOptions } from './types';

/** The service schedules a new account from the epoch (it has never been ticked). */
const EPOCH = new Date(0);
/** How long the service's `tickDue` waits before it tries a failing account again. */
const TICK_RETRY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/** One customer's account in the replay: the state, its schedule, and the orders a refund may name. */
export interface Slot extends Scheduled {
  readonly customer: Customer;
  state: AccountState;
  tickedAt: Date | null;
  /** Transactions by order id, kept for refunds; with the purchase's instant for retention. Null until the first order. */
  orders: Map<string, RetainedOrder> | null;
  readonly books: Books;
  transactions: number;
  /** The customer's birthday starts by year, when the program pays birthdays and they gave one. */
  readonly birthdays: BirthdayStarts | undefined;
}

/**
 * Replays a history through the pure engine exactly as `createLoyalty` over a store would process
 * it with its clock at each event's instant and `tickDue` at each day boundary: the same
 * idempotency, order claims, input refusals and schedule. Holds per-customer state only (and the
 * event and order ids the service's idempotency needs).
 */
export class Replay {
  readonly slots = new Map<string, Slot>();
  readonly unit: Unit;
  readonly books: Books;
  readonly refused = new Map<string, number>();
  readonly metrics: MetricsAccumulator;
  readonly metricsState: MetricsState;
  events = 0;
  transactions = 0;
  boundaries = 0;
  ticked = 0;
  tickFailures = 0;
  start: Date | null = null;
  end: Date | null = null;
  private nextBoundary: Date | null = null;
  /** The instant of the last tick, so that `finish` does not tick the same instant twice. */
  private lastTickAt = Number.NaN;
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastId = '';
  private readonly seenEvents = new Set<string>();
  private readonly claimedOrders = new Set<string>();
  /** Accounts with something due, by due instant: a boundary ticks only those. */
  private readonly schedule = new Schedule<Slot>();
  private readonly retained: RetainedOrders<Slot>;
  /** Steps per unit of the books: 1 for points and punches, the currency's minor units for credit. */
  private readonly scale: number;

  constructor(
    readonly program: Program,
    private readonly options: SimulateOptions = {},
  ) {
    this.unit = hooksOf(program).unit(program);
    this.scale = this.unit.startsWith('credit:') ? 10 ** minorUnits(program.config.currency) : 1;
    this.books = new Books(this.unit, this.scale);
    this.retained = new RetainedOrders((options.orderRetentionDays ?? Number.POSITIVE_INFINITY) * DAY_MS);
    this.metrics = metricsAccumulator(metricsOptionsOf(program, this.unit, options.metrics));
    this.metricsState = this.metrics.empty();
    if (options.start !== undefined) this.begin(parseInstant(options.start, 'start'));
  }

  /** Adds a customer (as `upsertCustomer` enrolling them before the first event would). */
  addCustomer(input: unknown): void {
    const parsed = customerSchema.safeParse(input);
    if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error, ['customers']));
    const customer = parsed.data;
    if (this.slots.has(customer.id)) throw new LoyaltyError([{ code: 'duplicate_customer', path: ['customers'], message: `customer "${customer.id}" is given twice` }]);
    const state = emptyAccountState(this.program.id, customer.id);
    const birthdays = this.program.config.birthday && customer.birthday ? new BirthdayStarts() : undefined;
    const due = nextDueKeeping(this.program, state, EPOCH, { customer }, birthdays);
    this.metrics.addCustomer(this.metricsState, customer);
    const slot: Slot = { customer, state, dueAt: Number.POSITIVE_INFINITY, order: this.slots.size, heapIndex: -1, tickedAt: null, orders: null, books: new Books(this.unit, this.scale), transactions: 0, birthdays };
    this.slots.set(customer.id, slot);
    this.schedule.set(slot, due ? due.getTime() : Number.POSITIVE_INFINITY);
  }

  /** Replays one event, after ticking every day boundary up to its instant. Refuses an event out of time order. */
  push(input: unknown): void {
    const event = fastEvent(input) ?? this.parseSlowly(input);
    const at = event.occurredAt.getTime();
    if (at < this.lastAt) throw outOfOrder(event.id, at, this.lastId, this.lastAt);
    this.lastAt = at;
    this.lastId = event.id;
    this.events += 1;
    if (this.nextBoundary === null) this.begin(event.occurredAt);
    this.tickThrough(event.occurredAt);
    this.process(event);
  }

  /** The zod parse: for what the hand-written validator leaves to it, and for the error of an invalid event. */
  private parseSlowly(input: unknown): LoyaltyEvent {
    const parsed = eventSchema.safeParse(input);
    if (parsed.success) return parsed.data;
    const id = typeof input === 'object' && input !== null && 'id' in input ? String(input.id) : `#${this.events}`;
    throw new LoyaltyError(issuesFromZod(parsed.error, ['events', id]));
  }

  /** Ticks through `until` (default: the first day boundary after the last event) and closes the run. */
  finish(until?: unknown): Date {
    const given = until ?? this.options.until;
    const end = given !== undefined ? parseInstant(given, 'until') : this.defaultEnd();
    if (this.nextBoundary === null) this.begin(end);
    this.tickThrough(end);
    if (this.lastTickAt !== end.getTime()) this.tickAll(end);
    this.end = end;
    return end;
  }

  /** Ticks day boundaries from the first one after `at` (unless a start is set already). */
  startAt(at: Date): void {
    if (this.nextBoundary === null) this.begin(at);
  }

  private defaultEnd(): Date {
    if (!Number.isFinite(this.lastAt)) return this.start ?? EPOCH;
    return dayBoundaryAfter(this.program, new Date(this.lastAt));
  }

  private begin(start: Date): void {
    const zone = this.program.config.timeZone;
    this.start = start;
    this.nextBoundary = addDaysIn(startOfDayIn(start, zone), 1, zone);
  }

  private tickThrough(t: Date): void {
    const zone = this.program.config.timeZone;
    while (this.nextBoundary !== null && this.nextBoundary.getTime() <= t.getTime()) {
      this.retained.dropBefore(this.nextBoundary.getTime());
      this.tickAll(this.nextBoundary);
      this.nextBoundary = addDaysIn(this.nextBoundary, 1, zone);
    }
  }

  /** `tickDue` at `now` with no limit: every account whose due instant has come. */
  private tickAll(now: Date): void {
    this.boundaries += 1;
    this.lastTickAt = now.getTime();
    const t = now.getTime();
    for (const slot of this.schedule.takeDue(t)) {
      this.ticked += 1;
      try {
        const decision = tickKeeping(this.program, slot.state, now, { customer: slot.customer }, slot.birthdays);
        if (decision.ok && decision.transaction) this.write(slot, decision.transaction);
        const due = nextDueKeeping(this.program, slot.state, now, { customer: slot.customer }, slot.birthdays);
        this.schedule.set(slot, due ? due.getTime() : Number.POSITIVE_INFINITY);
        slot.tickedAt = now;
      } catch {
        // As the service: one failing account is retried after a pause, the others go on.
        this.tickFailures += 1;
        this.schedule.set(slot, t + TICK_RETRY_MS);
      }
    }
  }

  private refuse(code: string): void {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
  }

  /** `process` of one event, with the service's clock at the event's instant. */
  private process(event: LoyaltyEvent): void {
    if (this.seenEvents.has(event.id)) return this.refuse('replayed');
    const slot = this.slots.get(event.customerId);
    if (!slot) return this.refuse('unknown_customer');
    if (event.programId !== undefined && event.programId !== this.program.id) return this.refuse('unknown_program');
    if (event.type === 'purchase' && this.claimedOrders.has(event.orderId)) return this.refuse('order_conflict');
    const orderTransactions = event.type === 'refund' ? this.retained.transactionsOf(slot, event.orderId, event.occurredAt.getTime()) : undefined;
    const decision = evaluate(this.program, slot.state, event, { customer: slot.customer, now: event.occurredAt, orderTransactions });
    if (!decision.ok) {
      const codes = decision.issues.map((i) => i.code);
      // Input refusals, and a refund of an order no program knows, are thrown by the service: not recorded.
      const thrown = codes.some((c) => INPUT_REFUSALS.has(c)) || (event.type === 'refund' && codes.includes('unknown_order'));
      this.refuse(codes[0] ?? 'refused');
      if (thrown) return;
    } else if (decision.transaction) {
      this.write(slot, decision.transaction);
      const due = nextDueKeeping(this.program, slot.state, slot.tickedAt ?? EPOCH, { customer: slot.customer }, slot.birthdays);
      this.schedule.set(slot, due ? due.getTime() : Number.POSITIVE_INFINITY);
    }
    // Recorded by the service (a transaction or a business refusal): it counts in the metrics.
    this.seenEvents.add(event.id);
    if (event.type === 'purchase') this.claimedOrders.add(event.orderId);
    this.metrics.addEvent(this.metricsState, event);
  }

  /** The one place a transaction lands: the state, the order index, the books and the caller's feed. */
  private write(slot: Slot, tx: Transaction): void {
    slot.state = applyTransaction(slot.state, tx);
    slot.transactions += 1;
    this.transactions += 1;
    this.retained.add(slot, tx);
    this.books.add(tx);
    slot.books.add(tx);
    this.metrics.addTransaction(this.metricsState, tx);
    this.options.onTransaction?.(tx);
  }
}

/** The first day boundary of the program's zone after `t`: where a replay ends by default. */
export function dayBoundaryAfter(program: Program, t: Date): Date {
  const zone = program.config.timeZone;
  return addDaysIn(startOfDayIn(t, zone), 1, zone);
}

/**
 * The metrics of a replay: in the program's zone and currency, by month, points in the program's
 * unit valued at its redemption rate; `given` overrides any of it.
 */
export function metricsOptionsOf(program: Program, unit: Unit, given: Partial<MetricsOptions> | undefined): MetricsOptions {
  const currency = program.config.currency;
  return {
    timeZone: program.config.timeZone,
    period: 'month',
    currency,
    unit,
    pointDecimals: unit === 'points' ? 0 : minorUnits(currency),
    valuePerPoint: hooksOf(program).rate(program).pow(-1),
    programId: program.id,
    ...given,
  };
}

/** The error of an event read after a later one. */
export function outOfOrder(id: string, at: number, lastId: string, lastAt: number): LoyaltyError {
  return new LoyaltyError([{
    code: 'events_out_of_order',
    path: ['events', id],
    message: `event "${id}" occurred at ${new Date(at).toISOString()}, before the event "${lastId}" read before it (${new Date(lastAt).toISOString()}): events must be sorted by occurredAt`,
  }]);
}

function parseInstant(value: unknown, name: string): Date {
  const parsed = instantSchema.safeParse(value);
  if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error, ['options', name]));
  return parsed.data;
}
