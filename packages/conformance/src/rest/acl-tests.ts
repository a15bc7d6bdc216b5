import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

/** Object ACLs for requests without a user: only what `*` may. */
export function aclTests({ test }: RestHarness): void {
  test(
    'acl.private-object',
    'an object with an empty ACL is invisible and unwritable without the master key',
    async ({ api, createClass }) => {
      const name = await createClass('Note');
      const { body } = await api.post(`/classes/${name}`, { text: 'secret', ACL: {} });
      const path = `/classes/${name}/${body.objectId}`;
      expect((await api.get(path)).status).toBe(404);
      expect((await api.get(`/classes/${name}`)).body.results).toEqual([]);
      expect((await api.put(path, { text: 'x' })).body.code).toBe(101);
      expect((await api.delete(path)).body.code).toBe(101);
      const master = await api.get(path, { as: 'master' });
      expect(master.body).toMatchObject({ text: 'secret', ACL: {} });
    },
  );

  test(
    'acl.public-read-only',
    'public read without public write can be read, not written',
    async ({ api, createClass }) => {
      const name = await createClass('Note');
      const { body } = await api.post(`/classes/${name}`, { text: 'a', ACL: { '*': { read: true } } });
      const path = `/classes/${name}/${body.objectId}`;
      const read = await api.get(path);
      expect(read.body).toMatchObject({ text: 'a', ACL: { '*': { read: true } } });
      const write = await api.put(path, { text: 'b' });
      expect(write.status).toBe(404);
      expect(write.body.code).toBe(101);
      expect((await api.get(path)).body.text).toBe('a');
    },
  );

  test('acl.roundtrip', 'ACLs with users and roles are answered as given', async ({ api, createClass }) => {
    const name = await createClass('Note');
    const ACL = {
      '*': { read: true },
      abcdefghij: { read: true, write: true },
      'role:Moderators': { write: true },
    };
    const { body } = await api.post(`/classes/${name}`, { ACL });
    expect((await api.get(`/classes/${name}/${body.objectId}`)).body.ACL).toEqual(ACL);
  });

  test('acl.invalid', 'a malformed ACL answers 123', async ({ api, createClass }) => {
    const name = await createClass('Note');
    const answer = await api.post(`/classes/${name}`, { ACL: { '*': { read: 'yes' } } });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(123);
  });

  test(
    'acl.clp-forbidden',
    'class-level permissions refuse operations with 119',
    async ({ api, createClass }) => {
      const closed = { find: {}, get: {}, count: {}, create: {}, update: {}, delete: {}, addField: {} };
      const name = await createClass('Locked', { a: { type: 'Number' } }, { classLevelPermissions: closed });
      const find = await api.get(`/classes/${name}`);
      expect(find.status).toBe(400);
      expect(find.body.code).toBe(119);
      expect((await api.post(`/classes/${name}`, { a: 1 })).body.code).toBe(119);
      expect((await api.post(`/classes/${name}`, { a: 1 }, { as: 'master' })).status).toBe(201);
    },
  );
}
