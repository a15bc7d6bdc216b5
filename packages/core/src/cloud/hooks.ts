import type { JsonValue, StorageObject } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { newObjectId } from '../rest/object-id.js';
import type { AppContext } from '../rest/types.js';
import { OBJECT_TRIGGERS, type ObjectTrigger } from './registry.js';
import { webhookHandler } from './webhook.js';

const CLASS = '_Hooks';

/** A function webhook or a trigger webhook, as the Hooks API answers it. */
export type Hook =
  | { readonly functionName: string; readonly url: string }
  | { readonly className: string; readonly triggerName: ObjectTrigger; readonly url: string };

const invalid = () => new ParseError(ParseErrorCode.WEBHOOK_ERROR, 'invalid hook declaration');

function isTrigger(name: unknown): name is ObjectTrigger {
  return typeof name === 'string' && (OBJECT_TRIGGERS as readonly string[]).includes(name);
}

/** The hook a request body declares. @throws {ParseError} 143 "invalid hook declaration" */
export function hookFrom(body: JsonValue | undefined): Hook {
  if (!isJsonObject(body) || typeof body.url !== 'string' || body.url === '') throw invalid();
  if (typeof body.functionName === 'string' && body.functionName !== '') {
    return { functionName: body.functionName, url: body.url };
  }
  if (typeof body.className === 'string' && body.className !== '' && isTrigger(body.triggerName)) {
    return { className: body.className, triggerName: body.triggerName, url: body.url };
  }
  throw invalid();
}

function hookOf(row: StorageObject): Hook | undefined {
  if (typeof row.url !== 'string') return undefined;
  if (typeof row.functionName === 'string') return { functionName: row.functionName, url: row.url };
  if (typeof row.className === 'string' && isTrigger(row.triggerName)) {
    return { className: row.className, triggerName: row.triggerName, url: row.url };
  }
  return undefined;
}

function sameHook(a: Hook, b: Pick<Hook, never> & Partial<Record<string, unknown>>): boolean {
  if ('functionName' in a) return a.functionName === b.functionName;
  return a.className === b.className && a.triggerName === b.triggerName;
}

/**
 * The Hooks API's store (`_Hooks`, as parse-server keeps it) and the registration of each hook as
 * a cloud function or trigger that calls its URL.
 */
export class HooksController {
  readonly #app: AppContext;
  readonly #webhookKey: string | undefined;

  constructor(app: AppContext, webhookKey: string | undefined) {
    this.#app = app;
    this.#webhookKey = webhookKey;
  }

  async #rows(): Promise<StorageObject[]> {
    const schema = await this.#app.schema.get(CLASS);
    if (!schema || !(await this.#app.schema.exists(CLASS))) return [];
    return this.#app.storage.find({ className: CLASS, where: { kind: 'and', conditions: [] } });
  }

  /** Every stored hook. */
  async list(): Promise<Hook[]> {
    return (await this.#rows()).map(hookOf).filter((hook): hook is Hook => hook !== undefined);
  }

  /** Registers every stored hook. Called at start. */
  async load(): Promise<void> {
    for (const hook of await this.list()) this.#register(hook);
  }

  async #find(key: Partial<Record<string, unknown>>): Promise<StorageObject | undefined> {
    return (await this.#rows()).find((row) => {
      const hook = hookOf(row);
      return hook !== undefined && sameHook(hook, key);
    });
  }

  /** The function webhook named `functionName`, if stored. */
  async getFunction(functionName: string): Promise<Hook | undefined> {
    const row = await this.#find({ functionName });
    return row ? hookOf(row) : undefined;
  }

  /** The `triggerName` webhook of `className`, if stored. */
  async getTrigger(className: string, triggerName: string): Promise<Hook | undefined> {
    const row = await this.#find({ className, triggerName });
    return row ? hookOf(row) : undefined;
  }

  /** Stores and registers a new hook. @throws {ParseError} 143 when it exists already. */
  async create(hook: Hook): Promise<Hook> {
    if (await this.#find(hook as Partial<Record<string, unknown>>)) {
      throw new ParseError(
        ParseErrorCode.WEBHOOK_ERROR,
        'functionName' in hook
          ? `function name: ${hook.functionName} already exists`
          : `class ${hook.className} already has trigger ${hook.triggerName}`,
      );
    }
    await this.#app.schema.ensureFields(CLASS, {}, { allowCreateClass: true, allowAddField: true });
    const now = new Date();
    await this.#app.storage.createObject(CLASS, {
      objectId: newObjectId(),
      createdAt: now,
      updatedAt: now,
      ...hook,
    });
    this.#register(hook);
    return hook;
  }

  /** Stores a hook's new URL and registers it. @throws {ParseError} 143 when it does not exist. */
  async update(hook: Hook): Promise<Hook> {
    const row = await this.#find(hook as Partial<Record<string, unknown>>);
    if (!row) throw this.#missing(hook);
    await this.#app.storage.findOneAndUpdate({
      className: CLASS,
      where: {
        kind: 'compare',
        field: { name: 'objectId', path: [], type: 'String' },
        op: 'eq',
        value: row.objectId,
      },
      update: { url: { op: 'set', value: hook.url }, updatedAt: { op: 'set', value: new Date() } },
    });
    this.#register(hook);
    return hook;
  }

  /** Removes a hook and its registration (a missing hook is not an error, as in parse-server). */
  async delete(key: { functionName: string } | { className: string; triggerName: string }): Promise<void> {
    const registry = this.#app.cloud?.registry;
    if ('functionName' in key) registry?.functions.delete(key.functionName);
    else if (isTrigger(key.triggerName)) registry?.removeTrigger(key.triggerName, key.className);
    const row = await this.#find(key);
    if (!row) return;
    await this.#app.storage.deleteObjects({
      className: CLASS,
      where: {
        kind: 'compare',
        field: { name: 'objectId', path: [], type: 'String' },
        op: 'eq',
        value: row.objectId,
      },
    });
  }

  #missing(hook: Hook): ParseError {
    return new ParseError(
      ParseErrorCode.WEBHOOK_ERROR,
      'functionName' in hook
        ? `no function named: ${hook.functionName} is defined`
        : `class ${hook.className} does not exist`,
    );
  }

  #register(hook: Hook): void {
    const registry = this.#app.cloud?.registry;
    if (!registry) return;
    if ('functionName' in hook) {
      registry.functions.set(hook.functionName, { handler: webhookHandler(hook, this.#webhookKey) });
    } else {
      const handler = webhookHandler(hook, this.#webhookKey);
      registry.setTrigger(hook.triggerName, hook.className, { handler });
    }
  }
}

/** A stored hook as JSON. */
export function hookJson(hook: Hook): JsonObject {
  return { ...hook };
}
