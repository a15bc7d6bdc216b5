import type { FieldRef, JsonValue } from '../contracts/values.js';
import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from './types.js';

/**
 * The languages `$language` accepts: MongoDB's text-search languages (by name or ISO 639-1
 * code), normalised to the name. `none` turns stemming and stop words off.
 */
const LANGUAGES: Readonly<Record<string, string>> = {
  danish: 'danish',
  da: 'danish',
  dutch: 'dutch',
  nl: 'dutch',
  english: 'english',
  en: 'english',
  finnish: 'finnish',
  fi: 'finnish',
  french: 'french',
  fr: 'french',
  german: 'german',
  de: 'german',
  hungarian: 'hungarian',
  hu: 'hungarian',
  italian: 'italian',
  it: 'italian',
  norwegian: 'norwegian',
  nb: 'norwegian',
  portuguese: 'portuguese',
  pt: 'portuguese',
  romanian: 'romanian',
  ro: 'romanian',
  russian: 'russian',
  ru: 'russian',
  spanish: 'spanish',
  es: 'spanish',
  swedish: 'swedish',
  sv: 'swedish',
  turkish: 'turkish',
  tr: 'turkish',
  none: 'none',
};

const bad = (message: string) => new ParseError(ParseErrorCode.INVALID_JSON, `bad $text: ${message}`);

/**
 * `{ "$text": { "$search": { "$term", "$language", "$caseSensitive", "$diacriticSensitive" } } }`
 * as a `text` condition (parse-server's messages for malformed ones).
 * @throws {ParseError} INVALID_JSON
 */
export function parseTextSearch(field: FieldRef, operand: JsonValue): Condition {
  if (!isJsonObject(operand) || !isJsonObject(operand.$search)) throw bad('$search, should be object');
  const search = operand.$search;
  if (typeof search.$term !== 'string') throw bad('$term, should be string');
  const language = search.$language;
  if (language !== undefined && typeof language !== 'string') throw bad('$language, should be string');
  const normalized = language === undefined ? undefined : LANGUAGES[language.toLowerCase()];
  if (language !== undefined && normalized === undefined) {
    throw bad(`$language, ${language} is not supported (use ${Object.keys(LANGUAGES).join(', ')})`);
  }
  for (const flag of ['$caseSensitive', '$diacriticSensitive'] as const) {
    if (search[flag] !== undefined && typeof search[flag] !== 'boolean')
      throw bad(`${flag}, should be boolean`);
  }
  // Text search reads String fields; any other field (or a missing one) matches nothing.
  if (field.type !== 'String' || field.path.length > 0) return { kind: 'constant', value: false };
  return {
    kind: 'text',
    field,
    term: search.$term,
    ...(normalized ? { language: normalized } : {}),
    caseSensitive: search.$caseSensitive === true,
    diacriticSensitive: search.$diacriticSensitive === true,
  };
}

/** True when `condition` holds a `text` condition (which `$score` ranks by). */
export function hasTextCondition(condition: Condition): boolean {
  if (condition.kind === 'text') return true;
  if (condition.kind === 'and' || condition.kind === 'or' || condition.kind === 'nor') {
    return condition.conditions.some(hasTextCondition);
  }
  return false;
}
