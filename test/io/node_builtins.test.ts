import * as fs from 'fs';
import * as path from 'path';

import {fileSystem} from '../../src/io/file_system';
import {isNode, nodeBuiltins} from '../../src/io/node_builtins';
import {withoutProcess} from '../setup/without_process';

describe('node builtins', () => {
  it("hands out Node's fs and path under Node", () => {
    expect(isNode()).toBe(true);
    const {fs: f, path: p} = nodeBuiltins('test');
    expect(f.readFileSync).toBe(fs.readFileSync);
    expect(p.join).toBe(path.join);
  });

  it('fails with a clear error outside Node, naming the caller and the alternatives', () => {
    expect(withoutProcess(() => isNode())).toBe(false);
    expect(() => withoutProcess(() => fileSystem('/tmp/model'))).toThrow(
      /^fileSystem reads and writes files with Node.js's fs module, which is not available here. In a browser, use tf.io.http/,
    );
  });

  // The package must load in a browser bundle: no module of it may import a
  // Node builtin at its top level (src/io/node_builtins.ts and src/policy/async_context.ts reach them lazily).
  it('no source file of the package imports a Node builtin', () => {
    const root = path.join(__dirname, '..', '..');
    const offenders: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          visit(file);
        } else if (entry.name.endsWith('.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          // `typeof import('fs')` is a type, erased when compiled.
          if (/(from\s+|require\(\s*|(?<!typeof )import\(\s*)['"](node:)?(fs|path|os|url|child_process|worker_threads|async_hooks)(\/[a-z]+)?['"]/.test(text)) {
            offenders.push(path.relative(root, file));
          }
        }
      }
    };
    visit(path.join(root, 'src'));
    visit(path.join(root, 'layers'));
    expect(offenders).toEqual([]);
  });
});
