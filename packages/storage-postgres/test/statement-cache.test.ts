import {
  DEFAULT_CLASS_LEVEL_PERMISSIONS,
  DEFAULT_FIELDS,
  type Condition,
  type ParseQuery,
} from '@openparse/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, pgliteBackend } from './backends.js';

// Reads of one shape run on a remembered statement after the first: every later read must
// still answer for its own values (the parameters are read from each query, in order).
const backend: Backend = await pgliteBackend();
afterAll(() => backend.close());

const score = { name: 'score', path: [], type: 'Number' } as const;
const name = { name: 'name', path: [], type: 'String' } as const;

describe('reads on remembered statements (PGlite)', () => {
  it('answer each query for its own values, count included', async () => {
    const adapter = await backend.adapter();
    try {
      await adapter.createClass({
        className: 'Run',
        fields: { ...DEFAULT_FIELDS, score: { type: 'Number' }, name: { type: 'String' } },
        classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
      });
      for (let n = 0; n < 30; n++) {
        await adapter.createObject('Run', {
          objectId: `r${n}`,
          score: n,
          name: n % 2 ? 'odd' : 'even',
          _rperm: n % 3 === 0 ? ['role:Hidden'] : ['*'],
          _wperm: [],
        });
      }
      const page = (min: number, label: string, limit: number): ParseQuery => {
        const where: Condition = {
          kind: 'and',
          conditions: [
            { kind: 'compare', field: score, op: 'gte', value: min },
            { kind: 'compare', field: name, op: 'ne', value: label },
            { kind: 'acl', access: 'read', principals: ['*'] },
          ],
        };
        return { className: 'Run', where, sort: [{ field: score, descending: false }], limit };
      };
      const expected = (min: number, label: string, limit: number) => {
        const all = Array.from({ length: 30 }, (_, n) => n).filter(
          (n) => n >= min && (n % 2 ? 'odd' : 'even') !== label && n % 3 !== 0,
        );
        return { ids: all.slice(0, limit).map((n) => `r${n}`), count: all.length };
      };
      for (const [min, label, limit] of [
        [0, 'odd', 5],
        [10, 'even', 3],
        [25, 'odd', 10],
        [4, 'none', 2],
        [31, 'odd', 5],
      ] as const) {
        const want = expected(min, label, limit);
        const found = await adapter.find(page(min, label, limit));
        expect(found.map((object) => object.objectId)).toEqual(want.ids);
        const counted = await adapter.findWithCount?.(page(min, label, limit));
        expect(counted?.objects.map((object) => object.objectId)).toEqual(want.ids);
        expect(counted?.count).toBe(want.count);
        expect(await adapter.count(page(min, label, limit))).toBe(want.count);
      }
      // A field added since: the schema object changed, the statement is compiled afresh.
      await adapter.addField({ className: 'Run', fieldName: 'bonus', field: { type: 'Number' } });
      const after = await adapter.find(page(0, 'odd', 3));
      expect(after.map((object) => object.objectId)).toEqual(['r2', 'r4', 'r8']);
    } finally {
      await adapter.close();
    }
  });
});
