import { httpRequest } from './http-request.js';
import { rateLimitOptions } from './rate-limit.js';
import type { ParseSdk } from './parse-sdk.js';
import {
  type CloudHandler,
  OBJECT_TRIGGERS,
  type ObjectTrigger,
  USER_TRIGGERS,
  type UserTrigger,
  type Validator,
} from './registry.js';
import { activeRuntime } from './runtime.js';

/**
 * `'GameScore'`, `Parse.User` (→ `_User`), a Parse.Object subclass (→ its className), or
 * `Parse.File` / `Parse.Config` (→ `@File` / `@Config`, parse-server's names for them).
 */
function classNameOf(target: unknown, trigger: string): string {
  if (typeof target === 'string' && target.length > 0) return target;
  if (target && (typeof target === 'function' || typeof target === 'object')) {
    const className = (target as { className?: unknown }).className;
    if (typeof className === 'string' && className.length > 0) return className;
    const name = (target as { name?: unknown }).name;
    if (typeof name === 'string' && /^Parse[A-Z]/.test(name)) return `@${name.slice('Parse'.length)}`;
  }
  throw new TypeError(`Parse.Cloud.${trigger} needs a class name or a Parse.Object subclass`);
}

function assertHandler(handler: unknown, what: string): asserts handler is CloudHandler {
  if (typeof handler !== 'function') throw new TypeError(`${what} needs a function`);
}

function assertValidator(validator: unknown, what: string): asserts validator is Validator | undefined {
  if (validator !== undefined && typeof validator !== 'function' && typeof validator !== 'object') {
    throw new TypeError(`${what}: the validator must be a function or an object`);
  }
  if (validator && typeof validator === 'object')
    rateLimitOptions((validator as { rateLimit?: unknown }).rateLimit, what);
}

function registerTrigger(type: ObjectTrigger) {
  return (target: unknown, handler: unknown, validator?: unknown): void => {
    const className = classNameOf(target, type);
    assertHandler(handler, `Parse.Cloud.${type}`);
    assertValidator(validator, `Parse.Cloud.${type}`);
    activeRuntime().registry.setTrigger(type, className, { handler, validator });
  };
}

let installed = false;

/**
 * Adds the server-side half of `Parse.Cloud` to the SDK (`define`, `job`, the object triggers,
 * `httpRequest`). Each registers into the runtime that is loading its cloud file.
 */
export function installCloudApi(Parse: ParseSdk): void {
  if (installed) return;
  installed = true;
  const cloud = Parse.Cloud;
  cloud.define = (name: unknown, handler: unknown, validator?: unknown): void => {
    if (typeof name !== 'string' || name.length === 0) {
      throw new TypeError('Parse.Cloud.define needs a function name');
    }
    assertHandler(handler, 'Parse.Cloud.define');
    assertValidator(validator, 'Parse.Cloud.define');
    activeRuntime().registry.functions.set(name, { handler, validator });
  };
  for (const [type, className] of Object.entries(USER_TRIGGERS)) {
    cloud[type] = (handler: unknown, validator?: unknown): void => {
      assertHandler(handler, `Parse.Cloud.${type}`);
      assertValidator(validator, `Parse.Cloud.${type}`);
      activeRuntime().registry.setTrigger(type as UserTrigger, className, { handler, validator });
    };
  }
  cloud.job = (name: unknown, handler: unknown): void => {
    if (typeof name !== 'string' || name.length === 0)
      throw new TypeError('Parse.Cloud.job needs a job name');
    assertHandler(handler, 'Parse.Cloud.job');
    activeRuntime().registry.jobs.set(name, handler);
  };
  for (const type of OBJECT_TRIGGERS) cloud[type] = registerTrigger(type);
  cloud.httpRequest = httpRequest;
}
