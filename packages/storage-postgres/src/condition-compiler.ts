import type { Condition, FieldRef, ParseQuery, StorageValue } from '@openparse/core';
import { ParseError, ParseErrorCode } from '@openparse/core';
import { type Params, ident, literal } from './sql.js';
import { joinTableName } from './type-mapping.js';

const COMPARE_SQL = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function notYet(what: string): ParseError {
  return new ParseError(ParseErrorCode.INVALID_QUERY, `${what} is not supported yet by storage-postgres`);
}

/** A JSON path literal such as `'{a,b}'`. */
function pathLiteral(path: readonly string[]): string {
  return literal(`{${path.map((segment) => `"${segment.replaceAll('"', '\\"')}"`).join(',')}}`);
}

/** The column expression of a field reference (jsonb for dot paths). */
export function columnOf(field: FieldRef): string {
  const column = ident(field.name);
  return field.path.length === 0 ? column : `${column}#>${pathLiteral(field.path)}`;
}

/** Parse JSON form of a value inside a jsonb document (dates as `{__type: 'Date'}`). */
function jsonOf(value: StorageValue): unknown {
  return value instanceof Date ? { __type: 'Date', iso: value.toISOString() } : value;
}

/** The SQL type a scalar compares as: by its own kind first, then by the field's type. */
function scalarCast(field: FieldRef, value: StorageValue): string {
  if (value instanceof Date) return 'timestamptz';
  if (typeof value === 'object' && value !== null && (value as { __type?: string }).__type === 'Date')
    return 'timestamptz';
  if (field.type === 'Number') return 'float8';
  if (field.type === 'Boolean') return 'boolean';
  if (field.type === 'Date') return 'timestamptz';
  return 'text';
}

/** The raw parameter for a scalar: pointers by objectId, files by name, dates as ISO text. */
function rawScalar(value: StorageValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && '__type' in value) {
    const typed = value as { __type: string; objectId?: string; name?: string; iso?: string };
    if (typed.__type === 'Pointer') return typed.objectId;
    if (typed.__type === 'File') return typed.name;
    if (typed.__type === 'Date') return typed.iso;
  }
  return value;
}

/** Compiles typed conditions into SQL for one class. */
export class ConditionCompiler {
  constructor(private readonly params: Params) {}

