// Reads a `.gan.json` (JSON with comments and trailing commas) into a value, its syntax errors as problems at their offsets.
import { ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { GanProblem } from './types';

/** Line and column (both from 1) of an offset, for messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

const SYNTAX_HINTS: Partial<Record<string, string>> = {
  InvalidSymbol: 'an unexpected character (NaN, Infinity and unquoted words are not JSON)',
  ValueExpected: 'a value is missing',
  PropertyNameExpected: 'a field name in double quotes is missing',
  CommaExpected: 'a comma is missing',
  ColonExpected: 'a colon is missing',
  CloseBraceExpected: 'a closing } is missing',
  CloseBracketExpected: 'a closing ] is missing',
  EndOfFileExpected: 'there is text after the end of the object',
  UnexpectedEndOfString: 'a string is not closed',
  InvalidNumberFormat: 'a number is malformed',
};

/** The file's value, or its syntax problems (the value is then undefined). */
export function parseGanText(text: string): { value?: unknown; problems: GanProblem[] } {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems = errors.map((e): GanProblem => {
    const code = printParseErrorCode(e.error);
    const { line, column } = lineColumn(text, e.offset);
    return { path: [], message: `syntax error at line ${line}, column ${column}: ${SYNTAX_HINTS[code] ?? code}`, severity: 'error', offset: e.offset, length: e.length };
  });
  if (problems.length === 0 && text.trim() === '') problems.push({ path: [], message: 'the file is empty: a .gan.json holds one object, e.g. { "extends": "mnist-dcgan" }', severity: 'error', offset: 0, length: 0 });
  return problems.length ? { problems } : { value, problems };
}
