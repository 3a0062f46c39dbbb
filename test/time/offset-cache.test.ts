import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tzScan } from '@date-fns/tz';
import { dayOffset, emptyZoneOffsets, exactOffset, offsetAt } from '../../src/time/internal/offset';
import { announce, FC_SEED, runsFor } from '../properties/seed';

// The per-day offset cache (src/time/internal/offset.ts) answers every instant of a day from
// two Intl reads when the day has one offset, and sends the days that hold a change to the
// 15-minute buckets and the exact read. These tests hold a fresh cache, read in random order
// (so that a day is cached by one instant and then asked about others), to the uncached read.

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROM = Date.UTC(1980, 0, 1);
const TO = Date.UTC(2060, 0, 1);

const changes: Record<string, number[]> = Object.fromEntries(
  ZONES.map((zone) => [zone, tzScan(zone, { start: new Date(FROM), end: new Date(TO) }).map((c) => c.date.getTime())]),
);

/** An instant anywhere in 1980–2060, or on a day around one of the zone's changes (to the minute, or the ms). */
function instantIn(zone: string): fc.Arbitrary<number> {
  const near = changes[zone] ?? [];
  const anywhere = fc.integer({ min: FROM, max: TO });
  if (near.length === 0) return anywhere;
  const pick = fc.integer({ min: 0, max: near.length - 1 }).map((i) => near[i] ?? FROM);
  return fc.oneof(
    anywhere,
    fc.tuple(pick, fc.integer({ min: -DAY, max: DAY })).map(([c, d]) => c + d),
    fc.tuple(pick, fc.integer({ min: -36 * 60, max: 36 * 60 })).map(([c, m]) => c + m * 60_000),
    fc.tuple(pick, fc.integer({ min: -2, max: 1 })).map(([c, d]) => c + d),
  );
}

describe('time: zone offsets cached per day', () => {
  it('the zones tested change offset (the DST days are really exercised)', () => {
    for (const zone of ZONES.filter((z) => z !== 'Asia/Kathmandu')) expect(changes[zone]?.length ?? 0).toBeGreaterThan(40);
    // Lord Howe moves by 30 minutes.
    const z = emptyZoneOffsets('Australia/Lord_Howe');
    const c = changes['Australia/Lord_Howe']?.[0] ?? 0;
    expect(Math.abs(exactOffset(z, c) - exactOffset(z, c - 1))).toBe(30);
  });

  it('a day that holds a change is not cached as one offset; its instants are answered exactly', () => {
    for (const zone of ['America/New_York', 'Australia/Lord_Howe'] as const) {
      const z = emptyZoneOffsets(zone);
      const change = changes[zone]?.[10] ?? 0;
      expect(dayOffset(z, change)).toBeNaN();
      expect(offsetAt(z, change - 1)).toBe(exactOffset(z, change - 1));
      expect(offsetAt(z, change)).toBe(exactOffset(z, change));
      expect(offsetAt(z, change)).not.toBe(offsetAt(z, change - 1));
      // The day before holds no change: one offset for all of it.
      expect(dayOffset(z, change - DAY - 1)).toBe(exactOffset(z, change - DAY - 1));
    }
  });

  it('agrees with the uncached read over random instants, read in any order (fast-check)', () => {
    const runs = runsFor(300);
    announce('zone offsets per day', runs);
    const zoneAndInstants = fc.constantFrom(...ZONES).chain((zone) => fc.tuple(fc.constant(zone), fc.array(instantIn(zone), { minLength: 1, maxLength: 40 })));
    fc.assert(
      fc.property(zoneAndInstants, ([zone, instants]) => {
        const cached = emptyZoneOffsets(zone);
        const uncached = emptyZoneOffsets(zone);
        // Twice over: the first pass fills the cache, the second reads it.
        for (const ms of [...instants, ...instants]) expect(offsetAt(cached, ms)).toBe(exactOffset(uncached, ms));
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});
