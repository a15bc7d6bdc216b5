// `npm run bench` (in bench/): OpenParse vs parse-server 9 vs the ideal floor, on the same
// PostgreSQL, measured interleaved (A B C A B C …) and reported as medians and ratios.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { chart } from './chart.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const DURATION = Number(option('duration', '5'));
const REPS = Number(option('reps', '3'));
const ONLY = option('only', '')?.split(',').filter(Boolean);
const ROWS = Number(option('rows', '10000'));
const ADMIN = process.env.TEST_POSTGRES_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HEADERS = { 'X-Parse-Application-Id': 'bench', 'Content-Type': 'application/json' };
const MASTER = { ...HEADERS, 'X-Parse-Master-Key': 'bench-master' };

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** parse-server on PostgreSQL needs PostGIS: install it with apt when the server lacks it. */
async function ensurePostgis() {
  const client = new pg.Client({ connectionString: ADMIN });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
    if (rows.length > 0) return;
  } finally {
    await client.end();
  }
  console.log('bench: installing PostGIS for parse-server (apt-get install postgresql-15-postgis-3)');
  const install = spawn('apt-get', ['install', '-y', '-q', 'postgresql-15-postgis-3'], { stdio: 'inherit' });
  const code = await new Promise((resolve) => install.once('exit', resolve));
  if (code !== 0)
    throw new Error(`apt-get install postgresql-15-postgis-3 failed (${code}); parse-server needs PostGIS`);
}

function databaseURI(name) {
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

function start(name, command, commandArgs, env) {
  const child = spawn(command, commandArgs, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /"url":"([^"]+)"|running at (\S+)/.exec(line);
      if (match) resolve({ name, child, url: match[1] ?? match[2] });
    });
  });
}

