// A zone's UTC offset at an instant, cached per UTC day, and per 15-minute bucket on the days
// that hold a change.
//
// `exactOffset` reads the runtime's time zone data through a cached Intl.DateTimeFormat, exactly
// as @date-fns/tz's `tzOffset` does (same format, same parsing, same quirks), so both agree to
// the bit. `offsetAt` first looks at the day: a day whose offset is the same at its first and
// last millisecond has that one offset throughout (no zone changes its offset and back within
// 24 hours; ./fast.ts already assumes none does within 27), and two Intl calls answer every
// instant of it. A day that holds a change (two or so a year) is remembered as such and goes
// to the buckets, which trust a value only for a bucket whose offset is the same at both ends;
// a bucket that contains the change is answered exactly every time.

const DAY_MS = 86_400_000;
// Direct-mapped by day number: 8,192 days (22 years) of a zone in 128 KiB. A backtest reads
// about two years (events, expiries a year on, next year's birthdays).
const DAY_SLOTS = 8192;
const BUCKET_MS = 15 * 60_000;
// Buckets, direct-mapped: only the days that hold a change come here (two or so a zone a
// year), so 4,096 buckets (42 days, 64 KiB a zone) rarely see two of them collide; a
// collision costs two Intl calls, not a wrong answer. (Before the day cache, every instant came
// here, and 65,536 buckets, 1 MiB a zone, were needed for a replay not to evict its own.)
const SLOTS = 4096;

/** A change of offset: from `at` on (an instant in ms) the offset is `after`, just before it `before`. */
export interface OffsetChange {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** The cached offsets of one zone. */
export interface ZoneOffsets {
  readonly zone: string;
  /** Changes of offset found so far (most recent last; bounded). */
  readonly changes: OffsetChange[];
  readonly format: (ms: number) => string;
  /** Bucket number held in each slot (NaN: empty). */
  readonly keys: Float64Array;
  /** The offset (minutes, as `tzOffset` gives it) of the whole bucket; NaN when it has a change. */
  readonly values: Float64Array;
  /** Day number (UTC days since the epoch) held in each day slot (NaN: empty). */
  readonly dayKeys: Float64Array;
  /** The offset of the whole day; NaN when the day holds a change. */
  readonly dayValues: Float64Array;
}

const zones = new Map<string, ZoneOffsets>();

/** The offset cache of a zone the caller has already checked to be valid. */
export function zoneOffsets(zone: string): ZoneOffsets {
  let z = zones.get(zone);
  if (z === undefined) {
    z = emptyZoneOffsets(zone);
    zones.set(zone, z);
  }
  return z;
}

/** A new, empty offset cache of a zone (the shared one is `zoneOffsets`'s; tests compare a fresh one). */
export function emptyZoneOffsets(zone: string): ZoneOffsets {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).format;
  return {
    zone,
    changes: [],
    format: (ms: number) => format(ms),
    keys: new Float64Array(SLOTS).fill(Number.NaN),
    values: new Float64Array(SLOTS),
    dayKeys: new Float64Array(DAY_SLOTS).fill(Number.NaN),
    dayValues: new Float64Array(DAY_SLOTS),
  };
}

const parsed = new Map<string, number>();

/**
 * The offset in minutes at `ms`, read from the time zone data: east of UTC is positive, and a
 * historical offset with seconds gives a fraction. Mirrors @date-fns/tz `tzOffset` exactly,
 * including its reading of `-00:mm` offsets as positive.
 */
export function exactOffset(z: ZoneOffsets, ms: number): number {
  // `"11/22/2026, GMT-05:00"` → `"-05:00"`; `"…, GMT"` (UTC) → `""`.
  const text = z.format(ms).split('GMT')[1] ?? '';
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const values = text.split(':');
  const hours = +(values[0] || 0);
  const minutes = +(values[1] || 0);
  const seconds = +(values[2] || 0) / 60;
  const offset = hours * 60 + minutes > 0 ? hours * 60 + minutes + seconds : hours * 60 - minutes - seconds;
  parsed.set(text, offset);
  return offset;
}

/** The offset of the span [start, start + length) when its first and last millisecond agree, else NaN. */
function uniformOffset(z: ZoneOffsets, start: number, length: number): number {
  const first = exactOffset(z, start);
  return first === exactOffset(z, start + length - 1) ? first : Number.NaN;
}

/**
 * The offset of the 15-minute bucket containing `ms` when the whole bucket has one offset, else
 * NaN (the bucket holds a change: the caller must not assume anything about it).
 */
export function bucketOffset(z: ZoneOffsets, ms: number): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  const slot = ((bucket % SLOTS) + SLOTS) % SLOTS;
  if (z.keys[slot] === bucket) return z.values[slot] as number;
  const value = uniformOffset(z, bucket * BUCKET_MS, BUCKET_MS);
  z.keys[slot] = bucket;
  z.values[slot] = value;
  return value;
}

/**
 * The offset of the UTC day containing `ms` when the whole day has one offset, else NaN (the
 * day holds a change: ask the buckets).
 */
export function dayOffset(z: ZoneOffsets, ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  // `&` maps negative day numbers too (two's complement); every valid Date's day fits in 32 bits.
  const slot = day & (DAY_SLOTS - 1);
  if (z.dayKeys[slot] === day) return z.dayValues[slot] as number;
  const value = uniformOffset(z, day * DAY_MS, DAY_MS);
  z.dayKeys[slot] = day;
  z.dayValues[slot] = value;
  return value;
}

/** The offset in minutes at `ms`: from the day's cache, else its bucket's, else read exactly. */
export function offsetAt(z: ZoneOffsets, ms: number): number {
  const daily = dayOffset(z, ms);
  if (daily === daily) return daily;
  const cached = bucketOffset(z, ms);
  return cached === cached ? cached : exactOffset(z, ms);
}

/**
 * The shift in seconds from an instant to its wall clock at `offset` minutes, rounded as TZDate
 * rounds it: `wall = instant + shift × 1000`.
 */
export function wallShiftSeconds(offset: number): number {
  return -Math.round(-offset * 60);
}

const MAX_CHANGES = 64;

/**
 * The change of offset between `a` (offset `oa`) and `b` (offset `ob ≠ oa`), a < b, found by
 * bisection and remembered. Undefined when there is more than one (the offset at some instant
 * between is neither `oa` nor `ob`). Assumes the offset does not change and change back
 * between `a` and `b`: callers keep them at most 27 hours apart.
 */
export function changeBetween(z: ZoneOffsets, a: number, oa: number, b: number, ob: number): OffsetChange | undefined {
  for (const c of z.changes) if (c.at > a && c.at <= b && c.before === oa && c.after === ob) return c;
  let lo = a;
  let hi = b;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const o = offsetAt(z, mid);
    if (o === oa) lo = mid;
    else if (o === ob) hi = mid;
    else return undefined;
  }
  const change = { at: hi, before: oa, after: ob };
  if (z.changes.length >= MAX_CHANGES) z.changes.shift();
  z.changes.push(change);
  return change;
}
