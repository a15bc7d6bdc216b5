import { describe, expect, it } from 'vitest';
import { ParseErrorCode } from '../errors.js';
import { parseFindRequest } from './options-parser.js';

describe('parseFindRequest include', () => {
  it('expands nested include paths into every prefix, shortest first', () => {
    const request = parseFindRequest(
      'Score',
      { include: 'player.team,teams', includeAll: undefined },
      undefined,
      { defaultLimit: 100 },
    );
    expect(request.include).toEqual([['player'], ['teams'], ['player', 'team']]);
    expect(
      parseFindRequest('Score', { includeAll: 'true' }, undefined, { defaultLimit: 100 }).include,
    ).toEqual([['*']]);
  });

  it('refuses malformed include paths with 105', () => {
    expect(() =>
      parseFindRequest('Score', { include: 'player..team' }, undefined, { defaultLimit: 100 }),
    ).toThrow(expect.objectContaining({ code: ParseErrorCode.INVALID_KEY_NAME }));
  });
});
