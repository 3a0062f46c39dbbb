// Order exports write times in many ways; the library takes ISO 8601 with an offset. This turns
// the common forms into that, and applies `--time-zone` to times written without an offset.
import { TZDate } from '@date-fns/tz';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * "2027-01-31 10:00:00 -0500" → "2027-01-31T10:00:00-05:00". A time without an offset is read in
 * `timeZone` when given, else returned unchanged (the schema then refuses it with
 * `invalid_instant`, naming the cell). Unrecognised text is returned unchanged too.
 */
export function normaliseInstant(text: string, timeZone: string | undefined): string {
  const m = LOCAL.exec(text.trim());
  if (!m) return text;
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', offset] = m;
  if (offset !== undefined) {
    const zone = /^(z|utc)$/i.test(offset) ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}${zone}`;
  }
  if (timeZone === undefined) return text;
  const local = new TZDate(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')), timeZone);
  return new Date(local.getTime()).toISOString();
}
