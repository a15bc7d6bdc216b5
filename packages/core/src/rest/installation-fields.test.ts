import { describe, expect, it } from 'vitest';
import { ParseErrorCode } from '../errors.js';
import { isTimeZone, normalizeInstallationBody } from './installation-fields.js';

describe('normalizeInstallationBody', () => {
  it('lower-cases ids and APNs tokens and turns badge "Increment" into an op', () => {
    const body = {
      installationId: 'A5D1E4C4-7F55-4F5E-9C44-2B5C0F8E7D11',
      deviceToken: 'ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789',
      badge: 'Increment',
      channels: ['', 'Giants'],
    };
    normalizeInstallationBody(body);
    expect(body).toEqual({
      installationId: 'a5d1e4c4-7f55-4f5e-9c44-2b5c0f8e7d11',
      deviceToken: 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
      badge: { __op: 'Increment', amount: 1 },
      channels: ['', 'Giants'],
    });
  });

  it('keeps FCM tokens as they are', () => {
    const body = { deviceToken: 'fcm:APA91bHxAbC' };
    normalizeInstallationBody(body);
    expect(body.deviceToken).toBe('fcm:APA91bHxAbC');
  });

  it('refuses bad ids, device types, tokens, channels and time zones with their codes', () => {
    const reject = (body: Record<string, unknown>, code: number) =>
      expect(() => normalizeInstallationBody(body as never)).toThrow(expect.objectContaining({ code }));
    reject({ installationId: 'not-a-uuid' }, ParseErrorCode.INVALID_INSTALLATION_ID);
    reject({ installationId: 42 }, ParseErrorCode.INVALID_INSTALLATION_ID);
    reject({ deviceType: 'palm' }, ParseErrorCode.INVALID_DEVICE_TYPE);
    reject({ deviceToken: 12 }, ParseErrorCode.INVALID_DEVICE_TOKEN);
    reject({ channels: 'Giants' }, ParseErrorCode.INVALID_CHANNELS_ARRAY);
    reject({ channels: ['9lives'] }, ParseErrorCode.INVALID_CHANNEL_NAME);
    reject({ channels: { __op: 'AddUnique', objects: ['has space'] } }, ParseErrorCode.INVALID_CHANNEL_NAME);
    reject({ timeZone: 'Nowhere/Land' }, ParseErrorCode.INCORRECT_TYPE);
  });

  it('knows IANA time zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
