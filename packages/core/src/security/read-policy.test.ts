import { describe, expect, it } from 'vitest';
import type { StorageObject } from '../contracts/values.js';
import { DEFAULT_CLASS_LEVEL_PERMISSIONS } from '../schema/system-classes.js';
import type { ClassSchema } from '../schema/types.js';
import { PUBLIC_AUTH, userAuth } from './auth.js';
import { objectEncoder, readCondition } from './read-policy.js';

const settings = { protectedFields: {}, protectedFieldsOwnerExempt: true, fileUrl: (name: string) => name };
const schema = (clp: object): ClassSchema => ({
  className: 'Profile',
  fields: {},
  classLevelPermissions: { ...DEFAULT_CLASS_LEVEL_PERMISSIONS, ...clp },
});
const user = (id: string, roles: string[] = []) =>
  userAuth({ id, sessionToken: 'r:x', sessionId: 's', restricted: false, roles });
const row = (fields: Record<string, unknown>): StorageObject =>
  ({ objectId: 'o1', createdAt: new Date(0), updatedAt: new Date(0), ...fields }) as StorageObject;

describe('protected fields', () => {
  const profile = schema({
    protectedFields: {
      '*': ['a', 'b', 'c'],
      authenticated: ['a', 'b'],
      'role:Staff': ['a'],
      'userField:owner': [],
    },
  });
  const visible = (auth: ReturnType<typeof user>, object = row({ a: 1, b: 2, c: 3 })) =>
    Object.keys(objectEncoder('Profile', profile, auth, settings)(object)).filter((key) => key.length === 1);

  it('hides the intersection of the sets of every group the user is in', () => {
    expect(visible(PUBLIC_AUTH)).toEqual([]);
    expect(visible(user('u1'))).toEqual(['c']);
    expect(visible(user('u1', ['Staff']))).toEqual(['b', 'c']);
  });

  it('userField rules apply to the users the object points to', () => {
    const owned = row({ a: 1, b: 2, c: 3, owner: { __type: 'Pointer', className: '_User', objectId: 'u1' } });
    expect(visible(user('u1'), owned)).toEqual(['a', 'b', 'c']);
    expect(visible(user('u2'), owned)).toEqual(['c']);
  });

  it("exempts a user's own _User object and hides authData from others", () => {
    const users: ClassSchema = { ...schema({}), className: '_User' };
    const settingsWithEmail = { ...settings, protectedFields: { _User: { '*': ['email'] } } };
    const alice = row({ objectId: 'u1', email: 'a@x', authData: { anonymous: { id: '1' } } });
    const own = objectEncoder('_User', users, user('u1'), settingsWithEmail)(alice);
    expect(own).toMatchObject({ email: 'a@x', authData: { anonymous: { id: '1' } } });
    const other = objectEncoder('_User', users, user('u2'), settingsWithEmail)(alice);
    expect(other.email).toBeUndefined();
    expect(other.authData).toBeUndefined();
  });
});

describe('read conditions', () => {
  it('adds the pointer condition only when pointer fields are what grants access', () => {
    const tickets = schema({ find: {}, readUserFields: ['owner'] });
    expect(readCondition('Ticket', tickets, user('u1'))).toEqual({
      kind: 'and',
      conditions: [
        { kind: 'acl', access: 'read', principals: ['*', 'u1'] },
        { kind: 'pointerPermission', field: { name: 'owner', path: [], type: 'Pointer' }, userId: 'u1' },
      ],
    });
    const open = schema({ readUserFields: ['owner'] });
    expect(readCondition('Ticket', open, user('u1'))).toEqual({
      kind: 'acl',
      access: 'read',
      principals: ['*', 'u1'],
    });
  });

  it('limits sessions to their user, and restricted sessions to restricted ones', () => {
    expect(() => readCondition('_Session', undefined, PUBLIC_AUTH)).toThrow('Invalid session token');
    const restricted = userAuth({
      id: 'u1',
      sessionToken: 'r:x',
      sessionId: 's',
      restricted: true,
      roles: [],
    });
    const condition = readCondition('_Session', undefined, restricted);
    expect(JSON.stringify(condition)).toContain('"restricted"');
    expect(JSON.stringify(condition)).toContain('"objectId":"u1"');
  });
});
