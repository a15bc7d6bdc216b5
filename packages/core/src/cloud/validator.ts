import { ParseErrorCode } from '../errors.js';
import type { Logger } from '../contracts/logger.js';
import { resolveCloudError } from './errors.js';
import type { SdkObject } from './parse-sdk.js';
import { userRolesOf } from './request.js';
import type { CloudRequest, FieldRule, Validator, ValidatorOptions } from './registry.js';

/** `String` → 'string', `Array` → 'array', as parse-server compares a rule's type. */
function typeName(type: unknown): string {
  return typeof type === 'function' ? type.name.toLowerCase() : String(type).toLowerCase();
}

async function checkOptions(rule: FieldRule, key: string, value: unknown): Promise<void> {
  const options = rule.options;
  if (typeof options === 'function') {
    let accepted: unknown;
    try {
      accepted = await options(value);
    } catch (error) {
      throw (
        rule.error ?? (error as Error)?.message ?? error ?? `Validation failed. Invalid value for ${key}.`
      );
    }
    if (!accepted && accepted !== undefined && accepted !== null) {
      throw rule.error ?? `Validation failed. Invalid value for ${key}.`;
    }
    return;
  }
  const allowed = Array.isArray(options) ? options : [options];
  if (!allowed.includes(value)) {
    throw rule.error ?? `Validation failed. Invalid option for ${key}. Expected: ${allowed.join(', ')}`;
  }
}

/**
 * The object form of a validator. Roles and user keys need users: a request without a user
 * fails `requireUser`, `requireAnyUserRoles`, `requireAllUserRoles` and `requireUserKeys`.
 */
async function checkRules(options: ValidatorOptions, request: CloudRequest): Promise<void> {
  if (request.master && !options.validateMasterKey) return;
  const object = request.object as SdkObject | undefined;
  const user =
    (request.user as SdkObject | undefined) ??
    (object?.className === '_User' && !object.existed() ? object : undefined);
  if ((options.requireUser || options.requireAnyUserRoles || options.requireAllUserRoles) && !user) {
    throw 'Validation failed. Please login to continue.';
  }
  if (options.requireMaster && !request.master) {
    throw 'Validation failed. Master key is required to complete this request.';
  }
  if (user && (options.requireAnyUserRoles || options.requireAllUserRoles)) {
    // The signed-in user's roles, inherited ones included (set by baseRequest from the session).
    const held = new Set(userRolesOf(request));
    const wanted = async (rule: unknown): Promise<string[]> => {
      const value = typeof rule === 'function' ? await (rule as () => unknown)() : rule;
      return (Array.isArray(value) ? value : []).filter((name): name is string => typeof name === 'string');
    };
    if (options.requireAnyUserRoles) {
      const any = await wanted(options.requireAnyUserRoles);
      if (!any.some((role) => held.has(role)))
        throw 'Validation failed. User does not match the required roles.';
    }
    if (options.requireAllUserRoles) {
      const all = await wanted(options.requireAllUserRoles);
      if (!all.every((role) => held.has(role))) {
        throw 'Validation failed. User does not match all the required roles.';
      }
    }
  }
  const params: Record<string, unknown> = object
    ? object.toJSON()
    : ((request.params as Record<string, unknown> | undefined) ?? {});
  const required = (key: string) => {
    if (params[key] === undefined || params[key] === null)
      throw `Validation failed. Please specify data for ${key}.`;
  };
  const fields = options.fields;
  if (Array.isArray(fields)) {
    for (const key of fields) required(key);
  } else if (fields) {
    const pending: Promise<void>[] = [];
    for (const [key, rule] of Object.entries(fields as Record<string, FieldRule | string>)) {
      if (typeof rule === 'string') {
        required(rule);
        continue;
      }
      let value = params[key];
      if (rule.default !== undefined && rule.default !== null && (value === undefined || value === null)) {
        value = rule.default;
        params[key] = value;
        object?.set(key, value);
      }
      if (rule.constant && object) {
        if (request.original) object.revert(key);
        else if (rule.default !== undefined && rule.default !== null) object.set(key, rule.default);
      }
      if (rule.required) required(key);
      if (!rule.required && value === undefined) continue;
      if (rule.type !== undefined) {
        const expected = typeName(rule.type);
        const actual = Array.isArray(value) ? 'array' : typeof value;
        if (actual !== expected) throw `Validation failed. Invalid type for ${key}. Expected: ${expected}`;
      }
      if (rule.options !== undefined) pending.push(checkOptions(rule, key, value));
    }
    await Promise.all(pending);
  }
  await checkUserKeys(options.requireUserKeys, user);
}

/**
 * `requireUserKeys`: a list of fields the user must have set, or `{ field: { options } }` whose
 * value on the user must be allowed by `options`.
 */
async function checkUserKeys(rules: unknown, user: SdkObject | undefined): Promise<void> {
  if (rules === undefined || rules === null) return;
  if (!user) throw 'Please login to make this request.';
  if (Array.isArray(rules)) {
    for (const key of rules) {
      if (user.get(String(key)) === undefined || user.get(String(key)) === null) {
        throw `Validation failed. Please set data for ${key} on your account.`;
      }
    }
    return;
  }
  if (typeof rules !== 'object') return;
  const pending: Promise<void>[] = [];
  for (const [key, rule] of Object.entries(rules as Record<string, FieldRule>)) {
    if (rule?.options !== undefined) pending.push(checkOptions(rule, key, user.get(key)));
  }
  await Promise.all(pending);
}

/**
 * Runs `validator` before a function or trigger. Sets `request.skipWithMasterKey` when the
 * validator asks master-key requests to skip the handler.
 * @throws {ParseError} VALIDATION_ERROR (142) with the validator's message, or the code of a
 * Parse.Error it threw.
 */
export async function runValidator(
  validator: Validator | undefined,
  request: CloudRequest,
  logger: Logger,
): Promise<void> {
  if (!validator) return;
  if (typeof validator === 'object' && validator.skipWithMasterKey && request.master) {
    request.skipWithMasterKey = true;
  }
  try {
    if (typeof validator === 'function') await validator(request);
    else await checkRules(validator, request);
  } catch (error) {
    throw resolveCloudError(error, ParseErrorCode.VALIDATION_ERROR, 'Validation failed.', logger);
  }
}
