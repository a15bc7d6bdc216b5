import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

const users = (...ids: string[]) => ({
  __op: 'AddRelation',
  objects: ids.map((objectId) => ({ __type: 'Pointer', className: '_User', objectId })),
});
const roles = (...ids: string[]) => ({
  __op: 'AddRelation',
  objects: ids.map((objectId) => ({ __type: 'Pointer', className: '_Role', objectId })),
});

/** Roles (REST guide: Roles): creation rules, role ACLs, hierarchy. */
export function roleTests({ test }: RestHarness): void {
  test(
    'roles.create',
    'POST /roles creates a role with users, as the guide shows',
    async ({ api, signUp }) => {
      const member = await signUp('member');
      const name = `Moderators_${Date.now()}`;
      const created = await api.post(
        '/roles',
        { name, ACL: { '*': { read: true } }, users: users(member.objectId) },
        { as: 'master' },
      );
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ objectId: expect.any(String), createdAt: expect.any(String) });
      expect(created.headers.get('location')).toMatch(new RegExp(`/classes/_Role/${created.body.objectId}$`));
      const fetched = await api.get(`/roles/${created.body.objectId}`);
      expect(fetched.body).toMatchObject({
        name,
        ACL: { '*': { read: true } },
        users: { __type: 'Relation', className: '_User' },
        roles: { __type: 'Relation', className: '_Role' },
      });
      const related = await api.get('/users', {
        as: 'master',
        query: {
          where: {
            $relatedTo: {
              object: { __type: 'Pointer', className: '_Role', objectId: created.body.objectId },
              key: 'users',
            },
          },
        },
      });
      expect(related.body.results.map((user: { objectId: string }) => user.objectId)).toEqual([
        member.objectId,
      ]);
      await api.delete(`/roles/${created.body.objectId}`, { as: 'master' });
    },
  );

  test(
    'roles.validation',
    'name and ACL are required (111), names are validated (139) and unique (137)',
    async ({ api, createRole }) => {
      const noName = await api.post('/roles', { ACL: {} }, { as: 'master' });
      expect([noName.status, noName.body.code]).toEqual([400, 111]);
      const noAcl = await api.post('/roles', { name: `NoAcl_${Date.now()}` }, { as: 'master' });
      expect([noAcl.status, noAcl.body.code]).toEqual([400, 111]);
      const badName = await api.post('/roles', { name: 'bad/name!', ACL: {} }, { as: 'master' });
      expect([badName.status, badName.body.code]).toEqual([400, 139]);
      const role = await createRole('Unique');
      const duplicate = await api.post('/roles', { name: role.name, ACL: {} }, { as: 'master' });
      expect([duplicate.status, duplicate.body.code]).toEqual([400, 137]);
    },
  );

  test('roles.rename', "a role's name cannot change (139)", async ({ api, createRole }) => {
    const role = await createRole('Fixed');
    const renamed = await api.put(`/roles/${role.objectId}`, { name: 'Other' }, { as: 'master' });
    expect([renamed.status, renamed.body.code]).toEqual([400, 139]);
    expect((await api.get(`/roles/${role.objectId}`)).body.name).toBe(role.name);
  });

  test(
    'roles.acl',
    'an object readable by a role is readable by its users only, from the moment they join',
    async ({ api, signUp, createRole, createClass }) => {
      const member = await signUp('rolemember');
      const outsider = await signUp('roleoutsider');
      const role = await createRole('Readers');
      const name = await createClass('Secret');
      const { body } = await api.post(
        `/classes/${name}`,
        { text: 'for readers', ACL: { [`role:${role.name}`]: { read: true } } },
        { as: 'master' },
      );
      const path = `/classes/${name}/${body.objectId}`;
      expect((await api.get(path, { headers: member.headers })).status).toBe(404);
      await api.put(`/roles/${role.objectId}`, { users: users(member.objectId) }, { as: 'master' });
      const read = await api.get(path, { headers: member.headers });
      expect(read.body.text).toBe('for readers');
      expect((await api.get(path, { headers: outsider.headers })).status).toBe(404);
      const listed = await api.get(`/classes/${name}`, { headers: member.headers });
      expect(listed.body.results).toHaveLength(1);
      const removed = { __op: 'RemoveRelation', objects: users(member.objectId).objects };
      await api.put(`/roles/${role.objectId}`, { users: removed }, { as: 'master' });
      expect((await api.get(path, { headers: member.headers })).status).toBe(404);
    },
  );

  test(
    'roles.hierarchy',
    "users of a child role have the parent role's access, and cycles do no harm",
    async ({ api, signUp, createRole, createClass }) => {
      const moderator = await signUp('moderator');
      const admins = await createRole('Administrators');
      const moderators = await createRole('Moderators', { users: users(moderator.objectId) });
      // The guide's example: Administrators contains Moderators in its `roles` relation, so
      // moderators get what administrators get.
      await api.put(`/roles/${admins.objectId}`, { roles: roles(moderators.objectId) }, { as: 'master' });
      const name = await createClass('Board');
      const { body } = await api.post(
        `/classes/${name}`,
        { text: 'admins only', ACL: { [`role:${admins.name}`]: { read: true, write: true } } },
        { as: 'master' },
      );
      const path = `/classes/${name}/${body.objectId}`;
      expect((await api.get(path, { headers: moderator.headers })).body.text).toBe('admins only');
      expect((await api.put(path, { text: 'edited' }, { headers: moderator.headers })).status).toBe(200);
      await api.put(`/roles/${moderators.objectId}`, { roles: roles(admins.objectId) }, { as: 'master' });
      expect((await api.get(path, { headers: moderator.headers })).body.text).toBe('edited');
    },
  );

  test(
    'roles.client-writes',
    'clients may create roles (CLP allows it) but not write one whose ACL excludes them',
    async ({ api, signUp }) => {
      const user = await signUp('roleowner');
      const name = `Owned_${Date.now()}`;
      const created = await api.post(
        '/roles',
        { name, ACL: { [user.objectId]: { read: true, write: true } } },
        { headers: user.headers },
      );
      expect(created.status).toBe(201);
      const path = `/roles/${created.body.objectId}`;
      const stranger = await api.put(path, { users: users(user.objectId) });
      expect(stranger.status).toBe(404);
      const owner = await api.put(path, { users: users(user.objectId) }, { headers: user.headers });
      expect(owner.status).toBe(200);
      await api.delete(path, { as: 'master' });
    },
  );
}
