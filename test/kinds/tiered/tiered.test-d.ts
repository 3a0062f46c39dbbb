// Type tests of the tiered kind (STYLE 6): tier ids keep their literal types from the config.
import { describe, expectTypeOf, test } from 'vitest';
import { defineProgram } from '../../../src';
import { openAccount, tierBenefits, tierOf, tierStatus, type TierId } from '../../../src/core';
import type { Decimal, Program } from '../../../src';
import type { TieredProgramConfig } from '../../../src/schemas';

const beauty = defineProgram({
  kind: 'tiered',
  id: 'beauty',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  tiers: [
    { id: 'insider', threshold: 0 },
    { id: 'vib', threshold: 350, multiplier: '1.5' },
    { id: 'rouge', threshold: 1000, multiplier: 2 },
  ],
  qualification: { basis: 'spend', window: 'calendar_year' },
});
const account = openAccount(beauty, 'c1');

describe('TierId', () => {
  test('an inline config keeps its tier ids as literals', () => {
    expectTypeOf<TierId<typeof beauty>>().toEqualTypeOf<'insider' | 'vib' | 'rouge'>();
    expectTypeOf(beauty.config).toEqualTypeOf<TieredProgramConfig>();
  });

  test('an `as const` config keeps them too (tiers accept a readonly array)', () => {
    const config = {
      kind: 'tiered',
      id: 'air',
      version: 1,
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      tiers: [
        { id: 'blue', threshold: 0 },
        { id: 'silver', threshold: 25, benefits: { earlyAccess: true } },
      ],
      qualification: { basis: 'orders', window: 'rolling_12_months' },
    } as const;
    const air = defineProgram(config);
    expectTypeOf(tierOf(air, openAccount(air, 'c1'))).toEqualTypeOf<'blue' | 'silver'>();
    expectTypeOf<TierId<typeof air>>().toEqualTypeOf<'blue' | 'silver'>();
  });

  test('a config whose ids are plain strings, and the wide Program type, give string', () => {
    const tiers: { id: string; threshold: number }[] = [{ id: 'base', threshold: 0 }];
    const loose = defineProgram({ kind: 'tiered', id: 'loose', version: 1, currency: 'USD', timeZone: 'UTC', tiers, qualification: { basis: 'spend', window: 'lifetime' } });
    expectTypeOf(tierOf(loose, openAccount(loose, 'c1'))).toEqualTypeOf<string>();
    expectTypeOf<TierId<typeof loose>>().toEqualTypeOf<string>();
    expectTypeOf<TierId<Program>>().toEqualTypeOf<string>();
  });
});

describe('tierOf, tierStatus, tierBenefits', () => {
  test('return the literal union', () => {
    expectTypeOf(tierOf(beauty, account)).toEqualTypeOf<'insider' | 'vib' | 'rouge'>();
    expectTypeOf(tierStatus(beauty, account, new Date()).next).toEqualTypeOf<'insider' | 'vib' | 'rouge' | null>();
    expectTypeOf(tierStatus(beauty, account, new Date()).needed).toEqualTypeOf<Decimal>();
    expectTypeOf(tierBenefits(beauty, account).tier).toEqualTypeOf<'insider' | 'vib' | 'rouge'>();
  });

  test('comparing with a tier the program does not have is a compile error', () => {
    const tier = tierOf(beauty, account);
    // @ts-expect-error -- 'gold' is not a tier of this program
    if (tier === 'gold') void tier;
    if (tier === 'vib') expectTypeOf(tier).toEqualTypeOf<'vib'>();
    // @ts-expect-error -- nor can a non-tier id be assigned to its TierId
    const wrong: TierId<typeof beauty> = 'gold';
    void wrong;
  });

  test('only tiered programs are accepted', () => {
    const points = defineProgram({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' });
    // @ts-expect-error -- a points program has no tiers
    tierOf(points, openAccount(points, 'c1'));
  });
});

describe('the config type', () => {
  test('refuses an unknown qualification basis or window at compile time', () => {
    // @ts-expect-error -- no such basis
    defineProgram({ kind: 'tiered', id: 't', version: 1, currency: 'USD', timeZone: 'UTC', tiers: [{ id: 'a', threshold: 0 }], qualification: { basis: 'visits', window: 'lifetime' } });
    // @ts-expect-error -- no such window
    defineProgram({ kind: 'tiered', id: 't', version: 1, currency: 'USD', timeZone: 'UTC', tiers: [{ id: 'a', threshold: 0 }], qualification: { basis: 'spend', window: 'fiscal_year' } });
  });
});
