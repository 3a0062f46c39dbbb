// A zone's UTC offset at an instant, cached per 15-minute bucket.
//
// `exactOffset` reads the runtime's time zone data through a cached Intl.DateTimeFormat, exactly
// as @date-fns/tz's `tzOffset` does (same format, same parsing, same quirks), so both agree to
// the bit. `offsetAt` trusts a cached value only for a bucket whose offset is the same at its
// first and last millisecond (no zone changes its offset and back within 15 minutes); a bucket
// that contains a change is remembered as such and answered exactly every time.

const BUCKET_MS = 15 * 60_000;
// Direct-mapped cache: bounded memory (1 MiB a zone), O(1) lookups; 65,536 buckets hold any
// 682 days of instants without a collision. A backtest reads offsets across about two years
// (events, expiries a year on, next year's birthdays): with 85 days (8,192 buckets) its lookups
// evicted each other, and a replay made 15 Intl format calls per event instead of 4.
const SLOTS = 65536;

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
}

const zones = new Map<string, ZoneOffsets>();

/** The offset cache of a zone the caller has already checked to be valid. */
export function zoneOffsets(zone: string): ZoneOffsets {
  let z = zones.get(zone);
  if (z === undefined) {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).format;
    z = { zone, changes: [], format: (ms: number) => format(ms), keys: new Float64Array(SLOTS).fill(Number.NaN), values: new Float64Array(SLOTS) };
    zones.set(zone, z);
  }
  return z;
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

/**
 * The offset of the 15-minute bucket containing `ms` when the whole bucket has one offset, else
 * NaN (the bucket holds a change: the caller must not assume anything about it).
 */
export function bucketOffset(z: ZoneOffsets, ms: number): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  const slot = ((bucket % SLOTS) + SLOTS) % SLOTS;
  if (z.keys[slot] === bucket) return z.values[slot] as number;
  const start = bucket * BUCKET_MS;
  const first = exactOffset(z, start);
  const last = exactOffset(z, start + BUCKET_MS - 1);
  const value = first === last ? first : Number.NaN;
  z.keys[slot] = bucket;
  z.values[slot] = value;
  return value;
}

/** The offset in minutes at `ms`: from the cache when its bucket is uniform, else read exactly. */
export function offsetAt(z: ZoneOffsets, ms: number): number {
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
