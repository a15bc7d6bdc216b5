import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collect, sliceStream } from './stream.js';

const chunks = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));

describe('sliceStream', () => {
  it('keeps only the bytes of the range, across chunk boundaries', async () => {
    const source = chunks('abc', 'def', 'ghi');
    expect((await collect(sliceStream(source, { start: 2, end: 6 }))).toString()).toBe('cdefg');
    expect(source.destroyed).toBe(true);
    expect((await collect(sliceStream(chunks('abc', 'def'), { start: 0, end: 5 }))).toString()).toBe(
      'abcdef',
    );
    expect((await collect(sliceStream(chunks('abcdef'), { start: 5, end: 5 }))).toString()).toBe('f');
  });

  it('fails when the source fails', async () => {
    const source = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    await expect(collect(sliceStream(source, { start: 0, end: 3 }))).rejects.toThrow('disk gone');
  });
});
