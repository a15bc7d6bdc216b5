import { ParseError, ParseErrorCode } from '../errors.js';

/**
 * One entry of parse-server's `requestKeywordDenylist`: a key, a value, or both. Strings are
 * regular expressions matched against keys and string values.
 */
export interface DeniedKeyword {
  readonly key?: string;
  readonly value?: unknown;
}

/** parse-server 9's default: prototype pollution and BSON code injection. */
export const DEFAULT_KEYWORD_DENYLIST: readonly DeniedKeyword[] = [
  { key: '_bsontype', value: 'Code' },
  { key: 'constructor' },
  { key: '__proto__' },
];

interface CompiledKeyword {
  readonly source: DeniedKeyword;
  readonly key?: (key: string) => boolean;
  readonly value?: (value: unknown) => boolean;
}

function matcher(pattern: unknown): (candidate: unknown) => boolean {
  if (typeof pattern === 'string') {
    const regex = new RegExp(pattern);
    return (candidate) => candidate === pattern || (typeof candidate === 'string' && regex.test(candidate));
  }
  return (candidate) => candidate === pattern;
}

/**
 * Compiles the denylist once.
 * @throws {TypeError} on an entry with neither key nor value, or an invalid pattern
 */
export function compileDenylist(entries: readonly DeniedKeyword[]): readonly CompiledKeyword[] {
  return entries.map((entry, index) => {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      (entry.key === undefined && entry.value === undefined)
    ) {
      throw new TypeError(`[core] requestKeywordDenylist[${index}] needs a key, a value or both`);
    }
    try {
      return {
        source: entry,
        key: entry.key === undefined ? undefined : matcher(entry.key),
        value: entry.value === undefined ? undefined : matcher(entry.value),
      };
    } catch (cause) {
      throw new TypeError(`[core] requestKeywordDenylist[${index}] is not a valid pattern`, { cause });
    }
  });
}

/**
 * Refuses request data holding a denied key or value anywhere inside it.
 * @throws {ParseError} INVALID_KEY_NAME naming the keyword, as parse-server answers it
 */
export function assertNoDeniedKeywords(data: unknown, denylist: readonly CompiledKeyword[]): void {
  if (denylist.length === 0 || typeof data !== 'object' || data === null) return;
  const stack: object[] = [data];
  const seen = new WeakSet<object>();
  while (stack.length > 0) {
    const current = stack.pop() as object;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const [key, value] of Object.entries(current)) {
      for (const keyword of denylist) {
        const keyHit = keyword.key ? keyword.key(key) : true;
        const valueHit = keyword.value ? keyword.value(value) : true;
        if (keyHit && valueHit) {
          throw new ParseError(
            ParseErrorCode.INVALID_KEY_NAME,
            `Prohibited keyword in request data: ${JSON.stringify(keyword.source)}.`,
          );
        }
      }
      if (typeof value === 'object' && value !== null) stack.push(value);
    }
  }
}
