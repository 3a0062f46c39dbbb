// The public surface as a user meets it (issue 10, docs/api.md): the root export list is exactly
// the designed set, values and types alike, so a name joins it only by a decision recorded here.
// The compiler reads the entry points, because types leave no trace at runtime.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as rootModule from '../src';
import * as coreModule from '../src/core';
import * as schemasModule from '../src/schemas';
import * as metricsModule from '../src/metrics';

const src = join(__dirname, '..', 'src');

const ROOT_VALUES = [
  'createLoyalty',
  'defineProgram',
  'memoryStore',
  'fixedClock',
  'systemClock',
  'LoyaltyError',
  'ProgramConfigError',
  'isLoyaltyError',
];

const ROOT_TYPES = [
  'Program',
  'ProgramConfigInput',
  'Loyalty',
  'LoyaltyOptions',
  'ProcessResult',
  'RequestResult',
  'AccountView',
  'TickDueResult',
  'Customer',
  'CustomerInput',
  'LoyaltyEvent',
  'LoyaltyEventInput',
  'Transaction',
  'Entry',
  'Lot',
  'Notification',
  'Issue',
  'Store',
  'StoreSession',
  'Clock',
  'Decimal',
  'DecimalInput',
  'InstantInput',
];

/** Every name an entry point exports, values and types, as the compiler sees it. */
function exportedNames(files: readonly string[]): Map<string, string[]> {
  const program = ts.createProgram(
    files.map((f) => join(src, f)),
    { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022 },
  );
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const f of files) {
    const sf = program.getSourceFile(join(src, f));
    const symbol = sf ? checker.getSymbolAtLocation(sf) : undefined;
    if (!symbol) throw new Error(`the compiler did not read src/${f}`);
    names.set(f, checker.getExportsOfModule(symbol).map((s) => s.name).sort());
  }
  return names;
}

const names = exportedNames(['index.ts', 'core.ts', 'schemas.ts', 'metrics.ts', 'simulate/index.ts']);
const of = (file: string): string[] => names.get(file) ?? [];

describe('the root entry point (loyalty-engine)', () => {
  test('exports exactly the designed names, values and types', () => {
    expect(of('index.ts')).toEqual([...ROOT_VALUES, ...ROOT_TYPES].sort());
  });

  test('its runtime values are exactly the designed values (Decimal is a type only)', () => {
    expect(Object.keys(rootModule).sort()).toEqual([...ROOT_VALUES].sort());
  });

  test('stays within about 30 names', () => {
    expect(of('index.ts').length).toBeLessThanOrEqual(32);
  });
});

describe('the subpaths', () => {
  test('loyalty-engine/core has the pure functions of the design', () => {
    for (const name of [
      'openAccount', 'evaluate', 'explain', 'whyNot', 'quote', 'redeem', 'cancelRedemption', 'hold', 'capture', 'release',
      'adjust', 'reverse', 'redeemReward', 'rewardCode', 'tick', 'nextDueAt', 'refundDecision', 'applyEntries', 'balanceAt',
      'verifyFold', 'checkConservation', 'tierOf', 'tierStatus', 'membershipOf', 'benefitsHold', 'buildFacts', 'expiresAt',
      'pointsEarned', 'parseEvent', 'parseCustomer',
    ]) {
      expect(coreModule, name).toHaveProperty(name);
    }
  });

  test('loyalty-engine/schemas has the zod schemas, issuesFromZod and the documented issue codes, and every value there is one of them', () => {
    for (const name of ['eventSchema', 'customerSchema', 'programConfigSchema', 'redeemRequestSchema', 'instantSchema', 'decimalSchema', 'issuesFromZod']) {
      expect(schemasModule, name).toHaveProperty(name);
    }
    for (const name of Object.keys(schemasModule)) expect(name, name).toMatch(/Schema$|^issuesFromZod$|^ISSUE_CODES$|^isIssueCode$/);
  });

  test('loyalty-engine/simulate has the backtest and the history generator', () => {
    expect(of('simulate/index.ts').filter((n) => !/^[A-Z]/.test(n))).toEqual(['compare', 'differences', 'generateHistory', 'simulate']);
  });

  test('loyalty-engine/metrics has the accumulators and the closed-form formulas', () => {
    for (const name of ['metricsAccumulator', 'computeMetrics', 'computeMetricsSync', 'adoptionRate', 'retentionRate', 'averageOrderValue', 'redemptionRate', 'breakageRate', 'pointsLiability', 'UNSEGMENTED']) {
      expect(metricsModule, name).toHaveProperty(name);
    }
  });

  test('each name lives in one entry point only', () => {
    const seen = new Map<string, string>();
    for (const [file, list] of names) {
      for (const name of list) {
        expect(seen.get(name), `${name} in src/${file}`).toBeUndefined();
        seen.set(name, file);
      }
    }
  });

  test('time and money helpers are internal', () => {
    for (const name of ['allocate', 'round', 'money', 'addDaysIn', 'startOfDayIn', 'zonedParts', 'CURRENCIES', 'formatMoney', 'UnreachableError', 'canonicalEvent']) {
      for (const list of names.values()) expect(list, name).not.toContain(name);
    }
  });
});
