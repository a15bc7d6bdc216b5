export { FsFilesAdapter } from './fs-files-adapter.js';
export type {
  FsFilesAdapterOptions,
  RotateEncryptionKeyOptions,
  RotationProgress,
  RotationResult,
} from './fs-files-adapter.js';
