// The ideal floor: a bare node:http + pg handler doing exactly the SQL an ideal server would do
// for each bench request, on the same tables (OpenParse's database, parse-server's layout).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { verify } from '@node-rs/bcrypt';
import pg from 'pg';

const { DATABASE_URI, FILES, PORT } = process.env;
if (FILES) mkdirSync(FILES, { recursive: true });
const pool = new pg.Pool({ connectionString: DATABASE_URI, max: 10 });
const ID = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const newId = () => Array.from(randomBytes(10), (byte) => ID[byte % 62]).join('');
const row = (r) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

/** Parse's ACL object from the permission arrays. */
function acl(read, write) {
  const out = {};
  for (const name of read ?? []) out[name] = { read: true };
  for (const name of write ?? []) out[name] = { ...out[name], write: true };
  return out;
}

async function raw(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function body(req) {
  const text = (await raw(req)).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(res, status, value) {
  const payload = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** What an ideal server keeps per session token: the user and their roles (one lookup each). */
const sessions = new Map();
async function session(req) {
  const token = req.headers['x-parse-session-token'];
  let known = sessions.get(token);
  if (!known) {
    const { rows } = await pool.query({
      name: 'session',
      text: 'SELECT "user" FROM "_Session" WHERE "sessionToken" = $1 AND "expiresAt" > now()',
      values: [token],
    });
    if (!rows[0]) return undefined;
    const roles = await pool.query({
      name: 'roles',
      text: `WITH RECURSIVE held(id) AS (
               SELECT "owningId" FROM "_Join:users:_Role" WHERE "relatedId" = $1
               UNION SELECT j."owningId" FROM "_Join:roles:_Role" j JOIN held ON j."relatedId" = held.id)
             SELECT name FROM "_Role" WHERE "objectId" IN (SELECT id FROM held)`,
      values: [rows[0].user],
    });
    known = {
      userId: rows[0].user,
      principals: ['*', rows[0].user, ...roles.rows.map((r) => `role:${r.name}`)],
    };
    sessions.set(token, known);
  }
  return known;
}

const routes = {
  async login(req) {
    const { username, password } = await body(req);
    const { rows } = await pool.query({
      name: 'login',
      text: 'SELECT * FROM "_User" WHERE "username" = $1',
      values: [username],
    });
    const user = rows[0];
    if (!user || !(await verify(password, user._hashed_password))) {
      return [404, { code: 101, error: 'Invalid username/password.' }];
    }
    const token = `r:${randomBytes(16).toString('hex')}`;
    await pool.query({
      name: 'createSession',
      text: `INSERT INTO "_Session" ("objectId","createdAt","updatedAt","sessionToken","user","expiresAt","createdWith")
             VALUES ($1, now(), now(), $2, $3, now() + interval '1 year', '{"action":"login","authProvider":"password"}')`,
      values: [newId(), token, user.objectId],
    });
    return [200, { objectId: user.objectId, username: user.username, sessionToken: token }];
  },
  async me(req) {
    const known = await session(req);
    if (!known) return [400, { code: 209, error: 'Invalid session token' }];
    // The fields a `/users/me` answer holds (null ones are left out), and its ACL.
    const { rows } = await pool.query({
      name: 'me',
      text: 'SELECT "objectId","username","email","emailVerified","authData","createdAt","updatedAt","_rperm","_wperm" FROM "_User" WHERE "objectId" = $1',
      values: [known.userId],
    });
    const { _rperm, _wperm, ...user } = rows[0];
    const answer = {};
    for (const [key, value] of Object.entries(row(user))) if (value !== null) answer[key] = value;
    answer.ACL = acl(_rperm, _wperm);
    answer.sessionToken = req.headers['x-parse-session-token'];
    return [200, answer];
  },
  async aclQuery(req) {
    const known = await session(req);
    if (!known) return [400, { code: 209, error: 'Invalid session token' }];
    const { rows } = await pool.query({
      name: 'aclQuery',
      text: 'SELECT * FROM "Secret" WHERE ("_rperm" IS NULL OR "_rperm" && $1) LIMIT 20',
      values: [known.principals],
    });
    return [200, { results: rows.map(row) }];
  },
  async create(req) {
    const { score, playerName, rank } = await body(req);
    const id = newId();
    const { rows } = await pool.query({
      name: 'create',
      text: 'INSERT INTO "GameScore" ("objectId","createdAt","updatedAt","score","playerName","rank") VALUES ($1,now(),now(),$2,$3,$4) RETURNING "createdAt"',
      values: [id, score, playerName, rank],
    });
    return [201, { objectId: id, createdAt: rows[0].createdAt.toISOString() }];
  },
  async get(_req, url) {
    const { rows } = await pool.query({
      name: 'get',
      text: 'SELECT * FROM "GameScore" WHERE "objectId" = $1',
      values: [url.searchParams.get('id')],
    });
    return rows[0] ? [200, row(rows[0])] : [404, { code: 101, error: 'Object not found.' }];
  },
  async query(_req, url) {
    const { rows } = await pool.query({
      name: 'query',
      text: 'SELECT * FROM "GameScore" WHERE "score" >= $1 ORDER BY "score" DESC LIMIT 20',
      values: [Number(url.searchParams.get('min'))],
    });
    return [200, { results: rows.map(row) }];
  },
  async queryIndexed(_req, url) {
    const { rows } = await pool.query({
      name: 'queryIndexed',
      text: 'SELECT * FROM "GameScore" WHERE "rank" >= $1 ORDER BY "rank" ASC LIMIT 20',
      values: [Number(url.searchParams.get('min'))],
    });
    return [200, { results: rows.map(row) }];
  },
  async include(_req, url) {
    const { rows } = await pool.query({
      name: 'include',
      text: `SELECT p.*, to_jsonb(t) AS "teamObject" FROM "Player" p LEFT JOIN "Team" t ON t."objectId" = p."team"
             WHERE p."n" >= $1 ORDER BY p."n" LIMIT 20`,
      values: [Number(url.searchParams.get('min'))],
    });
    return [
      200,
      {
        results: rows.map(({ teamObject, ...player }) => ({
          ...row(player),
          team: teamObject ? { __type: 'Object', className: 'Team', ...teamObject } : undefined,
        })),
      },
    ];
  },
  async count(_req, url) {
    const { rows } = await pool.query({
      name: 'count',
      text: 'SELECT count(*)::int AS n FROM "GameScore" WHERE "score" >= $1',
      values: [Number(url.searchParams.get('min'))],
    });
    return [200, { results: [], count: rows[0].n }];
  },
  async update(req, url) {
    // The same request as the REST targets get: a PUT whose body holds the Increment.
    const { score } = await body(req);
    const { rows } = await pool.query({
      name: 'update',
      text: 'UPDATE "GameScore" SET "score" = COALESCE("score", 0) + $2, "updatedAt" = now() WHERE "objectId" = $1 RETURNING "score", "updatedAt"',
      values: [url.searchParams.get('id'), score.amount],
    });
    return [200, { score: rows[0].score, updatedAt: rows[0].updatedAt.toISOString() }];
  },
  async function(req) {
    const { name, scores } = await body(req);
    const total = scores.reduce((sum, score) => sum + score, 0);
    return [200, { result: { name, total, best: Math.max(...scores), average: total / scores.length } }];
  },
  async fileUpload(req, url) {
    const name = `${randomBytes(16).toString('hex')}_bench.txt`;
    // Durable and whole, as a server that must not lose or half-write a file stores it: on disk
    // (flushed) before a rename makes it the file.
    const temporary = join(FILES, `.${name}.upload`);
    await writeFile(temporary, await raw(req), { flush: true });
    await rename(temporary, join(FILES, name));
    return [201, { url: `http://${url.host}/files/${name}`, name }];
  },
  async batch(req) {
    const { requests } = await body(req);
    const ids = requests.map(() => newId());
    const { rows } = await pool.query(
      'INSERT INTO "GameScore" ("objectId","createdAt","updatedAt","score","playerName","rank") SELECT id, now(), now(), s, p, r FROM unnest($1::text[], $2::float8[], $3::text[], $4::float8[]) AS t(id, s, p, r) RETURNING "objectId", "createdAt"',
      [
        ids,
        requests.map((r) => r.body.score),
        requests.map((r) => r.body.playerName),
        requests.map((r) => r.body.rank),
      ],
    );
    return [
      200,
      rows.map((r) => ({ success: { objectId: r.objectId, createdAt: r.createdAt.toISOString() } })),
    ];
  },
};

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const route = routes[url.pathname.slice(1)];
    if (!route) return send(res, 404, { error: 'no such scenario' });
    try {
      const [status, value] = await route(req, url);
      send(res, status, value);
    } catch (error) {
      send(res, 500, { error: String(error) });
    }
  })
  .listen(Number(PORT), '127.0.0.1', () =>
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${PORT}` })}\n`),
  );
process.on('SIGTERM', () => pool.end().then(() => process.exit(0)));
