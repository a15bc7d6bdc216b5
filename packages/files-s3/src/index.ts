export { S3FilesAdapter } from './s3-files-adapter.js';
export type { S3FilesAdapterOptions } from './s3-files-adapter.js';
