// `npm run check:package`, second half: "Are the Types Wrong?" (attw, profile node16) on the
// tarball npm would publish. `attw --pack .` would run `npm pack` with its lifecycle scripts, so
// prepack rebuilt dist/ every time (~30-80 s), and, with npm test's steps running side by side,
// rewrote dist/ under the tests that run it. Here the tarball is packed with --ignore-scripts
// from the dist/ there is, built first only when it is missing or older than the sources (as
// prepack would), and attw reads that tarball: the same check on the same files.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const shell = process.platform === 'win32';

/** The newest modification time under a path, or 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'package.json')), newest(join(root, 'tsup.config.ts')));
// Under `npm test` (scripts/run-checks.mjs) the build step has just run and the tests read dist/
// at the same time: never rebuild under them (a second build racing the pack test's would empty
// dist/ mid-run).
if (process.env.LOYALTY_DIST_BUILT !== '1' && newest(join(root, 'dist', 'index.js')) < sources) {
  console.log('check-package: dist/ is missing or older than the sources; building it (as prepack would)');
  execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell });
}

const dir = mkdtempSync(join(tmpdir(), 'loyalty-attw-'));
try {
  const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', shell });
  const [info] = JSON.parse(packed);
  if (!info) throw new Error(`npm pack printed no package: ${packed}`);
  const attw = createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json').replace(/package\.json$/, join('dist', 'index.js'));
  const run = spawnSync(process.execPath, [attw, join(dir, info.filename), '--profile', 'node16'], { cwd: root, stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
