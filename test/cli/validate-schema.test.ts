// `loyalty-engine validate`, `schema` and usage errors, through the built bin.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkJsonSchema } from './json-schema-check';
import { cli, data, fixture, requireBuild, root } from './run-cli';

beforeAll(requireBuild);

describe('usage', () => {
  test('--help prints the commands on stdout and exits 0', () => {
    const run = cli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['validate', 'simulate', 'compare', 'schema']) expect(run.stdout).toContain(command);
  });

  test('no command, an unknown command or an unknown flag exits 2 with help on stderr', () => {
    for (const args of [[], ['frobnicate'], ['validate', data('beauty.json'), '--frob']]) {
      const run = cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/Usage: loyalty-engine/);
      expect(run.stdout).toBe('');
    }
  });

  test('a missing required flag names it', () => {
    const run = cli(['simulate', '--program', data('beauty.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--events is required');
  });
});

describe('validate', () => {
  test('a valid program: a one-line summary, exit 0', () => {
    const run = cli(['validate', data('beauty.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toContain('valid — tiered program "beauty" version 1, 3 rules, 3 tiers');
  });

  test('an invalid program: every issue with its path and code, exit 2', () => {
    const run = cli(['validate', fixture('bad-program.json')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('2 issues');
    expect(run.stdout).toMatch(/rules\[0\]\.award\.points\s+invalid_amount/);
    expect(run.stdout).toMatch(/rules\[1\]\.when\.all\[0\]\.operator\s+unknown_operator/);
  });

  test('--json lists the issues as JSON', () => {
    const run = cli(['validate', fixture('bad-program.json'), '--json']);
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout) as { valid: boolean; issues: { path: string; code: string }[] };
    expect(out.valid).toBe(false);
    expect(out.issues.map((i) => i.code)).toEqual(['invalid_amount', 'unknown_operator']);
  });

  test('a JSON syntax error names the file, line and column', () => {
    const run = cli(['validate', fixture('syntax-error.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('syntax-error.json:6:3: invalid JSON');
  });

  test('a missing file is named, exit 2', () => {
    const run = cli(['validate', 'nope.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nope.json: cannot read: no such file');
  });
});

describe('schema', () => {
  const programs = readdirSync(join(root, 'examples', 'data')).filter((f) => f.endsWith('.json') && !f.endsWith('schema.json'));
  let schema: Record<string, unknown>;
  beforeAll(() => {
    const run = cli(['schema']);
    expect(run.code).toBe(0);
    schema = JSON.parse(run.stdout) as Record<string, unknown>;
  });

  test('is a draft 2020-12 JSON Schema with one option per program kind', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.oneOf).toHaveLength(5);
  });

  test.each(programs)('examples/data/%s validates against the emitted schema', (file) => {
    const program = JSON.parse(readFileSync(join(root, 'examples', 'data', file), 'utf8')) as unknown;
    expect(checkJsonSchema(schema, program)).toEqual([]);
  });

  test('decimals, instants and conditions are described, not left as "anything"', () => {
    const program = JSON.parse(readFileSync(join(root, 'examples', 'data', 'beauty.json'), 'utf8')) as Record<string, unknown>;
    const wrong = (patch: Record<string, unknown>): string[] => checkJsonSchema(schema, { ...program, ...patch });
    expect(wrong({ tiers: [{ id: 'a', name: 'A', threshold: 'lots' }] }).length).toBeGreaterThan(0);
    expect(wrong({ rules: [{ id: 'r', on: 'purchase', when: { every: [] }, award: { kind: 'fixed', points: 1 } }] }).length).toBeGreaterThan(0);
    expect(wrong({ campaigns: { spring: { start: 'next tuesday' } } }).length).toBeGreaterThan(0);
    expect(wrong({ kind: 'loyalty' }).length).toBeGreaterThan(0);
    expect(wrong({ colour: 'blue' }).length).toBeGreaterThan(0);
  });

  test('examples/data/program.schema.json (what the example programs name as "$schema") is the current output', () => {
    const committed = JSON.parse(readFileSync(join(root, 'examples', 'data', 'program.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(schema);
  });

  test('the checker agrees with validate on the bad fixture', () => {
    const program = JSON.parse(readFileSync(join(root, fixture('bad-program.json')), 'utf8')) as unknown;
    expect(checkJsonSchema(schema, program)).not.toEqual([]);
  });
});
