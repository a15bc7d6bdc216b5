import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { resolveRequestComplexity, UNLIMITED_COMPLEXITY } from './complexity.js';
import { parseWhere } from './where-parser.js';

describe('requestComplexity', () => {
  it('fills in parse-server defaults and refuses bad settings', () => {
    expect(resolveRequestComplexity(undefined)).toBe(UNLIMITED_COMPLEXITY);
    expect(resolveRequestComplexity({ queryDepth: 2 })).toEqual({ ...UNLIMITED_COMPLEXITY, queryDepth: 2 });
    expect(() => resolveRequestComplexity({ queryDepth: 0 })).toThrow(/requestComplexity.queryDepth/);
    expect(() => resolveRequestComplexity({ queryDepth: 1.5 })).toThrow(RangeError);
    expect(() => resolveRequestComplexity({ allowRegex: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => resolveRequestComplexity({ nope: 1 } as never)).toThrow(/unknown setting 'nope'/);
  });

  it('counts $or/$and/$nor nesting per query, and subquery nesting separately', () => {
    const limits = resolveRequestComplexity({ queryDepth: 2, subqueryDepth: 1 });
    const context = { lookup: () => undefined, subqueryAccess: () => undefined, limits };
    const clause = (inner: object) => ({ $or: [inner, { b: 1 }] });
    expect(() => parseWhere(clause(clause({ a: 1 })), undefined, context)).not.toThrow();
    expect(() => parseWhere(clause(clause(clause({ a: 1 }))), undefined, context)).toThrow(ParseError);
    // Inside a subquery the count starts again.
    const sub = { p: { $inQuery: { className: 'T', where: clause(clause({ a: 1 })) } } };
    expect(() => parseWhere(clause(sub), undefined, context)).not.toThrow();
    const deeper = { p: { $inQuery: { className: 'T', where: sub } } };
    expect(() => parseWhere(deeper, undefined, context)).toThrow(/Subquery nesting depth/);
  });
});
