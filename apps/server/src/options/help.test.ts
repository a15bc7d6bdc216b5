import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTION_DEFINITIONS } from './definitions.js';
import { helpText, optionsTable } from './help.js';

/** Cells of a markdown table, whitespace-normalised (the formatter pads columns). */
function rows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-\s|]+\|$/.test(line))
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim())
        .join('|'),
    );
}

describe('option documentation', () => {
  it('the README options table is the one generated from the declarations', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('<!-- options:start -->'),
      readme.indexOf('<!-- options:end -->'),
    );
    expect(rows(section)).toEqual(rows(optionsTable()));
  });

  it('--help lists every option with its variable', () => {
    const help = helpText('0.0.0');
    for (const option of OPTION_DEFINITIONS) {
      expect(help).toContain(`--${option.name} `);
      expect(help).toContain(option.env);
    }
  });
});
