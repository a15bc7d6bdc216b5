export { PostgresStorageAdapter } from './postgres-storage-adapter.js';
export type { PostgresStorageAdapterOptions } from './options.js';
