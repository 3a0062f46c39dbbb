// bench/profile.ts (npm run bench:profile): the profile tables of the unmet targets. A real run at
// the smallest size (target 2, --tiny) checks the output's shape, so the tool cannot rot: named
// buckets present, CPU and byte shares summing to 100 %, the top functions listed. And the bucket
// rules on their own: files to buckets, builtins charged to their caller. No figure is judged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bucketOfFrame, GC, IDLE, shares, sourceFile } from '../../bench/lib/profile-buckets';
import type { TargetProfile, WorkloadProfile } from '../../bench/profile';

const root = join(import.meta.dirname, '..', '..');

describe('the buckets', () => {
  test('a source file names its bucket; builtins go to their caller; V8 pseudo-nodes have their own', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    expect(sourceFile(`file://${root}/src/engine/order.ts`, root)).toBe('src/engine/order.ts');
    expect(sourceFile(`file://${root}/node_modules/decimal.js/decimal.mjs`, root)).toBe('node_modules/decimal.js/decimal.mjs');
    expect(bucketOfFrame(frame('viewOrder', `file://${root}/src/engine/order.ts`), root)).toBe('evaluate · order view');
    expect(bucketOfFrame(frame('earnEntries', `file://${root}/src/engine/awards.ts`), root)).toBe('evaluate · allocation and entries');
    expect(bucketOfFrame(frame('draftAwards', `file://${root}/src/engine/awards.ts`), root)).toBe('evaluate · awards');
    expect(bucketOfFrame(frame('Decimal', `file://${root}/node_modules/decimal.js/decimal.mjs`), root)).toBe('money: decimal.js and src/money');
    expect(bucketOfFrame(frame('stringify', ''), root)).toBeUndefined();
    expect(bucketOfFrame(frame('(garbage collector)', ''), root)).toBe(GC);
    expect(bucketOfFrame(frame('(idle)', ''), root)).toBe(IDLE);
  });

  test('shares: the named buckets first (even at zero), the rest by size, summing to 1', () => {
    const s = shares(new Map([['b', 1], ['c', 3]]), ['a', 'b']);
    expect(s.map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(s.map((x) => x.share)).toEqual([0, 0.25, 0.75]);
  });
});

describe('npx tsx bench/profile.ts --only 2 --tiny', () => {
  test('prints the table and writes JSON whose buckets sum to 100 %', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-test-'));
    try {
      const out = join(dir, 'profile.json');
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/profile.ts', '--only', '2', '--tiny', '--markdown', '--json', out], { cwd: root, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('### Target 2: evaluate');
      expect(run.stdout).toMatch(/\| part \(by source file\) \| CPU share \|/);
      const json = JSON.parse(readFileSync(out, 'utf8')) as { size: string; profiles: TargetProfile[] };
      expect(json.size).toBe('tiny');
      expect(json.profiles).toHaveLength(1);
      const p = json.profiles[0] as WorkloadProfile;
      expect(p.target).toBe(2);
      expect(p.ops).toBe(2_000);
      const names = p.buckets.map((b) => b.name);
      for (const name of ['evaluate · facts', 'evaluate · rules', 'evaluate · awards', 'evaluate · allocation and entries', 'evaluate · limits', 'evaluate · order view', GC, 'other']) expect(names).toContain(name);
      const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
      expect(sum(p.buckets.map((b) => b.cpuShare))).toBeCloseTo(1, 6);
      expect(sum(p.buckets.map((b) => b.byteShare))).toBeCloseTo(1, 6);
      expect(sum(p.buckets.map((b) => b.cpuMicrosPerOp))).toBeCloseTo(p.cpuMicrosPerOp, 3);
      expect(sum(p.buckets.map((b) => b.bytesPerOp))).toBeCloseTo(p.bytesPerOp, 0);
      expect(p.cpuMicrosPerOp).toBeGreaterThan(0);
      expect(p.bytesPerOp).toBeGreaterThan(0);
      // The evaluate buckets hold most of the samples: the files are found, not all "other".
      expect(sum(p.buckets.filter((b) => b.name.startsWith('evaluate')).map((b) => b.cpuShare))).toBeGreaterThan(0.3);
      expect(p.top.length).toBeGreaterThan(0);
      expect(p.top.length).toBeLessThanOrEqual(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--quick without --pg skips target 6 with a reason, and starts no server', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/profile.ts', '--only', '6', '--quick'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Target 6: skipped (--quick without --pg');
  });
});
