// `upload` sources for local paths in Node: the header is read at its offset with FileHandle.read,
// never the whole file. Parts are read into buffers reused from part to part (`readPart`), and sent
// from them without a copy, so an upload holds about `concurrency` part buffers whatever the file
// size, and allocates none per part (freed ArrayBuffers wait for V8's external-memory GC, tens of
// MiB later). With a caller's `fetch`, or where the runtime's would copy such a body, unhashed parts go
// as slices of a file-backed Blob (fs.openAsBlob, Node ≥ 19.8), streamed from disk, and hashed ones
// are read as fresh bytes.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * A part as a Blob that fetch streams straight from `bytes` (views, no copy; each `stream()` is a
 * fresh stream, so a retry sends the same bytes again). undici takes a Blob's `size` and `stream()`
 * as they are; `zeroCopy()` checks that before it is used. The other reads copy, as a Blob's do.
 */
class PartBody extends Blob {
  #bytes;
  constructor(bytes) {
    super([]);
    this.#bytes = bytes;
  }
  get size() {
    return this.#bytes.byteLength;
  }
  async arrayBuffer() {
    return this.#bytes.slice().buffer;
  }
  async bytes() {
    return this.#bytes.slice();
  }
  async text() {
    return new TextDecoder().decode(this.#bytes);
  }
  slice(start, end, type) {
    return new Blob([this.#bytes.slice(start, end)], { type });
  }
  stream() {
    const bytes = this.#bytes;
    const CHUNK = 1 << 20;
    let at = 0;
    return new ReadableStream({
      pull(controller) {
        const end = Math.min(at + CHUNK, bytes.byteLength);
        if (end > at) controller.enqueue(bytes.subarray(at, end));
        at = end;
        if (at >= bytes.byteLength) controller.close();
      },
    }, { highWaterMark: 0 });
  }
}

let zeroCopyCheck;
/** Does this runtime's fetch send a `PartBody` as its bytes? (`Response` extracts bodies as fetch does.) */
function zeroCopy() {
  zeroCopyCheck ??= (async () => {
    try {
      const sent = new Uint8Array(await new Response(new PartBody(new Uint8Array([1, 2, 3]))).arrayBuffer());
      return sent.length === 3 && sent[0] === 1 && sent[2] === 3;
    } catch {
      return false;
    }
  })();
  return zeroCopyCheck;
}

/** Part buffers of every open file, reused; dropped when the last file closes. */
const pool = { free: [], open: 0 };

function lease(length) {
  const index = pool.free.findIndex((b) => b.byteLength >= length);
  const buffer = index < 0 ? new ArrayBuffer(length) : pool.free.splice(index, 1)[0];
  return new Uint8Array(buffer, 0, length);
}

async function readAt(handle, bytes, offset) {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesRead } = await handle.read(bytes, done, bytes.byteLength - done, offset + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** @param {string} path */
export async function openFile(path) {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const pooled = await zeroCopy();
    const blob = typeof fs.openAsBlob === 'function' ? await fs.openAsBlob(path) : undefined;
    pool.open += 1;
    let closed = false;
    return {
      name: basename(path),
      size,
      async read(offset, length) {
        const bytes = new Uint8Array(length);
        const done = await readAt(handle, bytes, offset);
        return done === length ? bytes : bytes.subarray(0, done);
      },
      // `bytes` and `body` (to send) share one reused buffer until `release()`, called once the part's
      // answer arrived (or it failed). `sha256` when asked: node:crypto hashes the buffer in place,
      // where WebCrypto would copy it first.
      ...(pooled ? {
        async readPart(offset, length, sha256) {
          const bytes = lease(length);
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            if (pool.open > 0) pool.free.push(bytes.buffer);
          };
          try {
            const done = await readAt(handle, bytes, offset);
            const part = done === length ? bytes : bytes.subarray(0, done);
            const hash = sha256 ? createHash('sha256').update(part).digest('hex') : undefined;
            return { bytes: part, body: new PartBody(part), sha256: hash, release };
          } catch (error) {
            release();
            throw error;
          }
        },
      } : {}),
      ...(blob ? { slice: (offset, length) => blob.slice(offset, offset + length) } : {}),
      close: async () => {
        if (!closed) {
          closed = true;
          pool.open -= 1;
          if (pool.open === 0) pool.free.length = 0;
        }
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
