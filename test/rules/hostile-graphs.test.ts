/*
 * Issue 8, faults 8 and 10: validation of hostile condition graphs. A long chain of shared
 * conditions must be refused with a typed issue (never a RangeError), and JS object graphs whose
 * conditions or values share sub-objects must be checked in time linear in the distinct objects.
 */
import { describe, expect, it } from 'vitest';
import { ProgramConfigError } from '../../src/errors';
import { defineProgram } from '../../src';
import { compileConditions, validateConditions } from '../../src/rules';
import type { FactCatalog } from '../../src/rules';
import { conditionStructureIssues } from '../../src/schema/condition';
import type { Condition, TopLevelCondition } from '../../src/schema/condition';

const facts: FactCatalog = { a: { type: 'integer', description: 'x' }, o: { type: 'unknown', description: 'an object' } };

describe('fault 8: a long chain of shared conditions', () => {
  it('is refused as condition_too_deep with its path, never with a RangeError', () => {
    // The program's limits (4,096 nodes) and much larger ones: the chain length must not matter.
    for (const [n, maxNodes] of [[30_000, 100_000], [2_000, 4_096], [4_000, 4_096]] as const) {
      // Declared from the top of the chain down, so following references goes all the way down.
      const shared: Record<string, TopLevelCondition> = {};
      for (let i = n - 1; i > 0; i--) shared[`c${i}`] = { all: [{ condition: `c${i - 1}` }] };
      shared.c0 = { all: [{ fact: 'a', operator: 'equal', value: 1 }] };
      const issues = validateConditions(
        { conditions: [{ path: ['rules', 0, 'when'], condition: { all: [{ condition: `c${n - 1}` }] } }], shared, sharedPath: ['conditions'], facts },
        { limits: { maxDepth: 16, maxNodes } },
      );
      expect(issues.length).toBeGreaterThan(0);
      expect(new Set(issues.map((i) => i.code))).toEqual(new Set(['condition_too_deep']));
      // The first shared condition that nests too deep is named, at the reference that does it.
      expect(issues[0]).toMatchObject({ code: 'condition_too_deep', path: ['conditions', 'c15', 'all', 0] });
      // One issue per offending reference would be thousands: they are capped.
      expect(issues.length).toBeLessThanOrEqual(20);
    }
  });

  it('compileConditions throws a ProgramConfigError, not a RangeError', () => {
    const shared: Record<string, TopLevelCondition> = {};
    for (let i = 29_999; i > 0; i--) shared[`c${i}`] = { not: { condition: `c${i - 1}` } };
    shared.c0 = { all: [] };
    expect(() => compileConditions([{ all: [{ condition: 'c29999' }] }], { facts, shared, limits: { maxDepth: 16, maxNodes: 100_000 } })).toThrow(ProgramConfigError);
  });
});

describe('fault 10: shared sub-objects are validated once', () => {
  it('a condition DAG of 40 levels, each referencing the previous twice, is refused as too large, quickly', () => {
    let node: Condition = { fact: 'a', operator: 'equal', value: 1 };
    for (let i = 0; i < 40; i++) node = { all: [node, node] };
    const root = node as TopLevelCondition;
    // Structure alone is fine (it is a valid tree once unfolded, 2^41 nodes of it).
    expect(conditionStructureIssues(root)).toEqual([]);
    const issues = validateConditions({ conditions: [{ path: ['when'], condition: root }], facts }, { limits: { maxDepth: 64, maxNodes: 4096 } });
    expect(issues).toEqual([expect.objectContaining({ code: 'condition_too_large', path: ['when'] })]);
    expect(() => compileConditions([root], { facts, limits: { maxDepth: 64 } })).toThrow(ProgramConfigError);
  });

  it('structural issues inside a shared sub-object are still reported (once, at its first path)', () => {
    const bad = { fact: 'a', operator: 'equal' } as unknown as Condition;
    let node: Condition = { all: [bad] };
    for (let i = 0; i < 40; i++) node = { any: [node, node] };
    const issues = conditionStructureIssues(node);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'invalid_condition', message: 'a comparison needs a value (null is a value)' });
  });

  it('depth is still checked through a shared sub-object reached deeper the second time', () => {
    let inner: Condition = { fact: 'a', operator: 'equal', value: 1 };
    for (let i = 0; i < 200; i++) inner = { not: inner };
    // First met at depth 2, then at depth 100: 100 + 201 levels is too deep.
    let deepPath: Condition = inner;
    for (let i = 0; i < 98; i++) deepPath = { not: deepPath };
    const issues = conditionStructureIssues({ all: [inner, deepPath] });
    expect(issues.map((i) => i.code)).toEqual(['condition_too_deep']);
  });

  it('a value DAG of 40 levels, each level an array holding the previous twice, is checked quickly', () => {
    let value: unknown = 1;
    for (let i = 0; i < 40; i++) value = [value, value];
    expect(conditionStructureIssues({ all: [{ fact: 'o', operator: 'equal', value }] })).toEqual([]);
    let bad: unknown = { n: Number.NaN };
    for (let i = 0; i < 40; i++) bad = { x: bad, y: bad };
    expect(conditionStructureIssues({ all: [{ fact: 'o', operator: 'equal', value: bad }] }).map((i) => i.message)).toEqual(['NaN is not a JSON number']);
    expect(validateConditions({ conditions: [{ path: ['when'], condition: { all: [{ fact: 'o', operator: 'equal', value }] } }], facts })).toEqual([]);
  });

  it('shared conditions that share objects are validated once too', () => {
    let node: Condition = { fact: 'a', operator: 'equal', value: 1 };
    for (let i = 0; i < 40; i++) node = { any: [node, node] };
    const issues = validateConditions(
      { conditions: [{ path: ['when'], condition: { all: [{ condition: 's' }] } }], shared: { s: node as TopLevelCondition }, facts },
      { limits: { maxDepth: 64, maxNodes: 4096 } },
    );
    expect(issues.map((i) => i.code)).toEqual(['condition_too_large']);
  });
});

describe('malformed condition lists from JavaScript callers', () => {
  it('sparse arrays and non-arrays under all/any give a program or a config error, never a TypeError (found by the 10x error-code soak)', () => {
    // A hole in a sparse array is skipped like JSON would never write it; the others are refused.
    const sparse: unknown[] = [];
    sparse.length = 2;
    expect(() => defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York', rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 }, when: { all: sparse } }] } as never)).not.toThrow(TypeError);
    for (const when of [{ any: [undefined] }, { all: 5 }, { not: null }]) {
      let error: unknown;
      try {
        defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York', rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 }, when }] } as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(when)).toBeInstanceOf(ProgramConfigError);
    }
  });
});
