#!/usr/bin/env node
// Import-cycle check, no dependencies. Rust: the module tree of a crate, from its root file (`mod`
// declarations, mod.rs and foo.rs + foo/ layouts, `#[path]`), with an edge A → B when A names B
// (`use crate::…`, `use super::…`, `use self::…`, grouped `use` trees, paths like `crate::x::y` or
// `super::x` in code, child modules used by name). JS: ES modules under given folders (static
// `import … from`, `import '…'`, `export … from`, `import('…')` and `require('…')` with a literal).
// Strongly connected components of more than one module (or a module importing itself) are cycles.
//
//   node tools/cycles.mjs [--rust src/lib.rs]… [--js folder]… [--facades] [--concerns] [--max-cycles N] [--graph] [--json]
//
// `npm test` runs it on the crate (src/lib.rs) and on the JS of the package, the sites and the
// examples (tests/run.mjs); its own tests: tests/tools/cycles.test.mjs.
//
// Granularity: one node per file (inline `mod x { … }` blocks belong to their file). Edges from a
// module to its own descendants (`mod child;`, `pub use child::X`) are counted: a parent that
// re-exports a child and defines what the child uses is a cycle. `--facades` drops parent →
// descendant edges (the looser rule: a folder's mod.rs may re-export its files). `--concerns` also
// checks the graph between top-level folders (src/api, src/s3, … ; pkg-template/cli, …): two
// concerns must not need each other. Exit status 1 when more than `--max-cycles` (default 0) cycles
// are found (a ratchet while cycles are being removed), 2 on a usage or read error.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------- graph

/** Tarjan's strongly connected components (iterative); returns the components that are cycles. */
export function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const found = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [[start, [...(graph.get(start) ?? [])], 0]];
    index.set(start, next);
    low.set(start, next);
    next += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, targets] = frame;
      if (frame[2] < targets.length) {
        const target = targets[frame[2]];
        frame[2] += 1;
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next);
          next += 1;
          stack.push(target);
          onStack.add(target);
          work.push([target, [...(graph.get(target) ?? [])], 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), index.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
      }
    }
  }
  return found.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** One shortest path from `from` back to `from` inside a component, for a readable report. */
export function witness(graph, component) {
  const members = new Set(component);
  const from = component[0];
  const previous = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === from) {
        const path = [from];
        for (let at = node; at !== null && at !== from; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, from];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return component;
}

// ---------------------------------------------------------------- Rust

/**
 * Rust source → tokens without comments, strings, chars or lifetimes: identifiers, `::`, and single
 * punctuation characters. Attributes stay (needed for `#[path = "…"]`), their string values are kept.
 */
