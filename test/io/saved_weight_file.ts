// Saves name their shard files freshly each time (see src/io/file_system.ts),
// so tests find a saved model's weight file through its manifest.
import * as fs from 'fs';
import * as path from 'path';

/** The path of the one weight file `dir/model.json` lists. */
export function savedWeightFile(dir: string): string {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {weightsManifest: {paths: string[]}[]};
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  if (paths.length !== 1 || paths[0] === undefined) {
    throw new Error(`expected one weight file in ${dir}/model.json, found ${JSON.stringify(paths)}`);
  }
  return path.join(dir, paths[0]);
}
