export { PostgresStorageAdapter, type PostgresStorageAdapterOptions } from './postgres-storage-adapter.js';
