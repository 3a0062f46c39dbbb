// Awards of the rules that fired on one event: line multipliers, the drafts of each award (before
// limits), and the entries they write.
import { Decimal, ZERO, ONE } from '../money/decimal';
import { allocate, round } from '../money';
import { decimalOfUnits, splitUnitsBig, splitUnitsInto, unitsOf } from '../money/minor';
import { addDaysIn } from '../time';
import type { AccountState, CounterChange, Entry, LineShare, Lot } from '../ledger/types';
import type { LoyaltyEvent, PurchaseLine } from '../schema/events';
import type { EarningRule, ProgramConfig } from '../schema/program';
import { ruleLotId, ruleLotPrefix } from './earn-plan';
import { compiledOf } from './program';
import { earnLot } from './earn-lot';
import { expiresAt } from './expiry';
import { NONE_YET, awardsPoints, type Draft } from './limits';
import type { LineMatcher } from './rule-selection';
import type { LineView, OrderView } from './order';
import type { Program } from './program-type';

function stack(factors: readonly Decimal[], mode: 'highest' | 'additive' | 'multiplicative'): Decimal {
  if (factors.length === 0) return ONE;
  if (mode === 'highest') return Decimal.max(...factors);
  if (mode === 'additive') return factors.reduce((s, f) => s.plus(f.minus(1)), ONE);
  return factors.reduce((s, f) => s.times(f), ONE);
}

/**
 * The earn multiplier of each order line: the factors of the multiplier rules that fired and
 * match the line, and the kind's factors (a tier's, a member's) on every line, stacked by the
 * program's stacking mode. Empty without an order.
 */
export function lineMultipliers(config: ProgramConfig, order: OrderView | undefined, lines: LineMatcher, multiplierRules: readonly number[], kindFactors: readonly Decimal[]): Decimal[] {
  const factorsPerLine: Decimal[][] = order ? order.lines.map(() => []) : [];
  for (const i of multiplierRules) {
    const rule = config.rules[i];
    if (!rule || rule.award.kind !== 'multiplier') continue;
    const factor = rule.award.factor;
    lines.matches(i).forEach((m, l) => {
      if (m) factorsPerLine[l]?.push(factor);
    });
  }
  if (kindFactors.length > 0) for (const fs of factorsPerLine) fs.push(...kindFactors);
  return factorsPerLine.map((fs) => stack(fs, config.stacking));
}

/** The base (per-amount / per-item) award of a rule over the order's lines, with line multipliers. */
function lineAward(rule: EarningRule, order: OrderView, matches: readonly boolean[], multipliers: readonly Decimal[]): { raw: Decimal; weights: Decimal[] } {
  const award = rule.award;
  const weights: Decimal[] = order.lines.map((view, l) => {
    if (!matches[l] || view.excluded) return ZERO;
    const m = multipliers[l] ?? ONE;
    const base = award.kind === 'per_item' ? award.points.times(view.line.quantity) : view.eligible;
    return m.eq(ONE) ? base : base.times(m);
  });
  let raw = weights.reduce((s, w) => s.plus(w), ZERO);
  if (award.kind === 'per_amount') {
    if (award.whole) {
      const base = order.lines.reduce((s, view, l) => (matches[l] && !view.excluded ? s.plus(view.eligible) : s), ZERO);
      const full = base.div(award.per).floor().times(award.points);
      raw = base.isZero() ? ZERO : full.times(raw).div(base);
    } else {
      if (!award.points.eq(ONE)) raw = raw.times(award.points);
      if (!award.per.eq(ONE)) raw = raw.div(award.per);
    }
  }
  return { raw, weights };
}

/** Weights that spread an order-level award (a fixed bonus) over the lines. */
function orderWeights(order: OrderView): Decimal[] {
  const eligible = order.lines.map((v) => v.eligible);
  if (eligible.some((w) => w.gt(0))) return eligible;
  const nets = order.lines.map((v) => v.net);
  if (nets.some((w) => w.gt(0))) return nets;
  return order.lines.map(() => ONE);
}

