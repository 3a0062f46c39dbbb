// Issue 10: errors people can act on. Every issue code is one of the library's documented codes
// (never a raw zod code), missing fields say they are required, misspelt enum values and
// discriminators list the allowed values with a "did you mean", and isLoyaltyError recognises
// the library's errors across package copies.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram, LoyaltyError, ProgramConfigError } from '../src';
import { parseCustomer, parseEvent } from '../src/core';
import { ISSUE_CODES, isIssueCode, isLoyaltyError } from '../src/errors';
import type * as ErrorsModule from '../src/errors';
import { announce, FC_SEED, runsFor } from './properties/seed';

const AT = '2027-03-10T15:00:00Z';
const VALID_PURCHASE = {
  id: 'e1',
  customerId: 'c1',
  type: 'purchase',
  orderId: 'o1',
  currency: 'USD',
  occurredAt: AT,
  channel: 'store',
  shipping: '4.99',
  attributes: { utm: 'mail' },
  lines: [{ lineId: 'l1', sku: 's1', categories: ['shoes'], tags: ['sale'], quantity: 2, unitPrice: '10.00', discount: '0' }],
};
const VALID_CUSTOMER = { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', birthday: '--03-15', timeZone: 'Europe/Paris', attributes: { vip: true } };
const VALID_CONFIG = {
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  expiry: { kind: 'rolling', months: 12 },
  redemption: { pointsPerUnit: 100, minPoints: 500 },
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 }, when: { all: [{ fact: 'order.subtotal', operator: 'greaterThan', value: 10 }] } },
    { id: 'check-in', on: ['custom', 'signup'], award: { kind: 'fixed', points: 5 }, limits: [{ per: 'day', count: 1 }] },
  ],
};

/** zod's own codes that must never reach a caller. */
const ZOD_ONLY = ['invalid_union', 'invalid_key', 'invalid_element', 'not_multiple_of', 'custom'];

type Key = string | number;
/** Every path to a value inside `value` (objects and arrays walked), the root excluded. */
function pathsOf(value: unknown, at: readonly Key[] = []): Key[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [Key, unknown][] = Array.isArray(value) ? value.map((v, i): [Key, unknown] => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])]);
}

/** A deep copy of `valid` with the value at `path` replaced, or deleted when `replace` is undefined. */
function mutate(valid: unknown, path: readonly Key[], replace: { readonly value: unknown } | undefined): unknown {
  const copy = structuredClone(valid) as Record<Key, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  const last = path[path.length - 1] as Key;
  if (replace === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replace.value;
  return copy;
}

const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true });
/** Near misses of the names the schemas know: a typo is the most common bad input. */
const typos = fc.constantFrom('purchse', 'purchas', 'Purchase', 'refnd', 'pionts', 'tierd', 'fixd', 'per_amout', 'rollin', 'stor', 'ap', 'dya', 'USD ', '');
const badValue = fc.oneof(anything, fc.jsonValue(), typos);

/** Garbage for one parser: raw values, and the valid input with one value replaced or deleted. */
function garbageFor(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  return fc.oneof(
    { arbitrary: anything, weight: 1 },
    {
      arbitrary: fc
        .record({ path: fc.constantFrom(...paths), replace: fc.option(fc.record({ value: badValue }), { nil: undefined }) })
        .map(({ path, replace }) => mutate(valid, path, replace)),
      weight: 6,
    },
  );
}

/** The issues a call throws, or undefined when it succeeds; any other error fails the test. */
function issuesOf(fn: () => unknown): readonly { readonly code: string }[] | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(isLoyaltyError(e), `not a LoyaltyError: ${String(e)}`).toBe(true);
    return (e as LoyaltyError).issues;
  }
}

