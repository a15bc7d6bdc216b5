// Regenerates the README's option tables from the declarations (run after `npm run build`):
// `npm run docs:options -w @openparse/server`. help.test.ts fails until they match.
import { readFileSync, writeFileSync } from 'node:fs';
import { notYetTable, optionsTable } from '../dist/options/help.js';

const file = new URL('../README.md', import.meta.url);
let readme = readFileSync(file, 'utf8');
for (const [marker, table] of [
  ['options', optionsTable()],
  ['not-yet', notYetTable()],
]) {
  const start = readme.indexOf(`<!-- ${marker}:start -->`);
  const end = readme.indexOf(`<!-- ${marker}:end -->`);
  if (start === -1 || end === -1) throw new Error(`README.md lacks the ${marker} markers`);
  readme = `${readme.slice(0, start)}<!-- ${marker}:start -->\n${table.trim()}\n${readme.slice(end)}`;
}
writeFileSync(file, readme);
