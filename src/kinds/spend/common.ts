// What the spend kind's purchase and refund share: its config and unit, its progress state, exact whole multiples.
import { ZERO, type Decimal } from '../../money/decimal';
import type { AccountState, Unit } from '../../ledger/types';
import type { Program } from '../../engine/program-type';
import { configOf, stateOf } from '../shared';
import type { KindResult } from '../types';
import type { ProgressState } from './state';
import type { SpendProgramConfig } from './schema';

export const NOTHING: KindResult = { entries: [], notifications: [] };
/** The rule id recorded on cash-back lots (lot id `<event>:credit`). */
export const CASH_BACK = 'credit';
/** The rule id recorded on converted rewards unless the config names one (lot id `<event>:reward:<n>`). */
export const REWARD = 'reward';

export function spendConfig(program: Program): SpendProgramConfig {
  const config = configOf(program, 'spend');
  if (!config) throw new TypeError(`program ${program.id} is a ${program.config.kind} program, not a spend program`);
  return config;
}

export const creditUnit = (config: SpendProgramConfig): Unit => `credit:${config.currency}`;
export const rewardRule = (config: SpendProgramConfig): string => config.progress?.rewardId ?? REWARD;
export const sum = (xs: readonly Decimal[]): Decimal => xs.reduce((s, x) => s.plus(x), ZERO);

/** The progress state of an account (zero when it has none yet). */
export function progressOf(state: AccountState): ProgressState {
  return stateOf(state, 'progress', 'progress') ?? { kind: 'progress', carried: ZERO, converted: 0, unwound: 0 };
}

/** A line's cash-back percent: the highest of its categories' percents, else the program's. */
export function percentOf(credit: NonNullable<SpendProgramConfig['credit']>, categories: readonly string[]): Decimal {
  let best: Decimal | undefined;
  for (const c of categories) {
    const p = Object.hasOwn(credit.categoryPercents, c) ? credit.categoryPercents[c] : undefined;
    if (p !== undefined && (best === undefined || p.gt(best))) best = p;
  }
  return best ?? credit.percent;
}

/** The largest whole n with n × step ≤ x (x, step > 0), exactly. */
export function wholeTimes(x: Decimal, step: Decimal): Decimal {
  let n = x.div(step).floor();
  while (n.times(step).gt(x)) n = n.minus(1);
  while (n.plus(1).times(step).lte(x)) n = n.plus(1);
  return n;
}

/** The smallest whole n with n × step ≥ x (x, step > 0), exactly. */
export function wholeTimesUp(x: Decimal, step: Decimal): Decimal {
  const n = wholeTimes(x, step);
  return n.times(step).eq(x) ? n : n.plus(1);
}

/** The decimals needed to split amounts exactly. */
export const placesOf = (xs: readonly Decimal[]): number => xs.reduce((m, x) => Math.max(m, x.decimalPlaces()), 0);
