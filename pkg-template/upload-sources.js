// What `upload` reads from: each file becomes `{ name, size, read(offset, length) → Uint8Array,
// slice?(offset, length) → Blob }`, so the core pulls one part at a time and never holds a whole file. Blobs and Files (browsers,
// Node ≥ 20, Deno, workerd) are sliced; bytes are served as views; paths need the runtime's
// `openFile` (Node).

/** `name` of `{ name, source }` wins, then the File's own name. */
function nameOf(file, index) {
  return file?.name ?? `file-${index + 1}.bak`;
}

/** `slice` hands fetch a Blob to stream (nothing read into memory); `read` is for headers and hashing. */
function blobSource(blob, name) {
  return {
    name,
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
    slice: (offset, length) => blob.slice(offset, offset + length),
  };
}

function bytesSource(bytes, name) {
  const view = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  return { name, size: view.byteLength, read: async (offset, length) => view.subarray(offset, offset + length) };
}

const isBlob = (value) => value !== null && typeof value === 'object' && typeof value.slice === 'function'
  && typeof value.arrayBuffer === 'function' && typeof value.size === 'number';
const isBytes = (value) => value instanceof ArrayBuffer || ArrayBuffer.isView(value);

/**
 * @param {Array<string | Blob | File | { name?: string, source: string | Blob | BufferSource }>} files
 * @param {((path: string) => Promise<{ name: string, size: number, read: Function, close(): Promise<void> }>) | undefined} openFile
 * @returns {Promise<{ sources: object[], close(): Promise<void> }>}
 */
export async function openSources(files, openFile) {
  if (!Array.isArray(files)) throw new TypeError('sqlserverflex-restore: upload needs `files`: an array of Files, Blobs or paths');
  const opened = [];
  const close = () => Promise.all(opened.map((s) => s.close?.().catch(() => {})));
  try {
    const sources = [];
    for (const [index, file] of files.entries()) {
      const wrapped = file !== null && typeof file === 'object' && 'source' in file;
      const source = wrapped ? file.source : file;
      const name = wrapped && file.name !== undefined ? file.name : undefined;
      if (typeof source === 'string') {
        if (!openFile) throw new TypeError('sqlserverflex-restore: file paths can be uploaded from Node only; pass a File or Blob');
        const handle = await openFile(source);
        opened.push(handle);
        sources.push(name === undefined ? handle : { ...handle, name });
      } else if (isBlob(source)) {
        sources.push(blobSource(source, name ?? nameOf(source, index)));
      } else if (isBytes(source)) {
        sources.push(bytesSource(source, name ?? nameOf(source, index)));
      } else {
        sources.push({ name: name ?? nameOf(source, index) });
      }
    }
    return { sources, close };
  } catch (error) {
    await close();
    throw error;
  }
}
