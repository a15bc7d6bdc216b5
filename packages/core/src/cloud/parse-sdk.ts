import { createRequire } from 'node:module';

/** A Parse.Object as cloud code and the runtime use it (the SDK's class, loosely typed). */
export interface SdkObject {
  readonly className: string;
  readonly id?: string;
  get(key: string): unknown;
  set(key: string | Record<string, unknown>, value?: unknown): unknown;
  revert(...keys: string[]): void;
  existed(): boolean;
  toJSON(): Record<string, unknown>;
  _getSaveJSON(): Record<string, unknown>;
  _toFullJSON(): Record<string, unknown>;
  _finishFetch(serverData: Record<string, unknown>): void;
  _handleSaveResponse(response: Record<string, unknown>, status: number): void;
  /** The objectId, or a local id for an unsaved object (which `_handleSaveResponse` migrates). */
  _getId(): string;
  equals(other: unknown): boolean;
  clone(): SdkObject;
}

/** A Parse.Query as cloud code sees it in beforeFind. */
export interface SdkQuery {
  withJSON(json: Record<string, unknown>): SdkQuery;
  toJSON(): Record<string, unknown>;
}

/** The Parse.Error class of the SDK. */
export type SdkErrorClass = new (code: number, message: string) => Error & { code: number };

/** The RESTController shape `Parse.CoreManager.setRESTController` expects. */
export interface SdkRestController {
  request(method: string, path: string, data: unknown, options?: SdkRequestOptions): Promise<unknown>;
  ajax(...args: unknown[]): Promise<unknown>;
  handleError?(...args: unknown[]): unknown;
}

/** Options the SDK passes to the RESTController. */
export interface SdkRequestOptions {
  readonly useMasterKey?: boolean;
  readonly sessionToken?: string;
  readonly installationId?: string;
  readonly context?: Record<string, unknown>;
  readonly returnStatus?: boolean;
}

/** A Parse.File as file triggers see it (the SDK's internal fields included: parse-server's triggers use them). */
export interface SdkFile {
  _name: string;
  _url?: string;
  _data?: string;
  _source?: { format: string; base64?: string; buffer?: Buffer; type?: string };
  _metadata: Record<string, unknown>;
  _tags: Record<string, unknown>;
  name(): string;
  url(): string | undefined;
}

/** The members of the Parse JS SDK (`parse/node`) the runtime uses. */
export interface ParseSdk {
  initialize(appId: string, javascriptKey?: string, masterKey?: string): void;
  serverURL: string;
  readonly Error: SdkErrorClass;
  readonly Object: {
    new (className: string): SdkObject;
    fromJSON(json: Record<string, unknown>, override?: boolean): SdkObject;
  };
  readonly Query: new (className: string) => SdkQuery;
  readonly File: {
    new (name: string, data?: unknown, type?: string, metadata?: unknown, tags?: unknown): SdkFile;
    fromJSON(json: Record<string, unknown>): unknown;
  };
  readonly Cloud: Record<string, unknown>;
  readonly CoreManager: {
    setRESTController(controller: SdkRestController): void;
    getRESTController(): SdkRestController;
    set(key: string, value: unknown): void;
  };
  _encode(value: unknown, disallowObjects?: boolean, forcePointers?: boolean): unknown;
  _decode(key: string | null, value: unknown): unknown;
}

let sdk: ParseSdk | undefined;

/**
 * The one Parse JS SDK of this process (`parse/node`), loaded on first use. Cloud code sees it
 * as the global `Parse`; its RESTController is replaced by the in-process one.
 */
export function parseSdk(): ParseSdk {
  if (!sdk) sdk = createRequire(import.meta.url)('parse/node') as ParseSdk;
  return sdk;
}
