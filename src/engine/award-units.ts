// The awards of the rules that fired, on integers: order amounts in the currency's minor units,
// points and factors as counts of their own last decimal, each award one exact division rounded
// by the program's mode. Plain numbers while every value is a safe integer, bigints beyond, and
// beyond 10^48 (where the Decimal path's 50 significant digits could round) undefined, so the
// caller runs the Decimal path (awards.ts), which stays the reference these must equal.
import { Decimal } from '../money/decimal';
import { MAX_SAFE, POW10, bigUnitsOf, decimalOfUnits, pow10Big, roundDiv, roundDivBig, unitsOf, type Scaled } from '../money/minor';
import type { ProgramConfig, EarningRule } from '../schema/program';
import type { AwardPlan, EarnPlan } from './earn-plan';
import { NONE_YET, type Draft } from './limits';
import type { LineMatcher } from './rule-selection';
import type { OrderView } from './order';

/**
 * Thrown inside this module when a value leaves the range of the path computing it, or is one the
 * integer paths leave to the Decimal path: a negative line multiplier (additive stacking of
 * factors below 1), whose awards the Decimal path rounds below zero or refuses to allocate.
 */
class OutOfRange extends Error {}
const OUT_OF_RANGE = new OutOfRange('out of range');

/** Below this, Decimal's 50 significant digits hold every intermediate of the Decimal path exactly. */
const DECIMAL_EXACT = 10n ** 48n;

function safe(x: number): number {
  if (!(x <= MAX_SAFE)) throw OUT_OF_RANGE;
  return x;
}

function exact(x: bigint): bigint {
  if (x >= DECIMAL_EXACT) throw OUT_OF_RANGE;
  return x;
}

/** A draft made on integers: `raw` (read by explanations only) is worked out when asked. */
class UnitDraft implements Draft {
  points: Decimal;
  pointUnits: number;
  readonly weights = null;
  clipped: Draft['clipped'] = NONE_YET;
  counters: Draft['counters'] = NONE_YET;
  readonly rule: EarningRule;
  readonly index: number;
  readonly lineUnits: readonly number[] | readonly bigint[] | null;
  readonly #numerator: number | bigint;
  readonly #denominator: number | bigint;

  constructor(rule: EarningRule, index: number, points: number | bigint, numerator: number | bigint, denominator: number | bigint, lineUnits: readonly number[] | readonly bigint[] | null) {
    this.rule = rule;
    this.index = index;
    this.points = decimalOfUnits(points, 0);
    this.pointUnits = typeof points === 'number' ? points : Number.NaN;
    this.#numerator = numerator;
    this.#denominator = denominator;
    this.lineUnits = lineUnits;
  }

