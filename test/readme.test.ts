// The README is the user's front door, so its code runs here, as one story.
//
// How the README's code is run (test "the README's ts snippets run in order as one story"):
// - Every ```ts block of README.md runs, in the order it appears, in one async scope: each block
//   runs inside a `{ … }` block nested in the previous one's, so it sees every name the blocks
//   before it declared and may declare a name again (a later `const program` shadows the quick
//   start's; JavaScript allows that in a nested block, never in one flat scope).
// - `import { a, b as c, type T } from 'loyalty-engine…'` lines are bound to the sources (src/)
//   through package.json's `exports` and tsup.config.ts's entries, so a new subpath entry point is
//   picked up without touching this file; other packages are imported as they are. TypeScript-only
//   syntax (`satisfies`, `as`, type annotations) is stripped with esbuild before running.
// - A one-line statement whose trailing comment is only a JavaScript literal is an assertion:
//   `balance.available.toString(); // '560'`, `const fired = await run(…); // ['base', 'big-basket']`,
//   `console.log(x); // 'a'` check that value with toEqual. A comment with more than a literal
//   (`// e.g. 'insufficient_points'`) is prose and checks nothing.
// - A block that cannot run here (it needs a server, a browser, credentials…) is skipped when the
//   line just before its opening fence is an HTML comment starting with "not run", which the
//   reader does not see: `<!-- not run: needs a PostgreSQL server -->`. Use it sparingly; the
//   test lists the skipped blocks, and fails on a marker that does not sit right before a block.
// - Other ```-fenced languages (sh, json, sql…) are not run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { expect, test } from 'vitest';
import { defineProgram, type Customer, type LoyaltyEvent, type Program } from '../src';
import type { explain as explainFn, openAccount as openAccountFn } from '../src/core';
import tsupConfig from '../tsup.config';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Snippet {
  /** 1-based line of the opening fence in README.md. */
  readonly line: number;
  readonly code: string;
  /** The reason given by a `<!-- not run: … -->` marker, when the block is skipped. */
  readonly skipped?: string;
}

const NOT_RUN = /^<!--\s*not run\b:?\s*(.*?)\s*-->$/;

/** Every ```ts block of the README, with its line and whether a marker skips it. */
function snippets(text: string): Snippet[] {
  const lines = text.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? '').trim() !== '```ts') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    if (end === -1) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const marker = NOT_RUN.exec((lines[i - 1] ?? '').trim());
    const code = lines.slice(i + 1, end).join('\n');
    out.push(marker ? { line: i + 1, code, skipped: marker[1] || 'marked not run' } : { line: i + 1, code });
    i = end;
  }
  return out;
}

/** `loyalty-engine` and each subpath of package.json's exports, as the source file tsup builds it from. */
function sourceModules(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  const entries = (Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig) as { entry: Record<string, string> };
  const modules = new Map<string, string>();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const built = JSON.stringify(target).match(/"\.\/dist\/([^"]+?)\.js"/)?.[1];
    const source = built === undefined ? undefined : entries.entry[built];
    if (source !== undefined) modules.set(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, join(root, source));
  }
  return modules;
}

const IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';[ \t]*$/gm;

/** The names a snippet imports, as [local name, exported name, module specifier]. */
function importsOf(code: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [, typeOnly, names = '', from = ''] of code.matchAll(IMPORT)) {
    if (typeOnly !== undefined) continue;
    for (const part of names.split(',').map((n) => n.trim()).filter((n) => n !== '' && !n.startsWith('type '))) {
      const [exported = '', local = exported] = part.split(/\s+as\s+/);
      out.push([local, exported, from]);
    }
  }
  return out;
}

