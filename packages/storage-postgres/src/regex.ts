import { ParseError, ParseErrorCode, unquoteRegex } from '@openparse/core';

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
  const unquoted = unquoteRegex(pattern);
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
