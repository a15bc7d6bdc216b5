import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const cwd = mkdtempSync(join(tmpdir(), 'openparse-config-'));
const load = (argv: string[], env: Record<string, string> = {}) => loadConfig({ argv, env, cwd });
const file = (name: string, content: unknown) => {
  writeFileSync(join(cwd, name), typeof content === 'string' ? content : JSON.stringify(content));
  return name;
};

/** The ConfigError message loading these sources throws. */
function failure(argv: string[], env: Record<string, string> = {}): string {
  try {
    load(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: sources and precedence', () => {
  it('starts from parse-server 9 defaults', () => {
    const config = load([]);
    expect(config).toMatchObject({
      port: 1337,
      host: '0.0.0.0',
      mountPath: '/parse',
      allowClientClassCreation: false,
      enforcePrivateUsers: true,
      masterKeyIps: ['127.0.0.1', '::1'],
      readOnlyMasterKeyIps: ['0.0.0.0/0', '::0'],
      defaultLimit: 100,
      maxUploadSize: '20mb',
      enableSanitizedErrorResponse: true,
      logLevel: 'info',
    });
    expect(config.databaseURI).toBeUndefined();
    expect(config.appId).toBeUndefined();
    expect(config.maxLimit).toBeUndefined();
  });

  it('flags win over the environment, which wins over the config file (as parse-server)', () => {
    const config = load(
      [file('all.json', { appId: 'file', masterKey: 'file', port: 1, maxLimit: 50 }), '--port', '3'],
      {
        PORT: '2',
        PARSE_SERVER_APPLICATION_ID: 'env',
      },
    );
    expect(config).toMatchObject({ appId: 'env', masterKey: 'file', port: 3, maxLimit: 50 });
  });

  it("reads parse-server's { apps: [ one app ] } form and refuses several apps", () => {
    expect(load([file('one.json', { apps: [{ appId: 'a', maxLimit: 7 }] })])).toMatchObject({
      appId: 'a',
      maxLimit: 7,
    });
    expect(failure([file('two.json', { apps: [{}, {}] })])).toContain("'apps' must hold exactly one app");
  });

  it('reports an unreadable or non-object config file, and more than one', () => {
    expect(failure(['missing.json'])).toMatch(/^cannot read config file .*missing\.json/);
    expect(failure([file('broken.json', '{ appId: ')])).toMatch(/^cannot read config file/);
    expect(failure([file('list.json', [1])])).toContain('must hold a JSON object');
    expect(failure(['a.json', 'b.json'])).toContain('at most one config file');
  });

  it('maps PARSE_SERVER_* variables (and PORT, VERBOSE, SILENT) to typed values', () => {
    const config = load([], {
      PARSE_SERVER_DATABASE_URI: 'postgres://u:p@localhost:5432/db',
      PARSE_SERVER_MASTER_KEY_IPS: '10.0.0.0/8, ::1',
      PARSE_SERVER_ALLOW_CLIENT_CLASS_CREATION: 'true',
      PARSE_SERVER_ENFORCE_PRIVATE_USERS: '0',
      PARSE_SERVER_INSTALLATION: '{"duplicateDeviceTokenAction":"update"}',
      PARSE_PUBLIC_SERVER_URL: 'https://api.example.com/parse',
      PARSE_SERVER_MAX_UPLOAD_SIZE: '5mb',
      PARSE_SERVER_LOG_LEVEL: 'warn',
      PORT: '8080',
      VERBOSE: '1',
      SILENT: 'false',
    });
    expect(config).toMatchObject({
      databaseURI: 'postgres://u:p@localhost:5432/db',
      masterKeyIps: ['10.0.0.0/8', '::1'],
      allowClientClassCreation: true,
      enforcePrivateUsers: false,
      installation: { duplicateDeviceTokenAction: 'update' },
      publicServerURL: 'https://api.example.com/parse',
      maxUploadSize: '5mb',
      logLevel: 'warn',
      port: 8080,
      verbose: true,
      silent: false,
    });
  });

  it('ignores empty and unrelated variables, as parse-server', () => {
    expect(
      load([], { PARSE_SERVER_APPLICATION_ID: '', HOME: '/root', PARSE_SERVER_LOGS: '/tmp' }).appId,
    ).toBe(undefined);
  });

  it('accepts --flag=value, bare boolean flags and --cluster with or without a count', () => {
    expect(load(['--allowClientClassCreation', '--maxLimit=10'])).toMatchObject({
      allowClientClassCreation: true,
      maxLimit: 10,
    });
    const uri = ['--databaseURI', 'postgres://localhost/db'];
    expect(load([...uri, '--cluster']).cluster).toBe(true);
    expect(load([...uri, '--cluster', '3']).cluster).toBe(3);
    expect(load([...uri, '--cluster=false']).cluster).toBe(false);
  });

  it('skips --help and --version, which the CLI handles', () => {
    expect(load(['--help', '--version']).port).toBe(1337);
  });
});

describe('loadConfig: errors name the option', () => {
  it('unknown options suggest the closest name', () => {
    expect(failure(['--appld', 'x'])).toBe("unknown option 'appld' (--appld). Did you mean 'appId'?");
    expect(failure(['--appid', 'x'])).toContain("Did you mean 'appId'?");
    expect(failure(['--xyz', '1'])).toBe("unknown option 'xyz' (--xyz).");
    expect(failure([file('unknown.json', { mastrKey: 'm' })])).toBe(
      "unknown option 'mastrKey' (config file). Did you mean 'masterKey'?",
    );
  });

  it('recognised parse-server options fail as not supported yet, from any source', () => {
    expect(failure(['--collectionPrefix', 'app_'])).toBe(
      "option 'collectionPrefix' (--collectionPrefix) is not supported yet by OpenParse.",
    );
    expect(failure([file('graphql.json', { mountGraphQL: true })])).toBe(
      "option 'mountGraphQL' (config file) is not supported yet by OpenParse.",
    );
    expect(failure([], { PARSE_SERVER_COLLECTION_PREFIX: 'app_' })).toBe(
      "option 'collectionPrefix' (PARSE_SERVER_COLLECTION_PREFIX) is not supported yet by OpenParse.",
    );
    expect(failure([], { PARSE_SERVER_PAGES_ENABLE_ROUTER: 'true' })).toBe(
      "option 'pages' (PARSE_SERVER_PAGES_ENABLE_ROUTER): set PARSE_SERVER_PAGES to a JSON object instead of one of its keys.",
    );
    expect(failure([], { PARSE_SERVER_LIVE_QUERY: '{}' })).toContain("option 'liveQuery'");
    expect(failure([], { JSON_LOGS: '1' })).toContain("option 'jsonLogs'");
  });

  it('invalid values fail naming the option and the source', () => {
    expect(failure(['--maxLimit', '-3'])).toBe(
      'option \'maxLimit\' (--maxLimit) must be an integer >= 1, got "-3".',
    );
    expect(failure(['--maxLimit', '0'])).toContain("option 'maxLimit'");
    expect(failure(['--defaultLimit', '0'])).toContain("option 'defaultLimit'");
    expect(failure(['--port', 'eighty'])).toContain("option 'port' (--port)");
    expect(failure([], { PORT: '70000' })).toContain(
      "option 'port' (PORT) must be an integer >= 0 and <= 65535",
    );
    expect(failure(['--serverURL', 'not a url'])).toContain("option 'serverURL'");
    expect(failure(['--publicServerURL', 'ftp://x'])).toContain("option 'publicServerURL'");
    expect(failure(['--databaseURI', 'mysql://localhost/db'])).toContain("option 'databaseURI'");
    expect(failure(['--mountPath', 'parse'])).toContain(
      "option 'mountPath' (--mountPath) must be a string starting with '/'",
    );
    expect(failure(['--logLevel', 'loud'])).toContain("option 'logLevel'");
    expect(failure(['--appId'])).toContain("option 'appId' (--appId) must be a non-empty string");
    expect(failure([file('types.json', { allowClientClassCreation: 'yes' })])).toContain(
      "option 'allowClientClassCreation' (config file) must be true or false",
    );
    expect(failure([], { PARSE_SERVER_INSTALLATION: '{oops' })).toBe(
      "option 'installation' (PARSE_SERVER_INSTALLATION) is not valid JSON.",
    );
    expect(failure([], { PARSE_SERVER_INSTALLATION: '{"typo":1}' })).toContain(
      "unknown option 'installation.typo'",
    );
    expect(failure(['--maxUploadSize', 'big'])).toContain("option 'maxUploadSize'");
  });

  it('checks options against each other', () => {
    expect(failure(['--masterKey', 'same', '--readOnlyMasterKey', 'same'])).toContain(
      "option 'readOnlyMasterKey'",
    );
    expect(failure(['--cluster', '2'])).toContain("option 'cluster' needs 'databaseURI'");
  });
});

describe('loadConfig: heapGrowingPercent', () => {
  it('is 50 unless given, from a flag or the environment; 0 leaves V8 its own', () => {
    expect(load([]).heapGrowingPercent).toBe(50);
    expect(load(['--heapGrowingPercent', '0']).heapGrowingPercent).toBe(0);
    expect(load([], { PARSE_SERVER_HEAP_GROWING_PERCENT: '120' }).heapGrowingPercent).toBe(120);
  });

  it('refuses a value outside 0–300', () => {
    expect(failure(['--heapGrowingPercent', '301'])).toContain('heapGrowingPercent');
    expect(failure(['--heapGrowingPercent', '-1'])).toContain('heapGrowingPercent');
  });
});
