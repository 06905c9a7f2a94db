import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A fresh directory under os.tmpdir(); remove it with `removeTempDirs()`. */
const created: string[] = [];
export function makeTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-io-test-'));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

/** The bytes of an ArrayBuffer or a list of them, for comparisons. */
export function bytesOf(data: ArrayBuffer | ArrayBuffer[] | undefined): number[] {
  const list = data === undefined ? [] : Array.isArray(data) ? data : [data];
  return list.flatMap((b) => Array.from(new Uint8Array(b)));
}
