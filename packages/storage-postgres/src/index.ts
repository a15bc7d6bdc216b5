export { PostgresStorageAdapter } from './postgres-storage-adapter.js';
export type { PostgresStorageAdapterOptions } from './options.js';
export { pgliteExtensions } from './database.js';
export { PostgresFilesAdapter } from './files/postgres-files-adapter.js';
export type {
  PostgresFilesAdapterOptions,
  RotateEncryptionKeyOptions,
  RotationProgress,
  RotationResult,
} from './files/postgres-files-adapter.js';
