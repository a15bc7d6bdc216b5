import type {
  AggregateExpression,
  Condition,
  DatePart,
  DocumentPath,
  FieldRef,
  StorageValue,
} from '@openparse/core';
import { toPostgresRegex } from './regex.js';
import type { Params } from './sql.js';
import { jsonOf } from './values.js';

/** Each date part on a `timestamp` (already at UTC), with MongoDB's numbering. */
const DATE_PARTS: Readonly<Record<DatePart, (ts: string) => string>> = {
  year: (ts) => `extract(year FROM ${ts})`,
  month: (ts) => `extract(month FROM ${ts})`,
  dayOfMonth: (ts) => `extract(day FROM ${ts})`,
  hour: (ts) => `extract(hour FROM ${ts})`,
  minute: (ts) => `extract(minute FROM ${ts})`,
  second: (ts) => `floor(extract(second FROM ${ts}))`,
  millisecond: (ts) => `mod(floor(extract(milliseconds FROM ${ts})), 1000)`,
  dayOfWeek: (ts) => `(extract(dow FROM ${ts}) + 1)`,
  dayOfYear: (ts) => `extract(doy FROM ${ts})`,
  // strftime's %U: weeks start on Sunday; the days before the first Sunday are week 0.
  week: (ts) => `floor((extract(doy FROM ${ts}) + 6 - extract(dow FROM ${ts})) / 7)`,
  isoWeek: (ts) => `extract(week FROM ${ts})`,
  isoDayOfWeek: (ts) => `extract(isodow FROM ${ts})`,
  isoWeekYear: (ts) => `extract(isoyear FROM ${ts})`,
};

/** A pointer stands for its objectId where values are matched (group keys, lookups). */
export function pointerId(sql: string): string {
  return `CASE WHEN ${sql} ->> '__type' = 'Pointer' THEN ${sql} -> 'objectId' ELSE ${sql} END`;
}

/**
 * Compiles expressions and conditions on pipeline documents (a `jsonb` expression such as
 * `p.doc`). Every value and path travels as a parameter.
 */
export class DocumentCompiler {
  constructor(private readonly params: Params) {}

  /** The value at `path` of `doc`, or NULL when it is missing. */
  path(doc: string, path: DocumentPath): string {
    return path.length === 1
      ? `(${doc} -> ${this.params.add(path[0], 'text')})`
      : `(${doc} #> ${this.params.add([...path], 'text[]')})`;
  }

  /** A constant as a jsonb parameter. */
  json(value: StorageValue): string {
    return this.params.add(JSON.stringify(jsonOf(value)), 'jsonb');
  }

  /** A jsonb expression; NULL stands for "no value". `groupKey` matches pointers by objectId. */
  expression(expression: AggregateExpression, doc: string, groupKey = false): string {
    switch (expression.kind) {
      case 'field': {
        const value = this.path(doc, expression.path);
        return groupKey ? pointerId(value) : value;
      }
      case 'literal':
        return this.json(expression.value);
      case 'datePart': {
        const value = this.expression(expression.of, doc);
        const ts = `((${value} ->> 'iso')::timestamptz AT TIME ZONE 'UTC')`;
        // Only well-formed ISO dates are cast: a malformed one inside an Object field gives null, not an error.
        return `CASE WHEN ${value} ->> '__type' = 'Date' AND ${value} ->> 'iso' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$' THEN to_jsonb((${DATE_PARTS[expression.part](ts)})::int) ELSE 'null'::jsonb END`;
      }
      case 'object': {
        if (expression.fields.length === 0) return `'{}'::jsonb`;
        const rows = expression.fields.map(
          ({ name, value }) => `(${this.params.add(name, 'text')}, ${this.expression(value, doc, groupKey)})`,
        );
        return `(SELECT coalesce(jsonb_object_agg(e.k, e.v), '{}'::jsonb) FROM (VALUES ${rows.join(', ')}) AS e(k, v) WHERE e.v IS NOT NULL)`;
      }
    }
  }

  /** A SQL boolean: `condition` on `doc`. Core sends only the kinds handled here after a reshaping stage. */
  condition(condition: Condition, doc: string): string {
    switch (condition.kind) {
      case 'and':
      case 'or': {
        if (condition.conditions.length === 0) return condition.kind === 'and' ? 'TRUE' : 'FALSE';
        const joined = condition.conditions.map((inner) => this.condition(inner, doc));
        return `(${joined.join(condition.kind === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'nor':
        return condition.conditions.length === 0
          ? 'TRUE'
          : `NOT coalesce(${this.condition({ kind: 'or', conditions: condition.conditions }, doc)}, FALSE)`;
      case 'constant':
        return condition.value ? 'TRUE' : 'FALSE';
      case 'compare':
        return this.#compare(this.#field(condition.field, doc), condition.op, condition.value);
      case 'in': {
        const any =
          condition.values.length === 0
            ? 'FALSE'
            : `(${condition.values.map((value) => this.#equals(this.#field(condition.field, doc), value)).join(' OR ')})`;
        return condition.negated ? `NOT coalesce(${any}, FALSE)` : any;
      }
      case 'exists':
        return `${this.#field(condition.field, doc)} IS ${condition.exists ? 'NOT ' : ''}NULL`;
      case 'all':
      case 'containedBy': {
        const field = this.#field(condition.field, doc);
        const operator = condition.kind === 'all' ? '@>' : '<@';
        return `coalesce(jsonb_typeof(${field}) = 'array' AND ${field} ${operator} ${this.json([...condition.values] as StorageValue)}, FALSE)`;
      }
      case 'regex': {
        const field = this.#field(condition.field, doc);
        const regex = toPostgresRegex(condition.pattern, condition.flags);
        const pattern = this.params.add(regex.pattern, 'text');
        return `CASE jsonb_typeof(${field}) WHEN 'string' THEN (${field} #>> '{}') ${regex.operator} ${pattern} WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements_text(${field}) AS element WHERE element ${regex.operator} ${pattern}) ELSE FALSE END`;
      }
      default:
        throw new TypeError(
          `[storage-postgres] ${condition.kind} conditions cannot run on pipeline documents`,
        );
    }
  }

  #field(field: FieldRef, doc: string): string {
    return this.path(doc, [field.name, ...field.path]);
  }

  /** MongoDB's equality: an array field matches when it holds the value. */
  #equals(field: string, value: StorageValue): string {
    if (value === null) return `(${field} IS NULL OR ${field} = 'null'::jsonb)`;
    const json = this.json(value);
    if (Array.isArray(value)) return `coalesce(${field} = ${json}, FALSE)`;
    return `CASE WHEN jsonb_typeof(${field}) = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(${field}) AS element WHERE element = ${json}) ELSE coalesce(${field} = ${json}, FALSE) END`;
  }

  #compare(field: string, op: string, value: StorageValue): string {
    switch (op) {
      case 'eq':
        return this.#equals(field, value);
      case 'ne':
        return `NOT ${this.#equals(field, value)}`;
      default: {
        if (value === null) return 'FALSE';
        const json = this.json(value);
        const operator = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[op] ?? '=';
        // Only values of the same JSON type compare (dates are objects whose `iso` orders them).
        return `coalesce(jsonb_typeof(${field}) = jsonb_typeof(${json}) AND ${field} ${operator} ${json}, FALSE)`;
      }
    }
  }
}
