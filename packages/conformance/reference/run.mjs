// `npm run conformance:reference`: runs the REST suite against parse-server 9 on PostgreSQL.
//
// 1. installs parse-server into ./work (its own package.json; not part of the workspace or `npm ci`);
// 2. makes sure PostGIS is available (apt-get install when missing) and creates a fresh database
//    `openparse_ref_<random>` with the postgis extension;
// 3. starts parse-server on a free loopback port with OpenParse's defaults;
// 4. runs vitest on reference.test.ts (summary on stdout, JSON report in work/report.json);
// 5. stops the server and drops the database.
//
// `--all` also runs the tests listed in differences.ts, to confirm each difference still exists
// (they are expected to fail against parse-server). Other arguments go to vitest
// (e.g. `-t batch.` to run one group).
//
// Settings: TEST_POSTGRES_URI (default postgres://postgres@127.0.0.1:5432/postgres) is the
// maintenance connection used to create and drop the database.
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PARSE_SERVER_VERSION = '9.10.0';
const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, 'work');
const packageRoot = join(here, '..');
const postgresURI = process.env.TEST_POSTGRES_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (...parts) => console.log('reference:', ...parts);

function installParseServer() {
  mkdirSync(work, { recursive: true });
  const manifest = {
    name: 'openparse-conformance-reference',
    private: true,
    dependencies: { 'parse-server': PARSE_SERVER_VERSION, express: '5.2.1' },
    // router 2.3.0 breaks parse-server's routing; 2.2.0 is the version it was released with.
    overrides: { router: '2.2.0' },
  };
  writeFileSync(join(work, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const installed = join(work, 'node_modules', 'parse-server', 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === PARSE_SERVER_VERSION) {
    return;
  }
  log(`installing parse-server ${PARSE_SERVER_VERSION} into ${work}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: work,
    stdio: 'inherit',
  });
}

async function sql(uri, statement) {
  // parse-server's own pg (installed with it in ./work), so the runner needs nothing else.
  const pg = createRequire(join(work, 'package.json'))('pg');
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

/** PostGIS backs parse-server's geo queries on PostgreSQL; install it when the server lacks it. */
async function ensurePostGIS() {
  const available = async () =>
    (await sql(postgresURI, "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).rowCount > 0;
  if (await available()) return true;
  const { rows } = await sql(postgresURI, 'SHOW server_version_num');
  const major = Math.floor(Number(rows[0].server_version_num) / 10000);
  const aptPackage = `postgresql-${major}-postgis-3`;
  log(`PostGIS is missing; installing ${aptPackage}`);
  const apt = (args) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    try {
      apt(['install', '-y', aptPackage]);
    } catch {
      apt(['update']);
      apt(['install', '-y', aptPackage]);
    }
  } catch (error) {
    log(`could not install ${aptPackage} (${error.message}); geo queries will fail`);
    return false;
  }
  return available();
}

function startParseServer(settings) {
  const output = openSync(join(work, 'parse-server.log'), 'w');
  const child = fork(join(here, 'parse-server.mjs'), [], {
    env: {
      ...process.env,
      REFERENCE_SETTINGS: JSON.stringify(settings),
      PARSE_SERVER_LOGS_FOLDER: join(work, 'logs'),
    },
    stdio: ['ignore', output, output, 'ipc'],
    cwd: work,
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`parse-server exited with ${code} before it was ready; see work/parse-server.log`)),
    );
    child.once('message', (message) => resolve({ child, serverURL: message.serverURL }));
  });
}

function stopParseServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function runVitest(target) {
  const vitest = spawn(
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'reference/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reference/work/report.json',
      ...process.argv.slice(2).filter((arg) => arg !== '--all'),
    ],
    {
      cwd: packageRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        REFERENCE_TARGET: JSON.stringify(target),
        REFERENCE_ALL: process.argv.includes('--all') ? '1' : '',
      },
    },
  );
  return new Promise((resolve) => vitest.once('exit', (code) => resolve(code ?? 1)));
}

function summarize() {
  const file = join(work, 'report.json');
  if (!existsSync(file)) return log('vitest wrote no report');
  const report = JSON.parse(readFileSync(file, 'utf8'));
  log(
    `${report.numPassedTests} passed, ${report.numFailedTests} failed, ` +
      `${report.numPendingTests + report.numTodoTests} skipped of ${report.numTotalTests} ` +
      '(JSON report: packages/conformance/reference/work/report.json)',
  );
}

installParseServer();
const database = `openparse_ref_${randomBytes(4).toString('hex')}`;
const databaseURL = new URL(postgresURI);
databaseURL.pathname = `/${database}`;
const postgis = await ensurePostGIS();
await sql(postgresURI, `CREATE DATABASE "${database}"`);
let status = 1;
let server;
// Ctrl-C reaches vitest and parse-server too; wait for them, then clean up below.
process.on('SIGINT', () => log('interrupted; cleaning up'));
try {
  if (postgis) await sql(databaseURL.toString(), 'CREATE EXTENSION IF NOT EXISTS postgis');
  const keys = {
    appId: 'reference-app',
    masterKey: 'reference-master',
    restAPIKey: 'reference-rest',
    javascriptKey: 'reference-js',
    clientKey: 'reference-client',
  };
  const batchRequestLimit = 50;
  const webhookKey = 'reference-webhook-key';
  server = await startParseServer({
    ...keys,
    databaseURI: databaseURL.toString(),
    mountPath: '/parse',
    requestComplexity: { batchRequestLimit },
    // Its GridFS default needs MongoDB: files go to work/files/ instead.
    filesAdapter: { module: '@parse/fs-files-adapter' },
    // The kit's cloud file, as OpenParse runs it (restSuiteCloudFile).
    cloud: join(here, '..', 'cloud', 'main.js'),
    webhookKey,
    logLevel: 'error',
  });
  log(`parse-server ${PARSE_SERVER_VERSION} at ${server.serverURL} on database ${database}`);
  status = await runVitest({
    serverURL: server.serverURL,
    ...keys,
    batchRequestLimit,
    cloud: true,
    webhookKey,
  });
  summarize();
} finally {
  if (server) await stopParseServer(server.child);
  await sql(postgresURI, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}
process.exit(status);
