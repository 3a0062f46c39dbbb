export { Decimal, isDecimal } from './decimal';
export type { DecimalInput } from './decimal';
export { CURRENCIES, currency, isCurrencyCode, minorUnits } from './currencies';
export type { CurrencyCode, CurrencyInfo } from './currencies';
export { ROUNDING_MODES, isRoundingMode, round } from './rounding';
export type { RoundingMode } from './rounding';
export {
  addMoney,
  canonicalDecimal,
  compareMoney,
  formatMoney,
  fromMinorUnits,
  isZero,
  money,
  multiplyMoney,
  parseDecimal,
  roundMoney,
  subtractMoney,
  sumMoney,
  toMinorUnits,
} from './money';
export type { Money } from './money';
export { allocate } from './allocate';
export type { AllocateOptions } from './allocate';
export { points } from './points';
export type { Points } from './points';
