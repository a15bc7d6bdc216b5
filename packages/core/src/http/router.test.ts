import { describe, expect, it } from 'vitest';
import { Router, splitPath } from './router.js';

describe('Router', () => {
  it('matches static and parameter segments by method', () => {
    const router = new Router<string>()
      .add('GET', '/classes/:className', 'find')
      .add('GET', '/classes/:className/:objectId', 'get')
      .add('PUT', '/classes/:className/:objectId', 'update');
    expect(router.match('GET', splitPath('/classes/GameScore'))).toEqual({
      value: 'find',
      params: { className: 'GameScore' },
    });
    expect(router.match('PUT', splitPath('/classes/A/x%20y'))).toEqual({
      value: 'update',
      params: { className: 'A', objectId: 'x y' },
    });
    expect(router.match('DELETE', splitPath('/classes/A/b'))).toBeUndefined();
    expect(router.match('GET', splitPath('/nothing'))).toBeUndefined();
  });
});