describe('every issue code is one of the documented ISSUE_CODES', () => {
  const parsers = [
    { name: 'parseEvent', valid: VALID_PURCHASE, parse: (x: unknown) => parseEvent(x) },
    { name: 'parseCustomer', valid: VALID_CUSTOMER, parse: (x: unknown) => parseCustomer(x) },
    { name: 'defineProgram', valid: VALID_CONFIG, parse: (x: unknown) => defineProgram(x as never) },
  ] as const;

  for (const { name, valid, parse } of parsers) {
    test(`${name}: garbage and one-field mutations produce only documented codes`, () => {
      expect(() => parse(valid)).not.toThrow();
      const runs = runsFor(1500);
      announce(`${name} issue codes`, runs);
      const seen = new Set<string>();
      fc.assert(
        fc.property(garbageFor(valid), (input) => {
          for (const issue of issuesOf(() => parse(input)) ?? []) {
            seen.add(issue.code);
            expect(ZOD_ONLY).not.toContain(issue.code);
            expect(isIssueCode(issue.code), `undocumented code ${issue.code}`).toBe(true);
          }
        }),
        { seed: FC_SEED, numRuns: runs },
      );
      console.log(`[issue codes] ${name}: ${[...seen].sort().join(', ')}`);
      // The run reaches the mapped codes, so the assertion above has something to check.
      expect(seen.has('required') || seen.has('invalid_value')).toBe(true);
    });
  }

  test('the codes are snake_case, each with a meaning and how it is raised', () => {
    for (const [code, info] of Object.entries(ISSUE_CODES)) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(['thrown', 'refused', 'reported']).toContain(info.raised);
      expect(info.meaning.length).toBeGreaterThan(10);
    }
    for (const zodCode of ZOD_ONLY) expect(isIssueCode(zodCode)).toBe(false);
    expect(isIssueCode('toString')).toBe(false);
  });

  test('the README table lists exactly ISSUE_CODES, each with how it is raised', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('### Error codes');
    // The table ends at the next heading: later sections have tables of their own.
    const body = readme.indexOf('\n', start) + 1;
    const next = readme.slice(body).search(/^#{2,3} /m);
    const section = readme.slice(start, next === -1 ? undefined : body + next);
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \| .+ \| (.+) \|$/gm)];
    const documented = rows.map((m) => m[1]);
    expect(documented).toEqual(Object.keys(ISSUE_CODES));
    const how = { thrown: 'thrown', refused: '`ok: false`', reported: 'verify' } as const;
    for (const m of rows) expect(m[2]).toContain(how[ISSUE_CODES[m[1] as keyof typeof ISSUE_CODES].raised]);
  });
});

