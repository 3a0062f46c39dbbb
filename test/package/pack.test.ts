// The package as a user installs it: `npm pack`, install the tarball into an empty app, then run
// the quick start (test/package/fixtures/quickstart.mjs) as ESM and as CommonJS, and type-check it
// as strict TypeScript with node16 and bundler resolution. Needs the npm registry or npm's cache
// for the package's dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(root, 'test', 'package', 'fixtures', 'quickstart.mjs');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const shell = process.platform === 'win32';

/** The newest modification time under a folder, or 0 when it does not exist. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The quick start as CommonJS: the import line becomes a require, the rest an async function. */
function asCommonJs(esm: string): string {
  const importLine = /^import \{([^}]+)\} from 'loyalty-engine';$/m;
  const match = importLine.exec(esm);
  if (!match) throw new Error(`${fixture}: expected one line \`import { ... } from 'loyalty-engine';\``);
  const body = esm.replace(importLine, '');
  return `'use strict';\nconst {${match[1]}} = require('loyalty-engine');\n(async () => {\n${body}\n})().catch((error) => { console.error(error); process.exitCode = 1; });\n`;
}

function run(cmd: string, args: readonly string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', shell });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('package.json', () => {
  test('npm pack builds dist/ first, so a fresh clone packs the code (prepack)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(pkg.scripts?.['prepack']).toBe('npm run build');
  });
});

describe('the packed package, installed into an empty app', () => {
  let app = '';

  beforeAll(() => {
    // Build when dist/ is missing or older than the sources; npm test has just built it.
    // (scripts/run-checks.mjs sets LOYALTY_DIST_BUILT=1 after its build: other steps read dist/ meanwhile.)
    if (process.env['LOYALTY_DIST_BUILT'] !== '1' && newest(join(root, 'dist', 'index.js')) < Math.max(newest(join(root, 'src')), newest(join(root, 'package.json')), newest(join(root, 'tsup.config.ts')))) {
      execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'pipe', shell });
    }
    app = mkdtempSync(join(tmpdir(), 'loyalty-pack-'));
    // --ignore-scripts: dist/ is fresh, so prepack's build would only repeat it.
    const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', app], { cwd: root, encoding: 'utf8', shell });
    const [info] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    if (!info) throw new Error(`npm pack printed no package: ${packed}`);
    const files = info.files.map((f) => f.path);
    for (const needed of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
      if (!files.includes(needed)) throw new Error(`the tarball lacks ${needed}: ${files.join(', ')}`);
    }
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    const install = run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', join(app, info.filename)], app);
    if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.output}`);
    const esm = readFileSync(fixture, 'utf8');
    copyFileSync(fixture, join(app, 'quickstart.mjs'));
    writeFileSync(join(app, 'quickstart.cjs'), asCommonJs(esm));
    copyFileSync(fixture, join(app, 'quickstart.mts'));
  }, 120_000);

  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  test('runs the quick start from ESM, and a config error is an instance of its LoyaltyError', () => {
    const r = run(process.execPath, ['quickstart.mjs'], app);
    expect(r.output).toContain('balance 60');
    expect(r.output).toContain('LoyaltyError ok');
    expect(r.status).toBe(0);
  });

  test('runs the quick start from CommonJS, and a config error is an instance of its LoyaltyError', () => {
    const r = run(process.execPath, ['quickstart.cjs'], app);
    expect(r.output).toContain('balance 60');
    expect(r.output).toContain('LoyaltyError ok');
    expect(r.status).toBe(0);
  });

  test.each([
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ])('type-checks the quick start as strict TypeScript (--module %s --moduleResolution %s)', (module, moduleResolution) => {
    const r = run(process.execPath, [
      tsc, '--noEmit', '--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes',
      '--skipLibCheck', 'false', '--target', 'es2022', '--lib', 'es2022,dom',
      '--module', module, '--moduleResolution', moduleResolution, 'quickstart.mts',
    ], app);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});
