// `npm run bench:scale` (in bench/): how OpenParse's latency grows with the table. `get`,
// `queryIndexed` and `count` at 10k, 100k and 1M rows (`--sizes`), beside the floor on the same
// database; parse-server is left out (seeding it with 1M rows through its REST API takes hours).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  admin,
  analyze,
  databaseURI,
  measure,
  openparseEnv,
  option,
  scenarios,
  seed,
  start,
} from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SIZES = option('sizes', '10000,100000,1000000').split(',').map(Number);
const DURATION = Number(option('duration', '5'));
const REPS = Number(option('reps', '3'));
const SCENARIOS = ['get', 'queryIndexed', 'count'];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const database = `openparse_bench_scale_${process.pid}`;
const targets = [];
try {
  await admin(`CREATE DATABASE "${database}"`);
  const openparse = await start(
    'OpenParse',
    process.execPath,
    [join(root, 'apps/server/dist/cli.js')],
    openparseEnv(28021, { database }),
  );
  openparse.url = 'http://127.0.0.1:28021/parse';
  const floor = await start('floor', process.execPath, [join(here, 'targets/floor.mjs')], {
    PORT: '28023',
    DATABASE_URI: databaseURI(database),
  });
  floor.floor = true;
  targets.push(openparse, floor);
  const ids = [];
  const report = { date: new Date().toISOString(), durationSeconds: DURATION, repetitions: REPS, sizes: {} };
  let seeded = 0;
  for (const size of SIZES) {
    console.log(`scale: seeding up to ${size} rows`);
    for (const id of await seed(openparse.url, size, seeded)) ids.push(id);
    seeded = size;
    await analyze(database);
    openparse.ids = ids;
    floor.ids = ids;
    const all = scenarios(ids, {});
    report.sizes[size] = {};
    for (const scenario of SCENARIOS) {
      const runs = { OpenParse: [], floor: [] };
      // A second of warm-up per target: the first size would otherwise carry the JIT's start.
      for (const target of targets) await measure(target, all[scenario](target), 1);
      for (let rep = 0; rep < REPS; rep++) {
        for (const target of targets)
          runs[target.name].push(await measure(target, all[scenario](target), DURATION));
      }
      report.sizes[size][scenario] = Object.fromEntries(
        Object.entries(runs).map(([name, list]) => [
          name,
          {
            rps: Math.round(median(list.map((r) => r.rps))),
            p50: median(list.map((r) => r.p50)),
            p99: median(list.map((r) => r.p99)),
            errors: list.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
          },
        ]),
      );
      const s = report.sizes[size][scenario];
      console.log(
        `scale: ${size} ${scenario}: OpenParse ${s.OpenParse.rps} req/s p50 ${s.OpenParse.p50} ms p99 ${s.OpenParse.p99} ms; floor ${s.floor.rps} req/s p50 ${s.floor.p50} ms`,
      );
    }
  }
  const lines = [
    '| rows | scenario | OpenParse req/s | OpenParse p50 ms | OpenParse p99 ms | floor req/s | floor p50 ms | errors |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [size, byScenario] of Object.entries(report.sizes)) {
    for (const [scenario, s] of Object.entries(byScenario)) {
      lines.push(
        `| ${size} | ${scenario} | ${s.OpenParse.rps} | ${s.OpenParse.p50} | ${s.OpenParse.p99} | ${s.floor.rps} | ${s.floor.p50} | ${s.OpenParse.errors + s.floor.errors} |`,
      );
    }
  }
  writeFileSync(join(here, 'results/scale.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(here, 'results/scale.md'), `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}`);
} finally {
  for (const target of targets) target.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
}