describe('messages people can act on', () => {
  const first = (fn: () => unknown) => {
    const issues = issuesOf(fn);
    expect(issues, 'expected a LoyaltyError').toBeDefined();
    return (issues ?? [])[0] as { code: string; path: readonly Key[]; message: string };
  };

  test('a missing field is `required`, and the message says so', () => {
    const { occurredAt: _, ...noTime } = VALID_PURCHASE;
    const issue = first(() => parseEvent(noTime));
    expect(issue).toMatchObject({ code: 'required', path: ['occurredAt'] });
    expect(issue.message).toMatch(/^is required/);
    expect(issue.message).not.toMatch(/ISO 8601/);
    const id = first(() => parseCustomer({ enrolledAt: AT }));
    expect(id).toMatchObject({ code: 'required', path: ['id'], message: 'is required (expected string)' });
  });

  test('a present but wrong value keeps its own code', () => {
    expect(first(() => parseEvent({ ...VALID_PURCHASE, occurredAt: 'yesterday' }))).toMatchObject({ code: 'invalid_instant', path: ['occurredAt'] });
    expect(first(() => parseEvent({ ...VALID_PURCHASE, customerId: 42 }))).toMatchObject({ code: 'invalid_type', path: ['customerId'] });
  });

  test('a misspelt event type lists the types and suggests the closest', () => {
    const issue = first(() => parseEvent({ ...VALID_PURCHASE, type: 'purchse' }));
    expect(issue).toMatchObject({ code: 'invalid_value', path: ['type'] });
    expect(issue.message).toContain('"refund"');
    expect(issue.message).toContain('got "purchse" (did you mean "purchase"?)');
  });

  test('a misspelt enum value lists the values and suggests the closest', () => {
    const issue = first(() => parseEvent({ ...VALID_PURCHASE, channel: 'stor' }));
    expect(issue).toMatchObject({ code: 'invalid_value', path: ['channel'] });
    expect(issue.message).toBe('expected one of "web", "app", "store", "call_center", "other"; got "stor" (did you mean "store"?)');
  });

  test('in a config: a misspelt `on`, award kind or program kind is invalid_value with a did-you-mean', () => {
    const on = (value: unknown) => ({ ...VALID_CONFIG, rules: [{ id: 'r', on: value, award: { kind: 'fixed', points: 5 } }] });
    const error = (config: unknown): ProgramConfigError => {
      try {
        defineProgram(config as never);
      } catch (e) {
        expect(e).toBeInstanceOf(ProgramConfigError);
        return e as ProgramConfigError;
      }
      throw new Error('expected a ProgramConfigError');
    };
    const onIssue = error(on('purchse')).issues[0];
    expect(onIssue).toMatchObject({ code: 'invalid_value', path: ['rules', 0, 'on'] });
    expect(onIssue.message).toContain('(did you mean "purchase"?)');
    const listed = error(on(['signup', 'purchse'])).issues[0];
    expect(listed).toMatchObject({ code: 'invalid_value', path: ['rules', 0, 'on', 1] });
    const award = error({ ...VALID_CONFIG, rules: [{ id: 'r', on: 'signup', award: { kind: 'fixd', points: 5 } }] }).issues[0];
    expect(award).toMatchObject({ code: 'invalid_value', path: ['rules', 0, 'award', 'kind'] });
    expect(award.message).toContain('(did you mean "fixed"?)');
    const kind = error({ ...VALID_CONFIG, kind: 'pionts' }).issues[0];
    expect(kind).toMatchObject({ code: 'invalid_value', path: ['kind'] });
    expect(kind.message).toContain('(did you mean "points"?)');
    expect(error({ ...VALID_CONFIG, rules: [{ id: 'r', on: 5, award: { kind: 'fixed', points: 5 } }] }).issues[0]?.code).toBe('invalid_value');
  });
});

describe('isLoyaltyError', () => {
  test('recognises LoyaltyError and ProgramConfigError', () => {
    const issue = { code: 'invalid_points', path: ['points'], message: 'must be whole' } as const;
    expect(isLoyaltyError(new LoyaltyError([issue]))).toBe(true);
    expect(isLoyaltyError(new ProgramConfigError([issue]))).toBe(true);
    let thrown: unknown;
    try {
      parseEvent({});
    } catch (e) {
      thrown = e;
    }
    expect(isLoyaltyError(thrown)).toBe(true);
  });

  test('recognises an error from another copy of the package, where instanceof fails', async () => {
    // The query makes Vite load errors.ts a second time: a separate class, as in the CJS build.
    const specifier = '../src/errors.ts?second-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof ErrorsModule;
    const foreign = new copy.ProgramConfigError([{ code: 'unknown_currency', path: ['currency'], message: 'not a currency' }]);
    expect(copy.LoyaltyError).not.toBe(LoyaltyError);
    expect(foreign).not.toBeInstanceOf(LoyaltyError);
    expect(isLoyaltyError(foreign)).toBe(true);
    expect(copy.isLoyaltyError(new LoyaltyError([{ code: 'required', path: ['id'], message: 'is required' }]))).toBe(true);
  });

  test('refuses look-alikes and non-errors', () => {
    const lookAlike = Object.assign(new Error('x'), { code: 'required', issues: [{ code: 'required', path: [], message: 'x' }] });
    for (const value of [lookAlike, new Error('x'), { code: 'required', issues: [] }, null, undefined, 'LoyaltyError', 42]) expect(isLoyaltyError(value)).toBe(false);
  });

  test('narrows the type', () => {
    const value: unknown = new LoyaltyError([{ code: 'required', path: ['id'], message: 'is required' }]);
    if (isLoyaltyError(value)) expect(value.issues[0].code).toBe('required');
    else expect.unreachable();
  });
});
