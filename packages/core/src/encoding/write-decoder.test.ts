import { describe, expect, it } from 'vitest';
import { ParseErrorCode } from '../errors.js';
import { decodeWrite, valueForCreate } from './write-decoder.js';

describe('decodeWrite', () => {
  it('decodes values, operations, relations and the ACL', () => {
    const decoded = decodeWrite(
      {
        score: 1,
        when: { __type: 'Date', iso: '2020-01-01T00:00:00.000Z' },
        wins: { __op: 'Increment', amount: 2 },
        tags: { __op: 'AddUnique', objects: ['a', 'a', 'b'] },
        gone: { __op: 'Delete' },
        fans: { __op: 'AddRelation', objects: [{ __type: 'Pointer', className: '_User', objectId: 'u1' }] },
        ACL: { '*': { read: true }, u1: { write: true } },
      },
      { isCreate: false },
    );
    expect(decoded.updates).toEqual({
      score: { op: 'set', value: 1 },
      when: { op: 'set', value: new Date('2020-01-01T00:00:00.000Z') },
      wins: { op: 'increment', amount: 2 },
      tags: { op: 'addUnique', items: ['a', 'a', 'b'] },
      gone: { op: 'unset' },
    });
    expect(decoded.relations).toEqual([{ field: 'fans', targetClass: '_User', add: ['u1'], remove: [] }]);
    expect(decoded.acl).toEqual({ _rperm: ['*'], _wperm: ['u1'] });
    expect(decoded.fieldTypes).toMatchObject({
      score: { type: 'Number' },
      when: { type: 'Date' },
      tags: { type: 'Array' },
    });
    expect(valueForCreate({ op: 'addUnique', items: ['a', 'a', 'b'] })).toEqual(['a', 'b']);
  });

  it('refuses bad input with the right codes', () => {
    const reject = (body: unknown, code: number, isCreate = true) =>
      expect(() => decodeWrite(body, { isCreate })).toThrow(expect.objectContaining({ code }));
    reject([], ParseErrorCode.INVALID_JSON);
    reject({ objectId: 'x' }, ParseErrorCode.INVALID_KEY_NAME);
    reject({ 'bad-name': 1 }, ParseErrorCode.INVALID_KEY_NAME);
    reject({ _rperm: ['*'] }, ParseErrorCode.INVALID_KEY_NAME);
    reject({ ACL: 'public' }, ParseErrorCode.INVALID_ACL);
    reject({ ACL: { '*': { read: 'yes' } } }, ParseErrorCode.INVALID_ACL);
    reject({ p: { __type: 'Pointer', className: 'A' } }, ParseErrorCode.INVALID_POINTER);
    reject({ d: { __type: 'Date', iso: 'not a date' } }, ParseErrorCode.INCORRECT_TYPE);
    reject({ o: { 'a.b': 1 } }, ParseErrorCode.INVALID_NESTED_KEY);
    reject({ n: { __op: 'Increment', amount: 'x' } }, ParseErrorCode.INVALID_JSON);
    reject({ n: { __op: 'Explode' } }, ParseErrorCode.INVALID_JSON);
    reject({ g: { __type: 'GeoPoint', latitude: 100, longitude: 0 } }, ParseErrorCode.INCORRECT_TYPE);
  });
});
