// Runs every script in examples/ through tsx, in order; fails on the first that fails.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();
for (const file of files) {
  console.log(`\n=== examples/${file} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join('examples', file)], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`examples/${file} failed with exit code ${run.status}`);
    process.exit(1);
  }
}
console.log(`\n${files.length} examples ran.`);
