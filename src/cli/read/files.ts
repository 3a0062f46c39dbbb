// Reading input files with errors that name the file, the line and the column.
import { readFileSync } from 'node:fs';
import { CliError, InputError } from '../errors';

/** A file's text; a missing or unreadable file is a CliError naming it (exit 2). */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new CliError(`${file}: cannot read: ${why}`);
  }
}

/** 1-based line and column of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * JSON.parse, with a syntax error turned into an InputError at its line and column (V8 reports
 * the character offset as "at position N"; the message wording varies between Node versions).
 */
export function parseJson(text: string, file: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const at = position ? lineAndColumn(text, Number(position[1])) : { line: 1, column: undefined };
    const problem = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
    throw new InputError({ file, line: firstLine + at.line - 1, column: at.column }, `invalid JSON: ${problem}`);
  }
}

/** A JSON file's value. */
export function readJsonFile(file: string): unknown {
  return parseJson(readText(file), file);
}
