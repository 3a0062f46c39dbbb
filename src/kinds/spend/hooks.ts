import { Decimal, ZERO, ONE, HUNDRED } from '../../money/decimal';
import { allocate, minorUnits, round } from '../../money';
import { addDaysIn } from '../../time';
import type { ProgressState } from './state';
import type { AccountState, Entry, LineShare } from '../../ledger/types';
import { earnLot, type NewLot } from '../../engine/earn-lot';
import type { PurchaseEvent } from '../../schema/events';
import type { ExpiryPolicy } from '../../schema/program';
import type { SpendProgramConfig } from './schema';
import { CASH_BACK, NOTHING, creditUnit, percentOf, progressOf, rewardRule, spendConfig, sum, wholeTimes } from './common';
import { onRefund } from './refund';
import { expiresAt } from '../../engine/expiry';
import type { Notification } from '../../engine/notifications';
import type { OrderView } from '../../engine/order';
import type { KindEventContext, KindHooks, KindResult } from '../types';
import { lotId, noticeId, noticePrefix } from '../../ledger/ids';

// The spend kind: cash-back / store credit in money, and Kohl's-style progress.
//
// Cash-back credit lots carry their split over the order's lines but no `orderId`: the spend kind
// claws them back itself on refunds (below), in the currency's minor units. The shared refund
// (engine/refund.ts) splits a line's share per unit and rounds refunds by amount in whole units
// only, which is right for points and punches but not for cents of credit.


// ---- Purchases ---------------------------------------------------------------------------------

/** Writes earn entries for one event, repaying the unit's debt first, and sums what they earned. */
class Earner {
  readonly entries: Entry[] = [];
  total = ZERO;
  pending = ZERO;
  private debt: Decimal;

  constructor(
    private readonly config: SpendProgramConfig,
    private readonly event: PurchaseEvent,
    after: AccountState,
  ) {
    this.debt = after.debt[creditUnit(config)] ?? ZERO;
  }

  earn(id: string, ruleId: string, amount: Decimal, pendingDays: number, policy: ExpiryPolicy, lines?: LineShare[]): void {
    const { config, event } = this;
    const at = event.occurredAt;
    const availableAt = pendingDays > 0 ? addDaysIn(at, pendingDays, config.timeZone) : at;
    const unit = creditUnit(config);
    const lot: NewLot = {
      id,
      unit,
      amount,
      earnedAt: at,
      availableAt,
      expiresAt: expiresAt(policy, at, config.timeZone),
      account: availableAt.getTime() > at.getTime() ? 'pending' : 'available',
      cause: { eventId: event.id, ruleId, programVersion: config.version },
    };
    const earned = earnLot(lot, this.debt, ruleId, lines);
    this.debt = earned.debt;
    this.entries.push(earned.entry);
    this.total = this.total.plus(amount);
    if (lot.account === 'pending') this.pending = this.pending.plus(amount);
  }
}

/**
 * A purchase: cash-back credit (one lot, split over the lines by their weighted eligible amounts),
 * then progress, converting each full threshold into a reward lot and carrying the rest.
 */
