import { describe, expect, it } from 'vitest';
import { parseArgv } from './argv.js';
import { OPTION_DEFINITIONS } from './definitions.js';

const definitions = new Map(OPTION_DEFINITIONS.map((definition) => [definition.name, definition]));
const parse = (argv: string[]) => {
  const { flags, positional } = parseArgv(argv, definitions);
  return { flags: Object.fromEntries(flags), positional };
};

describe('parseArgv', () => {
  it('reads --name value, --name=value and positional arguments', () => {
    expect(parse(['config.json', '--appId', 'a', '--port=0'])).toEqual({
      flags: { appId: 'a', port: '0' },
      positional: ['config.json'],
    });
  });

  it('lets boolean flags stand alone, but takes an explicit true/false/0/1', () => {
    expect(parse(['--verbose', 'config.json', '--silent', 'false', '--allowClientClassCreation'])).toEqual({
      flags: { verbose: 'true', silent: 'false', allowClientClassCreation: 'true' },
      positional: ['config.json'],
    });
  });

  it('takes a count after --cluster, or nothing', () => {
    expect(parse(['--cluster', '4']).flags).toEqual({ cluster: '4' });
    expect(parse(['--cluster', 'config.json'])).toEqual({
      flags: { cluster: 'true' },
      positional: ['config.json'],
    });
  });

  it('leaves a value-taking flag empty when the next argument is a flag, so validation names it', () => {
    expect(parse(['--appId', '--masterKey', 'm']).flags).toEqual({ appId: '', masterKey: 'm' });
  });

  it('reads -h as --help', () => {
    expect(parse(['-h']).flags).toEqual({ help: 'true' });
  });
});
