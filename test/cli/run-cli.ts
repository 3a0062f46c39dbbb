// Runs the BUILT command (dist/cli/index.js), as a user's shell would: `npm test` builds before
// vitest; in a local run, `npx tsup` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const bin = join(root, 'dist', 'cli', 'index.js');
export const data = (name: string): string => join('examples', 'data', name);
export const fixture = (name: string): string => join('test', 'cli', 'fixtures', name);

/** What a run printed and how it exited. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails with a clear message when the CLI has not been built. */
export function requireBuild(): void {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npx tsup; npm test builds before vitest)`);
}

/** `node dist/cli/index.js …args` from the repository root (or `cwd`). */
export function cli(args: readonly string[], options: { cwd?: string; binPath?: string } = {}): Run {
  const run = spawnSync(process.execPath, [options.binPath ?? bin, ...args], { cwd: options.cwd ?? root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
