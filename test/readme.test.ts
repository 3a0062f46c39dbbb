// The README is the user's front door: its quick start is examples/quickstart.ts (which runs in
// test/examples.test.ts), so the README's code can never rot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { defineProgram, type Program } from '../src';

const root = join(__dirname, '..');

test("the README's quick start is examples/quickstart.ts", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const example = readFileSync(join(root, 'examples', 'quickstart.ts'), 'utf8');
  const body = example.split('\n').filter((line) => !line.startsWith('// ') && !line.startsWith('if (balance')).join('\n');
  expect(body).toBe((block ?? '').replace("from 'loyalty-engine'", "from '../src'"));
  expect((block ?? '').split('\n').length).toBeLessThanOrEqual(25);
});

test('every program config the README shows for a kind is accepted by defineProgram', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n(defineProgram\(\{[\s\S]*?\n\}\);)/g)].map((m) => m[1] ?? '');
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  for (const block of blocks) {
    // The blocks are plain JavaScript object literals; comments run to the end of the line.
    const code = block.replace(/\/\/[^\n]*/g, '').replace(/;\s*$/, '');
    const define = new Function('defineProgram', `return ${code};`) as (d: typeof defineProgram) => Program;
    expect(define(defineProgram).id).toMatch(/\S/);
  }
});
