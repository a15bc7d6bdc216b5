import type { OptionDefinition } from './types.js';

/** Command-line arguments split into `--name value` flags and positional arguments. */
export interface ParsedArgv {
  /** Flag name (without `--`) → its text, in the order given; a bare boolean flag is `'true'`. */
  readonly flags: ReadonlyMap<string, string>;
  readonly positional: readonly string[];
}

const BOOLEAN_TEXT = /^(true|false|0|1)$/;
const FLAG_VALUE_OPTIONAL: ReadonlySet<OptionDefinition['type']> = new Set(['boolean', 'integer-or-boolean']);

/**
 * Splits argv the way parse-server's CLI reads it: `--name value`, `--name=value`, and a bare
 * `--name` for boolean options (and `--cluster`). `-h` is `--help`.
 */
export function parseArgv(
  argv: readonly string[],
  definitions: ReadonlyMap<string, OptionDefinition>,
): ParsedArgv {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') {
      flags.set('help', 'true');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq !== -1) {
      flags.set(body.slice(0, eq), body.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    const type = definitions.get(body)?.type;
    const optional = type !== undefined && FLAG_VALUE_OPTIONAL.has(type);
    const takesNext =
      next !== undefined &&
      !next.startsWith('--') &&
      (!optional || BOOLEAN_TEXT.test(next) || (type === 'integer-or-boolean' && /^\d+$/.test(next)));
    if (takesNext) {
      flags.set(body, next);
      i++;
    } else {
      flags.set(body, optional || type === undefined ? 'true' : '');
    }
  }
  return { flags, positional };
}
