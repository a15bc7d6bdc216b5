import { ParseError, ParseErrorCode } from '@openparse/core';

const ARE_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/**
 * A Parse (PCRE / JavaScript) regular expression → a PostgreSQL ARE with the same meaning.
 *
 * - `\Q…\E` quoting, which the Parse SDKs send for `startsWith` / `endsWith` / `contains`,
 *   becomes escaped literal text (PostgreSQL has no `\Q`).
 * - Flags become ARE embedded options: by default `.` stops at newlines and `^`/`$` match at
 *   the ends of the string (`p`); `m` lets `^`/`$` match at lines (`n`); `s` lets `.` match
 *   newlines (`s`, or `w` together with `m`); `x` is expanded syntax. `i` is the `~*` operator.
 */
export function toPostgresRegex(pattern: string, flags: string): { pattern: string; operator: '~' | '~*' } {
  const unquoted = unquote(pattern);
  if (hasBackreference(unquoted)) {
    // Backreferences are the one construct PostgreSQL matches by backtracking: a pattern such as
    // `^(.*)(.*)(.*)\1\2\3$` can run for minutes, and in PGlite it would block the Node process.
    throw new ParseError(
      ParseErrorCode.INVALID_QUERY,
      '$regex backreferences (\\1 … \\9) are not supported: they can make a query run for minutes',
    );
  }
  const multiline = flags.includes('m');
  const dotAll = flags.includes('s');
  let options = dotAll ? (multiline ? 'w' : 's') : multiline ? 'n' : 'p';
  if (flags.includes('x')) options += 'x';
  return {
    pattern: `(?${options})${unquoted}`,
    operator: flags.includes('i') ? '~*' : '~',
  };
}

/** True when `pattern` has `\\1`…`\\9` outside a bracket expression. */
function hasBackreference(pattern: string): boolean {
  let inBrackets = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (!inBrackets && next >= '1' && next <= '9') return true;
      index += 1;
    } else if (char === '[' && !inBrackets) {
      inBrackets = true;
      // `[]…]` and `[^]…]`: a `]` right after the opening is a member, not the end.
      if (pattern[index + 1] === '^') index += 1;
      if (pattern[index + 1] === ']') index += 1;
    } else if (char === ']' && inBrackets) {
      inBrackets = false;
    }
  }
  return false;
}

/** Replaces every `\Q…\E` section (the `\E` is optional at the end) by its escaped text. */
function unquote(pattern: string): string {
  let result = '';
  let index = 0;
  while (index < pattern.length) {
    const start = findUnescaped(pattern, '\\Q', index);
    if (start < 0) return result + pattern.slice(index);
    result += pattern.slice(index, start);
    const end = pattern.indexOf('\\E', start + 2);
    const quoted = pattern.slice(start + 2, end < 0 ? pattern.length : end);
    result += quoted.replace(ARE_SPECIAL, '\\$&');
    index = end < 0 ? pattern.length : end + 2;
  }
  return result;
}

/** The index of `token` at or after `from` that is not itself escaped by a backslash. */
function findUnescaped(pattern: string, token: string, from: number): number {
  let at = pattern.indexOf(token, from);
  while (at >= 0) {
    let backslashes = 0;
    for (let i = at - 1; i >= 0 && pattern[i] === '\\'; i -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = pattern.indexOf(token, at + 1);
  }
  return -1;
}