/** The draft award of every fired rule that is not a multiplier, rounded, before limits. */
export function draftAwards(config: ProgramConfig, order: OrderView | undefined, lines: LineMatcher, fired: readonly number[], multipliers: readonly Decimal[]): Draft[] {
  const drafts: Draft[] = [];
  for (const i of fired) {
    const rule = config.rules[i];
    if (!rule || rule.award.kind === 'multiplier') continue;
    let raw: Decimal;
    let weights: Decimal[] | null = null;
    if (rule.award.kind === 'fixed') {
      raw = rule.award.points;
      if (order) weights = orderWeights(order);
    } else if (order) {
      const a = lineAward(rule, order, lines.matches(i), multipliers);
      raw = a.raw;
      weights = a.weights;
    } else raw = ZERO;
    const points = round(raw, 0, config.rounding);
    drafts.push({ rule, index: i, raw, points, pointUnits: unitsOf(points, 0), weights, lineUnits: null, clipped: NONE_YET, counters: NONE_YET });
  }
  return drafts;
}

/**
 * What the line shares of one event's lots reuse: a scratch list for the integer split (one list
 * for every lot, not one per lot), and each line's share of nothing, made the first time a lot
 * gives a line 0 and shared by every lot of the event that does (many lines earn nothing from a
 * rule that matches other lines). A share is an immutable value, frozen so that no holder can
 * change what the others read.
 */
class ShareScratch {
  readonly parts: number[] = [];
  readonly #zero: (LineShare | undefined)[] = [];