async function call(url, method, body, headers = MASTER) {
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Seeds the user scenarios: a user in three roles, and 1000 ACL-protected `Secret` rows (a
 * quarter readable by each role, a quarter by nobody). Answers the user's credentials and a
 * session token.
 */
async function seedUsers(url) {
  const username = 'bench-user';
  const password = 'bench-password';
  const user = await call(`${url}/users`, 'POST', { username, password }, HEADERS);
  const roles = [];
  for (const name of ['Readers', 'Writers', 'Editors']) {
    await call(`${url}/roles`, 'POST', {
      name,
      ACL: { '*': { read: true } },
      users: {
        __op: 'AddRelation',
        objects: [{ __type: 'Pointer', className: '_User', objectId: user.objectId }],
      },
    });
    roles.push(name);
  }
  await call(`${url}/schemas/Secret`, 'POST', { className: 'Secret', fields: { n: { type: 'Number' } } });
  const path = `${new URL(url).pathname}/classes/Secret`;
  for (let start = 0; start < 1000; start += 50) {
    const requests = Array.from({ length: 50 }, (_, i) => {
      const n = start + i;
      const role = n % 4 === 3 ? undefined : roles[n % 4];
      return { method: 'POST', path, body: { n, ACL: role ? { [`role:${role}`]: { read: true } } : {} } };
    });
    await call(`${url}/batch`, 'POST', { requests });
  }
  return { username, password, sessionToken: user.sessionToken };
}

/** Creates GameScore with an index on rank and seeds it through the REST API; answers the ids. */
async function seed(url) {
  await call(`${url}/schemas/GameScore`, 'POST', {
    className: 'GameScore',
    fields: { score: { type: 'Number' }, playerName: { type: 'String' }, rank: { type: 'Number' } },
  });
  await call(`${url}/schemas/GameScore`, 'PUT', { indexes: { rank_1: { rank: 1 } } });
  const path = `${new URL(url).pathname}/classes/GameScore`;
  const ids = [];
  for (let start = 0; start < ROWS; start += 50) {
    const requests = Array.from({ length: Math.min(50, ROWS - start) }, (_, i) => ({
      method: 'POST',
      path,
      body: { score: (start + i) % 1000, playerName: `player${start + i}`, rank: start + i },
    }));
    const answers = await call(`${url}/batch`, 'POST', { requests });
    for (const answer of answers) ids.push(answer.success.objectId);
  }
  return ids;
}

/** The include scenario's data: 10 teams, 1000 players pointing at them, an index on `n`. */
async function seedPlayers(url) {
  await call(`${url}/schemas/Team`, 'POST', { className: 'Team', fields: { name: { type: 'String' } } });
  await call(`${url}/schemas/Player`, 'POST', {
    className: 'Player',
    fields: { n: { type: 'Number' }, team: { type: 'Pointer', targetClass: 'Team' } },
    indexes: { n_1: { n: 1 } },
  });
  const base = new URL(url).pathname;
  const teams = await call(`${url}/batch`, 'POST', {
    requests: Array.from({ length: 10 }, (_, i) => ({
      method: 'POST',
      path: `${base}/classes/Team`,
      body: { name: `team${i}`, city: `city${i}` },
    })),
  });
  const teamIds = teams.map((answer) => answer.success.objectId);
  for (let start = 0; start < 1000; start += 50) {
    const requests = Array.from({ length: 50 }, (_, i) => ({
      method: 'POST',
      path: `${base}/classes/Player`,
      body: {
        n: start + i,
        team: { __type: 'Pointer', className: 'Team', objectId: teamIds[(start + i) % 10] },
      },
    }));
    await call(`${url}/batch`, 'POST', { requests });
  }
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const rest = (url) => new URL(url).pathname;

/**
 * Each scenario: autocannon options for a REST server, and for the floor. Reads run before
 * writes, so every target answers them on the same seeded rows.
 */
function scenarios(ids, users) {
  const score = () => Math.floor(Math.random() * 900);
  const where = (w) => encodeURIComponent(JSON.stringify(w));
  const batchBody = () =>
    JSON.stringify({
      requests: Array.from({ length: 50 }, (_, i) => ({
        method: 'POST',
        path: '/parse/classes/GameScore',
        body: { score: i, playerName: 'b', rank: i },
      })),
    });
  const get = (target) => ({
    setupRequest: (req) => ({
      ...req,
      path: target.floor
        ? `/get?id=${pick(target.ids)}`
        : `${rest(target.url)}/classes/GameScore/${pick(target.ids)}`,
    }),
  });
  return {
    get: (t) => get(t),
    'get@64': (t) => ({ ...get(t), connections: 64 }),
    query: (t) => ({
      setupRequest: (req) => ({
        ...req,
        path: t.floor
          ? `/query?min=${score()}`
          : `${rest(t.url)}/classes/GameScore?where=${where({ score: { $gte: score() } })}&order=-score&limit=20`,
      }),
    }),
    queryIndexed: (t) => ({
      setupRequest: (req) => ({
        ...req,
        path: t.floor
          ? `/queryIndexed?min=${Math.floor(Math.random() * ids.length)}`
          : `${rest(t.url)}/classes/GameScore?where=${where({ rank: { $gte: Math.floor(Math.random() * ids.length) } })}&order=rank&limit=20`,
      }),
    }),
    count: (t) => ({
      setupRequest: (req) => ({
        ...req,
        path: t.floor
          ? `/count?min=${score()}`
          : `${rest(t.url)}/classes/GameScore?where=${where({ score: { $gte: score() } })}&count=1&limit=0`,
      }),
    }),
    update: (t) => ({
      method: t.floor ? 'GET' : 'PUT',
      setupRequest: (req) => ({
        ...req,
        path: t.floor ? `/update?id=${pick(t.ids)}` : `${rest(t.url)}/classes/GameScore/${pick(t.ids)}`,
        body: JSON.stringify({ score: { __op: 'Increment', amount: 1 } }),
      }),
    }),
    create: (t) => ({
      method: 'POST',
      setupRequest: (req) => ({
        ...req,
        path: t.floor ? '/create' : `${rest(t.url)}/classes/GameScore`,
        body: JSON.stringify({ score: 1, playerName: 'x', rank: 1 }),
      }),
    }),
    login: (t) => ({
      method: 'POST',
      setupRequest: (req) => ({
        ...req,
        path: t.floor ? '/login' : `${rest(t.url)}/login`,
        body: JSON.stringify({ username: users[t.name].username, password: users[t.name].password }),
      }),
    }),
    me: (t) => ({
      headers: { 'X-Parse-Session-Token': users[t.name].sessionToken },
      setupRequest: (req) => ({ ...req, path: t.floor ? '/me' : `${rest(t.url)}/users/me` }),
    }),
    aclQuery: (t) => ({
      headers: { 'X-Parse-Session-Token': users[t.name].sessionToken },
      setupRequest: (req) => ({
        ...req,
        path: t.floor ? '/aclQuery' : `${rest(t.url)}/classes/Secret?limit=20`,
      }),
    }),
    include: (t) => ({
      setupRequest: (req) => {
        const min = Math.floor(Math.random() * 980);
        return {
          ...req,
          path: t.floor
            ? `/include?min=${min}`
            : `${rest(t.url)}/classes/Player?where=${where({ n: { $gte: min } })}&order=n&limit=20&include=team`,
        };
      },
    }),
    batch: (t) => ({
      method: 'POST',
      setupRequest: (req) => ({
        ...req,
        path: t.floor ? '/batch' : `${rest(t.url)}/batch`,
        body: batchBody(),
      }),
    }),
  };
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function peakRss(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

async function measure(target, options) {
  const before = cpuTicks(target.child.pid);
  const base = target.floor ? target.url : new URL(target.url).origin;
  const { setupRequest, method = 'GET', connections = 10, headers = {} } = options;
  const all = { ...HEADERS, ...headers };
  const result = await autocannon({
    url: base,
    duration: DURATION,
    connections,
    headers: all,
    requests: [
      { method, setupRequest: (req) => ({ ...setupRequest(req), headers: { ...req.headers, ...all } }) },
    ],
  });
  const ticks = cpuTicks(target.child.pid) - before;
  const requests = result.requests.total || 1;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMicrosPerRequest: Math.round((ticks * 10_000) / requests),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const stamp = `${process.pid}`;
const databases = { openparse: `openparse_bench_op_${stamp}`, parse: `openparse_bench_ps_${stamp}` };
const targets = [];
try {
  await ensurePostgis();
  for (const name of Object.values(databases)) await admin(`CREATE DATABASE "${name}"`);
  const openparse = await start('OpenParse', process.execPath, [join(root, 'apps/server/dist/cli.js')], {
    PORT: '28001',
    PARSE_SERVER_APPLICATION_ID: 'bench',
    PARSE_SERVER_MASTER_KEY: 'bench-master',
    PARSE_SERVER_DATABASE_URI: databaseURI(databases.openparse),
    PARSE_SERVER_LOG_LEVEL: 'error',
    NODE_ENV: 'production',
  });
  openparse.url = 'http://127.0.0.1:28001/parse';
  const parseServer = await start(
    'parse-server',
    process.execPath,
    [join(here, 'targets/parse-server.mjs')],
    {
      PORT: '28002',
      DATABASE_URI: databaseURI(databases.parse),
    },
  );
  console.log('bench: seeding', ROWS, 'rows into each server');
  openparse.ids = await seed(openparse.url);
  parseServer.ids = await seed(parseServer.url);
  await seedPlayers(openparse.url);
  await seedPlayers(parseServer.url);
  const users = {
    OpenParse: await seedUsers(openparse.url),
    'parse-server': await seedUsers(parseServer.url),
  };
  // The floor serves OpenParse's database, so it logs in OpenParse's user.
  users.floor = users.OpenParse;
  const floor = await start('floor', process.execPath, [join(here, 'targets/floor.mjs')], {
    PORT: '28003',
    DATABASE_URI: databaseURI(databases.openparse),
  });
  floor.floor = true;
  floor.ids = openparse.ids;
  targets.push(openparse, parseServer, floor);
  const all = scenarios(openparse.ids, users);
  const chosen = Object.keys(all).filter((name) => !ONLY?.length || ONLY.includes(name));
  const runs = {};
  for (const scenario of chosen) {
    for (let rep = 0; rep < REPS; rep++) {
      for (const target of targets) {
        const result = await measure(target, all[scenario](target));
        runs[scenario] = runs[scenario] ?? {};
        runs[scenario][target.name] = [...(runs[scenario][target.name] ?? []), result];
        console.log(
          `bench: ${scenario} ${target.name} rep ${rep + 1}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, non2xx ${result.non2xx}, errors ${result.errors}`,
        );
      }
    }
  }
  const summary = {};
  for (const [scenario, byTarget] of Object.entries(runs)) {
    summary[scenario] = {};
    for (const [name, list] of Object.entries(byTarget)) {
      summary[scenario][name] = {
        rps: Math.round(median(list.map((r) => r.rps))),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
        errors: list.reduce((sum, r) => sum + r.errors, 0),
        cpuMicrosPerRequest: median(list.map((r) => r.cpuMicrosPerRequest)),
      };
    }
    const floorRps = summary[scenario].floor.rps || 1;
    for (const name of Object.keys(summary[scenario]))
      summary[scenario][name].ratioToFloor = Number((summary[scenario][name].rps / floorRps).toFixed(2));
  }
  const rss = Object.fromEntries(targets.map((t) => [t.name, peakRss(t.child.pid)]));
  const report = {
    date: new Date().toISOString(),
    durationSeconds: DURATION,
    repetitions: REPS,
    rows: ROWS,
    peakRssBytes: rss,
    scenarios: summary,
  };
  const lines = [
    '| scenario | OpenParse req/s | parse-server req/s | floor req/s | OpenParse / floor | parse-server / floor | OpenParse p99 ms | parse-server p99 ms | OpenParse CPU µs/req |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [scenario, s] of Object.entries(summary)) {
    lines.push(
      `| ${scenario} | ${s.OpenParse.rps} | ${s['parse-server'].rps} | ${s.floor.rps} | ${s.OpenParse.ratioToFloor} | ${s['parse-server'].ratioToFloor} | ${s.OpenParse.p99} | ${s['parse-server'].p99} | ${s.OpenParse.cpuMicrosPerRequest} |`,
    );
  }
  const markdown = `${lines.join('\n')}\n\nPeak RSS: ${Object.entries(rss)
    .map(([n, b]) => `${n} ${Math.round(b / 1048576)} MiB`)
    .join(
      ', ',
    )}. Non-2xx and errors: ${JSON.stringify(Object.fromEntries(Object.entries(summary).map(([k, s]) => [k, Object.fromEntries(Object.entries(s).map(([n, v]) => [n, v.non2xx + v.errors]))])))}\n`;
  writeFileSync(join(here, 'results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(here, 'results/latest.md'), markdown);
  writeFileSync(join(here, 'results/latest.svg'), chart(summary));
  console.log(`\n${markdown}`);
} finally {
  for (const target of targets) target.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const name of Object.values(databases))
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
}