export function rustTokens(text) {
  const tokens = [];
  let i = 0;
  const n = text.length;
  const isIdentStart = (c) => /[A-Za-z_]/.test(c) || c > '\x7f';
  const isIdent = (c) => /[A-Za-z0-9_]/.test(c) || c > '\x7f';
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i += 1;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') (depth += 1), (i += 2);
        else if (text[i] === '*' && text[i + 1] === '/') (depth -= 1), (i += 2);
        else i += 1;
      }
    } else if ((c === 'r' || (c === 'b' && text[i + 1] === 'r')) && /^b?r#*"/.test(text.slice(i, i + 260))) {
      const open = text.slice(i).match(/^b?r(#*)"/);
      const close = `"${open[1]}`;
      const end = text.indexOf(close, i + open[0].length);
      const value = text.slice(i + open[0].length, end < 0 ? n : end);
      tokens.push({ kind: 'string', value });
      i = end < 0 ? n : end + close.length;
    } else if (c === '"' || (c === 'b' && text[i + 1] === '"')) {
      i += c === 'b' ? 2 : 1;
      let value = '';
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\') (value += text[i + 1] ?? ''), (i += 2);
        else (value += text[i]), (i += 1);
      }
      i += 1;
      tokens.push({ kind: 'string', value });
    } else if (c === "'" || (c === 'b' && text[i + 1] === "'")) {
      // A char literal ('a', '\n', '\u{..}', b'x') or a lifetime / label ('a, 'static).
      const at = c === 'b' ? i + 1 : i;
      const char = text.slice(at).match(/^'(?:\\(?:u\{[0-9a-fA-F_]*\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/u);
      if (char) i = at + char[0].length;
      else {
        i = at + 1;
        while (i < n && isIdent(text[i])) i += 1;
      }
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdent(text[j])) j += 1;
      if (text[i] === 'r' && text[i + 1] === '#' && j === i + 1) j = i + 2; // raw identifier r#x
      tokens.push({ kind: 'ident', value: text.slice(i, j).replace(/^r#/, '') });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(text[j]) && !(text[j] === '.' && text[j + 1] === '.')) j += 1;
      i = j;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === ':' && text[i + 1] === ':') {
      tokens.push({ kind: 'punct', value: '::' });
      i += 2;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i += 1;
    }
  }
  return tokens;
}

/** Expands a `use` tree starting at tokens[i] into paths (arrays of segments); returns [paths, end]. */
function useTree(tokens, i) {
  const paths = [];
  function tree(at, prefix) {
    const path = [...prefix];
    if (tokens[at]?.value === '::') at += 1; // leading `::`
    for (;;) {
      const token = tokens[at];
      if (!token) return at;
      if (token.value === '{') {
        at += 1;
        while (tokens[at] && tokens[at].value !== '}') {
          at = tree(at, path);
          if (tokens[at]?.value === ',') at += 1;
        }
        return at + 1;
      }
      if (token.value === '*') {
        paths.push([...path, '*']);
        return at + 1;
      }
      if (token.kind !== 'ident') return at;
      path.push(token.value);
      at += 1;
      if (tokens[at]?.value === '::') {
        at += 1;
        continue;
      }
      let alias = path[path.length - 1] === 'self' ? path[path.length - 2] : path[path.length - 1];
      if (tokens[at]?.value === 'as') {
        alias = tokens[at + 1]?.value;
        at += 2;
      }
      path.alias = alias;
      paths.push(path);
      return at;
    }
  }
  const end = tree(i, []);
  return [paths, end];
}

/**
 * Reads one Rust crate from its root file: `{ graph: Map<module id, Set<module id>>, files: Map<module
 * id, file> }`. Module ids are `crate`, `crate::a`, `crate::a::b`, one per file; inline modules
 * (`mod tests { … }`) are folded into their file's module.
 */
export function rustGraph(rootFile, { facades = false } = {}) {
  const files = new Map(); // module id → { file, children: Map<name, id>, refs: [{ base: moduleId, path }] }
  const inlineOwner = new Map(); // inline module id → file module id

  function load(id, file, dirForChildren) {
    const text = readFileSync(file, 'utf8');
    const tokens = rustTokens(text);
    const module = { file, children: new Map(), refs: [] };
    files.set(id, module);
    // Scope stack of inline modules: { id, depth at which its `{` opened }.
    const scopes = [{ id, depth: -1, dir: dirForChildren }];
    let depth = 0;
    let pendingPath = null;
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i];
      const scope = scopes[scopes.length - 1];
      if (token.value === '#' && tokens[i + 1]?.value === '[' && tokens[i + 2]?.value === 'path' && tokens[i + 3]?.value === '=') {
        // `#[path = "…"]` applies to the `mod` that follows (after other attributes and `pub(…)`).
        pendingPath = { value: tokens[i + 4]?.value ?? null, until: i + 24 };
        continue;
      }
      if (pendingPath && i > pendingPath.until) pendingPath = null;
      if (token.value === 'pub' && tokens[i + 1]?.value === '(' && tokens[i + 2]?.value === 'in') {
        // `pub(in crate::a)` names an ancestor for visibility only: not an import.
        while (i < tokens.length && tokens[i].value !== ')') i += 1;
        continue;
      }
      if (token.value === '{') depth += 1;
      else if (token.value === '}') {
        depth -= 1;
        if (scopes.length > 1 && depth === scope.depth) scopes.pop();
      } else if (token.kind === 'ident' && token.value === 'mod' && tokens[i + 1]?.kind === 'ident') {
        const name = tokens[i + 1].value;
        const childId = `${scope.id}::${name}`;
        if (tokens[i + 2]?.value === ';') {
          // `#[path]` is relative to the file's folder, or to the inline modules' folder inside one.
          const pathBase = scopes.length > 1 ? scope.dir : dirname(file);
          const childFile = pendingPath?.value ? resolve(pathBase, pendingPath.value) : findModuleFile(scope.dir, name);
          module.children.set(name, childId);
          module.refs.push({ base: scope.id, path: ['self', name], declaration: true });
          if (childFile) {
            const childDir = pendingPath?.value ? dirname(childFile)
              : /(^|[\\/])mod\.rs$/.test(childFile) ? dirname(childFile) : join(scope.dir, name);
            load(childId, childFile, childDir);
          } else {
            throw new Error(`${relative(process.cwd(), file)}: no file for \`mod ${name};\``);
          }
          i += 2;
        } else if (tokens[i + 2]?.value === '{') {
          inlineOwner.set(childId, id);
          module.children.set(name, childId);
          depth += 1;
          scopes.push({ id: childId, depth: depth - 1, dir: join(scope.dir, name) });
          i += 2;
        }
        pendingPath = null;
        continue;
      } else if (token.kind === 'ident' && token.value === 'use' && tokens[i - 1]?.value !== '.') {
        const [paths, end] = useTree(tokens, i + 1);
        for (const path of paths) module.refs.push({ base: scope.id, path, use: true });
        i = end - 1;
        continue;
      } else if (token.kind === 'ident' && (token.value === 'crate' || token.value === 'super' || token.value === 'self')
        && tokens[i + 1]?.value === '::' && tokens[i - 1]?.value !== '::') {
        const path = [];
        let at = i;
        while (tokens[at]?.kind === 'ident') {
          path.push(tokens[at].value);
          if (tokens[at + 1]?.value !== '::') break;
          at += 2;
        }
        module.refs.push({ base: scope.id, path });
        i = at;
        continue;
      } else if (token.kind === 'ident' && tokens[i + 1]?.value === '::' && tokens[i - 1]?.value !== '::') {
        // A bare path `child::x` in code: resolved later if `child` is a child module of the scope.
        const path = [];
        let at = i;
        while (tokens[at]?.kind === 'ident') {
          path.push(tokens[at].value);
          if (tokens[at + 1]?.value !== '::') break;
          at += 2;
        }
        module.refs.push({ base: scope.id, path, bare: true });
        i = at;
        continue;
      }
    }
  }

  const rootPath = resolve(rootFile);
  load('crate', rootPath, dirname(rootPath));

  const fileOf = (id) => {
    let at = id;
    while (inlineOwner.has(at)) at = inlineOwner.get(at);
    return at;
  };
  const known = (id) => files.has(id) || inlineOwner.has(id);
  const childrenOf = (id) => {
    const owner = files.get(fileOf(id));
    const prefix = `${id}::`;
    return new Set([...owner.children.values(), ...[...inlineOwner.keys()]].filter((c) => c.startsWith(prefix) && !c.slice(prefix.length).includes('::')));
  };
  const parentOf = (id) => id.split('::').slice(0, -1).join('::');

  /** Absolute module path segments → the deepest known module it names. */
  function deepest(segments) {
    let best = null;
    for (let k = 1; k <= segments.length; k += 1) {
      const id = segments.slice(0, k).join('::');
      if (known(id)) best = id;
      else if (k > 1) break;
    }
    return best;
  }

  /** A `use` or code path, seen from scope `base`, → absolute segments (null: not a path into the crate). */
  function absolute(base, path, aliases) {
    if (path[0] === 'crate') return ['crate', ...path.slice(1)];
    if (path[0] === 'self' || path[0] === 'super') {
      let at = base;
      let rest = path;
      while (rest[0] === 'self' || rest[0] === 'super') {
        if (rest[0] === 'super') at = parentOf(at);
        rest = rest.slice(1);
      }
      return [...at.split('::'), ...rest];
    }
    // 2018 paths: a child module of the scope, or a module brought in by `use` (else an extern
    // crate, a type or an imported item).
    if (childrenOf(base).has(`${base}::${path[0]}`)) return [...base.split('::'), ...path];
    const alias = aliases?.get(`${base}\0${path[0]}`);
    if (alias) return [...alias.split('::'), ...path.slice(1)];
    return null;
  }

  // Names that `use` binds to modules (`use crate::mtf;`, `use super::walk::{self}`, `as` renames).
  const aliases = new Map();
  for (const module of files.values()) {
    for (const ref of module.refs) {
      if (!ref.use || !ref.path.alias) continue;
      const path = ref.path[ref.path.length - 1] === 'self' ? ref.path.slice(0, -1) : ref.path;
      const segments = absolute(ref.base, path, null);
      if (!segments) continue;
      const id = segments.join('::');
      if (known(id)) aliases.set(`${ref.base}\0${ref.path.alias}`, id);
    }
  }

  const graph = new Map();
  for (const [id, module] of files) {
    const targets = new Set();
    for (const ref of module.refs) {
      const segments = absolute(ref.base, ref.path, ref.use ? null : aliases);
      if (!segments) continue;
      const target = deepest(segments.filter((s) => s !== '*' && s !== 'self'));
      if (!target) continue;
      const to = fileOf(target);
      if (to === id) continue; // a file using its own items, or its inline modules
      if (facades && to.startsWith(`${id}::`)) continue; // a parent re-exporting its children
      targets.add(to);
    }
    graph.set(id, targets);
  }
  const fileNames = new Map([...files].map(([id, m]) => [id, m.file]));
  return { graph, files: fileNames };
}

