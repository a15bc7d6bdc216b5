// `npm run bench` (in bench/): OpenParse vs parse-server 9 vs the ideal floor, on the same
// PostgreSQL, measured interleaved (A B C A B C …) and reported as medians and ratios.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chart } from './chart.mjs';
import {
  admin,
  analyze,
  CLOUD,
  databaseURI,
  ensurePostgis,
  measure,
  peakRss,
  scenarios,
  seed,
  seedPlayers,
  seedUsers,
  scratch,
  start,
  option,
  openparseEnv,
} from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DURATION = Number(option('duration', '5'));
const REPS = Number(option('reps', '3'));
const ONLY = option('only', '')?.split(',').filter(Boolean);
const ROWS = Number(option('rows', '10000'));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const stamp = `${process.pid}`;
const databases = { openparse: `openparse_bench_op_${stamp}`, parse: `openparse_bench_ps_${stamp}` };
const targets = [];
const files = scratch();
try {
  await ensurePostgis();
  for (const name of Object.values(databases)) await admin(`CREATE DATABASE "${name}"`);
  const openparse = await start(
    'OpenParse',
    process.execPath,
    [join(root, 'apps/server/dist/cli.js')],
    openparseEnv(28001, { database: databases.openparse, files: join(files.path, 'openparse') }),
  );
  openparse.url = 'http://127.0.0.1:28001/parse';
  const parseServer = await start(
    'parse-server',
    process.execPath,
    [join(here, 'targets/parse-server.mjs')],
    { PORT: '28002', DATABASE_URI: databaseURI(databases.parse), CLOUD },
    files.path,
  );
  console.log('bench: seeding', ROWS, 'rows into each server');
  openparse.ids = await seed(openparse.url, ROWS);
  parseServer.ids = await seed(parseServer.url, ROWS);
  await seedPlayers(openparse.url);
  await seedPlayers(parseServer.url);
  const users = {
    OpenParse: await seedUsers(openparse.url),
    'parse-server': await seedUsers(parseServer.url),
  };
  for (const name of Object.values(databases)) await analyze(name);
  // The floor serves OpenParse's database, so it logs in OpenParse's user.
  users.floor = users.OpenParse;
  const floor = await start('floor', process.execPath, [join(here, 'targets/floor.mjs')], {
    PORT: '28003',
    DATABASE_URI: databaseURI(databases.openparse),
    FILES: join(files.path, 'floor'),
  });
  floor.floor = true;
  floor.ids = openparse.ids;
  targets.push(openparse, parseServer, floor);
  const all = scenarios(openparse.ids, users);
  const chosen = Object.keys(all).filter((name) => !ONLY?.length || ONLY.includes(name));
  const runs = {};
  for (const scenario of chosen) {
    // A second per target first, not counted: the JIT's start is not the scenario's speed.
    for (const target of targets) await measure(target, all[scenario](target), 1);
    for (let rep = 0; rep < REPS; rep++) {
      for (const target of targets) {
        const result = await measure(target, all[scenario](target), DURATION);
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
    // Each repetition measures the targets back to back: the ratio is the median of the
    // repetitions' own ratios, so a drift in the machine's speed between them cancels out.
    for (const name of Object.keys(summary[scenario])) {
      const ratios = byTarget[name].map((r, rep) => r.rps / (byTarget.floor[rep].rps || 1));
      summary[scenario][name].ratioToFloor = Number(median(ratios).toFixed(2));
    }
    const overParse = byTarget.OpenParse.map((r, rep) => r.rps / (byTarget['parse-server'][rep].rps || 1));
    summary[scenario].OpenParse.ratioToParseServer = Number(median(overParse).toFixed(2));
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
    '| scenario | OpenParse req/s | parse-server req/s | floor req/s | OpenParse / floor | parse-server / floor | OpenParse / parse-server | OpenParse p99 ms | parse-server p99 ms | floor p99 ms | OpenParse CPU µs/req |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [scenario, s] of Object.entries(summary)) {
    lines.push(
      `| ${scenario} | ${s.OpenParse.rps} | ${s['parse-server'].rps} | ${s.floor.rps} | ${s.OpenParse.ratioToFloor} | ${s['parse-server'].ratioToFloor} | ${s.OpenParse.ratioToParseServer} | ${s.OpenParse.p99} | ${s['parse-server'].p99} | ${s.floor.p99} | ${s.OpenParse.cpuMicrosPerRequest} |`,
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
  files.remove();
}
