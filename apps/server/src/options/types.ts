/**
 * The value each option type holds once read. Text (environment variables, flags) is converted
 * to it; JSON from a config file must already have it (a list may also be a comma-separated string).
 */
export interface OptionValueTypes {
  string: string;
  url: string;
  boolean: boolean;
  integer: number;
  /** A comma-separated string or an array of strings. */
  list: readonly string[];
  /** Bytes, or a size string such as `'20mb'`. */
  size: string | number;
  /** A JSON object. */
  object: Readonly<Record<string, unknown>>;
  /** A JSON array of objects (a single object counts as a list of one). */
  objects: readonly Readonly<Record<string, unknown>>[];
  /** parse-server's `cluster`: `true` for one worker per CPU, or a worker count. */
  'integer-or-boolean': number | boolean;
  /** An adapter: a module path, or its options as a JSON object. */
  module: string | Readonly<Record<string, unknown>>;
}

/** How an option's value is read and checked. */
export type OptionType = keyof OptionValueTypes;

/**
 * Whether OpenParse honours an option. A `'not-yet'` option is one of parse-server's that
 * OpenParse recognises: giving it fails at start with a message naming it.
 */
export type OptionStatus = 'supported' | 'not-yet';

/**
 * One server option, declared once. Validation, the environment-variable and flag mapping,
 * `--help` and the README tables are all derived from these declarations.
 */
export interface OptionDefinition {
  /** parse-server's option name: the config-file key, and the CLI flag as `--<name>`. */
  readonly name: string;
  readonly type: OptionType;
  /** The environment variable parse-server reads it from. */
  readonly env: string;
  /** One line for `--help` and the README. */
  readonly help: string;
  readonly status: OptionStatus;
  /** The value when the option is not given (parse-server 9's default). */
  readonly default?: OptionValueTypes[OptionType];
  /** `string` options: only these values. */
  readonly choices?: readonly string[];
  /** `integer` options: the smallest and largest accepted values. */
  readonly min?: number;
  readonly max?: number;
  /** `url` options: the accepted schemes, with their colon (`'https:'`). */
  readonly protocols?: readonly string[];
  /** `string` options: a required prefix (`'/'` for paths). */
  readonly prefix?: string;
  /** `object` options: the keys it may hold. */
  readonly keys?: readonly string[];
}

type ValueOf<D extends OptionDefinition> = D extends { readonly choices: readonly (infer C)[] }
  ? C
  : OptionValueTypes[D['type']];

/**
 * The validated settings a list of declarations produces: one property per option, typed by
 * its declaration, `undefined` only where the option has no default.
 */
export type ConfigOf<Definitions extends readonly OptionDefinition[]> = {
  readonly [D in Definitions[number] as D['name']]: D extends { readonly default: unknown }
    ? ValueOf<D>
    : ValueOf<D> | undefined;
};

/** The CLI flag of an option: parse-server's CLI uses the option name. */
export function flagOf(definition: Pick<OptionDefinition, 'name'>): string {
  return `--${definition.name}`;
}
