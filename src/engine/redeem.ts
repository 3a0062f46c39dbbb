import { Decimal, ZERO } from '../money/decimal';
import { markOf } from '../ledger/lot-index';
import { minorUnits, round } from '../money';
import { balanceAt } from '../ledger/read';
import type { AccountState, Entry, LotDraw, Transaction, Unit } from '../ledger/types';
import type { CancelRequest, CaptureRequest, CheckoutOrder, HoldRequest, QuoteRequest, RedeemRequest, ReleaseRequest } from '../schema/requests';
import type { Decision } from './decision';
import { accept, refuse } from './outcome';
import type { Program } from './program-type';
import type { Notification } from './notifications';
import { hooksOf, KindCache } from '../kinds';
import { releaseEntry, settleLapsedHolds, sliceDraws, spend } from './lots';
import { redemptionDraws, restoredFrom, restoreEntry } from './restore';

export { redemptionDraws, restoredFrom, restoreEntry };
import { transactionId } from '../ledger/ids';


/** Why a quote gave fewer points than asked. */
export type ClampReason = 'balance' | 'max_points' | 'max_share' | 'order_amount' | 'step' | 'min_points';

/** One clamp a quote applied, with the bound that bit. */
export interface Clamp {
  readonly reason: ClampReason;
  readonly before: Decimal;
  readonly after: Decimal;
  readonly message: string;
}

/** A checkout quote: how many points the customer can burn on the order, for what discount. */
export interface Quote {
  /** Points that would be burnt. */
  readonly points: Decimal;
  /** The discount they buy, in the order's currency (rounded down to its minor unit). */
  readonly discount: Decimal;
  readonly currency: string;
  /** Points asked for ("max" becomes the available balance). */
  readonly requested: Decimal | 'max';
  /** The part of the order points may pay: lines not excluded from redemption, net of discounts. */
  readonly eligibleAmount: Decimal;
  readonly available: Decimal;
  /** Every clamp applied, in order. */
  readonly clamps: readonly Clamp[];
  /** What is burnt: `points`, or store credit (`credit:<currency>`) in a spend program. */
  readonly unit: Unit;
  /** A paid membership's discount on the order, where its benefits hold. */
  readonly memberDiscount?: { readonly percent: Decimal; readonly amount: Decimal };
}

/** The order amount points may pay for: lines not excluded from redemption, net; shipping and tax are outside. */
export function redeemableAmount(program: Program, order: CheckoutOrder): Decimal {
  const ex = program.config.redemption.exclude;
  return order.lines.reduce((sum, line) => {
    const excluded = ex.skus.includes(line.sku) || line.categories.some((c) => ex.categories.includes(c)) || line.tags.some((t) => ex.tags.includes(t));
    return excluded ? sum : sum.plus(line.unitPrice.times(line.quantity).minus(line.discount));
  }, ZERO);
}

/**
 * The checkout slider: the discount a number of points buys on an order at the program's rate
 * (e.g. 100 points = $1.00), clamped by the balance, max points, the max share of the order, the
 * order's amount, the step and the minimum, each clamp with its reason. Pure: nothing is written.
 *
 * @example
 * ```ts
 * const q = quote(program, account, quoteRequestSchema.parse({ order, points: 1250, at: '2027-03-01T12:00:00Z' }));
 * q.points.toString(); // '900'   (50 % of an $18.00 order)
 * q.clamps[0]?.reason; // 'max_share'
 * ```
 */
