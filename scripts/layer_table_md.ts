// Prints the README's layer table from layers/layer_table.ts:
//   npx ts-node --transpile-only scripts/layer_table_md.ts
import {FAST_PATH_CLASSES, LAYER_TABLE, NOT_POLICY_LAYERS} from '../layers/layer_table';
import {LayerRow} from '../layers/layer_table';

const KIND_TEXT: Record<string, string> = {
  autocast: 'autocast: inputs cast, variables read in the compute dtype, every op rounded',
  'float32 inside': 'float32 inside: inputs cast, float32 math and variables, output rounded',
  'float32 lookup': 'float32 lookup: ids not cast, output rounded',
  'float32 output': 'float32 output',
};
const lines = ['| class | `mp.layers.` | numerics under float16/bfloat16 compute |', '|---|---|---|'];
for (const [name, {factory, note}] of Object.entries(FAST_PATH_CLASSES)) {
  lines.push(`| ${name} | \`${factory}\` | own fast path: ${note} |`);
}
for (const [name, row] of Object.entries(LAYER_TABLE as Record<string, LayerRow>)) {
  const note = row.note === undefined ? '' : `; ${row.note}`;
  lines.push(`| ${name} | \`${row.factory}\` | ${KIND_TEXT[row.numerics.kind]}${note} |`);
}
for (const [name, why] of Object.entries(NOT_POLICY_LAYERS)) {
  lines.push(`| ${name} | - | no policy: ${why} |`);
}
console.log(lines.join('\n'));