  /** Line `l`'s share of nothing. */
  zero(l: number, line: PurchaseLine): LineShare {
    return (this.#zero[l] ??= Object.freeze({ lineId: line.lineId, quantity: line.quantity, amount: ZERO }));
  }
}

/**
 * The draft's points split over the order's lines by its weights, largest remainder: Decimals for
 * Decimal weights (`allocate`) or weights too large for numbers (bigints); undefined when the
 * draft has no weights, or when whole counts were written into `scratch.parts` (numbers, the usual
 * case: integer weights from award-units.ts), then true.
 */
function splitDraft(draft: Draft, scratch: ShareScratch): readonly Decimal[] | undefined | true {
  const weights = draft.lineUnits;
  if (weights === null) return draft.weights ? allocate(draft.points, draft.weights) : undefined;
  const points = draft.pointUnits;
  if (points === points && isNumbers(weights) && splitUnitsInto(points, weights, scratch.parts)) return true;
  const big = weights.map((w) => BigInt(w));
  return splitUnitsBig(BigInt(draft.points.toFixed(0)), big).map((p) => decimalOfUnits(p, 0));
}

function isNumbers(units: readonly number[] | readonly bigint[]): units is readonly number[] {
  return units.length === 0 || typeof units[0] === 'number';
}

/** Each order line's share of a draft's points (undefined when the draft has no weights). */
function lineSharesOf(order: OrderView, draft: Draft, scratch: ShareScratch): LineShare[] | undefined {
  const split = splitDraft(draft, scratch);
  if (!split) return undefined;
  const views = order.lines;
  const out = new Array<LineShare>(views.length);
  for (let l = 0; l < views.length; l++) {
    const line = (views[l] as LineView).line;
    if (split !== true) {
      out[l] = { lineId: line.lineId, quantity: line.quantity, amount: split[l] ?? ZERO };
      continue;
    }
    const part = scratch.parts[l] as number;
    out[l] = part === 0 ? scratch.zero(l, line) : { lineId: line.lineId, quantity: line.quantity, amount: decimalOfUnits(part, 0) };
  }
  return out;
}

/** The activity of an order: what it spent and what of it earned, line by line. */
function activityEntry(event: LoyaltyEvent, order: OrderView): Entry {
  return {
    kind: 'activity',
    spend: order.summary.subtotal,
    orders: 1,
    purchaseAt: event.occurredAt,
    orderId: order.summary.id,
    eligible: order.summary.eligibleSubtotal,
    lines: order.lines.map((v) => ({ lineId: v.line.lineId, quantity: v.line.quantity, net: v.net })),
  };
}

/** When a rule's lots of this event become spendable and expire; most rules share the program's terms, worked out once per event. */
interface LotTerms {
  readonly availableAt: Date;
  readonly expiresAt: Date | null;
}

function lotTerms(config: ProgramConfig, event: LoyaltyEvent, rule: EarningRule): LotTerms {
  const pendingDays = rule.pendingDays ?? (event.type === 'purchase' ? config.pending.purchaseDays : 0);
  const availableAt = pendingDays > 0 ? addDaysIn(event.occurredAt, pendingDays, config.timeZone) : event.occurredAt;
  return { availableAt, expiresAt: expiresAt(rule.expiry ?? config.expiry, event.occurredAt, config.timeZone) };
}

/**
 * The lot a rule's award makes, as earned without debt (`remaining` its whole amount); literals,
 * not spreads: this runs for every award of every event. With debt, `earnLot` rewrites it.
 */
function ruleLot(id: string, points: Decimal, event: LoyaltyEvent, rule: EarningRule, version: number, terms: LotTerms, orderId: string | undefined): Lot {
  const at = event.occurredAt;
  const account = terms.availableAt.getTime() > at.getTime() ? 'pending' : 'available';
  const cause = { eventId: event.id, ruleId: rule.id, programVersion: version };
  return orderId === undefined
    ? { id, unit: 'points', amount: points, remaining: points, earnedAt: at, availableAt: terms.availableAt, expiresAt: terms.expiresAt, account, cause }
    : { id, unit: 'points', amount: points, remaining: points, earnedAt: at, availableAt: terms.availableAt, expiresAt: terms.expiresAt, account, cause, orderId };
}

/** The activity of an order, one earn entry (a lot) per award, repaying debt first, and the limit counters used. */
export function earnEntries(program: Program, account: AccountState, event: LoyaltyEvent, order: OrderView | undefined, drafts: readonly Draft[]): Entry[] {
  const { config } = program;
  const entries: Entry[] = order ? [activityEntry(event, order)] : [];
  let debt = account.debt.points ?? ZERO;
  let owed = !debt.isZero();
  let counters: CounterChange[] | undefined;
  let shared: LotTerms | undefined;
  let prefix: string | undefined;
  const plan = compiledOf(program).earn;
  const orderId = order?.summary.id;
  const scratch = order ? new ShareScratch() : undefined;
  for (const draft of drafts) {
    if (!awardsPoints(draft)) continue;
    const rule = draft.rule;
    prefix ??= ruleLotPrefix(event.id);
    const lotId = ruleLotId(plan, prefix, event.id, draft.index, rule.id);
    const used = draft.counters;
    for (let k = 0; k < used.length; k++) {
      const c = used[k] as CounterChange;
      (counters ??= []).push({ key: c.key, count: c.count, points: c.points, keepUntil: c.keepUntil, lot: lotId });
    }
    const terms = rule.pendingDays === undefined && rule.expiry === undefined ? (shared ??= lotTerms(config, event, rule)) : lotTerms(config, event, rule);
    const lines = order && scratch ? lineSharesOf(order, draft, scratch) : undefined;
    const lot = ruleLot(lotId, draft.points, event, rule, config.version, terms, orderId);
    // Without debt (the usual case) earnLot's entry is this lot as it is: nothing repaid, no copy.
    if (!owed) entries.push(lines ? { kind: 'earn', unit: 'points', lot, repaid: debt, ruleId: rule.id, lines } : { kind: 'earn', unit: 'points', lot, repaid: debt, ruleId: rule.id });
    else {
      const earned = earnLot(lot, debt, rule.id, lines);
      debt = earned.debt;
      owed = !debt.isZero();
      entries.push(earned.entry);
    }
  }
  if (counters) entries.push({ kind: 'usage', counters });
  return entries;
}
