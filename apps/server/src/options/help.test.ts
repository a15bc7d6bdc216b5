import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTION_DEFINITIONS } from './definitions.js';
import { helpText, notYetTable, optionsTable } from './help.js';

/** A markdown table's rows, cells trimmed (the formatter pads columns). */
function rows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-\s|:]+\|$/.test(line))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
        .join('|'),
    );
}

function readmeSection(marker: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`<!-- ${marker}:start -->`);
  const end = readme.indexOf(`<!-- ${marker}:end -->`);
  expect(start, `README has <!-- ${marker}:start -->`).toBeGreaterThan(-1);
  return readme.slice(start, end);
}

describe('option declarations', () => {
  it('declare each name and each variable once', () => {
    const names = OPTION_DEFINITIONS.map((option) => option.name);
    const variables = OPTION_DEFINITIONS.map((option) => option.env);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(variables).size).toBe(variables.length);
  });

  it("use parse-server's variable names", () => {
    const unprefixed = ['PORT', 'VERBOSE', 'SILENT', 'JSON_LOGS', 'PARSE_PUBLIC_SERVER_URL'];
    for (const option of OPTION_DEFINITIONS) {
      if (!unprefixed.includes(option.env)) expect(option.env).toMatch(/^PARSE_SERVER_[A-Z_]+$/);
    }
  });

  it('give a default only of the declared type', () => {
    for (const option of OPTION_DEFINITIONS) {
      if (option.default === undefined) continue;
      const expected: Record<string, string> = { integer: 'number', boolean: 'boolean', object: 'object' };
      if (option.type in expected) expect(typeof option.default).toBe(expected[option.type]);
      if (option.type === 'list') expect(Array.isArray(option.default)).toBe(true);
    }
  });
});

describe('option documentation', () => {
  it('the README options table is the one generated from the declarations', () => {
    expect(rows(readmeSection('options'))).toEqual(rows(optionsTable()));
  });

  it('the README table of options not supported yet is the generated one', () => {
    expect(rows(readmeSection('not-yet'))).toEqual(rows(notYetTable()));
  });

  it('--help lists every supported option with its flag and variable, and names the others', () => {
    const help = helpText('0.0.0');
    for (const option of OPTION_DEFINITIONS) {
      if (option.status === 'supported') {
        expect(help).toContain(`--${option.name} <${option.type}>  ${option.env}`);
      } else {
        expect(help).toMatch(new RegExp(`\\b${option.name}\\b`));
      }
    }
  });
});
