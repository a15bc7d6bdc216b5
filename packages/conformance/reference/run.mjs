// `npm run conformance:reference`: runs the REST suite against parse-server 9 on PostgreSQL.
// Installs parse-server into ./work (not part of the workspace or of `npm ci`), creates a
// fresh database, starts the server, runs vitest, then stops it and drops the database.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, 'work');
const packageRoot = join(here, '..');
const postgresURI = process.env.TEST_POSTGRES_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function install() {
  mkdirSync(work, { recursive: true });
  writeFileSync(
    join(work, 'package.json'),
    `${JSON.stringify(
      {
        name: 'openparse-conformance-reference',
        private: true,
        dependencies: { 'parse-server': '^9.10.0', express: '5.2.1' },
        // router 2.3.0 breaks parse-server's internal router.
        overrides: { router: '2.2.0' },
      },
      null,
      2,
    )}\n`,
  );
  if (!existsSync(join(work, 'node_modules', 'parse-server'))) {
    console.log('reference: installing parse-server 9 into', work);
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: work, stdio: 'inherit' });
  }
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: postgresURI });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startParseServer(databaseURI, appId, masterKey) {
  const child = spawn(process.execPath, [join(here, 'parse-server.mjs')], {
    env: { ...process.env, DATABASE_URI: databaseURI, APP_ID: appId, MASTER_KEY: masterKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const serverURL = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`parse-server exited with ${code} before it was ready`)));
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line);
        if (message.serverURL) resolve(message.serverURL);
      } catch {
        // parse-server may print other lines; only the JSON line matters.
      }
    });
  });
  return { child, serverURL };
}

install();
const database = `openparse_ref_${process.pid}`;
await admin(`CREATE DATABASE "${database}"`);
const url = new URL(postgresURI);
url.pathname = `/${database}`;
const appId = 'reference-app';
const masterKey = 'reference-master';
let status = 1;
let server;
try {
  server = await startParseServer(url.toString(), appId, masterKey);
  console.log(`reference: parse-server 9 at ${server.serverURL}`);
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
    ],
    {
      cwd: packageRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        REFERENCE_SERVER_URL: server.serverURL,
        REFERENCE_APP_ID: appId,
        REFERENCE_MASTER_KEY: masterKey,
      },
    },
  );
  status = await new Promise((resolve) => vitest.once('exit', (code) => resolve(code ?? 1)));
  console.log('reference: JSON report in packages/conformance/reference/work/report.json');
} finally {
  server?.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  server?.child.kill('SIGKILL');
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}
process.exit(status);
