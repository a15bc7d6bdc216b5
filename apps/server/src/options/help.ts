import { OPTION_DEFINITIONS } from './definitions.js';

/** The `--help` text, derived from the option declarations. */
export function helpText(version: string): string {
  const lines = [
    `openparse ${version}: a Parse-compatible server`,
    '',
    'Usage: openparse [config.json] [--option value ...]',
    '',
    'Options (config-file key / --flag, environment variable):',
  ];
  for (const option of OPTION_DEFINITIONS) {
    const fallback = option.default === undefined ? '' : ` (default: ${JSON.stringify(option.default)})`;
    lines.push(`  --${option.name} <${option.type}>  ${option.env}`, `      ${option.help}${fallback}`);
  }
  lines.push('', 'Later sources win: config file < environment < flags.');
  return lines.join('\n');
}

/** The README options table, derived from the option declarations. */
export function optionsTable(): string {
  const rows = OPTION_DEFINITIONS.map((option) => {
    const fallback = option.default === undefined ? '' : `\`${JSON.stringify(option.default)}\``;
    return `| \`${option.name}\` | \`${option.env}\` | ${option.type} | ${fallback} | ${option.help} |`;
  });
  return [
    '| option | environment variable | type | default | description |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