const LITERAL = /^('[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?|true|false|null|undefined|\[[^\]]*\]|\{[^}]*\})$/;

/**
 * Turns each one-line statement with a literal as its whole trailing comment into a check of that
 * value (see the top of the file); other lines are left alone.
 */
function withAssertions(code: string, line: number): string {
  return code
    .split('\n')
    .map((text, i) => {
      const m = /^(\s*)(.*?);\s*\/\/\s*(.*?)\s*$/.exec(text);
      const literal = m?.[3] ?? '';
      if (!m || !LITERAL.test(literal) || (m[2] ?? '').includes('//')) return text;
      const where = JSON.stringify(`README.md:${line + 1 + i}`);
      const statement = m[2] ?? '';
      const declared = /^(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=/.exec(statement);
      if (declared) return `${m[1] ?? ''}${statement}; __expect(${declared[1] ?? ''}, ${literal}, ${where});`;
      const logged = /^console\.log\((.*)\)$/.exec(statement);
      return `${m[1] ?? ''}__expect(${logged ? logged[1] : statement}, ${literal}, ${where});`;
    })
    .join('\n');
}

test("the README's ts snippets run in order as one story, and print what the README says", { timeout: 60_000 }, async () => {
  const all = snippets(readme);
  const run = all.filter((s) => s.skipped === undefined);
  expect(run.length).toBeGreaterThanOrEqual(10);
  // A marker must sit right before a ts block: one left behind elsewhere would silently skip nothing.
  const markers = readme.split('\n').flatMap((l, i) => (NOT_RUN.test(l.trim()) ? [i + 2] : []));
  expect(markers.filter((fence) => !all.some((s) => s.line === fence && s.skipped !== undefined))).toEqual([]);
  for (const s of all) if (s.skipped !== undefined) console.log(`[readme] not run: README.md:${s.line} (${s.skipped})`);

  const modules = sourceModules();
  const bindings = new Map<string, unknown>();
  for (const s of run) {
    for (const [local, exported, from] of importsOf(s.code)) {
      const module = (await import(modules.get(from) ?? from)) as Record<string, unknown>;
      expect(module[exported], `README.md:${s.line}: ${exported} from ${from}`).toBeDefined();
      if (!bindings.has(local)) bindings.set(local, module[exported]);
    }
  }

  const checked: string[] = [];
  const expectValue = (actual: unknown, expected: unknown, where: string): void => {
    expect(actual, where).toEqual(expected);
    checked.push(where);
  };
  let body = '';
  for (const s of [...run].reverse()) {
    const code = withAssertions(s.code.replace(IMPORT, ''), s.line);
    // esbuild strips the TypeScript; the block stays plain statements (top-level await included).
    const js = await transform(code, { loader: 'ts', format: 'esm', target: 'es2022' }).then(
      (r) => r.code,
      (e: unknown) => Promise.reject(new Error(`README.md:${s.line}: ${String(e)}`)),
    );
    body = `{ __at(${s.line});\n${js}\n${body}}\n`;
  }
  let at = 0;
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  const story = new AsyncFunction('__expect', '__at', ...bindings.keys(), body);
  await story(expectValue, (line: number) => (at = line), ...bindings.values()).catch((e: unknown) => {
    throw new Error(`the README's block at README.md:${at} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });
  expect(checked.length).toBeGreaterThanOrEqual(10);
});

test("the README's quick start is examples/quickstart.ts", () => {
  const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const example = readFileSync(join(root, 'examples', 'quickstart.ts'), 'utf8');
  const body = example.split('\n').filter((line) => !line.startsWith('// ') && !line.startsWith('if (balance')).join('\n');
  expect(body).toBe((block ?? '').replace("from 'loyalty-engine'", "from '../src'"));
  expect((block ?? '').split('\n').length).toBeLessThanOrEqual(25);
});

test('every program config the README shows for a kind is accepted by defineProgram', () => {
  const blocks = [...readme.matchAll(/```ts\n(defineProgram\(\{[\s\S]*?\n\}\);)/g)].map((m) => m[1] ?? '');
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  for (const block of blocks) {
    // The blocks are plain JavaScript object literals; comments run to the end of the line.
    const code = block.replace(/\/\/[^\n]*/g, '').replace(/;\s*$/, '');
    const define = new Function('defineProgram', `return ${code};`) as (d: typeof defineProgram) => Program;
    expect(define(defineProgram).id).toMatch(/\S/);
  }
});

// The README's json-rules-engine block, run on its own: what it builds is checked against the engine.
test("the README's json-rules-engine snippet builds order facts, so a rule on order.subtotal fires", async () => {
  const block = snippets(readme).find((s) => s.code.includes("from 'loyalty-engine/json-rules-engine'"))?.code;
  expect(block).toBeDefined();
  const modules = sourceModules();
  const bindings: Record<string, unknown> = {};
  for (const [local, exported, from] of importsOf(block ?? '')) {
    const module = (await import(modules.get(from) ?? from)) as Record<string, unknown>;
    expect(module[exported], `${exported} from ${from}`).toBeDefined();
    bindings[local] = module[exported];
  }
  const js = `${(await transform((block ?? '').replace(IMPORT, ''), { loader: 'ts', format: 'esm', target: 'es2022' })).code}\nreturn { program, purchase, customer, facts, fired };`;
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<Record<string, unknown>>;
  const result = await new AsyncFunction(...Object.keys(bindings), js)(...Object.values(bindings));

  // 2 × 60.00 − 5.00: the order facts come from the parsed purchase, not their defaults of 0.
  expect(String(result.facts && (result.facts as Record<string, unknown>)['order.subtotal'])).toBe('115');
  expect(result.fired).toEqual(['base', 'big-basket']);
  // The engine itself agrees: explain fires the same rules on the same purchase.
  const core = await import('../src/core');
  const explain = core.explain as typeof explainFn;
  const openAccount = core.openAccount as typeof openAccountFn;
  const explanation = explain(result.program as Program, openAccount(result.program as Program, 'ana'), result.purchase as LoyaltyEvent, {
    customer: result.customer as Customer,
  });
  expect(explanation.rules.filter((r) => r.fired).map((r) => r.ruleId)).toEqual(result.fired);
});
