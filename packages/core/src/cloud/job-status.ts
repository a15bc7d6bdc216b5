import type { FieldUpdate } from '../contracts/storage-adapter.js';
import type { JsonValue, StorageObject } from '../contracts/values.js';
import { newObjectId } from '../rest/object-id.js';
import type { AppContext } from '../rest/types.js';

const CLASS = '_JobStatus';

/**
 * One job run's `_JobStatus` row, as parse-server writes it: created `running` with an empty
 * ACL (master key only), then `succeeded` or `failed` with `finishedAt` and a message.
 */
export class JobStatus {
  readonly objectId = newObjectId();
  readonly #app: AppContext;

  constructor(app: AppContext) {
    this.#app = app;
  }

  /** Writes the `running` row. */
  async running(jobName: string, params: JsonValue): Promise<void> {
    await this.#app.schema.ensureFields(CLASS, {}, { allowCreateClass: true, allowAddField: true });
    const now = new Date();
    const row: StorageObject = {
      objectId: this.objectId,
      createdAt: now,
      updatedAt: now,
      jobName,
      params,
      status: 'running',
      source: 'api',
      _rperm: [],
      _wperm: [],
    };
    await this.#app.storage.createObject(CLASS, row);
  }

  /** `request.message(text)`: records a progress message (non-strings are ignored). */
  async message(message: unknown): Promise<void> {
    if (typeof message !== 'string' || message === '') return;
    await this.#update({ message: { op: 'set', value: message } });
  }

  /** Records the end of the run: its result message (a string) or its error's message. */
  async finish(status: 'succeeded' | 'failed', outcome: unknown): Promise<void> {
    const update: Record<string, FieldUpdate> = {
      status: { op: 'set', value: status },
      finishedAt: { op: 'set', value: new Date() },
    };
    const message =
      typeof outcome === 'string' ? outcome : outcome instanceof Error ? outcome.message : undefined;
    if (message) update.message = { op: 'set', value: message };
    await this.#update(update);
  }

  async #update(update: Record<string, FieldUpdate>): Promise<void> {
    await this.#app.storage.findOneAndUpdate({
      className: CLASS,
      where: {
        kind: 'compare',
        field: { name: 'objectId', path: [], type: 'String' },
        op: 'eq',
        value: this.objectId,
      },
      update: { ...update, updatedAt: { op: 'set', value: new Date() } },
    });
  }
}
