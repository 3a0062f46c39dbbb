// bench/ab-builds.ts (the same-process A/B comparison of builds) cannot rot: its statistics, the
// stop on different outputs, the comparison run in process on the sources against themselves,
// and the command itself on dist/ against itself at tiny sizes. No timing is asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareBuilds, firstDifference, formatResults, OutputMismatch, orderOf, quantile, verdictOf, type Build, type BuildApi } from '../../bench/lib/ab';
import { TWENTY_RULE_CONFIG } from '../../bench/lib/ab-programs';
import { allWorkloads, evaluateWorkload, PRESETS, type WorkloadSizes } from '../../bench/lib/ab-workloads';
import { twentyRuleProgram } from '../../bench/lib/programs';
import * as core from '../../src/core';
import * as index from '../../src/index';
import * as schemas from '../../src/schemas';

const root = join(import.meta.dirname, '..', '..');
const tiny: WorkloadSizes = { events: 6, customers: 2, serviceHistory: 1, processOps: 4, lots: 20 };
const sizes = { passes: 2, warmup: 0, warmMs: 0, passMs: 0.2 };
const api: BuildApi = { ...index, ...core, ...schemas };
const src = (name: string, changed: Partial<BuildApi> = {}): Build => ({ name, dir: 'src', api: { ...api, ...changed } });

describe('statistics', () => {
  test('quantiles interpolate; the verdict is a regression only when the median ratio passes 1.10', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([], 0.5)).toBeNaN();
    expect(verdictOf({ median: 1.11, q1: 1.05, q3: 1.2 })).toBe('REGRESSION > 10 %');
    expect(verdictOf({ median: 1.05, q1: 1.0, q3: 1.12 })).toMatch(/^no \(median ≤ 1.1, middle half/);
    expect(verdictOf({ median: 0.9, q1: 0.85, q3: 0.95 })).toBe('no (faster)');
    expect(verdictOf({ median: 1.0, q1: 0.95, q3: 1.05 })).toBe('no');
  });

  test('the build order is swapped every pass for two builds, rotated for more', () => {
    expect([0, 1, 2].map((p) => orderOf(['a', 'b'], p).join(''))).toEqual(['ab', 'ba', 'ab']);
    expect([0, 1, 2].map((p) => orderOf(['a', 'b', 'c'], p).join(''))).toEqual(['abc', 'bca', 'cab']);
  });

  test('firstDifference names the path of the first differing JSON value', () => {
    expect(firstDifference({ a: [1, { b: '2' }] }, { a: [1, { b: '2' }] })).toBeUndefined();
    expect(firstDifference({ a: [1, { b: '2' }] }, { a: [1, { b: '3' }] })).toEqual({ path: '$.a[1].b', a: '"2"', b: '"3"' });
    expect(firstDifference({ a: 1 }, { a: 1, c: null })).toEqual({ path: '$.c', a: '(absent)', b: 'null' });
  });
});

test("the comparison's copy of the 20-rule program defines the same program as bench/lib/programs.ts", () => {
  expect(index.defineProgram(TWENTY_RULE_CONFIG).config).toEqual(twentyRuleProgram().config);
});

describe('the comparison, in process, on the sources', () => {
  test('against themselves: every workload agrees and is timed on both builds', async () => {
    const results = await compareBuilds([src('a'), src('b')], allWorkloads(tiny), sizes);
    expect(results.map((r) => r.workload)).toEqual(allWorkloads(tiny).map((w) => w.name));
    for (const r of results) {
      expect(r.perOp.map((p) => p.build)).toEqual(['a', 'b']);
      expect(r.ratios).toHaveLength(1);
      expect(r.ratios[0]?.median).toBeGreaterThan(0);
    }
    const table = formatResults(results, { markdown: true }).split('\n');
    expect(table[0]).toBe('| workload | ops/pass | a CPU-µs/op | b CPU-µs/op | b/a (middle half) | verdict |');
    expect(table).toHaveLength(2 + results.length);
  });

  test('a build whose outputs differ stops the comparison before any timing, naming where', async () => {
    const off: BuildApi['balanceAt'] = (state, at, unit) => {
      const b = api.balanceAt(state, at, unit);
      return { ...b, available: b.available.plus(1) };
    };
    let timedRuns = 0;
    const counted = evaluateWorkload(tiny);
    const workload = { ...counted, prepare: async (a: BuildApi) => ({ ...(await counted.prepare(a)), run: () => void timedRuns++ }) };
    const run = compareBuilds([src('a'), src('b', { balanceAt: off })], [workload], sizes);
    await expect(run).rejects.toBeInstanceOf(OutputMismatch);
    await expect(run).rejects.toThrow(/builds a and b give different outputs at \$\[0\]\.balance\.available/);
    expect(timedRuns).toBe(0);
  });
});

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

test('the command on dist/ against itself (--tiny): outputs identical, one row per workload, exit 0', () => {
  // Build when dist/ is missing or older than the sources (as test/package/pack.test.ts does);
  // npm test has just built it (scripts/run-checks.mjs sets LOYALTY_DIST_BUILT=1).
  if (process.env['LOYALTY_DIST_BUILT'] !== '1' && newest(join(root, 'dist', 'index.js')) < Math.max(newest(join(root, 'src')), newest(join(root, 'tsup.config.ts')))) {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'pipe', shell: process.platform === 'win32' });
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/ab-builds.ts', '--tiny', '--build', 'a=dist', '--build', 'b=dist'], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('outputs identical on every workload');
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('workload'));
  expect(lines[header]).toMatch(/a CPU-µs\/op\s+b CPU-µs\/op\s+b\/a \(middle half\)\s+verdict$/);
  const rows = lines.slice(header + 2).filter((l) => l.trim() !== '');
  expect(rows.map((l) => l.split(/\s{2,}/)[0])).toEqual(allWorkloads(PRESETS.tiny.sizes).map((w) => w.name));
}, 300_000);
