import { OPTION_DEFINITIONS } from './definitions.js';
import { flagOf, type OptionDefinition } from './types.js';

const supported = () => OPTION_DEFINITIONS.filter((option) => option.status === 'supported');
const notYet = () => OPTION_DEFINITIONS.filter((option) => option.status === 'not-yet');

function typeOf(option: OptionDefinition): string {
  return option.choices ? option.choices.join(' \\| ') : option.type;
}

function wrap(words: readonly string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.length + word.length + 1 > width && line.trim()) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** The `--help` text, derived from the option declarations. */
export function helpText(version: string): string {
  const lines = [
    `openparse ${version}: a Parse-compatible server`,
    '',
    'Usage: openparse [config.json] [--option value ...]',
    '       openparse files rotate-key [--oldKey <key>] [--fileNames a,b] [options]  (openparse files --help)',
    '       openparse --help | --version',
    '',
    'With no databaseURI the server runs on an embedded PostgreSQL (PGlite) in ./.openparse/db,',
    'and generates an appId and masterKey once, kept in ./.openparse/keys.json.',
    '',
    'Options (config-file key and --flag, then the environment variable):',
  ];
  for (const option of supported()) {
    const fallback = option.default === undefined ? '' : ` (default: ${JSON.stringify(option.default)})`;
    lines.push(`  ${flagOf(option)} <${option.type}>  ${option.env}`, `      ${option.help}${fallback}`);
  }
  lines.push(
    '',
    'parse-server options recognised but not supported yet (giving one fails at start):',
    ...wrap(
      notYet().map((option) => option.name),
      100,
      '  ',
    ),
    '',
    'Later sources win: config file < environment < flags.',
  );
  return lines.join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

const code = (text: string) => `\`${text}\``;
const defaultOf = (option: OptionDefinition) =>
  option.default === undefined ? '' : code(JSON.stringify(option.default));

/** The README table of supported options, derived from the option declarations. */
export function optionsTable(): string {
  return table(
    ['option / flag', 'environment variable', 'type', 'default', 'description'],
    supported().map((option) => [
      code(option.name),
      code(option.env),
      typeOf(option),
      defaultOf(option),
      option.help,
    ]),
  );
}

/** The README table of parse-server options that fail at start as not supported yet. */
export function notYetTable(): string {
  return table(
    ['option / flag', 'environment variable', 'type', 'parse-server default', 'description'],
    notYet().map((option) => [
      code(option.name),
      code(option.env),
      option.type,
      defaultOf(option),
      option.help,
    ]),
  );
}
