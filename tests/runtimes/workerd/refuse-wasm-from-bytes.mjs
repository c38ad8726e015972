// Cloudflare refuses to compile wasm from bytes; local workerd refuses it only inside handlers. Make
// compiling from bytes fail at every point here too, so the fixture proves the package only
// instantiates the `.wasm` it imported as a module. Imported first, so it runs before the package.
const { Module, instantiate } = WebAssembly;
const refuse = (what) => {
  throw new WebAssembly.CompileError(`${what}: compiling wasm from bytes is refused on Cloudflare`);
};
WebAssembly.compile = () => refuse('WebAssembly.compile');
WebAssembly.compileStreaming = () => refuse('WebAssembly.compileStreaming');
WebAssembly.instantiateStreaming = () => refuse('WebAssembly.instantiateStreaming');
WebAssembly.instantiate = (source, imports) => (source instanceof Module ? instantiate(source, imports) : refuse('WebAssembly.instantiate(bytes)'));
WebAssembly.Module = new Proxy(Module, { construct: () => refuse('new WebAssembly.Module') });
