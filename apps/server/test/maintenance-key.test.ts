import { describe, expect, it } from 'vitest';
import { embeddedServer } from './embedded-server.js';

describe('the maintenance key', () => {
  const { call } = embeddedServer('maintenance', [
    '--maintenanceKey',
    'fix-it',
    '--accountLockout',
    '{"duration":5,"threshold":3}',
  ]);
  const maintenance = { 'X-Parse-Maintenance-Key': 'fix-it' };

  it('reads past ACLs and sees internal fields, but is refused master-only routes', async () => {
    const user = await call('POST', '/users', {}, { username: 'kept', password: 'secret' });
    expect((await call('GET', `/users/${user.body.objectId}`, {})).status).toBe(404);
    // A wrong password counts a failed login in an internal field.
    expect((await call('POST', '/login', {}, { username: 'kept', password: 'wrong' })).body.code).toBe(101);
    const read = await call('GET', `/users/${user.body.objectId}`, maintenance);
    expect(read.status).toBe(200);
    expect(read.body.password).toMatch(/^\$2b\$10\$/);
    expect(read.body._failed_login_count).toBe(1);
    // Nobody else is answered it: a user reading themselves, nor the master key.
    const own = await call('GET', '/users/me', { 'X-Parse-Session-Token': user.body.sessionToken });
    expect(own.body.username).toBe('kept');
    expect(own.body._failed_login_count).toBeUndefined();
    expect((await call('GET', '/schemas', maintenance)).status).toBe(403);
    expect((await call('POST', '/loginAs', maintenance, { userId: user.body.objectId })).body.code).toBe(119);
    const wrong = await call('GET', `/users/${user.body.objectId}`, { 'X-Parse-Maintenance-Key': 'nope' });
    expect(wrong.status).toBe(404);
  });
});
