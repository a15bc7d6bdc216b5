import { DEFAULT_CLASS_LEVEL_PERMISSIONS, DEFAULT_FIELDS } from '@openparse/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, pgliteBackend, postgresBackend } from './backends.js';

// Principals travel as one prebuilt `text[]` literal: names with the literal's special
// characters must still match exactly, on both backends.
const backends: Backend[] = [await pgliteBackend()];
const postgres = await postgresBackend();
if (postgres) backends.push(postgres);
afterAll(() => Promise.all(backends.map((backend) => backend.close())));

const TRICKY = ['role:a"b', 'role:back\\slash', 'role:comma,brace}{', 'role:two words', 'role:NULL'];

describe.each(backends.map((backend) => [backend.name, backend] as const))(
  'ACL principals on %s',
  (_, backend) => {
    it('match exactly, whatever characters their names hold', async () => {
      const adapter = await backend.adapter();
      try {
        await adapter.createClass({
          className: 'Vault',
          fields: { ...DEFAULT_FIELDS, n: { type: 'Number' } },
          classLevelPermissions: DEFAULT_CLASS_LEVEL_PERMISSIONS,
        });
        for (const [n, principal] of TRICKY.entries()) {
          await adapter.createObject('Vault', { objectId: `v${n}`, n, _rperm: [principal], _wperm: [] });
        }
        // A near miss of each name, and a row nobody may read.
        await adapter.createObject('Vault', {
          objectId: 'near',
          n: 10,
          _rperm: ['role:a\\"b', 'role:a'],
          _wperm: [],
        });
        await adapter.createObject('Vault', { objectId: 'none', n: 11, _rperm: [], _wperm: [] });
        for (const [n, principal] of TRICKY.entries()) {
          const found = await adapter.find({
            className: 'Vault',
            where: { kind: 'acl', access: 'read', principals: ['*', 'u1', principal] },
          });
          expect(found.map((object) => object.objectId)).toEqual([`v${n}`]);
        }
        const all = await adapter.find({
          className: 'Vault',
          where: { kind: 'acl', access: 'read', principals: TRICKY },
          sort: [{ field: { name: 'n', path: [], type: 'Number' }, descending: false }],
        });
        expect(all.map((object) => object.objectId)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
      } finally {
        await adapter.close();
      }
    });
  },
);