  compile(condition: Condition): string {
    switch (condition.kind) {
      case 'and':
        return condition.conditions.length === 0
          ? 'TRUE'
          : `(${condition.conditions.map((c) => this.compile(c)).join(' AND ')})`;
      case 'or':
        return condition.conditions.length === 0
          ? 'FALSE'
          : `(${condition.conditions.map((c) => this.compile(c)).join(' OR ')})`;
      case 'nor':
        return condition.conditions.length === 0
          ? 'TRUE'
          : `NOT COALESCE(${this.compile({ kind: 'or', conditions: condition.conditions })}, FALSE)`;
      case 'constant':
        return condition.value ? 'TRUE' : 'FALSE';
      case 'compare':
        return this.#compare(condition.field, condition.op, condition.value);
      case 'in':
        return this.#in(condition.field, condition.values, condition.negated);
      case 'exists':
        return `${columnOf(condition.field)} IS ${condition.exists ? 'NOT NULL' : 'NULL'}`;
      case 'all':
        return `${columnOf(condition.field)} @> ${this.params.add(JSON.stringify(condition.values.map(jsonOf)), 'jsonb')}`;
      case 'containedBy':
        return `${columnOf(condition.field)} <@ ${this.params.add(JSON.stringify(condition.values.map(jsonOf)), 'jsonb')}`;
      case 'regex':
        return this.#regex(condition.field, condition.pattern, condition.flags);
      case 'acl': {
        const column = ident(condition.access === 'read' ? '_rperm' : '_wperm');
        return `(${column} IS NULL OR ${column} && ${this.params.add([...condition.principals], 'text[]')})`;
      }
      case 'pointerPermission': {
        const column = columnOf(condition.field);
        if (condition.field.type === 'Array') {
          return `${column} @> ${this.params.add(JSON.stringify([{ __type: 'Pointer', className: '_User', objectId: condition.userId }]), 'jsonb')}`;
        }
        return `${column} = ${this.params.add(condition.userId)}`;
      }
      case 'inQuery':
        return this.#membership(
          condition.field,
          this.subquery(condition.query, ident('objectId')),
          condition.negated,
        );
      case 'select':
        return this.#membership(
          condition.field,
          this.subquery(condition.query, columnOf(condition.key)),
          condition.negated,
        );
      case 'relatedTo': {
        const table = ident(joinTableName(condition.owner.className, condition.key));
        return `${ident('objectId')} IN (SELECT ${ident('relatedId')} FROM ${table} WHERE ${ident('owningId')} = ${this.params.add(condition.owner.objectId)})`;
      }
      case 'text':
        throw notYet('$text');
      case 'nearSphere':
        throw notYet('$nearSphere');
      case 'withinBox':
        throw notYet('$within');
      case 'withinPolygon':
      case 'withinCenterSphere':
        throw notYet('$geoWithin');
      case 'intersectsPoint':
        throw notYet('$geoIntersects');
    }
  }

  /** `SELECT <column> FROM <class> WHERE …` for a nested query. */
  subquery(query: ParseQuery, column: string): string {
    const where = this.compile(query.where);
    const limit = query.limit === undefined ? '' : ` LIMIT ${this.params.add(query.limit, 'int')}`;
    return `SELECT ${column} FROM ${ident(query.className)} WHERE ${where}${limit}`;
  }

  #membership(field: FieldRef, subquery: string, negated: boolean): string {
    const column = columnOf(field);
    return negated ? `(${column} IS NULL OR ${column} NOT IN (${subquery}))` : `${column} IN (${subquery})`;
  }

  #compare(field: FieldRef, op: keyof typeof COMPARE_SQL, value: StorageValue): string {
    const column = columnOf(field);
    if (value === null) {
      if (op === 'eq') return `${column} IS NULL`;
      if (op === 'ne') return `${column} IS NOT NULL`;
      return 'FALSE';
    }
    if (field.path.length > 0 || field.type === 'Object' || field.type === 'Bytes') {
      return this.#compareJson(column, op, value);
    }
    if (field.type === 'Array') return this.#compareArray(column, op, value);
    if (field.type === 'GeoPoint' || field.type === 'Polygon') {
      if (op !== 'eq' && op !== 'ne') throw notYet(`$${op} on a ${field.type}`);
      throw notYet(`equality on a ${field.type}`);
    }
    const param = this.params.add(rawScalar(value), scalarCast(field, value));
    if (op === 'ne') return `(${column} IS NULL OR ${column} <> ${param})`;
    return `${column} ${COMPARE_SQL[op]} ${param}`;
  }

  #compareJson(column: string, op: keyof typeof COMPARE_SQL, value: StorageValue): string {
    const param = this.params.add(JSON.stringify(jsonOf(value)), 'jsonb');
    if (op === 'eq') return `${column} = ${param}`;
    if (op === 'ne') return `(${column} IS NULL OR ${column} <> ${param})`;
    // jsonb orders values of different types by type: compare only like with like.
    return `(jsonb_typeof(${column}) = jsonb_typeof(${param}) AND ${column} ${COMPARE_SQL[op]} ${param})`;
  }

  #compareArray(column: string, op: keyof typeof COMPARE_SQL, value: StorageValue): string {
    if (op !== 'eq' && op !== 'ne') throw notYet(`$${op} on an Array field`);
    const matchExpr = Array.isArray(value)
      ? `${column} = ${this.params.add(JSON.stringify(value.map(jsonOf)), 'jsonb')}`
      : `${column} @> ${this.params.add(JSON.stringify([jsonOf(value)]), 'jsonb')}`;
    return op === 'eq' ? matchExpr : `(${column} IS NULL OR NOT ${matchExpr})`;
  }

  #in(field: FieldRef, values: readonly StorageValue[], negated: boolean): string {
    const column = columnOf(field);
    const hasNull = values.includes(null);
    const present = values.filter((value) => value !== null);
    let match: string;
    if (present.length === 0) match = 'FALSE';
    else if (field.path.length > 0 || field.type === 'Object' || field.type === 'Bytes') {
      match = `${column} = ANY(${this.params.add(
        present.map((v) => JSON.stringify(jsonOf(v))),
        'jsonb[]',
      )})`;
    } else if (field.type === 'Array') {
      const options = present.map(
        (v) => `${column} @> ${this.params.add(JSON.stringify([jsonOf(v)]), 'jsonb')}`,
      );
      match = `(${options.join(' OR ')})`;
    } else {
      const cast = scalarCast(field, present[0] as StorageValue);
      match = `${column} = ANY(${this.params.add(present.map(rawScalar), `${cast}[]`)})`;
    }
    if (negated) {
      return hasNull ? `(${column} IS NOT NULL AND NOT ${match})` : `(${column} IS NULL OR NOT ${match})`;
    }
    return hasNull ? `(${column} IS NULL OR ${match})` : match;
  }

  #regex(field: FieldRef, pattern: string, flags: string): string {
    const column =
      field.path.length > 0 ? `${ident(field.name)}#>>${pathLiteral(field.path)}` : columnOf(field);
    // Mongo semantics: '.' stops at newlines unless 's'; '^'/'$' match at lines with 'm'.
    const multiline = flags.includes('m');
    const dotAll = flags.includes('s');
    let options = dotAll ? (multiline ? 'w' : 's') : multiline ? 'n' : 'p';
    if (flags.includes('x')) options += 'x';
    const operator = flags.includes('i') ? '~*' : '~';
    return `${column} ${operator} ${this.params.add(`(?${options})${pattern}`)}`;
  }
}
