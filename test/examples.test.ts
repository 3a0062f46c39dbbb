// Every script in examples/ runs here, so the examples can never rot.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const root = join(__dirname, '..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();
// examples/persistent.ts keeps a database in a directory: a temporary one here, not the repository.
const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-examples-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('examples', () => {
  test('there are examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  test.each(examples)('examples/%s runs to completion', (file) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join('examples', file)], { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, LOYALTY_DATA_DIR: join(dataDir, 'data') } });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
  });
});