function findModuleFile(dir, name) {
  for (const candidate of [join(dir, `${name}.rs`), join(dir, name, 'mod.rs')]) if (existsSync(candidate)) return candidate;
  return null;
}

// ---------------------------------------------------------------- JavaScript

const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx']);
const REGEX_AFTER = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^',
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', '=>', '']);

/** JS source → tokens (identifiers, string literals, punctuation); comments, templates' text and regexes skipped. */
export function jsTokens(text) {
  const tokens = [];
  const n = text.length;
  let i = 0;
  const braces = []; // for `${ … }` inside templates: true marks a template substitution
  const last = () => tokens[tokens.length - 1]?.value ?? '';
  function template() {
    // at the character after a backtick or after the `}` closing a substitution
    while (i < n) {
      if (text[i] === '\\') i += 2;
      else if (text[i] === '`') {
        i += 1;
        tokens.push({ kind: 'template', value: '' });
        return;
      } else if (text[i] === '$' && text[i + 1] === '{') {
        i += 2;
        braces.push(true);
        tokens.push({ kind: 'punct', value: '(' });
        return;
      } else i += 1;
    }
  }
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i += 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '#' && text[i + 1] === '!' && i === 0) {
      while (i < n && text[i] !== '\n') i += 1;
    } else if (c === '"' || c === "'") {
      let value = '';
      i += 1;
      while (i < n && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') (value += text[i + 1] ?? ''), (i += 2);
        else (value += text[i]), (i += 1);
      }
      i += 1;
      tokens.push({ kind: 'string', value });
    } else if (c === '`') {
      i += 1;
      template();
    } else if (c === '{') {
      braces.push(false);
      tokens.push({ kind: 'punct', value: '{' });
      i += 1;
    } else if (c === '}') {
      const inTemplate = braces.pop();
      i += 1;
      if (inTemplate) {
        tokens.push({ kind: 'punct', value: ')' });
        template();
      } else tokens.push({ kind: 'punct', value: '}' });
    } else if (c === '/' && (REGEX_AFTER.has(last()) || tokens.length === 0)) {
      i += 1;
      let inClass = false;
      while (i < n && text[i] !== '\n') {
        if (text[i] === '\\') i += 2;
        else if (text[i] === '[') (inClass = true), (i += 1);
        else if (text[i] === ']') (inClass = false), (i += 1);
        else if (text[i] === '/' && !inClass) break;
        else i += 1;
      }
      i += 1;
      while (i < n && /[a-z]/.test(text[i])) i += 1;
      tokens.push({ kind: 'regex', value: '' });
    } else if (/[A-Za-z_$]/.test(c) || c > '\x7f') {
      let j = i + 1;
      while (j < n && (/[A-Za-z0-9_$]/.test(text[j]) || text[j] > '\x7f')) j += 1;
      tokens.push({ kind: 'ident', value: text.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(text[j])) j += 1;
      tokens.push({ kind: 'number', value: text.slice(i, j) });
      i = j;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === '=' && text[i + 1] === '>') {
      tokens.push({ kind: 'punct', value: '=>' });
      i += 2;
    } else if (c === '.' && text[i + 1] === '.' && text[i + 2] === '.') {
      tokens.push({ kind: 'punct', value: '...' });
      i += 3;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i += 1;
    }
  }
  return tokens;
}

