// The bench runner (bench/index.ts, bench/lib/table.ts): the final table and JSON from given
// figures, the exit code's rules, and a real run over fixture modules (one crashes, one returns
// nothing, one returns figures). No timing is asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { skippedFigure, type TargetFigure } from '../../bench/lib/report';
import { exitCode, figuresFromJson, formatTable, resultsJson, summarize, type ModuleResult } from '../../bench/lib/table';

const met: TargetFigure = {
  target: 2,
  name: 'evaluate, 5-line purchase',
  value: 160_000,
  unit: 'events/s',
  baseline: { name: 'integer baseline', value: 700_000, unit: 'events/s' },
  ratio: 4.375,
  goal: '≥ 150,000 events/s and ≤ 5×',
  holds: true,
};
const missed: TargetFigure = { target: 3, name: 'tick, 1,000 open lots vs 10', value: 57, unit: '×', goal: '≤ 1.5×', holds: false };
const context: TargetFigure = { target: 8, name: 'import time', value: 180, unit: 'ms', goal: '≤ 150 ms', holds: false, context: true };
const skipped = skippedFigure(6, 'service over PostgreSQL', '≥ 0.5× pgbench', 'no postgresql binaries');

const ok = (module: string, target: number, figures: readonly TargetFigure[]): ModuleResult => ({ module, target, status: 'ok', seconds: 1, figures });
const results: readonly ModuleResult[] = [
  ok('scaling', 3, [missed]),
  ok('pipeline', 2, [met]),
  ok('postgres', 6, [skipped]),
  ok('import-time', 8, [context]),
  { module: 'simulate', target: 4, status: 'no-figures', seconds: 1, figures: [] },
];
const crashed: ModuleResult = { module: 'metrics', target: 5, status: 'crashed', seconds: 1, figures: [], error: 'exit code 1' };

describe('the final table', () => {
  test('plain text: one row per figure in target order, each verdict, modules without figures, then the counts', () => {
    const text = formatTable([...results, crashed], { markdown: false });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^target\s+figure\s+value\s+baseline\s+ratio\s+goal\s+result$/);
    const body = lines.slice(2, 8);
    expect(body.map((l) => l.split(/\s+/)[0])).toEqual(['2', '3', '4', '5', '6', '8']);
    expect(body[0]).toContain('160,000 events/s');
    expect(body[0]).toContain('integer baseline: 700,000 events/s');
    expect(body[0]).toContain('4.375×');
    expect(body[0]).toMatch(/ met$/);
    expect(body[1]).toMatch(/NOT met$/);
    expect(body[2]).toContain('(module did not return figures)');
    expect(body[3]).toContain('CRASHED: exit code 1');
    expect(body[4]).toContain('skipped: no postgresql binaries');
    expect(body[5]).toMatch(/NOT met \(context\)$/);
    expect(lines.at(-1)).toBe('1 met, 1 NOT met, 1 context, 1 skipped, 1 module(s) without figures, 1 module(s) CRASHED');
  });

  test('Markdown: a header row, a separator, and cells with their pipes escaped', () => {
    const text = formatTable([ok('rules', 1, [{ ...met, target: 1, name: 'a | b' }])], { markdown: true });
    const lines = text.split('\n');
    expect(lines[0]).toBe('| target | figure | value | baseline | ratio | goal | result |');
    expect(lines[1]).toBe('|---|---|---|---|---|---|---|');
    expect(lines[2]).toContain('| 1 | a \\| b | 160,000 events/s |');
  });
});

describe('the exit code', () => {
  test('--quick fails only on a crash; a full run also fails (2) on a judged target not met', () => {
    expect(exitCode(results, true)).toBe(0);
    expect(exitCode(results, false)).toBe(2);
    expect(exitCode([...results, crashed], true)).toBe(1);
    expect(exitCode([...results, crashed], false)).toBe(1);
  });

  test('context and skipped figures are never counted as missed', () => {
    expect(exitCode([ok('a', 8, [context]), ok('b', 6, [skipped]), ok('c', 2, [met])], false)).toBe(0);
    expect(summarize([ok('a', 8, [context, skipped, met, missed])])).toEqual({ met: 1, missed: 1, context: 1, skipped: 1, withoutFigures: 0, crashed: 0 });
  });
});

test('--json: non-finite numbers are written as null and read back as NaN', () => {
  const json = resultsJson({ startedAt: '2027-01-01T00:00:00Z', node: 'v20', quick: true, seconds: 3, modules: [ok('postgres', 6, [skipped, met])] });
  const parsed = JSON.parse(json) as { summary: { skipped: number }; modules: { figures: { value: number | null }[] }[] };
  expect(parsed.summary.skipped).toBe(1);
  expect(parsed.modules[0]?.figures[0]?.value).toBeNull();
  const back = figuresFromJson(JSON.stringify({ figures: parsed.modules[0]?.figures }));
  expect(back?.[0]?.value).toBeNaN();
  expect(back?.[1]).toEqual(met);
  expect(figuresFromJson('{"figures":null}')).toBeUndefined();
});

test('a run over fixture modules: a crash is reported and exits 1; a module without figures is reported; figures reach the JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runner-test-'));
  try {
    const json = join(dir, 'results.json');
    const fixtures = ['throws', 'no-figures', 'figures'].flatMap((f) => ['--module', `test/bench/fixtures/${f}.ts`]);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/index.ts', '--quick', ...fixtures, '--json', json], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('fixture bench module failed on purpose');
    expect(r.stdout).toContain('CRASHED');
    expect(r.stdout).toContain('(module did not return figures)');
    expect(r.stdout).toContain('fixture: measured something, returned nothing');
    const written = JSON.parse(readFileSync(json, 'utf8')) as { quick: boolean; modules: ModuleResult[] };
    expect(written.quick).toBe(true);
    expect(written.modules.map((m) => m.status)).toEqual(['crashed', 'no-figures', 'ok']);
    expect(written.modules[2]?.figures.map((f) => f.name)).toEqual(['fixture figure (quick=true)', 'fixture missed']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
