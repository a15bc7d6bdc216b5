import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgv } from './argv.js';
import { coerce } from './coerce.js';
import { ConfigError } from './config-error.js';
import { OPTION_DEFINITIONS, type ServerConfig } from './definitions.js';
import { closestName } from './suggest.js';
import { flagOf, type OptionDefinition } from './types.js';

const BY_NAME: ReadonlyMap<string, OptionDefinition> = new Map(
  OPTION_DEFINITIONS.map((definition) => [definition.name, definition]),
);
const BY_ENV: ReadonlyMap<string, OptionDefinition> = new Map(
  OPTION_DEFINITIONS.map((definition) => [definition.env, definition]),
);
/** Flags the CLI handles itself; loadConfig skips them. */
const CLI_FLAGS: ReadonlySet<string> = new Set(['help', 'version']);

/** What {@link loadConfig} reads: the CLI passes `process.argv.slice(2)`, `process.env` and `process.cwd()`. */
export interface ConfigSources {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves the config file path. */
  readonly cwd: string;
}

function check(name: string, value: unknown, source: string): [string, unknown] {
  const definition = BY_NAME.get(name);
  if (!definition) {
    const suggestion = closestName(name, [...BY_NAME.keys()]);
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
    throw new ConfigError(`unknown option '${name}' (${source}).${hint}`);
  }
  if (definition.status === 'not-yet') {
    throw new ConfigError(`option '${name}' (${source}) is not supported yet by OpenParse.`);
  }
  return [name, coerce(definition, value, source)];
}

function readConfigFile(cwd: string, file: string): Record<string, unknown> {
  const path = resolve(cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`cannot read config file ${path}: ${(cause as Error).message}`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object.`);
  }
  if (!('apps' in parsed)) return parsed as Record<string, unknown>;
  // parse-server's form: { "apps": [ { ...one app's options } ] }; it refuses more than one app.
  const apps = (parsed as { apps: unknown }).apps;
  if (!Array.isArray(apps) || apps.length !== 1 || typeof apps[0] !== 'object' || apps[0] === null) {
    throw new ConfigError(`config file ${path}: 'apps' must hold exactly one app's options.`);
  }
  return apps[0] as Record<string, unknown>;
}

function fromEnvironment(env: ConfigSources['env']): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const [variable, value] of Object.entries(env)) {
    // parse-server ignores empty variables.
    if (value === undefined || value === '') continue;
    const definition = BY_ENV.get(variable);
    if (definition) {
      entries.push(check(definition.name, value, variable));
      continue;
    }
    // A nested variable of an object option (PARSE_SERVER_PAGES_ENABLE_ROUTER): fail for an
    // option not supported yet; for a supported one, ask for the whole object (never ignore it).
    const parent = OPTION_DEFINITIONS.find((option) => variable.startsWith(`${option.env}_`));
    if (parent?.status === 'not-yet') check(parent.name, value, variable);
    else if (parent?.type === 'object') {
      throw new ConfigError(
        `option '${parent.name}' (${variable}): set ${parent.env} to a JSON object instead of one of its keys.`,
      );
    }
  }
  return entries;
}

function crossCheck(config: ServerConfig): void {
  if (config.readOnlyMasterKey !== undefined && config.readOnlyMasterKey === config.masterKey) {
    throw new ConfigError("option 'readOnlyMasterKey' must differ from 'masterKey'.");
  }
  if (config.cluster !== undefined && config.cluster !== false && config.databaseURI === undefined) {
    throw new ConfigError(
      "option 'cluster' needs 'databaseURI': the embedded database serves a single process.",
    );
  }
}

/**
 * Builds the validated configuration the way parse-server's CLI does: a JSON config file (the
 * first positional argument), then `PARSE_SERVER_*` variables, then `--flags`; a later source
 * wins, and parse-server 9's defaults fill the rest.
 * @throws {ConfigError} on an unknown option (suggesting the closest name), an option OpenParse
 * does not support yet, or an invalid value, naming the option and its source.
 */
export function loadConfig(sources: ConfigSources): ServerConfig {
  const { flags, positional } = parseArgv(sources.argv, BY_NAME);
  if (positional.length > 1) {
    throw new ConfigError(`expected at most one config file, got: ${positional.join(' ')}`);
  }
  const config: Record<string, unknown> = {};
  for (const definition of OPTION_DEFINITIONS) {
    if (definition.status === 'supported' && definition.default !== undefined) {
      config[definition.name] = definition.default;
    }
  }
  const file = positional[0];
  const fromFile = file ? Object.entries(readConfigFile(sources.cwd, file)) : [];
  const fromFlags = [...flags].filter(([name]) => !CLI_FLAGS.has(name));
  for (const [name, value] of [
    ...fromFile.map(([name, value]) => check(name, value, 'config file')),
    ...fromEnvironment(sources.env),
    ...fromFlags.map(([name, text]) => check(name, text, flagOf({ name }))),
  ]) {
    config[name] = value;
  }
  // Every entry went through coerce() against its own declaration, so the shape is ServerConfig.
  const result = Object.freeze(config) as ServerConfig;
  crossCheck(result);
  return result;
}
