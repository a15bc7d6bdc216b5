import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OPTION_DEFINITIONS, type OptionDefinition } from './definitions.js';
import { NOT_YET_SUPPORTED } from './not-yet-supported.js';

/** A problem with the configuration, naming the option. The CLI prints it and exits 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The validated settings, keyed by option name. */
export type ServerConfig = Record<string, unknown>;

const BY_NAME = new Map(OPTION_DEFINITIONS.map((definition) => [definition.name, definition]));

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length] as number;
}

function unknownOption(name: string, source: string): ConfigError {
  const candidates = [...BY_NAME.keys(), ...Object.keys(NOT_YET_SUPPORTED)];
  const best = candidates.reduce((a, b) => (distance(name, a) <= distance(name, b) ? a : b));
  const hint =
    distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? ` Did you mean '${best}'?` : '';
  return new ConfigError(`unknown option '${name}' (${source}).${hint}`);
}

function notYet(name: string, source: string): ConfigError {
  return new ConfigError(`option '${name}' (${source}) is not supported yet by OpenParse.`);
}

/** Converts a value given as text (env or flag) or as JSON (config file) to the option's type. */
export function coerce(definition: OptionDefinition, raw: unknown, source: string): unknown {
  const fail = (expected: string) =>
    new ConfigError(
      `option '${definition.name}' (${source}) must be ${expected}, got ${JSON.stringify(raw)}.`,
    );
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (definition.type) {
    case 'string': {
      if (typeof raw !== 'string' || raw.length === 0) throw fail('a non-empty string');
      if (definition.choices && !definition.choices.includes(raw))
        throw fail(`one of ${definition.choices.join(', ')}`);
      return raw;
    }
    case 'url': {
      if (typeof raw !== 'string') throw fail('a URL');
      try {
        new URL(raw);
      } catch {
        throw fail('a URL');
      }
      return raw;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw fail('true or false');
    case 'integer': {
      const number =
        typeof raw === 'number'
          ? raw
          : text !== undefined && /^-?\d+$/.test(text)
            ? Number(text)
            : Number.NaN;
      if (!Number.isInteger(number) || number < 0) throw fail('a non-negative integer');
      return number;
    }
    case 'size':
      if (typeof raw === 'number' && raw > 0) return raw;
      if (text !== undefined && /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(text)) return text;
      throw fail("a size such as '20mb'");
    case 'list': {
      if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw;
      if (text !== undefined) {
        if (text.startsWith('[')) return coerce(definition, parseJson(definition, text, source), source);
        return text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0);
      }
      throw fail('a list of strings');
    }
    case 'object': {
      const value = text !== undefined ? parseJson(definition, text, source) : raw;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('a JSON object');
      return value;
    }
  }
}

function parseJson(definition: OptionDefinition, text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`option '${definition.name}' (${source}) is not valid JSON.`);
  }
}

/** What `loadConfig` reads. */
export interface ConfigSources {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Splits argv into `--name value` flags and positional arguments. */
export function parseArgv(argv: readonly string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq !== -1) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else {
      const next = argv[i + 1];
      const definition = BY_NAME.get(arg.slice(2));
      if (
        definition?.type === 'boolean' &&
        (next === undefined || next.startsWith('--') || !/^(true|false|0|1)$/.test(next))
      ) {
        flags.set(arg.slice(2), 'true');
      } else {
        flags.set(arg.slice(2), next ?? '');
        i++;
      }
    }
  }
  return { flags, positional };
}

/**
 * Builds the configuration from a parse-server JSON config file (first positional argument),
 * `PARSE_SERVER_*` environment variables and `--flags`; later sources win. Unknown, unsupported
 * and invalid options throw a {@link ConfigError} naming the option.
 */
export function loadConfig(sources: ConfigSources): ServerConfig {
  const { flags, positional } = parseArgv(sources.argv);
  const config: ServerConfig = {};
  for (const definition of OPTION_DEFINITIONS) {
    if (definition.default !== undefined) config[definition.name] = definition.default;
  }
  if (positional.length > 1)
    throw new ConfigError(`expected at most one config file, got ${positional.join(' ')}`);
  const file = positional[0];
  if (file) {
    const path = resolve(sources.cwd, file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new ConfigError(`cannot read config file ${path}: ${(cause as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`config file ${path} must hold a JSON object`);
    }
    if ('apps' in parsed)
      throw new ConfigError(
        `config file ${path}: the 'apps' array form is not supported; give one app's options`,
      );
    for (const [name, value] of Object.entries(parsed)) {
      const definition = BY_NAME.get(name);
      if (!definition)
        throw name in NOT_YET_SUPPORTED ? notYet(name, 'config file') : unknownOption(name, 'config file');
      config[name] = coerce(definition, value, 'config file');
    }
  }
  for (const definition of OPTION_DEFINITIONS) {
    const value = sources.env[definition.env];
    if (value !== undefined && value !== '')
      config[definition.name] = coerce(definition, value, definition.env);
  }
  for (const [name, variable] of Object.entries(NOT_YET_SUPPORTED)) {
    if (sources.env[variable] !== undefined && sources.env[variable] !== '') throw notYet(name, variable);
  }
  for (const [name, value] of flags) {
    if (name === 'help' || name === 'version') continue;
    const definition = BY_NAME.get(name);
    if (!definition)
      throw name in NOT_YET_SUPPORTED ? notYet(name, `--${name}`) : unknownOption(name, `--${name}`);
    config[name] = coerce(definition, value, `--${name}`);
  }
  return config;
}
