// The built package, as a user gets it: `npm test` builds dist/ first. Both
// module systems must load it by name (Node resolves a package's own name
// through its "exports" map) and see the same public surface.
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, {cwd: root, encoding: 'utf8'}).trim();
}

describe('built package', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'dist', 'cjs', 'src', 'index.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
    }
  });

  it('loads with require and with import, exposing the same names', () => {
    const script = "const mp = require('tfjs-mixed-precision'); console.log(JSON.stringify(Object.keys(mp).sort()))";
    const cjsNames = JSON.parse(runNode(['-e', script])) as string[];
    const esmNames = JSON.parse(
      runNode([
        '--input-type=module',
        '-e',
        "import * as mp from 'tfjs-mixed-precision'; console.log(JSON.stringify(Object.keys(mp).sort()))",
      ]),
    ) as string[];
    expect(cjsNames).toEqual(expect.arrayContaining(['Policy', 'setGlobalPolicy', 'withPolicy', 'deserializePolicy']));
    expect(esmNames).toEqual(cjsNames.filter((n) => n !== '__esModule'));
  });

  it('shares one module state between import and require', () => {
    const out = runNode([
      '--input-type=module',
      '-e',
      [
        "import {createRequire} from 'module';",
        "import * as mp from 'tfjs-mixed-precision';",
        "const cjs = createRequire(process.cwd() + '/')('tfjs-mixed-precision');",
        "mp.setGlobalPolicy('mixed_float16');",
        'console.log(cjs.globalPolicy().name);',
      ].join('\n'),
    ]);
    expect(out).toBe('mixed_float16');
  });

  it('ships type declarations for its entry point', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const types = pkg.exports['.'].types as string;
    expect(fs.existsSync(path.join(root, types))).toBe(true);
    expect(fs.readFileSync(path.join(root, types), 'utf8')).toContain('Policy');
  });
});
