export { GcsFilesAdapter } from './gcs-files-adapter.js';
export type { GcsFilesAdapterOptions } from './gcs-files-adapter.js';
