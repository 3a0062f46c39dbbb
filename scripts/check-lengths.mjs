// Lists the functions over 80 lines and the files over 400 lines in src/ (issue 13: "an engine a
// newcomer can read in an hour"), and fails when one is not in scripts/length-allowlist.json.
// Each allow-list entry names a file (and a function in it) and says why it stays long:
//   { "file": "src/x.ts", "function": "outer.inner", "reason": "…" }   a function
//   { "file": "src/x.ts", "reason": "…" }                              the file itself
// An entry that no longer matches anything over the limit fails too, so the list stays true.
//
// A function's length runs from its first token (its TSDoc excluded) to its closing brace; a
// nested function counts in its parent's length and is also checked on its own. Functions are
// named by their declaration, variable or property, qualified by the functions around them
// (`validateConditions.checkDepth`); one without a name is `<anonymous>`.
//
// Usage: node scripts/check-lengths.mjs [--max-function 80] [--max-file 400] [--all] [--root DIR]
// (`--all` also lists what the allow-list excuses; `--root` checks DIR/src against
// DIR/scripts/length-allowlist.json instead of this repository, as test/scripts does.)
// Exit code: 0 when clean, 1 when something is over its limit or an entry is stale, 2 on bad usage.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

function textOption(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}
const root = resolve(textOption('--root') ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const allowListPath = join(root, 'scripts', 'length-allowlist.json');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`check-lengths: ${name} needs a positive integer`);
    process.exit(2);
  }
  return value;
}
const maxFunction = option('--max-function', 80);
const maxFile = option('--max-file', 400);
const listAll = process.argv.includes('--all');

function sourceFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Lines as an editor numbers them: a final newline does not start another line. */
function lineCount(text) {
  if (text === '') return 0;
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? lines - 1 : lines;
}

function isFunctionLike(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function propertyName(name) {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** The name a reader would look for: its own, or that of the variable or property it is assigned to. */
function functionName(node) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const own = propertyName(node.name);
  if (own !== undefined) return own;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return propertyName(parent.name) ?? '<anonymous>';
  }
  if (ts.isFunctionDeclaration(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return 'default';
  return '<anonymous>';
}

function measureFile(path) {
  const text = readFileSync(path, 'utf8');
  const file = relative(root, path).split('\\').join('/');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const line = (pos) => source.getLineAndCharacterOfPosition(pos).line;
  const found = [];
  const fileLines = lineCount(text);
  if (fileLines > maxFile) found.push({ file, function: undefined, lines: fileLines, limit: maxFile, at: 1 });
  const visit = (node, outer) => {
    let scope = outer;
    if (isFunctionLike(node)) {
      const name = [...outer, functionName(node)].join('.');
      const start = line(node.getStart(source));
      const lines = line(node.getEnd()) - start + 1;
      if (lines > maxFunction) found.push({ file, function: name, lines, limit: maxFunction, at: start + 1 });
      scope = [...outer, functionName(node)];
    }
    ts.forEachChild(node, (child) => visit(child, scope));
  };
  visit(source, []);
  return found;
}

function readAllowList() {
  let entries;
  try {
    entries = JSON.parse(readFileSync(allowListPath, 'utf8'));
  } catch (error) {
    console.error(`check-lengths: cannot read ${relative(root, allowListPath)}: ${error.message}`);
    process.exit(2);
  }
  const problems = [];
  if (!Array.isArray(entries)) problems.push('the allow-list must be a JSON array');
  else {
    entries.forEach((entry, i) => {
      if (typeof entry?.file !== 'string' || entry.file === '') problems.push(`entry ${i}: "file" must be a path under src/`);
      if (entry?.function !== undefined && (typeof entry.function !== 'string' || entry.function === '')) {
        problems.push(`entry ${i}: "function", when given, must be a non-empty string`);
      }
      if (typeof entry?.reason !== 'string' || entry.reason.trim().length < 10) problems.push(`entry ${i}: "reason" must say why (10 characters at least)`);
    });
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`check-lengths: ${relative(root, allowListPath)}: ${p}`);
    process.exit(2);
  }
  return entries;
}

const allowList = readAllowList();
const used = new Set();
const allowed = (offender) => {
  const i = allowList.findIndex((e) => e.file === offender.file && e.function === offender.function);
  if (i >= 0) used.add(i);
  return i >= 0;
};

const offenders = sourceFiles(join(root, 'src')).flatMap(measureFile);
const describe = (o) => `${o.file}:${o.at}  ${o.function === undefined ? '(file)' : o.function}  ${o.lines} lines (limit ${o.limit})`;
const failing = [];
for (const o of offenders) {
  if (!allowed(o)) failing.push(o);
  else if (listAll) console.log(`allowed  ${describe(o)}`);
}
const stale = allowList.filter((_, i) => !used.has(i));

for (const o of failing) console.log(`too long ${describe(o)}`);
for (const e of stale) console.log(`stale allow-list entry: ${e.file}${e.function === undefined ? '' : ` ${e.function}`} is not over its limit (remove the entry)`);
if (failing.length > 0 || stale.length > 0) {
  console.log(`check-lengths: ${failing.length} over the limits (functions ${maxFunction} lines, files ${maxFile}), ${stale.length} stale allow-list entries`);
  process.exit(1);
}
console.log(`check-lengths: no function over ${maxFunction} lines and no file over ${maxFile} lines in src/ (${used.size} allowed by scripts/length-allowlist.json)`);
