import { describe, expect, it } from 'vitest';
import { authenticateKeys, ipAllowList, ipAllowed, type KeySettings } from './keys.js';

const settings = (extra: Partial<KeySettings> = {}): KeySettings => ({
  appId: 'app',
  masterKey: 'master',
  readOnlyMasterKey: 'ro',
  masterKeyIps: ipAllowList(['127.0.0.1', '::1', '10.0.0.0/8']),
  readOnlyMasterKeyIps: ipAllowList(['0.0.0.0/0', '::/0']),
  maintenanceKey: 'maintenance',
  maintenanceKeyIps: ipAllowList(['127.0.0.1']),
  ...extra,
});

describe('authenticateKeys', () => {
  it('accepts the maintenance key from its addresses, as maintenance (not master routes)', () => {
    const info = { appId: 'app', maintenanceKey: 'maintenance', context: {} };
    expect(authenticateKeys(info, '127.0.0.1', settings())?.isMaintenance).toBe(true);
    expect(authenticateKeys(info, '203.0.113.9', settings())).toBeUndefined();
    expect(authenticateKeys(info, '127.0.0.1', settings({ maintenanceKey: undefined }))?.isMaster).toBe(
      false,
    );
  });

  it('accepts the master key from allowed addresses only', () => {
    expect(
      authenticateKeys({ appId: 'app', masterKey: 'master', context: {} }, '127.0.0.1', settings())?.isMaster,
    ).toBe(true);
    expect(
      authenticateKeys({ appId: 'app', masterKey: 'master', context: {} }, '::ffff:10.1.2.3', settings())
        ?.isMaster,
    ).toBe(true);
    expect(
      authenticateKeys({ appId: 'app', masterKey: 'master', context: {} }, '192.168.1.1', settings()),
    ).toBeUndefined();
  });

  it('knows the read-only master key', () => {
    expect(authenticateKeys({ appId: 'app', masterKey: 'ro', context: {} }, '::1', settings())).toMatchObject(
      {
        isMaster: true,
        isReadOnly: true,
      },
    );
  });

  it('refuses a wrong app id, and a missing client key once one is configured', () => {
    expect(authenticateKeys({ appId: 'other', context: {} }, '::1', settings())).toBeUndefined();
    expect(authenticateKeys({ appId: 'app', context: {} }, '::1', settings())?.isMaster).toBe(false);
    const keyed = settings({ restAPIKey: 'rest', javascriptKey: 'js' });
    expect(authenticateKeys({ appId: 'app', context: {} }, '::1', keyed)).toBeUndefined();
    expect(authenticateKeys({ appId: 'app', javascriptKey: 'js', context: {} }, '::1', keyed)?.isMaster).toBe(
      false,
    );
    expect(authenticateKeys({ appId: 'app', restAPIKey: 'nope', context: {} }, '::1', keyed)).toBeUndefined();
  });

  it('rejects malformed masterKeyIps entries', () => {
    expect(() => ipAllowList(['not-an-ip'])).toThrow(RangeError);
    expect(ipAllowed(ipAllowList(['0.0.0.0/0', '::/0']), '203.0.113.9')).toBe(true);
  });
});
