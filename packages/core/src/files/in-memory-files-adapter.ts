import type { Readable } from 'node:stream';
import type {
  ByteRange,
  CreateFileRequest,
  FileInfo,
  FilesAdapter,
  FilesCapabilities,
} from '../contracts/files-adapter.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { bufferStream, collect } from './stream.js';

interface StoredFile extends FileInfo {
  readonly data: Buffer;
}

/**
 * Files kept in this process's memory: for tests and throw-away servers. Nothing survives a
 * restart and nothing is shared between processes.
 */
export class InMemoryFilesAdapter implements FilesAdapter {
  readonly capabilities: FilesCapabilities = { ranges: true };
  readonly #files = new Map<string, StoredFile>();

  async createFile(request: CreateFileRequest): Promise<void> {
    let data: Buffer;
    try {
      data = await collect(request.data);
    } catch (cause) {
      throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${request.name}.`, {
        cause,
      });
    }
    this.#files.set(request.name, {
      data,
      size: data.length,
      ...(request.contentType !== undefined && { contentType: request.contentType }),
      ...(request.metadata !== undefined && { metadata: { ...request.metadata } }),
      ...(request.tags !== undefined && { tags: { ...request.tags } }),
    });
  }

  async getFileInfo(name: string): Promise<FileInfo> {
    const { data: _data, ...info } = this.#get(name);
    return info;
  }

  async getFileStream(name: string, range?: ByteRange): Promise<Readable> {
    const { data } = this.#get(name);
    return bufferStream(range ? data.subarray(range.start, range.end + 1) : data);
  }

  async deleteFile(name: string): Promise<void> {
    this.#get(name);
    this.#files.delete(name);
  }

  async close(): Promise<void> {
    this.#files.clear();
  }

  #get(name: string): StoredFile {
    const file = this.#files.get(name);
    if (!file) throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'File not found.');
    return file;
  }
}
