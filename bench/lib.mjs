// Shared by the bench scripts: the targets, the seeding through REST, the scenarios, the measure.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

/** `--name value` from the command line, or `fallback`. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
}

export const ADMIN = process.env.TEST_POSTGRES_URI ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const HEADERS = { 'X-Parse-Application-Id': 'bench', 'Content-Type': 'application/json' };
export const MASTER = { ...HEADERS, 'X-Parse-Master-Key': 'bench-master' };

/** The cloud file every REST target loads (the `function` scenario's `benchScore`). */
export const CLOUD = fileURLToPath(new URL('./cloud/main.js', import.meta.url));

/** A scratch folder for the `fileUpload` scenario's files; `remove()` deletes it. */
export function scratch() {
  const path = mkdtempSync(join(tmpdir(), 'openparse-bench-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * OpenParse's environment in the bench: production build settings, logs at error level, the
 * bench's cloud file; `files` (a folder) stores files with @openparse/files-fs, as parse-server
 * and the floor store theirs on disk.
 */
export function openparseEnv(port, { database, files } = {}) {
  return {
    PORT: String(port),
    PARSE_SERVER_APPLICATION_ID: 'bench',
    PARSE_SERVER_MASTER_KEY: 'bench-master',
    PARSE_SERVER_LOG_LEVEL: 'error',
    PARSE_SERVER_CLOUD: CLOUD,
    NODE_ENV: 'production',
    ...(database ? { PARSE_SERVER_DATABASE_URI: databaseURI(database) } : {}),
    ...(files
      ? {
          PARSE_SERVER_FILES_ADAPTER: JSON.stringify({
            module: '@openparse/files-fs',
            options: { directory: files },
          }),
        }
      : {}),
  };
}

/** After seeding: statistics for the planner, as autovacuum would gather (it is off on some machines). */
export async function analyze(database) {
  const client = new pg.Client({ connectionString: databaseURI(database) });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

export async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** parse-server on PostgreSQL needs PostGIS: install it with apt when the server lacks it. */
export async function ensurePostgis() {
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

export function databaseURI(name) {
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

export function start(name, command, commandArgs, env, cwd = undefined) {
  const child = spawn(command, commandArgs, {
    cwd,
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

export async function call(url, method, body, headers = MASTER) {
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
export async function seedUsers(url) {
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
export async function seed(url, rows, from = 0) {
  if (from === 0) {
    await call(`${url}/schemas/GameScore`, 'POST', {
      className: 'GameScore',
      fields: { score: { type: 'Number' }, playerName: { type: 'String' }, rank: { type: 'Number' } },
    });
    await call(`${url}/schemas/GameScore`, 'PUT', { indexes: { rank_1: { rank: 1 } } });
  }
  const path = `${new URL(url).pathname}/classes/GameScore`;
  const ids = [];
  for (let start = from; start < rows; start += 50) {
    const requests = Array.from({ length: Math.min(50, rows - start) }, (_, i) => ({
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
export async function seedPlayers(url) {
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

export const pick = (list) => list[Math.floor(Math.random() * list.length)];
export const rest = (url) => new URL(url).pathname;

/**
 * Each scenario: autocannon options for a REST server, and for the floor. Reads run before
 * writes, so every target answers them on the same seeded rows.
 */
export function scenarios(ids, users) {
  const score = () => Math.floor(Math.random() * 900);
  const where = (w) => encodeURIComponent(JSON.stringify(w));
  const upload = 'x'.repeat(10 * 1024);
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
      method: 'PUT',
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
    function: (t) => ({
      method: 'POST',
      setupRequest: (req) => ({
        ...req,
        path: t.floor ? '/function' : `${rest(t.url)}/functions/benchScore`,
        body: JSON.stringify({ name: 'bench', scores: [score(), score(), score(), score()] }),
      }),
    }),
    fileUpload: (t) => ({
      method: 'POST',
      headers: { 'X-Parse-Master-Key': 'bench-master', 'Content-Type': 'text/plain' },
      setupRequest: (req) => ({
        ...req,
        path: t.floor ? '/fileUpload' : `${rest(t.url)}/files/bench.txt`,
        body: upload,
      }),
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

export function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function peakRss(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

export async function measure(target, options, duration) {
  const before = cpuTicks(target.child.pid);
  const base = target.floor ? target.url : new URL(target.url).origin;
  const { setupRequest, method = 'GET', connections = 10, headers = {} } = options;
  const all = { ...HEADERS, ...headers };
  const result = await autocannon({
    url: base,
    duration,
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
    total: requests,
  };
}
