// `loyalty-engine validate program.json`: every issue of a program config, with its path and code.
import { defineProgram, type Program } from '../engine/program';
import { ProgramConfigError, type Issue } from '../errors';
import { CliError, EXIT } from './errors';
import { toJson, type Output } from './output';
import { readJsonFile } from './read/files';
import { formatTable } from './table';

/** The program a config file defines, or a CliError listing every issue (path and code). */
export function loadProgram(file: string): Program {
  const config = readJsonFile(file);
  try {
    return defineProgram(stripSchemaKey(config) as Parameters<typeof defineProgram>[0]);
  } catch (error) {
    if (!(error instanceof ProgramConfigError)) throw error;
    throw new CliError(`${file}: invalid program config (${plural(error.issues.length, 'issue')}):\n${issueTable(error.issues)}`);
  }
}

/**
 * Editors read `"$schema": "./program.schema.json"` for completion; the library's strict config
 * schema would refuse the key, so it is dropped before validation.
 */
export function stripSchemaKey(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config) || !('$schema' in config)) return config;
  const { $schema: _ignored, ...rest } = config as Record<string, unknown>;
  return rest;
}

/** A path as the docs write it: `rules[2].when.all[0].operator`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text === '' ? '(root)' : text;
}

function issueTable(issues: readonly Issue[]): string {
  return formatTable(
    ['path', 'code', 'message'],
    issues.map((i) => [formatPath(i.path), i.code, i.message]),
  ).replace(/^/gm, '  ');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary(program: Program): string {
  const config = program.config as { rules?: readonly unknown[]; tiers?: readonly unknown[] };
  const parts = [plural(config.rules?.length ?? 0, 'rule')];
  if (config.tiers !== undefined) parts.push(plural(config.tiers.length, 'tier'));
  return `${program.kind} program "${program.id}" version ${program.version}, ${parts.join(', ')}`;
}

/** Runs `validate`; returns the exit code. */
export function runValidate(file: string, options: { json: boolean }, io: Output): number {
  const config = readJsonFile(file);
  try {
    const program = defineProgram(stripSchemaKey(config) as Parameters<typeof defineProgram>[0]);
    io.out(options.json ? toJson({ file, valid: true, kind: program.kind, id: program.id, version: program.version }) : `${file}: valid — ${summary(program)}`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ProgramConfigError)) throw error;
    const issues = error.issues.map((i) => ({ path: formatPath(i.path), code: i.code, message: i.message }));
    if (options.json) io.out(toJson({ file, valid: false, issues }));
    else io.out(`${file}: invalid program config (${plural(issues.length, 'issue')})\n${issueTable(error.issues)}`);
    return EXIT.invalid;
  }
}
