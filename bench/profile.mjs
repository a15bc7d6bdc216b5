// `npm run bench:profile -- <scenario>` (in bench/): a CPU profile of OpenParse serving one
// scenario for `--duration` seconds (default 10), written to results/profiles/, with the
// functions that took the most time printed.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  admin,
  analyze,
  measure,
  openparseEnv,
  scenarios,
  scratch,
  seed,
  seedPlayers,
  seedUsers,
  start,
} from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const scenario = args.find((arg) => !arg.startsWith('--')) ?? 'get';
const durationIndex = args.indexOf('--duration');
const DURATION = durationIndex === -1 ? 10 : Number(args[durationIndex + 1]);
const out = join(here, 'results/profiles');
mkdirSync(out, { recursive: true });

/** Self time by function, from a .cpuprofile. */
function top(file, count) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, at) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|packages|apps)\//, '$1/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[at] ?? 0));
  });
  const total = [...self.values()].reduce((sum, value) => sum + value, 0);
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, value]) => `${((100 * value) / total).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n');
}

const database = `openparse_bench_profile_${process.pid}`;
let openparse;
const files = scratch();
try {
  await admin(`CREATE DATABASE "${database}"`);
  const before = new Set(readdirSync(out));
  openparse = await start(
    'OpenParse',
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${out}`, join(root, 'apps/server/dist/cli.js')],
    openparseEnv(28031, { database, files: join(files.path, 'openparse') }),
  );
  openparse.url = 'http://127.0.0.1:28031/parse';
  openparse.ids = await seed(openparse.url, 10000);
  await seedPlayers(openparse.url);
  const users = { OpenParse: await seedUsers(openparse.url) };
  await analyze(database);
  const all = scenarios(openparse.ids, users);
  if (!all[scenario]) throw new Error(`no scenario ${scenario}; one of ${Object.keys(all).join(', ')}`);
  const result = await measure(openparse, all[scenario](openparse), DURATION);
  console.log(
    `profile: ${scenario}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, errors ${result.errors + result.non2xx}`,
  );
  const exited = new Promise((resolve) => openparse.child.once('exit', resolve));
  openparse.child.kill('SIGTERM');
  await exited;
  openparse = undefined;
  const written = readdirSync(out).filter((name) => !before.has(name) && name.endsWith('.cpuprofile'));
  for (const name of written) console.log(`\nprofile: ${join(out, name)}\n${top(join(out, name), 25)}`);
} finally {
  openparse?.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
  files.remove();
}
