import { ConfigError } from './config-error.js';
import type { OptionDefinition, OptionValueTypes } from './types.js';

type Value = OptionValueTypes[keyof OptionValueTypes];

const SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(definition: OptionDefinition, text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`option '${definition.name}' (${source}) is not valid JSON.`, { cause });
  }
}

function integer(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) return Number(raw);
  return Number.NaN;
}

function boolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

/**
 * Converts a value given as text (environment variable, flag) or as JSON (config file) to the
 * option's type and checks its constraints.
 * @throws {ConfigError} naming the option and `source` when the value does not fit.
 */
export function coerce(definition: OptionDefinition, raw: unknown, source: string): Value {
  const fail = (expected: string) =>
    new ConfigError(
      `option '${definition.name}' (${source}) must be ${expected}, got ${JSON.stringify(raw)}.`,
    );
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  const inRange = (number: number) => {
    const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = definition;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      const low = Number.isFinite(min) ? ` >= ${min}` : '';
      const high = Number.isFinite(max) ? ` <= ${max}` : '';
      throw fail(`an integer${low}${low && high ? ' and' : ''}${high}`);
    }
    return number;
  };
  switch (definition.type) {
    case 'string': {
      if (typeof raw !== 'string' || raw.length === 0) throw fail('a non-empty string');
      if (definition.choices && !definition.choices.includes(raw)) {
        throw fail(`one of ${definition.choices.join(', ')}`);
      }
      if (definition.prefix && !raw.startsWith(definition.prefix)) {
        throw fail(`a string starting with '${definition.prefix}'`);
      }
      return raw;
    }
    case 'url': {
      const protocols = definition.protocols ?? [];
      const expected = protocols.length ? `a ${protocols.map((p) => `${p}//`).join(' or ')} URL` : 'a URL';
      if (text === undefined || !URL.canParse(text)) throw fail(expected);
      if (protocols.length && !protocols.includes(new URL(text).protocol)) throw fail(expected);
      return text;
    }
    case 'boolean': {
      const value = boolean(raw);
      if (value === undefined) throw fail('true or false');
      return value;
    }
    case 'integer':
      return inRange(integer(raw));
    case 'integer-or-boolean': {
      const value = boolean(raw === '1' || raw === '0' ? undefined : raw);
      return value ?? inRange(integer(raw));
    }
    case 'size':
      if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return raw;
      if (text !== undefined && SIZE.test(text)) return text;
      throw fail("a size such as '20mb'");
    case 'list': {
      if (Array.isArray(raw) && raw.every((item) => typeof item === 'string' && item.length > 0)) {
        return raw as readonly string[];
      }
      if (text === undefined) throw fail('a list of strings');
      if (text.startsWith('[')) return coerce(definition, parseJson(definition, text, source), source);
      const items = text.split(',').map((item) => item.trim());
      if (items.some((item) => item.length === 0)) throw fail('a comma-separated list without empty items');
      return items;
    }
    case 'object': {
      const value = text !== undefined ? parseJson(definition, text, source) : raw;
      if (!isObject(value)) throw fail('a JSON object');
      const unknown = definition.keys && Object.keys(value).find((key) => !definition.keys?.includes(key));
      if (unknown) {
        throw new ConfigError(
          `unknown option '${definition.name}.${unknown}' (${source}); known: ${definition.keys?.join(', ')}.`,
        );
      }
      return value;
    }
    case 'objects': {
      const value = text !== undefined ? parseJson(definition, text, source) : raw;
      const list = isObject(value) ? [value] : value;
      if (!Array.isArray(list) || !list.every(isObject)) throw fail('a JSON array of objects');
      for (const item of list) {
        const unknown = definition.keys && Object.keys(item).find((key) => !definition.keys?.includes(key));
        if (unknown) {
          throw new ConfigError(
            `unknown option '${definition.name}.${unknown}' (${source}); known: ${definition.keys?.join(', ')}.`,
          );
        }
      }
      return list;
    }
    case 'module': {
      if (isObject(raw)) return raw;
      if (text === undefined || text.length === 0) throw fail('a module path or a JSON object');
      return text.startsWith('{') ? coerce(definition, parseJson(definition, text, source), source) : text;
    }
  }
}
