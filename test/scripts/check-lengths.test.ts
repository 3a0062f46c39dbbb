import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'check-lengths.mjs');
const made: string[] = [];

/** A tree with `files` under src/ and `allowList` as scripts/length-allowlist.json. */
function tree(files: Readonly<Record<string, string>>, allowList: unknown = []): string {
  const root = mkdtempSync(join(tmpdir(), 'check-lengths-'));
  made.push(root);
  mkdirSync(join(root, 'scripts'));
  writeFileSync(join(root, 'scripts', 'length-allowlist.json'), JSON.stringify(allowList));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'src', path)), { recursive: true });
    writeFileSync(join(root, 'src', path), text);
  }
  return root;
}

function check(root: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** A function declaration of exactly `lines` lines (its TSDoc not counted). */
function fn(name: string, lines: number, body = ''): string {
  const statements = Array.from({ length: lines - 2 - (body === '' ? 0 : body.split('\n').length) }, (_, i) => `  const v${i} = ${i};`);
  return `/** Doc lines are not counted. */\nexport function ${name}(): void {\n${body === '' ? '' : body + '\n'}${statements.join('\n')}\n}\n`;
}

afterEach(() => {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
});

// Each case spawns node, which loads the TypeScript compiler: slow on a busy machine.
describe('scripts/check-lengths.mjs', { timeout: 180_000 }, () => {
  test('a function of 80 lines and a file of 400 lines pass; 81 and 401 fail, each named with its length', () => {
    const ok = tree({ 'a.ts': fn('eighty', 80), 'b.ts': 'export const x = 1;\n'.repeat(400) });
    expect(check(ok)).toMatchObject({ status: 0 });
    const bad = tree({ 'a.ts': fn('eightyOne', 81), 'deep/b.ts': 'export const x = 1;\n'.repeat(401) });
    const r = check(bad);
    expect(r.status).toBe(1);
    expect(r.out).toContain('too long src/a.ts:2  eightyOne  81 lines (limit 80)');
    expect(r.out).toContain('too long src/deep/b.ts:1  (file)  401 lines (limit 400)');
  });

  test('arrow functions take their variable or property name; nested ones are qualified and counted in their parent', () => {
    const inner = `  const inner = (): void => {\n${Array.from({ length: 79 }, (_, i) => `    void ${i};`).join('\n')}\n  };`;
    const root = tree({
      'a.ts': fn('outer', 90, inner),
      'b.ts': `export const table = {\n  method: () => {\n${Array.from({ length: 85 }, (_, i) => `    void ${i};`).join('\n')}\n  },\n};\n`,
    });
    const r = check(root);
    expect(r.status).toBe(1);
    expect(r.out).toContain('src/a.ts:2  outer  90 lines');
    expect(r.out).toContain('src/a.ts:3  outer.inner  81 lines');
    expect(r.out).toContain('src/b.ts:2  method  87 lines');
  });

  test('an allow-list entry with a reason excuses its function or file; a stale entry fails', () => {
    const files = { 'a.ts': fn('long', 81), 'b.ts': fn('short', 10) };
    const reason = 'a factory whose methods are each short';
    expect(check(tree(files, [{ file: 'src/a.ts', function: 'long', reason }]))).toMatchObject({ status: 0 });
    const stale = check(tree(files, [{ file: 'src/a.ts', function: 'long', reason }, { file: 'src/b.ts', function: 'short', reason }]));
    expect(stale.status).toBe(1);
    expect(stale.out).toContain('stale allow-list entry: src/b.ts short');
    // An entry for the file does not excuse a function in it.
    expect(check(tree(files, [{ file: 'src/a.ts', reason }])).status).toBe(1);
  });

  test('an allow-list entry without a reason is refused', () => {
    const r = check(tree({ 'a.ts': fn('long', 81) }, [{ file: 'src/a.ts', function: 'long' }]));
    expect(r.status).toBe(2);
    expect(r.out).toContain('"reason" must say why');
  });
});
