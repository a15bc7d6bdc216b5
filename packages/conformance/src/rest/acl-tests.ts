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

  test('acl.invalid', 'a malformed ACL answers 123 and writes nothing', async ({ api, createClass }) => {
    const name = await createClass('Note');
    for (const ACL of ['public', [1], { '*': 'read' }, { '*': { read: 'yes' } }, { '*': { fly: true } }]) {
      const answer = await api.post(`/classes/${name}`, { ACL });
      expect(answer.status, JSON.stringify(ACL)).toBe(400);
      expect(answer.body.code, JSON.stringify(ACL)).toBe(123);
    }
    expect((await api.get(`/classes/${name}`, { as: 'master' })).body.results).toEqual([]);
  });

  test(
    'acl.clp-forbidden',
    'class-level permissions refuse operations with 119',
    async ({ api, createClass }) => {
      const closed = { find: {}, get: {}, count: {}, create: {}, update: {}, delete: {}, addField: {} };
      const name = await createClass('Locked', { a: { type: 'Number' } }, { classLevelPermissions: closed });
      const hidden = await api.post(`/classes/${name}`, { a: 1 }, { as: 'master' });
      const path = `/classes/${name}/${hidden.body.objectId}`;
      const denied = { code: 119, error: 'Permission denied' };
      for (const answer of [
        await api.get(`/classes/${name}`),
        await api.get(`/classes/${name}`, { query: { count: '1', limit: '0' } }),
        await api.get(path),
        await api.post(`/classes/${name}`, { a: 1 }),
        await api.put(path, { a: 2 }),
        await api.delete(path),
      ]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual(denied);
      }
      expect((await api.post(`/classes/${name}`, { a: 1 }, { as: 'master' })).status).toBe(201);
    },
  );

  test(
    'acl.clp-add-field',
    'without addField permission a client cannot add fields, only set existing ones',
    async ({ api, createClass }) => {
      const open = { '*': true };
      const name = await createClass(
        'Locked',
        { a: { type: 'Number' } },
        {
          classLevelPermissions: {
            find: open,
            get: open,
            count: open,
            create: open,
            update: open,
            delete: open,
            addField: {},
          },
        },
      );
      const created = await api.post(`/classes/${name}`, { a: 1 });
      expect(created.status).toBe(201);
      const path = `/classes/${name}/${created.body.objectId}`;
      for (const answer of [
        await api.post(`/classes/${name}`, { a: 1, b: 2 }),
        await api.put(path, { b: 2 }),
      ]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ code: 119, error: 'Permission denied' });
      }
      expect((await api.put(path, { a: 2 })).status).toBe(200);
      expect((await api.put(path, { b: 2 }, { as: 'master' })).status).toBe(200);
    },
  );

  test(
    'acl.public-write-only',
    'public write without public read can be updated and deleted, not read',
    async ({ api, createClass }) => {
      const name = await createClass('Note');
      const { body } = await api.post(`/classes/${name}`, { text: 'a', ACL: { '*': { write: true } } });
      const path = `/classes/${name}/${body.objectId}`;
      const read = await api.get(path);
      expect(read.status).toBe(404);
      expect(read.body).toEqual({ code: 101, error: 'Object not found.' });
      const write = await api.put(path, { text: 'b' });
      expect(write.status).toBe(200);
      expect((await api.get(path, { as: 'master' })).body.text).toBe('b');
      expect((await api.delete(path)).status).toBe(200);
      expect((await api.get(path, { as: 'master' })).status).toBe(404);
    },
  );

  test(
    'acl.query-and-count',
    'queries and counts leave out objects the request may not read; the master key sees all',
    async ({ api, createClass }) => {
      const name = await createClass('Note', { n: { type: 'Number' } });
      await api.post(`/classes/${name}`, { n: 1 });
      await api.post(`/classes/${name}`, { n: 2, ACL: {} });
      await api.post(`/classes/${name}`, { n: 3, ACL: { '*': { read: true } } });
      await api.post(`/classes/${name}`, { n: 4, ACL: { someUserId: { read: true } } });
      const where = { n: { $gt: 0 } };
      const client = await api.get(`/classes/${name}`, { query: { where, order: 'n', count: '1' } });
      expect(client.body.results.map((row: { n: number }) => row.n)).toEqual([1, 3]);
      expect(client.body.count).toBe(2);
      const master = await api.get(`/classes/${name}`, {
        as: 'master',
        query: { where, order: 'n', count: '1' },
      });
      expect(master.body.results.map((row: { n: number }) => row.n)).toEqual([1, 2, 3, 4]);
      expect(master.body.count).toBe(4);
    },
  );

  test('acl.update-acl', 'changing the ACL changes who can read the object', async ({ api, createClass }) => {
    const name = await createClass('Note');
    const { body } = await api.post(`/classes/${name}`, { text: 'a' });
    const path = `/classes/${name}/${body.objectId}`;
    expect((await api.get(path)).body.ACL).toBeUndefined();
    const locked = await api.put(path, { ACL: { 'role:Admin': { read: true, write: true } } });
    expect(locked.status).toBe(200);
    expect((await api.get(path)).status).toBe(404);
    const master = await api.get(path, { as: 'master' });
    expect(master.body.ACL).toEqual({ 'role:Admin': { read: true, write: true } });
    await api.put(path, { ACL: { '*': { read: true, write: true } } }, { as: 'master' });
    expect((await api.get(path)).body).toMatchObject({
      text: 'a',
      ACL: { '*': { read: true, write: true } },
    });
  });
}
