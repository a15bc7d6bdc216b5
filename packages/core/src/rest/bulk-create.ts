import type { StorageObjects } from '../contracts/storage-adapter.js';
import type { StorageObject } from '../contracts/values.js';

interface PendingInsert {
  /** The participant's position: inserts keep the order of the requests. */
  readonly order: number;
  readonly object: StorageObject;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Turns the creates of concurrently running requests into one multi-row insert per class.
 *
 * Each request gets a {@link participant} view (in request order) of the storage. A view's first `createObject`
 * waits; once every participant has either reached its insert or finished without one, the
 * waiting objects are written with `createObjects` (one statement per class) and every waiter
 * resumes. If a bulk insert fails (a duplicate value, say), its objects are inserted one by one,
 * so each request gets its own answer, exactly as if the requests had run alone. Later calls
 * (a second insert by the same request, anything after the flush) go straight to storage.
 */
export class BulkCreates {
  readonly #storage: StorageObjects & Required<Pick<StorageObjects, 'createObjects'>>;
  readonly #queue = new Map<string, PendingInsert[]>();
  #outstanding: number;
  #participants = 0;

  constructor(
    storage: StorageObjects & Required<Pick<StorageObjects, 'createObjects'>>,
    participants: number,
  ) {
    this.#storage = storage;
    this.#outstanding = participants;
  }

  /**
   * A storage view for one request, and `settle`, to call when that request has finished
   * (whether or not it inserted anything).
   */
  participant(): { storage: StorageObjects; settle: () => void } {
    const order = this.#participants++;
    let arrived = false;
    const arrive = (): void => {
      if (arrived) return;
      arrived = true;
      this.#outstanding -= 1;
      if (this.#outstanding === 0) void this.#flush();
    };
    const target = this.#storage;
    const createObject = (className: string, object: StorageObject): Promise<void> => {
      if (arrived) return target.createObject(className, object);
      const inserted = new Promise<void>((resolve, reject) => {
        const queue = this.#queue.get(className) ?? [];
        queue.push({ order, object, resolve, reject });
        this.#queue.set(className, queue);
      });
      arrive();
      return inserted;
    };
    const storage = new Proxy(target, {
      get(object, property) {
        if (property === 'createObject') return createObject;
        const value: unknown = Reflect.get(object, property, object);
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
    return { storage, settle: arrive };
  }

  async #flush(): Promise<void> {
    const groups = [...this.#queue];
    this.#queue.clear();
    await Promise.all(
      groups.map(([className, pending]) =>
        this.#insert(
          className,
          pending.sort((a, b) => a.order - b.order),
        ),
      ),
    );
  }

  async #insert(className: string, pending: readonly PendingInsert[]): Promise<void> {
    if (pending.length > 1) {
      try {
        await this.#storage.createObjects(
          className,
          pending.map((entry) => entry.object),
        );
        for (const entry of pending) entry.resolve();
        return;
      } catch {
        // One bad object fails the whole statement: find out which, one at a time.
      }
    }
    for (const entry of pending) {
      try {
        await this.#storage.createObject(className, entry.object);
        entry.resolve();
      } catch (error) {
        entry.reject(error);
      }
    }
  }
}