export function quote(program: Program, account: AccountState, request: QuoteRequest): Quote {
  const { redemption } = program.config;
  const hooks = hooksOf(program);
  const rate = hooks.rate(program);
  const unit = hooks.unit(program);
  const places = unit === 'points' ? 0 : minorUnits(program.config.currency);
  const available = Decimal.max(ZERO, balanceAt(account, request.at, unit).available);
  const eligibleAmount = redeemableAmount(program, request.order);
  const clamps: Clamp[] = [];
  let points = request.points === 'max' ? available : request.points;
  const clamp = (reason: ClampReason, bound: Decimal, message: string): void => {
    if (points.gt(bound)) {
      clamps.push({ reason, before: points, after: bound, message });
      points = bound;
    }
  };
  clamp('balance', available, `only ${available.toString()} points are available`);
  if (redemption.maxPoints !== undefined) clamp('max_points', redemption.maxPoints, `at most ${redemption.maxPoints.toString()} points per order`);
  if (redemption.maxShare !== undefined) {
    clamp('max_share', round(eligibleAmount.times(redemption.maxShare).times(rate), places, 'down'), `points may pay at most ${redemption.maxShare.times(100).toString()}% of ${eligibleAmount.toString()}`);
  }
  clamp('order_amount', round(eligibleAmount.times(rate), places, 'down'), `points cannot pay more than the order's ${eligibleAmount.toString()}`);
  if (redemption.step !== undefined && redemption.step.gt(0)) {
    clamp('step', points.div(redemption.step).floor().times(redemption.step), `points go in steps of ${redemption.step.toString()}`);
  }
  if (redemption.minPoints !== undefined && points.gt(0) && points.lt(redemption.minPoints)) {
    clamps.push({ reason: 'min_points', before: points, after: ZERO, message: `at least ${redemption.minPoints.toString()} points per redemption` });
    points = ZERO;
  }
  const discount = round(points.div(rate), minorUnits(request.order.currency), 'down');
  const member = hooks.discount?.({ program, account, customer: undefined, at: request.at, order: request.order, eligibleAmount, cache: new KindCache() });
  return { points, discount, currency: request.order.currency, requested: request.points, eligibleAmount, available, clamps, unit, ...(member ? { memberDiscount: member } : {}) };
}

/**
 * Refuses (`invalid_points`, at `['points']`) an amount the program's unit cannot hold: points
 * are whole; store credit has at most the currency's decimals. Every amount-carrying request
 * (redeem, hold, capture, adjust credits and debits) goes through it, so no operation leaves a
 * remainder (999.9999999) that can never be spent. Returns a refusal or null.
 */
export function checkUnitAmount(program: Program, points: Decimal): Decision | null {
  const unit = hooksOf(program).unit(program);
  if (unit === 'points' ? !points.isInteger() : points.decimalPlaces() > minorUnits(program.config.currency)) {
    return refuse('invalid_points', ['points'], unit === 'points' ? `points are whole, asked ${points.toString()}` : `credit has at most ${minorUnits(program.config.currency)} decimals, asked ${points.toString()}`);
  }
  return null;
}

/** Checks the unit, minimum, step and maximum; returns a refusal or null. */
function checkAmount(program: Program, points: Decimal): Decision | null {
  const { redemption } = program.config;
  const invalid = checkUnitAmount(program, points);
  if (invalid) return invalid;
  if (redemption.minPoints !== undefined && points.lt(redemption.minPoints)) {
    return refuse('below_minimum', ['points'], `at least ${redemption.minPoints.toString()} points per redemption, asked ${points.toString()}`);
  }
  if (redemption.step !== undefined && redemption.step.gt(0) && !points.mod(redemption.step).isZero()) {
    return refuse('not_step_multiple', ['points'], `points go in steps of ${redemption.step.toString()}, asked ${points.toString()}`);
  }
  if (redemption.maxPoints !== undefined && points.gt(redemption.maxPoints)) {
    return refuse('above_maximum', ['points'], `at most ${redemption.maxPoints.toString()} points per redemption, asked ${points.toString()}`);
  }
  return null;
}

function insufficient(program: Program, account: AccountState, points: Decimal, at: Date): Decision {
  const available = balanceAt(account, at, hooksOf(program).unit(program)).available;
  return refuse('insufficient_points', ['points'], `${points.toString()} points asked, ${available.toString()} available`);
}

