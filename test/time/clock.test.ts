import { describe, expect, it } from 'vitest';
import { fixedClock, systemClock } from '../../src/time';

describe('fixedClock', () => {
  it('stands still, can be set and advanced', () => {
    const clock = fixedClock('2027-03-14T12:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-03-14T12:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-03-14T12:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2027-03-14T12:01:30.000Z');
    clock.advance(-30_000);
    expect(clock.now().toISOString()).toBe('2027-03-14T12:01:00.000Z');
    clock.set('2027-03-15T00:00:00+13:00');
    expect(clock.now().toISOString()).toBe('2027-03-14T11:00:00.000Z');
    clock.set(new Date('2028-02-29T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('hands out copies, so callers cannot move it', () => {
    const start = new Date('2027-01-01T00:00:00Z');
    const clock = fixedClock(start);
    start.setUTCFullYear(2030);
    clock.now().setUTCFullYear(2031);
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('refuses strings without an offset, invalid dates and fractional advances', () => {
    expect(() => fixedClock('2027-01-01T00:00:00')).toThrow(expect.objectContaining({ code: 'invalid_instant' }));
    expect(() => fixedClock('2027-01-01')).toThrow(expect.objectContaining({ code: 'invalid_instant' }));
    expect(() => fixedClock('2027-02-30T00:00:00Z')).toThrow(expect.objectContaining({ code: 'invalid_instant' }));
    expect(() => fixedClock(new Date(Number.NaN))).toThrow(expect.objectContaining({ code: 'invalid_instant' }));
    expect(() => fixedClock('2027-01-01T00:00:00Z').advance(0.5)).toThrow(expect.objectContaining({ code: 'invalid_duration' }));
  });
});

describe('systemClock', () => {
  it('returns a valid Date', () => {
    expect(Number.isNaN(systemClock.now().getTime())).toBe(false);
  });
});
