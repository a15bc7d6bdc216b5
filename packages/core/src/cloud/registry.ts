/** The object triggers a cloud file can register, by parse-server's names. */
export const OBJECT_TRIGGERS = [
  'beforeSave',
  'afterSave',
  'beforeDelete',
  'afterDelete',
  'beforeFind',
  'afterFind',
] as const;

/** One of {@link OBJECT_TRIGGERS}. */
export type ObjectTrigger = (typeof OBJECT_TRIGGERS)[number];

/**
 * The user-flow triggers, registered without a class (`Parse.Cloud.beforeLogin(handler)`): kept
 * under `_User` (login, password reset) and `_Session` (logout), as parse-server keeps them.
 */
export const USER_TRIGGERS = {
  beforeLogin: '_User',
  afterLogin: '_User',
  afterLogout: '_Session',
  beforePasswordResetRequest: '_User',
} as const;

/** One of {@link USER_TRIGGERS}. */
export type UserTrigger = keyof typeof USER_TRIGGERS;

/** Any trigger a cloud file can register. */
export type TriggerType = ObjectTrigger | UserTrigger;

/** A cloud function, trigger or job as the cloud file wrote it. */
export type CloudHandler = (request: CloudRequest) => unknown;

/**
 * The request object a cloud function or trigger receives. Its members depend on the kind of
 * handler (parse-server's shapes): `params` for functions, `object`/`original` for save and delete
 * triggers, `query` for beforeFind, `objects` for afterFind.
 */
export type CloudRequest = Record<string, unknown>;

/** One field rule of a validator's `fields`. */
export interface FieldRule {
  /** A constructor whose name is the expected `typeof` (`String`, `Number`, `Boolean`, `Array`, `Object`). */
  readonly type?: unknown;
  readonly default?: unknown;
  readonly required?: boolean;
  /** Allowed values, one value, or a predicate. */
  readonly options?: unknown;
  /** A save cannot change the field (it keeps its original or default value). */
  readonly constant?: boolean;
  /** The message when the rule fails. */
  readonly error?: string;
}

/** The object form of a validator (`Parse.Cloud.define(name, fn, { requireMaster: true })`). */
export interface ValidatorOptions {
  readonly requireUser?: boolean;
  readonly requireMaster?: boolean;
  /** Also run the rules for master-key requests. @default false */
  readonly validateMasterKey?: boolean;
  /** Master-key requests skip the handler (triggers) or the rules. @default false */
  readonly skipWithMasterKey?: boolean;
  readonly requireAnyUserRoles?: unknown;
  readonly requireAllUserRoles?: unknown;
  readonly requireUserKeys?: unknown;
  readonly fields?: readonly string[] | Readonly<Record<string, FieldRule | string>>;
  readonly rateLimit?: unknown;
}

/** A validator: the object form, or a function that throws to refuse. */
export type Validator = ValidatorOptions | CloudHandler;

/** A handler with its validator. */
export interface Registered {
  readonly handler: CloudHandler;
  readonly validator?: Validator;
}

/**
 * What a cloud file registered: functions, triggers by class, jobs. One registry per server, so
 * two servers in one process never see each other's code.
 */
export class CloudRegistry {
  readonly functions = new Map<string, Registered>();
  readonly jobs = new Map<string, CloudHandler>();
  readonly #triggers = new Map<string, Registered>();

  /** Registers (or replaces) the `type` trigger of `className`. */
  setTrigger(type: TriggerType, className: string, entry: Registered): void {
    this.#triggers.set(`${type}.${className}`, entry);
  }

  /** Forgets the `type` trigger of `className`. */
  removeTrigger(type: TriggerType, className: string): void {
    this.#triggers.delete(`${type}.${className}`);
  }

  /** The `type` trigger of `className`, when one is registered. */
  trigger(type: TriggerType, className: string): Registered | undefined {
    return this.#triggers.get(`${type}.${className}`);
  }

  /** True when `className` has any trigger of these types. */
  hasTrigger(className: string, ...types: readonly ObjectTrigger[]): boolean {
    return types.some((type) => this.#triggers.has(`${type}.${className}`));
  }
}
