// `npm run bench:pglite` (in bench/): OpenParse on its embedded default (PGlite, in the server's
// own process) through the same scenarios, reported beside OpenParse on PostgreSQL from the last
// `npm run bench` (results/latest.json). No floor or parse-server here: they run on PostgreSQL.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  measure,
  openparseEnv,
  option,
  peakRss,
  scenarios,
  seed,
  seedPlayers,
  seedUsers,
  start,
} from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DURATION = Number(option('duration', '5'));
const REPS = Number(option('reps', '3'));
const ONLY = option('only', '')?.split(',').filter(Boolean);
const ROWS = Number(option('rows', '10000'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const cwd = mkdtempSync(join(tmpdir(), 'openparse-bench-pglite-'));
let openparse;
try {
  openparse = await start(
    'OpenParse',
    process.execPath,
    [join(root, 'apps/server/dist/cli.js')],
    openparseEnv(28041),
    cwd,
  );
  openparse.url = 'http://127.0.0.1:28041/parse';
  console.log('bench:pglite: seeding', ROWS, 'rows');
  openparse.ids = await seed(openparse.url, ROWS);
  await seedPlayers(openparse.url);
  const users = { OpenParse: await seedUsers(openparse.url) };
  const all = scenarios(openparse.ids, users);
  const chosen = Object.keys(all).filter((name) => !ONLY?.length || ONLY.includes(name));
  let postgres = {};
  try {
    postgres = JSON.parse(readFileSync(join(here, 'results/latest.json'), 'utf8')).scenarios;
  } catch {
    // No PostgreSQL run to compare with.
  }
  const summary = {};
  for (const scenario of chosen) {
    const list = [];
    for (let rep = 0; rep < REPS; rep++)
      list.push(await measure(openparse, all[scenario](openparse), DURATION));
    const onPostgres = postgres[scenario]?.OpenParse?.rps;
    summary[scenario] = {
      rps: Math.round(median(list.map((r) => r.rps))),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      errors: list.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
      cpuMicrosPerRequest: median(list.map((r) => r.cpuMicrosPerRequest)),
      ...(onPostgres
        ? { ratioToPostgres: Number((median(list.map((r) => r.rps)) / onPostgres).toFixed(2)) }
        : {}),
    };
    console.log(`bench:pglite: ${scenario}: ${summary[scenario].rps} req/s, p99 ${summary[scenario].p99} ms`);
  }
  const rss = peakRss(openparse.child.pid);
  const lines = [
    '| scenario | PGlite req/s | p50 ms | p99 ms | CPU µs/req | PGlite / PostgreSQL (OpenParse) | errors |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(summary).map(
      ([name, s]) =>
        `| ${name} | ${s.rps} | ${s.p50} | ${s.p99} | ${s.cpuMicrosPerRequest} | ${s.ratioToPostgres ?? '–'} | ${s.errors} |`,
    ),
  ];
  const markdown = `${lines.join('\n')}\n\nPeak RSS (server and PGlite in one process): ${Math.round(rss / 1048576)} MiB.\n`;
  writeFileSync(
    join(here, 'results/pglite.json'),
    `${JSON.stringify({ date: new Date().toISOString(), durationSeconds: DURATION, repetitions: REPS, rows: ROWS, peakRssBytes: rss, scenarios: summary }, null, 2)}\n`,
  );
  writeFileSync(join(here, 'results/pglite.md'), markdown);
  console.log(`\n${markdown}`);
} finally {
  openparse?.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  rmSync(cwd, { recursive: true, force: true });
}