/** Module specifiers a JS file loads: static imports and re-exports, literal dynamic imports and requires. */
export function jsSpecifiers(text) {
  const tokens = jsTokens(text);
  const found = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    const prev = tokens[i - 1]?.value;
    if (t.kind !== 'ident' || prev === '.') continue;
    if (t.value === 'import') {
      const next = tokens[i + 1];
      if (next?.kind === 'string') found.push(next.value); // import './x.js'
      else if (next?.value === '(' && tokens[i + 2]?.kind === 'string' && [')', ','].includes(tokens[i + 3]?.value)) found.push(tokens[i + 2].value);
      else if (next?.value !== '(' && next?.value !== '.') {
        // import a, { b } from './x.js'; import * as c from …; import source m from …
        const at = fromAfter(tokens, i + 1);
        if (at !== null) found.push(at);
      }
    } else if (t.value === 'export') {
      const next = tokens[i + 1];
      if (next?.value === '*' || next?.value === '{') {
        const at = fromAfter(tokens, i + 1);
        if (at !== null) found.push(at);
      }
    } else if (t.value === 'require' && tokens[i + 1]?.value === '(' && tokens[i + 2]?.kind === 'string' && tokens[i + 3]?.value === ')') {
      found.push(tokens[i + 2].value);
    }
  }
  return found;
}

