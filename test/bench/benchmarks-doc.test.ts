// BENCHMARKS.md stays a document a reader can follow (issue 14): its "How to run" commands name
// scripts and files that exist, the standing table has a row for every PERFORMANCE.md target,
// and every target whose verdict there is "not met" has its section of profile, why and what it
// would take. It checks structure and references only, never a figure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'BENCHMARKS.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The text of the section under `## <title>`, up to the next `## ` heading. */
function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}`);
  if (start < 0) return '';
  const next = doc.indexOf('\n## ', start + 4);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('BENCHMARKS.md', () => {
  test('has its four parts, in order', () => {
    const at = ['## The machine, and how to run', '## Where every target stands', '## The unmet targets', '## History'].map((h) => doc.indexOf(h));
    for (const i of at) expect(i).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('every command of "How to run" names an npm script or a file that exists', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(section('The machine, and how to run'))?.[1] ?? '';
    const commands = block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l.length > 0);
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) {
      const npm = /^npm run ([\w:-]+)/.exec(command);
      if (npm) expect(scripts, command).toHaveProperty(npm[1] as string);
      else for (const file of command.match(/bench\/[\w/.-]+\.ts/g) ?? []) expect(existsSync(join(root, file)), command).toBe(true);
      expect(npm !== null || /bench\/[\w/.-]+\.ts/.test(command), command).toBe(true);
    }
  });

  test('the standing table has a row for each target 1–8, and each unmet one has its section', () => {
    const standing = section('Where every target stands');
    const rows = standing.split('\n').filter((l) => /^\| \d\. /.test(l));
    const targets = new Set(rows.map((l) => Number(/^\| (\d)\./.exec(l)?.[1])));
    expect([...targets].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const unmet = [...new Set(rows.filter((l) => /\*\*not met\*\*/.test(l.split('|').at(-2) ?? '')).map((l) => Number(/^\| (\d)\./.exec(l)?.[1])))];
    expect(unmet.length).toBeGreaterThan(0);
    const sections = section('The unmet targets: profiles, why, and what it would take');
    for (const t of unmet) {
      const start = sections.indexOf(`\n### Target ${t}:`);
      expect(start, `a section for target ${t}`).toBeGreaterThan(0);
      const next = sections.indexOf('\n### ', start + 5);
      const body = sections.slice(start, next < 0 ? undefined : next);
      expect(body, `target ${t}: a profile table`).toMatch(/\| part.*\| CPU share \|/);
      expect(body, `target ${t}: why`).toContain('**Why');
      expect(body, `target ${t}: what it would take`).toContain('**What it would take');
    }
  });
});