function onPurchase(ctx: KindEventContext, config: SpendProgramConfig, event: PurchaseEvent, order: OrderView): KindResult {
  const earner = new Earner(config, event, ctx.after);
  const places = minorUnits(config.currency);
  const stateEntries: Entry[] = [];

  if (config.credit) {
    const credit = config.credit;
    const weights = order.lines.map((v) => (v.excluded ? ZERO : Decimal.max(ZERO, v.eligible).times(percentOf(credit, v.line.categories))));
    // One rounding for the whole order, to the currency's minor unit.
    const amount = round(sum(weights).div(HUNDRED), places, credit.rounding);
    if (amount.gt(0)) {
      const shares = allocate(amount, weights, { places });
      const lines = order.lines.map((v, l): LineShare => ({ lineId: v.line.lineId, quantity: v.line.quantity, amount: shares[l] ?? ZERO }));
      earner.earn(lotId({ kind: 'rule', eventId: event.id, ruleId: CASH_BACK }), CASH_BACK, amount, credit.pendingDays, credit.expiry, lines);
    }
  }

  if (config.progress) {
    const progress = config.progress;
    const perLine = order.lines.map((v) => (v.excluded ? ZERO : Decimal.max(ZERO, v.eligible).times(progress.per)));
    const added = sum(perLine);
    if (added.gt(0)) {
      const before = progressOf(ctx.after);
      const total = before.carried.plus(added);
      const count = wholeTimes(total, progress.threshold).toNumber();
      const carried = total.minus(progress.threshold.times(count));
      for (let k = 1; k <= count; k++) earner.earn(lotId({ kind: 'reward', eventId: event.id, n: k }), rewardRule(config), progress.reward, progress.pendingDays, progress.expiry);
      const value: ProgressState = {
        kind: 'progress',
        carried,
        converted: before.converted + count,
        unwound: before.unwound,
        order: {
          orderId: event.orderId,
          progress: added,
          lines: order.lines.map((v, l) => ({ lineId: v.line.lineId, quantity: v.line.quantity, amount: perLine[l] ?? ZERO })),
          rewardsConverted: count,
        },
      };
      const converted = count === 0 ? 'no reward yet' : `${count} reward(s) of ${progress.reward.toString()} ${config.currency} converted at ${progress.threshold.toString()} each`;
      stateEntries.push({
        kind: 'state',
        key: 'progress',
        value,
        reason: `order ${event.orderId} added ${added.toString()} progress to ${before.carried.toString()} carried: ${converted}; ${carried.toString()} carried`,
      });
    }
  }

  const notifications: Notification[] = [];
  if (earner.total.gt(0)) {
    notifications.push({
      id: noticeId(noticePrefix('event', event.id), 'credit.earned'),
      type: 'credit.earned',
      programId: ctx.program.id,
      customerId: ctx.account.customerId,
      at: event.occurredAt,
      amount: earner.total,
      currency: config.currency,
      pending: earner.pending,
      eventId: event.id,
    });
  }
  return { entries: [...earner.entries, ...stateEntries], notifications };
}

/**
 * The `spend` kind's hooks. Its unit is store credit in the program's currency
 * (`credit:<CUR>`, worth one currency unit each), so quotes, redemptions and holds burn credit,
 * capped by the order's redeemable amount. On a purchase it earns cash-back credit and/or builds
 * Kohl's-style progress (see `spendProgramSchema`); on a refund it claws the credit back exactly
 * and takes the progress back. Pending credit is released and expired credit removed by `tick`,
 * as for any lot.
 *
 * @example
 * ```ts
 * const program = defineProgram({ kind: 'spend', id: 'cash-back', version: 1, currency: 'USD', timeZone: 'UTC', credit: { percent: 5 } });
 * spendHooks.unit(program); // 'credit:USD'
 * const d = evaluate(program, openAccount(program, 'c1'), parseEvent({
 *   id: 'e1', customerId: 'c1', type: 'purchase', orderId: 'A', currency: 'USD', occurredAt: '2027-03-01T12:00:00Z',
 *   lines: [{ lineId: 'l1', sku: 'shoes', quantity: 1, unitPrice: '80.00' }],
 * }));
 * // d.transaction.entries: activity, then an earn of 4.00 `credit:USD` (lot `e1:credit`)
 * ```
 */
export const spendHooks: KindHooks = {
  unit: (program) => creditUnit(spendConfig(program)),
  rate: () => ONE,
  onEvent: (ctx) => {
    const config = spendConfig(ctx.program);
    if (ctx.event.type === 'purchase' && ctx.order) return onPurchase(ctx, config, ctx.event, ctx.order);
    if (ctx.event.type === 'refund') return onRefund(ctx, config, ctx.event);
    return NOTHING;
  },
};