  get raw(): Decimal {
    return new Decimal(this.#numerator.toString()).div(this.#denominator.toString());
  }
}

/** What every award of one event reads. */
export interface AwardInput {
  readonly plan: EarnPlan;
  readonly config: ProgramConfig;
  readonly order: OrderView | undefined;
  readonly lines: LineMatcher;
  readonly fired: readonly number[];
  readonly multiplierRules: readonly number[];
  readonly kindFactors: readonly Decimal[];
}

/**
 * The draft award of every fired rule that is not a multiplier, rounded, before limits, on
 * integers; undefined when the values are too large for the integer paths to match the Decimal path.
 */
export function draftAwardsOnUnits(input: AwardInput): Draft[] | undefined {
  return onUnits(input).drafts;
}

/** Which path makes the awards of `input`: numbers, bigints, or (undefined drafts) the Decimal path. Tests count them. */
export function unitPathOf(input: AwardInput): 'numbers' | 'bigints' | 'decimal' {
  return onUnits(input).path;
}

function onUnits(input: AwardInput): { path: 'numbers' | 'bigints' | 'decimal'; drafts: Draft[] | undefined } {
  try {
    return { path: 'numbers', drafts: draftsOnNumbers(input) };
  } catch (e) {
    if (!(e instanceof OutOfRange)) throw e;
  }
  try {
    return { path: 'bigints', drafts: draftsOnBigints(input) };
  } catch (e) {
    if (!(e instanceof OutOfRange)) throw e;
    return { path: 'decimal', drafts: undefined };
  }
}

function scaledFactor(value: Decimal): Scaled {
  const scale = value.decimalPlaces();
  const big = bigUnitsOf(value, scale) ?? 0n;
  return { value, units: unitsOf(value, scale), big, scale };
}

/** `a > b`: on their counts when both are safe at one scale (the usual whole factors), else on Decimals. */
function greater(a: Scaled, b: Scaled): boolean {
  if (a.scale === b.scale && a.units === a.units && b.units === b.units) return a.units > b.units;
  return a.value.gt(b.value);
}

function highest(factors: readonly Scaled[]): Scaled {
  let best = factors[0] as Scaled;
  for (const f of factors) if (greater(f, best)) best = f;
  return best;
}

// ---- numbers ----

/**
 * The fired multiplier rules' factors, each with the lines its rule matches, and the kind's
 * factors (every line): what stacks on each line, gathered once per event, without a list of
 * factors per line. Undefined when nothing multiplies.
 */
interface LineFactors {
  readonly factors: readonly Scaled[];
  readonly matches: readonly (readonly boolean[])[];
  readonly kind: readonly Scaled[];
}

const NO_FACTORS: readonly Scaled[] = Object.freeze([]);

function lineFactorsOf(input: AwardInput): LineFactors | undefined {
  const { plan, multiplierRules, lines, kindFactors } = input;
  if (multiplierRules.length === 0 && kindFactors.length === 0) return undefined;
  const factors: Scaled[] = [];
  const matches: (readonly boolean[])[] = [];
  for (const i of multiplierRules) {
    const award = plan.awards[i];
    if (award?.kind !== 'multiplier') continue;
    factors.push(award.factor);
    matches.push(lines.matches(i));
  }
  return { factors, matches, kind: kindFactors.length > 0 ? kindFactors.map(scaledFactor) : NO_FACTORS };
}

/**
 * Writes the factors that apply to line `l` into `out` from index 0, the fired multiplier rules'
 * that match it in rule order, then the kind's; returns how many. `out` is one scratch list
 * per event, reused line after line.
 */
function factorsOfLine(f: LineFactors, l: number, out: Scaled[]): number {
  let k = 0;
  for (let j = 0; j < f.factors.length; j++) if (f.matches[j]?.[l] === true) out[k++] = f.factors[j] as Scaled;
  for (let j = 0; j < f.kind.length; j++) out[k++] = f.kind[j] as Scaled;
  return k;
}

/** The first `count` factors of `fs` stacked: `m` a count of 10^-`s` (the first two slots of `out`). */
function stackOnNumbers(fs: readonly Scaled[], count: number, stacking: ProgramConfig['stacking'], out: [number, number]): void {
  let m = 1;
  let s = 0;
  if (count > 0 && stacking === 'highest') {
    let best = fs[0] as Scaled;
    for (let k = 1; k < count; k++) if (greater(fs[k] as Scaled, best)) best = fs[k] as Scaled;
    m = safe(best.units);
    s = best.scale;
  } else if (count > 0 && stacking === 'additive') {
    for (let k = 0; k < count; k++) s = Math.max(s, (fs[k] as Scaled).scale);
    m = -safe((count - 1) * safe(POW10[s] ?? Number.NaN));
    for (let k = 0; k < count; k++) {
      const f = fs[k] as Scaled;
      m = safe(m + safe(safe(f.units) * (POW10[s - f.scale] as number)));
    }
  } else if (count > 0) {
    for (let k = 0; k < count; k++) {
      const f = fs[k] as Scaled;
      m = safe(m * safe(f.units));
      s += f.scale;
    }
  }
  out[0] = m;
  out[1] = s;
}

/** Each line's stacked multiplier as a count of 10^-scale, all lines at one scale. */
function multipliersOnNumbers(f: LineFactors, lineCount: number, stacking: ProgramConfig['stacking']): { m: number[]; scale: number } {
  const ms = new Array<number>(lineCount);
  const scales = new Array<number>(lineCount);
  const fs: Scaled[] = [];
  const stacked: [number, number] = [1, 0];
  let scale = 0;
  for (let l = 0; l < lineCount; l++) {
    stackOnNumbers(fs, factorsOfLine(f, l, fs), stacking, stacked);
    const m = stacked[0];
    const s = stacked[1];
    if (m < 0) throw OUT_OF_RANGE;
    ms[l] = m;
    scales[l] = s;
    scale = Math.max(scale, s);
  }
  if (scale > 22) throw OUT_OF_RANGE;
  for (let l = 0; l < lineCount; l++) ms[l] = safe((ms[l] as number) * (POW10[scale - (scales[l] as number)] as number));
  return { m: ms, scale };
}

function orderUnitsOnNumbers(order: OrderView, places: number): { readonly eligible: readonly number[]; readonly nets: readonly number[] } {
  // viewOrder counted them already, unless points redeemed on the order changed what earns.
  if (order.units && places === order.units.places) return order.units;
  const eligible: number[] = [];
  const nets: number[] = [];
  for (const view of order.lines) {
    eligible.push(safe(unitsOf(view.eligible, places)));
    nets.push(safe(unitsOf(view.net, places)));
  }
  return { eligible, nets };
}

/** Weights that spread an order-level award over the lines: eligible amounts, else nets, else equal. */
function fixedWeightsOnNumbers(eligible: readonly number[], nets: readonly number[]): readonly number[] {
  if (eligible.some((w) => w > 0)) return eligible;
  if (nets.some((w) => w > 0)) return nets;
  return nets.map(() => 1);
}

function draftsOnNumbers(input: AwardInput): Draft[] {
  const { plan, config, order, fired, lines } = input;
  const units = order ? orderUnitsOnNumbers(order, plan.places) : undefined;
  const factors = order ? lineFactorsOf(input) : undefined;
  const stacked = order && factors ? multipliersOnNumbers(factors, order.lines.length, config.stacking) : undefined;
  let fixedWeights: readonly number[] | undefined;
  const drafts: Draft[] = [];
  for (const i of fired) {
    const award = plan.awards[i];
    const rule = config.rules[i];
    if (!rule || !award || award.kind === 'multiplier') continue;
    if (award.kind === 'fixed') {
      const points = safe(award.points.units);
      if (units) fixedWeights ??= fixedWeightsOnNumbers(units.eligible, units.nets);
      drafts.push(new UnitDraft(rule, i, points, points, 1, units ? (fixedWeights ?? null) : null));
    } else if (order && units) {
      drafts.push(lineDraftOnNumbers(input, rule, i, award, order, units.eligible, stacked, lines.matches(i)));
    } else drafts.push(new UnitDraft(rule, i, 0, 0, 1, null));
  }
  return drafts;
}

/** A per-amount or per-item award over the matching, earning lines, with the line multipliers. */
function lineDraftOnNumbers(
  input: AwardInput,
  rule: EarningRule,
  index: number,
  award: Exclude<AwardPlan, { kind: 'fixed' | 'multiplier' }>,
  order: OrderView,
  eligible: readonly number[],
  stacked: { m: number[]; scale: number } | undefined,
  matches: readonly boolean[],
): Draft {
  const { places } = input.plan;
  const scale = stacked?.scale ?? 0;
  const p = safe(award.points.units);
  // One slot per line, sized once (a list grown by push reserves 16 slots at its first).
  const weights = new Array<number>(order.lines.length);
  let total = 0;
  let base = 0;
  for (let l = 0; l < order.lines.length; l++) {
    const view = order.lines[l];
    if (!view || !matches[l] || view.excluded) {
      weights[l] = 0;
      continue;
    }
    const m = stacked ? (stacked.m[l] as number) : 1;
    const w = award.kind === 'per_item' ? safe(safe(p * view.line.quantity) * m) : safe((eligible[l] as number) * m);
    weights[l] = w;
    total = safe(total + w);
    base = safe(base + (eligible[l] as number));
  }
  let numerator: number;
  let denominator: number;
  if (award.kind === 'per_item') {
    numerator = total;
    denominator = safe(POW10[award.points.scale + scale] ?? Number.NaN);
  } else if (award.whole) {
    // Full multiples of `per` in the eligible spend, times points, spread as the multiplied spend.
    const per = safe(award.per.units);
    const full = base === 0 ? 0 : safe(roundDiv(safe(base * (POW10[award.per.scale] as number)), safe(per * (POW10[places] as number)), 'floor'));
    numerator = safe(safe(full * p) * total);
    denominator = base === 0 ? 1 : safe(safe(POW10[award.points.scale + scale] ?? Number.NaN) * base);
  } else {
    numerator = safe(safe(total * p) * (POW10[award.per.scale] as number));
    denominator = safe(safe(award.per.units) * safe(POW10[places + scale + award.points.scale] ?? Number.NaN));
  }
  const points = safe(roundDiv(numerator, denominator, input.config.rounding));
  return new UnitDraft(rule, index, points, numerator, denominator, weights);
}

// ---- bigints ----

function bigOf(x: number | bigint | undefined): bigint {
  if (x === undefined || (typeof x === 'number' && !Number.isSafeInteger(x))) throw OUT_OF_RANGE;
  return BigInt(x);
}

function multipliersOnBigints(f: LineFactors, lineCount: number, stacking: ProgramConfig['stacking']): { m: bigint[]; scale: number } {
  const ms: bigint[] = [];
  const scales: number[] = [];
  const scratch: Scaled[] = [];
  let scale = 0;
  for (let l = 0; l < lineCount; l++) {
    const fs = scratch.slice(0, factorsOfLine(f, l, scratch));
    let m = 1n;
    let s = 0;
    if (fs.length > 0 && stacking === 'highest') {
      const f = highest(fs);
      m = f.big;
      s = f.scale;
    } else if (fs.length > 0 && stacking === 'additive') {
      for (const f of fs) s = Math.max(s, f.scale);
      m = -BigInt(fs.length - 1) * pow10Big(s);
      for (const f of fs) m = exact(m + f.big * pow10Big(s - f.scale));
    } else if (fs.length > 0) {
      for (const f of fs) {
        m = exact(m * f.big);
        s += f.scale;
      }
    }
    if (m < 0n) throw OUT_OF_RANGE;
    ms.push(exact(m));
    scales.push(s);
    scale = Math.max(scale, s);
  }
  for (let l = 0; l < ms.length; l++) ms[l] = exact((ms[l] as bigint) * pow10Big(scale - (scales[l] as number)));
  return { m: ms, scale };
}

function draftsOnBigints(input: AwardInput): Draft[] {
  const { plan, config, order, fired, lines } = input;
  const places = plan.places;
  const eligible = order?.lines.map((v) => exact(bigUnitsOf(v.eligible, places) ?? DECIMAL_EXACT));
  const nets = order?.lines.map((v) => exact(bigUnitsOf(v.net, places) ?? DECIMAL_EXACT));
  const factors = order ? lineFactorsOf(input) : undefined;
  const stacked = order && factors ? multipliersOnBigints(factors, order.lines.length, config.stacking) : undefined;
  const drafts: Draft[] = [];
  for (const i of fired) {
    const award = plan.awards[i];
    const rule = config.rules[i];
    if (!rule || !award || award.kind === 'multiplier') continue;
    if (award.kind === 'fixed') {
      const weights = eligible && nets ? (eligible.some((w) => w > 0n) ? eligible : nets.some((w) => w > 0n) ? nets : nets.map(() => 1n)) : null;
      drafts.push(new UnitDraft(rule, i, award.points.big, award.points.big, 1n, weights));
    } else if (order && eligible) {
      drafts.push(lineDraftOnBigints(input, rule, i, award, order, eligible, stacked, lines.matches(i)));
    } else drafts.push(new UnitDraft(rule, i, 0n, 0n, 1n, null));
  }
  return drafts;
}

function lineDraftOnBigints(
  input: AwardInput,
  rule: EarningRule,
  index: number,
  award: Exclude<AwardPlan, { kind: 'fixed' | 'multiplier' }>,
  order: OrderView,
  eligible: readonly bigint[],
  stacked: { m: bigint[]; scale: number } | undefined,
  matches: readonly boolean[],
): Draft {
  const { places } = input.plan;
  const scale = stacked?.scale ?? 0;
  const p = award.points.big;
  const weights: bigint[] = [];
  let total = 0n;
  let base = 0n;
  order.lines.forEach((view, l) => {
    if (!matches[l] || view.excluded) {
      weights.push(0n);
      return;
    }
    const m = stacked?.m[l] ?? 1n;
    const w = exact(award.kind === 'per_item' ? p * bigOf(view.line.quantity) * m : (eligible[l] ?? 0n) * m);
    weights.push(w);
    total = exact(total + w);
    base = exact(base + (eligible[l] ?? 0n));
  });
  let numerator: bigint;
  let denominator: bigint;
  if (award.kind === 'per_item') {
    numerator = total;
    denominator = pow10Big(award.points.scale + scale);
  } else if (award.whole) {
    const full = base === 0n ? 0n : exact(base * pow10Big(award.per.scale)) / exact(award.per.big * pow10Big(places));
    numerator = exact(exact(full * p) * total);
    denominator = base === 0n ? 1n : exact(pow10Big(award.points.scale + scale) * base);
  } else {
    numerator = exact(total * p * pow10Big(award.per.scale));
    denominator = exact(award.per.big * pow10Big(places + scale + award.points.scale));
  }
  return new UnitDraft(rule, index, roundDivBig(numerator, denominator, input.config.rounding), numerator, denominator, weights);
}
