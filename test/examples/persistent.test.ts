// examples/persistent.ts keeps the ledger in a PGlite directory: two runs as two processes over
// one directory, and the second sees the first one's points.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const root = join(__dirname, '..', '..');
const directory = mkdtempSync(join(tmpdir(), 'loyalty-persistent-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the example in its own process (async, so the test runner stays responsive) and reads the balance it printed. */
function run(): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('examples', 'persistent.ts'), join(directory, 'data')], { cwd: root });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const balance = /^balance: (\d+)$/m.exec(out)?.[1];
      if (code !== 0 || balance === undefined) fail(new Error(`exit ${String(code)}\n${out}\n${err}`));
      else done(Number(balance));
    });
  });
}

test('a second run over the same directory finds the first run’s points: the balance grew', async () => {
  const first = await run();
  const second = await run();
  expect(first).toBe(25);
  expect(second).toBe(50);
  expect(second).toBeGreaterThan(first);
}, 300_000);
