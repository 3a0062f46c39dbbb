import { describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import { birthdayInYear, isBirthday, isBirthdayMonth, nextBirthdayStart, parseBirthday } from '../../src/time';

const at = (iso: string): Date => new Date(iso);

describe('parseBirthday', () => {
  it('accepts objects, full dates and year-less dates', () => {
    expect(parseBirthday({ month: 3, day: 15 })).toEqual({ month: 3, day: 15 });
    expect(parseBirthday('1990-03-15')).toEqual({ month: 3, day: 15 });
    expect(parseBirthday('--03-15')).toEqual({ month: 3, day: 15 });
    expect(parseBirthday('--02-29')).toEqual({ month: 2, day: 29 });
    expect(parseBirthday('1992-02-29')).toEqual({ month: 2, day: 29 });
    expect(Object.isFrozen(parseBirthday('--03-15'))).toBe(true);
  });

  it.each([
    '--02-30', '--04-31', '--13-01', '--00-10', '--01-00', '1991-02-29', '1990-3-15', '03-15', '', 'tomorrow',
  ])('refuses %j with invalid_birthday', (input) => {
    expect(() => parseBirthday(input)).toThrow(expect.objectContaining({ code: 'invalid_birthday' }));
  });

  it('refuses bad objects, with the given path', () => {
    expect(() => parseBirthday({ month: 2, day: 30 })).toThrow(expect.objectContaining({ code: 'invalid_birthday' }));
    expect(() => parseBirthday({ month: 1.5, day: 1 })).toThrow(expect.objectContaining({ code: 'invalid_birthday' }));
    expect(() => parseBirthday(null, ['profile', 'birthday'])).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ code: 'invalid_birthday', path: ['profile', 'birthday'] })] }),
    );
  });
});

describe('birthdayInYear', () => {
  it('moves 29 Feb to 28 Feb in non-leap years only', () => {
    expect(birthdayInYear('--02-29', 2027)).toEqual({ month: 2, day: 28 });
    expect(birthdayInYear('--02-29', 2028)).toEqual({ month: 2, day: 29 });
    expect(birthdayInYear('--02-29', 2100)).toEqual({ month: 2, day: 28 });
    expect(birthdayInYear('--03-15', 2027)).toEqual({ month: 3, day: 15 });
  });
});

describe('isBirthday, in the customer zone', () => {
  const t = at('2027-03-14T12:00:00Z'); // 14 March in UTC, already 15 March 01:00 in Auckland

  it('an Auckland customer born 15 March has their birthday at 2027-03-14T12:00Z', () => {
    expect(isBirthday(t, { month: 3, day: 15 }, 'Pacific/Auckland')).toBe(true);
  });

  it('a UTC customer born 15 March does not, at the same instant', () => {
    expect(isBirthday(t, { month: 3, day: 15 }, 'UTC')).toBe(false);
    expect(isBirthday(t, { month: 3, day: 14 }, 'UTC')).toBe(true);
  });

  it('covers the whole local day and nothing else', () => {
    const zone = 'Pacific/Auckland';
    expect(isBirthday(new TZDate(2027, 2, 15, 0, 0, zone), '--03-15', zone)).toBe(true);
    expect(isBirthday(new TZDate(2027, 2, 15, 23, 59, zone), '--03-15', zone)).toBe(true);
    expect(isBirthday(new TZDate(2027, 2, 14, 23, 59, zone), '--03-15', zone)).toBe(false);
    expect(isBirthday(new TZDate(2027, 2, 16, 0, 0, zone), '--03-15', zone)).toBe(false);
  });

  it('celebrates 29 Feb on 28 Feb 2027 (not 1 Mar) and on 29 Feb 2028 (not 28 Feb)', () => {
    const leapling = '2000-02-29';
    expect(isBirthday(at('2027-02-28T12:00:00Z'), leapling, 'UTC')).toBe(true);
    expect(isBirthday(at('2027-03-01T12:00:00Z'), leapling, 'UTC')).toBe(false);
    expect(isBirthday(at('2028-02-29T12:00:00Z'), leapling, 'UTC')).toBe(true);
    expect(isBirthday(at('2028-02-28T12:00:00Z'), leapling, 'UTC')).toBe(false);
    expect(isBirthday(at('2028-03-01T12:00:00Z'), leapling, 'UTC')).toBe(false);
  });
});

describe('isBirthdayMonth', () => {
  it('is judged in the customer zone', () => {
    const t = at('2027-03-31T12:00:00Z'); // 1 April 01:00 in Auckland
    expect(isBirthdayMonth(t, '--03-15', 'UTC')).toBe(true);
    expect(isBirthdayMonth(t, '--03-15', 'Pacific/Auckland')).toBe(false);
    expect(isBirthdayMonth(t, '--04-02', 'Pacific/Auckland')).toBe(true);
    expect(isBirthdayMonth(at('2027-02-01T00:00:00Z'), '--02-29', 'UTC')).toBe(true);
  });
});

describe('nextBirthdayStart', () => {
  it('is this year’s start while t is before it, next year’s from the start on', () => {
    expect(nextBirthdayStart(at('2027-01-10T00:00:00Z'), '--03-15', 'UTC').toISOString()).toBe('2027-03-15T00:00:00.000Z');
    expect(nextBirthdayStart(at('2027-03-14T23:59:59.999Z'), '--03-15', 'UTC').toISOString()).toBe('2027-03-15T00:00:00.000Z');
    expect(nextBirthdayStart(at('2027-03-15T00:00:00Z'), '--03-15', 'UTC').toISOString()).toBe('2028-03-15T00:00:00.000Z');
    expect(nextBirthdayStart(at('2027-03-15T08:00:00Z'), '--03-15', 'UTC').toISOString()).toBe('2028-03-15T00:00:00.000Z');
    expect(nextBirthdayStart(at('2027-12-31T23:00:00Z'), '--01-01', 'UTC').toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });

  it('uses the customer zone', () => {
    // 15 March 00:00 in Auckland (NZDT, +13) is 14 March 11:00 UTC
    expect(nextBirthdayStart(at('2027-03-01T00:00:00Z'), '--03-15', 'Pacific/Auckland').toISOString()).toBe('2027-03-14T11:00:00.000Z');
    // at 2027-03-14T12:00Z the Auckland birthday has begun, so the next one is in 2028
    expect(nextBirthdayStart(at('2027-03-14T12:00:00Z'), '--03-15', 'Pacific/Auckland').toISOString()).toBe('2028-03-14T11:00:00.000Z');
  });

  it('follows the 29 Feb rule', () => {
    expect(nextBirthdayStart(at('2027-01-10T00:00:00Z'), '--02-29', 'UTC').toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(nextBirthdayStart(at('2027-02-28T01:00:00Z'), '--02-29', 'UTC').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('finds the first instant when the birthday midnight does not exist', () => {
    // Santiago: 6 Sep 2026 begins at 01:00 -03 (04:00 UTC)
    expect(nextBirthdayStart(at('2026-08-01T00:00:00Z'), '--09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });
});
