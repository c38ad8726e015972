// `upload` sources for local paths in Node: the header (and hashed parts) are read at their offsets
// with FileHandle.read, never the whole file; where Node has fs.openAsBlob (≥ 19.8), unhashed parts
// go to fetch as slices of a file-backed Blob, streamed from disk (Node notices if the file changes).
import * as fs from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';

/** @param {string} path */
export async function openFile(path) {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const blob = typeof fs.openAsBlob === 'function' ? await fs.openAsBlob(path) : undefined;
    return {
      name: basename(path),
      size,
      async read(offset, length) {
        const bytes = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(bytes, done, length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === length ? bytes : bytes.subarray(0, done);
      },
      ...(blob ? { slice: (offset, length) => blob.slice(offset, offset + length) } : {}),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
