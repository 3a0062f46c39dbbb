export { fixedClock, systemClock } from './clock';
export type { Clock, FixedClock } from './clock';
export {
  addDaysIn,
  addMonthsIn,
  daysInMonth,
  endOfDayIn,
  endOfMonthIn,
  endOfQuarterIn,
  endOfWeekIn,
  endOfYearIn,
  isValidTimeZone,
  localDateTimeIn,
  startOfDayIn,
  startOfMonthIn,
  startOfQuarterIn,
  startOfWeekIn,
  startOfYearIn,
  zonedParts,
} from './calendar';
export type { ZonedParts } from './calendar';
export { birthdayInYear, isBirthday, isBirthdayMonth, nextBirthdayStart, parseBirthday } from './birthday';
export type { Birthday, BirthdayInput } from './birthday';
