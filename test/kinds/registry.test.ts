// Issue 13: one folder per program kind behind a registry, kinds declaring their facts, and a
// core without module-level mutable state. These read the source tree, so a kind's insides
// imported from a generic layer, or a module-level `let`, fail here rather than in review.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defineProgram } from '../../src';
import { BUILTIN_FACTS, BUILTIN_FACT_NAMES, buildFacts, evaluate, openAccount, parseCustomer, parseEvent } from '../../src/core';

const src = join(__dirname, '..', '..', 'src');
const KINDS = ['points', 'spend', 'tiered', 'paid', 'punch'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}
const sources = files(src).map((path) => ({ path: relative(src, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"](\.[^'"]+)['"]/g;

describe('one folder per kind', () => {
  test('each kind has its folder with its schema and hooks', () => {
    for (const kind of KINDS) {
      const names = readdirSync(join(src, 'kinds', kind));
      expect(names, kind).toContain('schema.ts');
      expect(names, kind).toContain('hooks.ts');
    }
  });

  test("outside src/kinds/, code imports the registry, the state and hook types, a kind's public API (index) or its schema — never its insides", () => {
    const allowed = /^kinds(\/index|\/states|\/types|\/[a-z]+(\/index)?|\/[a-z]+\/schema)?$/;
    const offenders: string[] = [];
    for (const { path, text } of sources) {
      if (path.startsWith('kinds/')) continue;
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? '';
        const target = join(path, '..', spec).split('\\').join('/');
        if (target.startsWith('kinds') && !allowed.test(target)) offenders.push(`${path} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test('the generic engine never branches on a kind tag', () => {
    const branching = sources.filter(({ path, text }) => path.startsWith('engine/') && /config\.kind === '(spend|tiered|paid|punch)'/.test(text));
    expect(branching.map((s) => s.path)).toEqual([]);
  });
});

describe('no module-level mutable state in the core', () => {
  test('no top-level let or var outside the adapters and the CLI', () => {
    const mutable = sources.filter(({ path, text }) => !/^(adapters|cli)\//.test(path) && /^(let|var) /m.test(text));
    expect(mutable.map((s) => s.path)).toEqual([]);
  });
});

describe('facts declared by kinds', () => {
  test('the catalog lists the kinds\' facts beside the core facts, with their types', () => {
    expect(BUILTIN_FACTS['customer.tier'].type).toBe('string');
    expect(BUILTIN_FACTS['tier.next'].type).toBe('string');
    expect(BUILTIN_FACTS['tier.progress'].type).toBe('decimal');
    expect(BUILTIN_FACTS['membership.active'].type).toBe('boolean');
    for (const name of ['customer.tier', 'tier.next', 'tier.progress', 'membership.active', 'event.type']) expect(BUILTIN_FACT_NAMES).toContain(name);
  });

  const customer = parseCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' });
  const signup = parseEvent({ id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-03-01T12:00:00Z' });

  test('a program of a kind that does not declare a fact reads its fallback', () => {
    const points = defineProgram({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' });
    const facts = buildFacts({ event: signup, customer, account: openAccount(points, 'c1'), timeZone: 'UTC', customerTimeZone: 'UTC' });
    expect(facts['customer.tier']).toBe('');
    expect(facts['tier.next']).toBe('');
    expect(String(facts['tier.progress'])).toBe('0');
    expect(facts['membership.active']).toBe(false);
  });

  test("the tiered kind computes its facts for the rules: a rule on customer.tier and tier.progress fires at the first tier", () => {
    const tiered = defineProgram({
      kind: 'tiered',
      id: 't',
      version: 1,
      currency: 'USD',
      timeZone: 'UTC',
      qualification: { basis: 'spend', window: 'calendar_year' },
      tiers: [
        { id: 'insider', threshold: 0 },
        { id: 'vib', threshold: 350 },
      ],
      rules: [
        {
          id: 'welcome-insider',
          on: 'signup',
          award: { kind: 'fixed', points: 10 },
          when: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'insider' }, { fact: 'tier.next', operator: 'equal', value: 'vib' }, { fact: 'tier.progress', operator: 'equal', value: 350 }] },
        },
      ],
    });
    const d = evaluate(tiered, openAccount(tiered, 'c1'), signup, { customer });
    expect(d.ok && d.transaction?.entries.some((e) => e.kind === 'earn' && e.ruleId === 'welcome-insider')).toBe(true);
  });
});
