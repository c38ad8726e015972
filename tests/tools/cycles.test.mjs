// Tests of tools/cycles.mjs, the import-cycle check `npm test` runs on the crate and on the JS: Rust
// module trees and JS module folders written to a temporary folder, each import form once, and a
// cycle planted through each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cycles, jsGraph, jsSpecifiers, rustGraph, witness } from '../../tools/cycles.mjs';

const tool = fileURLToPath(new URL('../../tools/cycles.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ssfr-cycles-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
/** Writes `files` ({ 'relative/path': text }) into a fresh folder; returns its path. */
function tree(files) {
  count += 1;
  const dir = join(scratch, String(count));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The crate's graph as { module: [modules it names] } with ids shortened (`crate::a::b` → `a::b`). */
function rust(files, options) {
  const dir = tree(files);
  const { graph } = rustGraph(join(dir, 'lib.rs'), options);
  const short = (id) => (id === 'crate' ? 'crate' : id.slice('crate::'.length));
  return {
    edges: Object.fromEntries([...graph].map(([id, targets]) => [short(id), [...targets].map(short).sort()])),
    cycles: cycles(graph).map((component) => component.map(short)),
  };
}

/** The JS graph of one folder as { file: [files it imports] }, names relative to the folder. */
function js(files) {
  const dir = tree(files);
  const { graph, unresolved } = jsGraph([dir]);
  const short = (file) => file.slice(dir.length + 1);
  return {
    edges: Object.fromEntries([...graph].map(([file, targets]) => [short(file), [...targets].map(short).sort()])),
    cycles: cycles(graph).map((component) => component.map(short)),
    unresolved: unresolved.map((u) => `${short(u.file)}: ${u.specifier}`),
  };
}

describe('graph', () => {
  test('strongly connected components of more than one node, and self-loops, are cycles', () => {
    const graph = new Map([
      ['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a', 'd'])], ['d', new Set()],
      ['e', new Set(['e'])], ['f', new Set(['d', 'outside'])],
    ]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c'], ['e']]);
    assert.deepEqual(witness(graph, ['a', 'b', 'c']), ['a', 'b', 'c', 'a']);
  });

  test('a long chain does not overflow the stack', () => {
    const graph = new Map(Array.from({ length: 50_000 }, (_, i) => [i, new Set(i + 1 < 50_000 ? [i + 1] : [0])]));
    assert.equal(cycles(graph)[0].length, 50_000);
  });
});

describe('Rust modules', () => {
  test('`use crate::…` both ways is a cycle; one way is not', () => {
    const files = {
      'lib.rs': 'mod a;\nmod b;\n',
      'a.rs': 'use crate::b::Thing;\npub struct Other;\n',
      'b.rs': 'pub struct Thing;\n',
    };
    assert.deepEqual(rust(files).edges, { crate: ['a', 'b'], a: ['b'], b: [] });
    assert.deepEqual(rust(files, { facades: true }).cycles, []);
    assert.deepEqual(rust({ ...files, 'b.rs': 'use crate::a::Other;\npub struct Thing;\n' }, { facades: true }).cycles, [['a', 'b']]);
  });

  test('foo.rs + foo/ and foo/mod.rs layouts, `super::` and `super::super::`', () => {
    const { edges, cycles: found } = rust({
      'lib.rs': 'pub mod outer;\npub mod folder;\n',
      'outer.rs': 'mod inner;\n',
      'outer/inner.rs': 'pub fn f() { super::super::folder::leaf::g(); }\n',
      'folder/mod.rs': 'pub mod leaf;\n',
      'folder/leaf.rs': 'pub fn g() { crate::outer::h(); }\n',
    }, { facades: true });
    assert.deepEqual(edges, { crate: [], outer: [], 'outer::inner': ['folder::leaf'], folder: [], 'folder::leaf': ['outer'] });
    assert.deepEqual(found, []);
  });

  test('strict: a child naming its parent, which declares it, is a cycle; --facades drops parent → child edges', () => {
    const files = {
      'lib.rs': 'mod parent;\n',
      'parent.rs': 'mod child;\npub use child::Child;\npub struct Shared;\n',
      'parent/child.rs': 'use super::Shared;\npub struct Child(Shared);\n',
    };
    assert.deepEqual(rust(files).cycles, [['parent', 'parent::child']]);
    assert.deepEqual(rust(files, { facades: true }).edges, { crate: [], parent: [], 'parent::child': ['parent'] });
    assert.deepEqual(rust(files, { facades: true }).cycles, []);
  });

  test('grouped `use` trees with `self`, `as` and globs', () => {
    const { edges, cycles: found } = rust({
      'lib.rs': 'mod a;\nmod b;\nmod c;\nmod d;\n',
      'a.rs': 'pub(crate) use crate::{b, c::{Thing as Other, self}, d::*};\n',
      'b.rs': '', 'c.rs': 'pub struct Thing;\n', 'd.rs': 'use crate::a::*;\n',
    }, { facades: true });
    assert.deepEqual(edges.a, ['b', 'c', 'd']);
    assert.deepEqual(found, [['a', 'd']]);
  });

  test('a module bound by `use` (also renamed) and named later in code', () => {
    const { edges, cycles: found } = rust({
      'lib.rs': 'mod a;\nmod b;\nmod c;\n',
      'a.rs': 'use crate::b;\nuse crate::c as renamed;\npub fn f() { b::g(); renamed::h(); }\n',
      'b.rs': 'pub fn g() {}\n',
      'c.rs': 'pub fn h() { crate::a::f(); }\n',
    }, { facades: true });
    assert.deepEqual(edges.a, ['b', 'c']);
    assert.deepEqual(found, [['a', 'c']]);
  });

  test('a bare path to a child module (2018 paths) is an edge to it; to an extern crate it is not', () => {
    const { edges } = rust({
      'lib.rs': 'mod a;\npub fn f() { a::g(); std::mem::drop(1); serde::x(); }\n',
      'a.rs': 'pub fn g() {}\n',
    });
    assert.deepEqual(edges, { crate: ['a'], a: [] });
  });

  test('`#[path]` picks the file; after other attributes and `pub(crate)` too', () => {
    const { edges, cycles: found } = rust({
      'lib.rs': '#[path = "elsewhere/named.rs"]\n#[allow(dead_code)]\npub(crate) mod x;\nmod y;\n',
      'elsewhere/named.rs': 'use crate::y::Y;\npub struct X;\n',
      'y.rs': 'pub struct Y(crate::x::X);\n',
    }, { facades: true });
    assert.deepEqual(edges.x, ['y']);
    assert.deepEqual(found, [['x', 'y']]);
  });

  test('inline `mod tests { … }` belongs to its file; its `super::` names the file itself', () => {
    const { edges, cycles: found } = rust({
      'lib.rs': 'mod a;\nmod b;\n',
      'a.rs': 'pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::f;\n    use crate::b::g;\n}\n',
      'b.rs': 'pub fn g() { crate::a::f(); }\n',
    }, { facades: true });
    assert.deepEqual(edges, { crate: [], a: ['b'], b: ['a'] });
    assert.deepEqual(found, [['a', 'b']]);
  });

  test('comments, strings, raw strings, chars, lifetimes and `pub(in …)` are not imports', () => {
    const { edges } = rust({
      'lib.rs': 'mod a;\nmod b;\n',
      'a.rs': [
        '// use crate::b::X;',
        '/* crate::b::x() /* nested */ crate::b::y() */',
        'const S: &str = "crate::b::X";',
        'const R: &str = r#"use crate::b::X; "quoted""#;',
        "const C: char = '\"'; const Q: u8 = b'\\'';",
        "pub(in crate::b) fn f<'a>(x: &'a str) -> &'a str { x }",
        '/// Doc: [`crate::b::X`]',
        'pub struct Done;',
      ].join('\n'),
      'b.rs': 'use crate::a::Done;\npub struct X;\n',
    }, { facades: true });
    assert.deepEqual(edges, { crate: [], a: [], b: ['a'] });
  });

  test('a `mod x;` without a file is an error naming it', () => {
    assert.throws(() => rust({ 'lib.rs': 'mod missing;\n' }), /no file for `mod missing;`/);
  });
});

describe('JS modules', () => {
  // Each form a module can load another by; b.mjs imports a.mjs back, so each plants a cycle.
  const forms = {
    'default import': "import b from './b.mjs';",
    'named import': "import { b, c as d } from './b.mjs';",
    'default and namespace import': "import b, * as all from './b.mjs';",
    'side-effect import': "import './b.mjs';",
    'source phase import': "import source b from './b.mjs';",
    'export star': "export * from './b.mjs';",
    'export star as': "export * as b from './b.mjs';",
    'export list from': "export { b, c as default } from './b.mjs';",
    'dynamic import with a literal': "const b = await import('./b.mjs');",
    'dynamic import with options': "const b = await import('./b.mjs', { with: {} });",
    require: "const b = require('./b.mjs');",
    'specifier without extension': "import b from './b';",
    'multi-line import': "import {\n  b,\n  c,\n} from './b.mjs';",
  };
  for (const [name, line] of Object.entries(forms)) {
    test(`${name}: an edge, and a cycle when the target imports back`, () => {
      const found = js({ 'a.mjs': `${line}\n`, 'b.mjs': "import { a } from './a.mjs';\nexport const b = 1;\n" });
      assert.deepEqual(found.edges, { 'a.mjs': ['b.mjs'], 'b.mjs': ['a.mjs'] });
      assert.deepEqual(found.cycles, [['a.mjs', 'b.mjs']]);
    });
  }

  test('folders: index files, `..` and .js/.cjs files; a longer cycle through them', () => {
    const found = js({
      'main.mjs': "import { lib } from './lib';\n",
      'lib/index.js': "export { helper as lib } from './helper.cjs';\n",
      'lib/helper.cjs': "module.exports = require('../sub/last.js');\n",
      'sub/last.js': "import '../main.mjs';\n",
    });
    assert.deepEqual(found.edges, {
      'lib/helper.cjs': ['sub/last.js'], 'lib/index.js': ['lib/helper.cjs'], 'main.mjs': ['lib/index.js'], 'sub/last.js': ['main.mjs'],
    });
    assert.deepEqual(found.cycles, [['lib/helper.cjs', 'lib/index.js', 'main.mjs', 'sub/last.js']]);
  });

  test('a module importing itself is a cycle', () => {
    assert.deepEqual(js({ 'a.mjs': "export * from './a.mjs';\n" }).cycles, [['a.mjs']]);
  });

  test('packages, node: builtins and computed specifiers are not edges; missing files are listed as unresolved', () => {
    const found = js({
      'a.mjs': [
        "import { readFileSync } from 'node:fs';",
        "import pkg from 'sqlserverflex-restore';",
        'const name = "./b.mjs"; await import(name); await import(`./b.mjs`); require(name);',
        "import { glue } from './wasm/glue.js';",
      ].join('\n'),
      'b.mjs': "import './a.mjs';\n",
    });
    assert.deepEqual(found.edges, { 'a.mjs': [], 'b.mjs': ['a.mjs'] });
    assert.deepEqual(found.unresolved, ['a.mjs: ./wasm/glue.js']);
  });

  test('imports inside comments, strings, templates and regular expressions are not imports', () => {
    const text = [
      "// import x from './b.mjs';",
      "/* export * from './b.mjs'; */",
      "const s = \"import x from './b.mjs'\";",
      "const t = 'import(\\'./b.mjs\\')';",
      "const u = `import x from './b.mjs' ${`nested ${'x'}`} require('./b.mjs')`;",
      "const r = /import x from '.\\/b.mjs'/g;",
      "const q = a / 2 / import.meta.url.length;",
      'const o = { import: 1, from: 2 }; o.import(\'./b.mjs\'); o.require(\'./b.mjs\');',
    ].join('\n');
    assert.deepEqual(jsSpecifiers(text), []);
    const found = js({ 'a.mjs': text, 'b.mjs': "import './a.mjs';\n" });
    assert.deepEqual(found.cycles, []);
  });

  test('`import.meta` and a statement that only looks like an import clause find nothing', () => {
    assert.deepEqual(jsSpecifiers("const url = new URL('./b.mjs', import.meta.url);\nexport { a };\nconst from = 'x';\n"), []);
  });

  test('a shebang line is skipped', () => {
    assert.deepEqual(jsSpecifiers("#!/usr/bin/env node\nimport './b.mjs';\n"), ['./b.mjs']);
  });
});

describe('command line', () => {
  const cli = (cwd, args) => spawnSync(process.execPath, [tool, ...args], { cwd, encoding: 'utf8' });

  test('exit 0 and a count when there is no cycle; 1 with the cycle printed when there is', () => {
    const dir = tree({
      'src/lib.rs': 'mod a;\nmod b;\n', 'src/a.rs': 'use crate::b::B;\npub struct A;\n', 'src/b.rs': 'pub struct B;\n',
      'web/a.mjs': "import './b.mjs';\n", 'web/b.mjs': '',
    });
    const clean = cli(dir, ['--facades', '--rust', 'src/lib.rs', '--js', 'web']);
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /^rust \(src\/lib\.rs\): 3 modules, 0 cycles$/m);
    assert.match(clean.stdout, /^js \(web\): 2 modules, 0 cycles$/m);

    writeFileSync(join(dir, 'src/b.rs'), 'pub struct B(crate::a::A);\n');
    writeFileSync(join(dir, 'web/b.mjs'), "import './a.mjs';\n");
    const cyclic = cli(dir, ['--facades', '--rust', 'src/lib.rs', '--js', 'web']);
    assert.equal(cyclic.status, 1);
    assert.match(cyclic.stdout, /cycle: src\/a\.rs → src\/b\.rs → src\/a\.rs/);
    assert.match(cyclic.stdout, /cycle: web\/a\.mjs → web\/b\.mjs → web\/a\.mjs/);
    assert.match(cyclic.stderr, /2 import cycles found, at most 0 allowed/);
    assert.equal(cli(dir, ['--facades', '--max-cycles', '2', '--rust', 'src/lib.rs', '--js', 'web']).status, 0);

    const json = JSON.parse(cli(dir, ['--facades', '--json', '--rust', 'src/lib.rs']).stdout);
    assert.deepEqual(json[0].cycles, [{ members: ['src/a.rs', 'src/b.rs'], path: ['src/a.rs', 'src/b.rs', 'src/a.rs'] }]);
  });

  test('--concerns: two top-level folders that need each other are a cycle, though their files are not', () => {
    const dir = tree({
      'src/lib.rs': 'mod api;\nmod s3;\n',
      'src/api/mod.rs': 'mod urls;\nmod calls;\n', 'src/api/urls.rs': 'pub fn u() {}\n', 'src/api/calls.rs': 'use crate::s3::sign::s;\n',
      'src/s3/mod.rs': 'pub mod sign;\n', 'src/s3/sign.rs': 'use crate::api::urls::u;\npub fn s() {}\n',
    });
    const result = cli(dir, ['--facades', '--concerns', '--rust', 'src/lib.rs']);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^rust \(src\/lib\.rs\): 6 modules, 0 cycles$/m);
    assert.match(result.stdout, /^rust concerns \(src\/lib\.rs\): 2 modules, 1 cycle$/m);
    assert.match(result.stdout, /cycle: src\/api → src\/s3 → src\/api/);
  });

  test('usage and read errors exit 2', () => {
    const dir = tree({ 'empty.txt': '' });
    for (const args of [['--max-cycles', 'many'], ['--js'], ['--what']]) {
      const result = cli(dir, args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /^usage: cycles\.mjs/);
    }
    const missing = cli(dir, ['--rust', 'src/lib.rs']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^cycles: ENOENT/);
  });
});
