/** Characters with a meaning in both JavaScript regexes and PostgreSQL AREs. */
const SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/**
 * Replaces every `\Q…\E` section (the `\E` is optional at the end) by its escaped text. The
 * Parse SDKs quote the text of `startsWith` / `endsWith` / `contains` this way (PCRE syntax);
 * neither JavaScript nor PostgreSQL knows it.
 */
export function unquoteRegex(pattern: string): string {
  let result = '';
  let index = 0;
  while (index < pattern.length) {
    const start = findUnescaped(pattern, '\\Q', index);
    if (start < 0) return result + pattern.slice(index);
    result += pattern.slice(index, start);
    const end = pattern.indexOf('\\E', start + 2);
    const quoted = pattern.slice(start + 2, end < 0 ? pattern.length : end);
    result += quoted.replace(SPECIAL, '\\$&');
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