/** The `from '…'` specifier of the import/export clause starting at tokens[i], or null when it has none. */
function fromAfter(tokens, i) {
  const statementStart = new Set(['import', 'export', 'const', 'let', 'var', 'function', 'class', 'async']);
  let depth = 0;
  for (let at = i; at < tokens.length && at < i + 400; at += 1) {
    const { kind, value } = tokens[at];
    if (value === '{') depth += 1;
    else if (value === '}') depth -= 1;
    else if (depth > 0) continue;
    else if (value === ';' || kind === 'string' || kind === 'template') return null;
    else if (kind === 'ident' && value === 'from' && tokens[at - 1]?.value !== '.' && tokens[at + 1]?.kind === 'string') return tokens[at + 1].value;
    else if (kind === 'ident' && at > i && statementStart.has(value) && tokens[at - 1]?.value !== '.') return null;
  }
  return null;
}

function listJs(folder, out = []) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) listJs(path, out);
    else if (JS_EXTENSIONS.has(extname(entry.name))) out.push(path);
  }
  return out;
}

/** Graph of the JS modules under the folders; edges to files outside them are kept out. */
export function jsGraph(folders) {
  const files = folders.flatMap((folder) => listJs(resolve(folder)));
  const inside = new Set(files);
  const graph = new Map();
  const unresolved = [];
  for (const file of files) {
    const targets = new Set();
    for (const specifier of jsSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) continue; // packages, node: builtins
      const target = resolveJs(dirname(file), specifier);
      if (target === null) unresolved.push({ file, specifier });
      else if (inside.has(target) && target !== file) targets.add(target);
      else if (target === file) targets.add(file);
    }
    graph.set(file, targets);
  }
  return { graph, unresolved };
}

