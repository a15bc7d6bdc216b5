import { describe, expect, it } from 'vitest';
import { MASTER_AUTH, PUBLIC_AUTH } from './auth.js';
import { RateLimiter } from './rate-limit.js';

const request = (path: string, extra: Partial<Parameters<RateLimiter['check']>[0]> = {}) => ({
  path,
  method: 'POST',
  ip: '203.0.113.7',
  auth: PUBLIC_AUTH,
  ...extra,
});

describe('RateLimiter', () => {
  it('matches paths in parse-server syntax', () => {
    const limiter = (requestPath: string) =>
      new RateLimiter([{ requestPath, requestTimeWindow: 1000, requestCount: 1 }]);
    const limited = (requestPath: string, path: string) => {
      const rules = limiter(requestPath);
      rules.check(request(path), 0);
      try {
        rules.check(request(path), 1);
        return false;
      } catch {
        return true;
      }
    };
    expect(limited('/classes/*path', '/classes/Score/abc')).toBe(true);
    expect(limited('/classes/*path', '/users')).toBe(false);
    expect(limited('/functions/:name', '/functions/hello')).toBe(true);
    expect(limited('/functions/:name', '/functions/hello/extra')).toBe(false);
    expect(limited('/classes/Limited*path', '/classes/LimitedEdition')).toBe(true);
    expect(limited('*', '/anything/at/all')).toBe(true);
    expect(limited('/login', '/login')).toBe(true);
  });

  it('counts per window and key, skipping loopback and the master key unless told', () => {
    const rules = new RateLimiter([{ requestPath: '*', requestTimeWindow: 1000, requestCount: 2 }]);
    rules.check(request('/x'), 0);
    rules.check(request('/x'), 10);
    expect(() => rules.check(request('/x'), 20)).toThrow('Too many requests.');
    rules.check(request('/x', { ip: '198.51.100.1' }), 20);
    rules.check(request('/x'), 1000);
    for (let i = 0; i < 5; i++) rules.check(request('/x', { ip: '127.0.0.1' }), 30);
    for (let i = 0; i < 5; i++) rules.check(request('/x', { auth: MASTER_AUTH, ip: '198.51.100.2' }), 30);
  });

  it('refuses invalid rules naming them', () => {
    expect(() => new RateLimiter([{ requestPath: '', requestTimeWindow: 1, requestCount: 1 }])).toThrow(
      'rateLimit[0].requestPath',
    );
    expect(() => new RateLimiter([{ requestPath: '*', requestTimeWindow: 0, requestCount: 1 }])).toThrow(
      'requestTimeWindow',
    );
  });
});
