import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const cwd = mkdtempSync(join(tmpdir(), 'openparse-config-'));
const load = (argv: string[], env: Record<string, string> = {}) => loadConfig({ argv, env, cwd });

describe('loadConfig', () => {
  it('starts from parse-server 9 defaults', () => {
    const config = load([]);
    expect(config).toMatchObject({
      port: 1337,
      mountPath: '/parse',
      allowClientClassCreation: false,
      enforcePrivateUsers: true,
      masterKeyIps: ['127.0.0.1', '::1'],
      defaultLimit: 100,
      maxUploadSize: '20mb',
      enableSanitizedErrorResponse: true,
    });
    expect(config.databaseURI).toBeUndefined();
  });

  it('reads a parse-server JSON config file, then env, then flags (later wins)', () => {
    const file = join(cwd, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        appId: 'fromFile',
        masterKey: 'm',
        port: 1,
        maxLimit: 50,
        allowOrigin: ['https://a.example'],
      }),
    );
    const config = load(['config.json', '--port', '3000'], {
      PORT: '2000',
      PARSE_SERVER_APPLICATION_ID: 'fromEnv',
    });
    expect(config).toMatchObject({
      appId: 'fromEnv',
      masterKey: 'm',
      port: 3000,
      maxLimit: 50,
      allowOrigin: ['https://a.example'],
    });
  });

  it('maps PARSE_SERVER_* variables with their types', () => {
    const config = load([], {
      PARSE_SERVER_DATABASE_URI: 'postgres://u:p@localhost:5432/db',
      PARSE_SERVER_MASTER_KEY_IPS: '10.0.0.0/8, ::1',
      PARSE_SERVER_ALLOW_CLIENT_CLASS_CREATION: 'true',
      PARSE_SERVER_INSTALLATION: '{"duplicateDeviceTokenAction":"update"}',
      PARSE_PUBLIC_SERVER_URL: 'https://api.example.com/parse',
    });
    expect(config).toMatchObject({
      databaseURI: 'postgres://u:p@localhost:5432/db',
      masterKeyIps: ['10.0.0.0/8', '::1'],
      allowClientClassCreation: true,
      installation: { duplicateDeviceTokenAction: 'update' },
      publicServerURL: 'https://api.example.com/parse',
    });
  });

  it('accepts --flag=value and bare boolean flags', () => {
    expect(load(['--allowClientClassCreation', '--maxLimit=10'])).toMatchObject({
      allowClientClassCreation: true,
      maxLimit: 10,
    });
  });

  it('names the option in every error', () => {
    const failure = (argv: string[], env: Record<string, string> = {}) => {
      try {
        load(argv, env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(failure(['--appld', 'x'])).toBe("unknown option 'appld' (--appld). Did you mean 'appId'?");
    expect(failure(['--cloud', 'main.js'])).toBe(
      "option 'cloud' (--cloud) is not supported yet by OpenParse.",
    );
    expect(failure([], { PARSE_SERVER_CLOUD: 'main.js' })).toContain("option 'cloud'");
    expect(failure(['--maxLimit', '-3'])).toContain("option 'maxLimit'");
    expect(failure(['--port', 'eighty'])).toContain("option 'port'");
    expect(failure(['--serverURL', 'not a url'])).toContain("option 'serverURL'");
    expect(failure(['--logLevel', 'loud'])).toContain("option 'logLevel'");
    expect(failure([], { PARSE_SERVER_INSTALLATION: '{oops' })).toContain("option 'installation'");
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ verifyUserEmails: true }));
    expect(failure(['bad.json'])).toBe(
      "option 'verifyUserEmails' (config file) is not supported yet by OpenParse.",
    );
    writeFileSync(join(cwd, 'apps.json'), JSON.stringify({ apps: [] }));
    expect(failure(['apps.json'])).toContain("'apps' array form is not supported");
  });
});