function resolveJs(dir, specifier) {
  const base = resolve(dir, specifier.split(/[?#]/)[0]);
  for (const candidate of [base, ...[...JS_EXTENSIONS].map((e) => base + e), ...[...JS_EXTENSIONS].map((e) => join(base, `index${e}`))]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null; // e.g. ./wasm/… only present in the built package
}

// ---------------------------------------------------------------- concerns

/**
 * The graph between concerns: every node mapped by `groupOf` (nodes it maps to null are left out),
 * edges inside one group dropped. A cycle here is two folders that need each other.
 */
export function grouped(graph, groupOf) {
  const out = new Map();
  for (const [node, targets] of graph) {
    const from = groupOf(node);
    if (from === null) continue;
    if (!out.has(from)) out.set(from, new Set());
    for (const target of targets) {
      const to = groupOf(target);
      if (to !== null && to !== from) out.get(from).add(to);
    }
  }
  return out;
}

// ---------------------------------------------------------------- command line

const USAGE = 'usage: cycles.mjs [--rust src/lib.rs]… [--js folder]… [--facades] [--concerns] [--max-cycles N] [--graph] [--json]';

/** Runs the check as the command line does; returns the exit status (0 ok, 1 too many cycles, 2 usage). */
export function main(argv) {
  const rust = [];
  const js = [];
  let facades = false;
  let showGraph = false;
  let json = false;
  let concerns = false;
  let maxCycles = 0;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[(i += 1)];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--rust') rust.push(value());
    else if (arg === '--js') js.push(value());
    else if (arg === '--facades') facades = true;
    else if (arg === '--graph') showGraph = true;
    else if (arg === '--json') json = true;
    else if (arg === '--concerns') concerns = true;
    else if (arg === '--max-cycles') {
      maxCycles = Number(value());
      if (!Number.isInteger(maxCycles) || maxCycles < 0) throw new UsageError('--max-cycles needs a whole number ≥ 0');
    } else throw new UsageError(`unknown argument: ${arg}`);
  }
  if (rust.length === 0 && js.length === 0) rust.push('src/lib.rs');
  const cwd = process.cwd();
  const report = [];
  const describe = (language, root, graph, name) => ({
    language, root, modules: graph.size,
    graph: Object.fromEntries([...graph].map(([id, t]) => [name(id), [...t].map(name).sort()])),
    cycles: cycles(graph).map((c) => ({ members: c.map(name), path: witness(graph, c).map(name) })),
  });
  for (const rootFile of rust) {
    const { graph, files } = rustGraph(rootFile, { facades });
    report.push(describe('rust', rootFile, graph, (id) => relative(cwd, files.get(id))));
    if (concerns) {
      // crate::a::b… → crate::a (a top-level folder or file); the crate root is left out.
      const between = grouped(graph, (id) => (id === 'crate' ? null : id.split('::').slice(0, 2).join('::')));
      report.push(describe('rust concerns', rootFile, between, (id) => `${relative(cwd, dirname(files.get('crate')))}/${id.split('::')[1]}`));
    }
  }
  if (js.length > 0) {
    const { graph, unresolved } = jsGraph(js);
    report.push({ ...describe('js', js.join(' '), graph, (file) => relative(cwd, file)), unresolved: unresolved.map((u) => `${relative(cwd, u.file)}: ${u.specifier}`) });
    if (concerns) {
      // A file → the first folder below the scanned folder that holds it (a file at its top: itself).
      const roots = js.map((folder) => resolve(folder));
      const between = grouped(graph, (file) => {
        const base = roots.find((r) => file.startsWith(`${r}/`));
        if (!base) return file;
        const [first, ...rest] = relative(base, file).split('/');
        return rest.length > 0 ? join(base, first) : file;
      });
      report.push(describe('js concerns', js.join(' '), between, (file) => relative(cwd, file)));
    }
  }
  const total = report.reduce((sum, r) => sum + r.cycles.length, 0);
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const r of report) {
      if (showGraph) {
        console.log(`# ${r.language} module graph (${r.root})`);
        for (const [file, targets] of Object.entries(r.graph)) console.log(`${file} → ${targets.join(', ') || '—'}`);
        // Relative imports with no file here: built files (wasm glue), or paths valid only in pkg/.
        for (const u of r.unresolved ?? []) console.log(`unresolved: ${u}`);
      }
      console.log(`${r.language} (${r.root}): ${r.modules} modules, ${r.cycles.length} cycle${r.cycles.length === 1 ? '' : 's'}`);
      for (const c of r.cycles) console.log(`  cycle: ${c.path.join(' → ')}${c.members.length > c.path.length - 1 ? `  [component: ${c.members.join(', ')}]` : ''}`);
    }
  }
  if (total > maxCycles) {
    console.error(`cycles: ${total} import cycle${total === 1 ? '' : 's'} found, at most ${maxCycles} allowed`);
    return 1;
  }
  return 0;
}

class UsageError extends Error {}

/** True when Node was started with this file (compared as real paths: a symlink or an escaped character must not matter). */
function isMain() {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof UsageError ? `${USAGE}\n${error.message}` : `cycles: ${error.message}`);
    process.exitCode = 2;
  }
}