/**
 * Burns points: consumes lots soonest-expiring first, then oldest. Refusals are typed:
 * `below_minimum`, `not_step_multiple`, `above_maximum`, `insufficient_points`, and
 * `exceeds_order_cap` when an order is given and the quote allows fewer points.
 *
 * @example
 * ```ts
 * const d = redeem(program, account, redeemRequestSchema.parse({ requestId: 'r1', points: 500, at: '2027-03-01T12:00:00Z' }));
 * ```
 */
export function redeem(program: Program, account: AccountState, request: RedeemRequest): Decision {
  const bad = checkAmount(program, request.points);
  if (bad) return bad;
  if (request.order) {
    const q = quote(program, account, { order: request.order, points: request.points, at: request.at });
    const cap = q.clamps.find((c) => c.reason !== 'balance');
    if (cap) return refuse('exceeds_order_cap', ['points'], cap.message);
  }
  const unit = hooksOf(program).unit(program);
  const settled = settleLapsedHolds(account, request.at);
  const draws = spend(settled.state, request.points, request.at, unit);
  if (!draws) return insufficient(program, account, request.points, request.at);
  const orderId = request.orderId;
  return accept(program, account, transactionId('redeem', request.requestId), request.at, { kind: 'request', requestId: request.requestId, operation: 'redeem' }, [
    ...settled.entries,
    { kind: 'redeem', unit, draws, ...(orderId !== undefined ? { orderId } : {}) },
  ]);
}

/**
 * Cancels a redemption (or the order it paid for): its points come back with their original
 * expiry; those whose lot expired in the meantime stay expired. What a refund or a reversal
 * already gave back is not given twice. A redemption is cancelled at most once.
 *
 * @example
 * ```ts
 * const d = cancelRedemption(program, account, cancelRequestSchema.parse({ requestId: 'c1', transactionId: 'redeem:r1', at }), redemptionTx);
 * ```
 */
export function cancelRedemption(program: Program, account: AccountState, request: CancelRequest, redemption: Transaction, options?: CancelOptions): Decision {
  if (redemptionDraws(redemption).length === 0) return refuse('not_a_redemption', ['transactionId'], `${redemption.id} is not a redemption`);
  const mark = `cancelled:${redemption.id}`;
  const cancelledBy = markOf(account, mark);
  if (cancelledBy !== undefined) return refuse('already_cancelled', ['transactionId'], `${redemption.id} was cancelled by ${cancelledBy}`);
  const total = redemptionDraws(redemption).reduce((s, d) => s.plus(d.amount), ZERO);
  const done = restoredFrom(account, redemption.id);
  const entry = restoreEntry(account, redemption, done, total.minus(done), request.at);
  const id = transactionId('cancel', request.requestId);
  const entries: Entry[] = [...(entry ? [entry] : []), { kind: 'mark', key: mark, value: id }];
  // Cancelling a catalog reward voids its code: the host is told to deactivate it, and the
  // service returns the stock it consumed.
  const rewardId = rewardOf(redemption);
  const voided: Notification[] =
    rewardId === undefined
      ? []
      : [
          {
            id: `${id}:reward.voided`,
            type: 'reward.voided',
            programId: program.id,
            customerId: account.customerId,
            at: request.at,
            rewardId,
            transactionId: redemption.id,
            ...(redemption.cause.kind === 'request' ? { requestId: redemption.cause.requestId } : {}),
            ...(options?.code !== undefined ? { code: options.code } : {}),
          },
        ];
  return accept(program, account, id, request.at, { kind: 'request', requestId: request.requestId, operation: 'cancel' }, entries, voided);
}

/** What the host knows that the redemption does not: the code a cancelled reward was issued with. */
export interface CancelOptions {
  /** The code of the reward being cancelled, carried into `reward.voided`. */
  readonly code?: string | undefined;
}

/**
 * The catalog reward a redemption bought, if it bought one.
 *
 * @example
 * ```ts
 * rewardOf(rewardTransaction); // 'free-coffee'
 * rewardOf(checkoutRedemption); // undefined
 * ```
 */
export function rewardOf(redemption: Transaction): string | undefined {
  for (const e of redemption.entries) if (e.kind === 'redeem' && e.rewardId !== undefined) return e.rewardId;
  return undefined;
}

/**
 * Two-phase redemption, phase one: reserves points at checkout. Held points count against the
 * available balance until captured, released, or the hold times out (default: the program's
 * `redemption.holdMinutes`).
 *
 * @example
 * ```ts
 * const d = hold(program, account, holdRequestSchema.parse({ requestId: 'h1', points: 500, at }));
 * ```
 */
export function hold(program: Program, account: AccountState, request: HoldRequest): Decision {
  const bad = checkAmount(program, request.points);
  if (bad) return bad;
  const unit = hooksOf(program).unit(program);
  const settled = settleLapsedHolds(account, request.at);
  const draws = spend(settled.state, request.points, request.at, unit);
  if (!draws) return insufficient(program, account, request.points, request.at);
  const minutes = request.timeoutMinutes ?? program.config.redemption.holdMinutes;
  const expiresAt = new Date(request.at.getTime() + minutes * 60_000);
  return accept(program, account, transactionId('hold', request.requestId), request.at, { kind: 'request', requestId: request.requestId, operation: 'hold' }, [
    ...settled.entries,
    { kind: 'hold', unit, hold: { id: request.requestId, unit, draws, expiresAt, ...(request.orderId !== undefined ? { orderId: request.orderId } : {}) } },
  ]);
}

function findHold(account: AccountState, holdId: string, at: Date): { draws: readonly LotDraw[]; orderId: string | undefined } | Decision {
  const h = account.holds.find((x) => x.id === holdId);
  if (!h) return refuse('unknown_hold', ['holdId'], `no open hold "${holdId}"`);
  if (h.expiresAt.getTime() <= at.getTime()) return refuse('hold_expired', ['holdId'], `hold "${holdId}" lapsed at ${h.expiresAt.toISOString()}`);
  return { draws: h.draws, orderId: h.orderId };
}

/**
 * Phase two: takes all (default) or part of a hold; the rest stays held until released or timed out.
 * A part is whole points (whole minor units of credit), else `invalid_points`.
 *
 * @example
 * ```ts
 * const d = capture(program, account, captureRequestSchema.parse({ requestId: 'c1', holdId: 'h1', points: 300, at }));
 * ```
 */
export function capture(program: Program, account: AccountState, request: CaptureRequest): Decision {
  const found = findHold(account, request.holdId, request.at);
  if ('ok' in found) return found;
  const held = found.draws.reduce((s, d) => s.plus(d.amount), ZERO);
  const points = request.points ?? held;
  const invalid = checkUnitAmount(program, points);
  if (invalid) return invalid;
  if (points.gt(held)) return refuse('exceeds_hold', ['points'], `hold "${request.holdId}" reserves ${held.toString()} points, ${points.toString()} asked`);
  const draws = sliceDraws(found.draws, ZERO, points);
  return accept(program, account, transactionId('capture', request.requestId), request.at, { kind: 'request', requestId: request.requestId, operation: 'capture' }, [
    { kind: 'capture', unit: draws[0]?.terms.unit ?? 'points', holdId: request.holdId, draws, ...(found.orderId !== undefined ? { orderId: found.orderId } : {}) },
  ]);
}

/**
 * Returns what a hold still reserves to the lots it came from (expired lots excepted).
 *
 * @example
 * ```ts
 * const d = release(program, account, releaseRequestSchema.parse({ requestId: 'x1', holdId: 'h1', at }));
 * ```
 */
export function release(program: Program, account: AccountState, request: ReleaseRequest): Decision {
  const h = account.holds.find((x) => x.id === request.holdId);
  if (!h) return refuse('unknown_hold', ['holdId'], `no open hold "${request.holdId}"`);
  return accept(program, account, transactionId('release', request.requestId), request.at, { kind: 'request', requestId: request.requestId, operation: 'release' }, [
    releaseEntry(account, h.id, h.draws, request.at),
  ]);
}
