import * as tf from '@tensorflow/tfjs';

import {fileSystem} from '../io/file_system';
import {encodeFloat16Weights} from '../io/float16_weights';
import {nodeBuiltins} from '../io/node_builtins';
import {joinWeightData} from '../io/weight_shards';
import {CliError} from './exit_codes';
import {checkModelPath} from './load_model';
import {OptionSpec, optionHelp, parseArgs, stringOption} from './parse_args';

const COMMAND = 'convert';

export const CONVERT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  float16: {value: 'OUT_DIR', help: 'write the model with float16 weights (half the bytes; stock tfjs loads it) into OUT_DIR'},
  bfloat16: {value: 'OUT_DIR', help: 'refused: stock tfjs cannot decode bfloat16 weights'},
  saturate: {help: 'store weights beyond float16 range as ±65504 instead of refusing'},
  help: {help: 'show this help'},
};

export const CONVERT_USAGE = [
  'Usage: tfjs-mixed-precision convert <model.json | model dir> --float16 <out-dir> [--saturate]',
  '',
  'Rewrites the float32 weights as float16 (rounded to nearest, ties to even;',
  'float32 master weights are rounded), in the weights-manifest format stock',
  'TensorFlow.js decodes. Weights beyond float16 range are refused (exit code 5)',
  'unless --saturate; nothing is written then.',
  '',
  ...optionHelp(CONVERT_OPTIONS),
].join('\n');

/** Runs `convert`; returns the exit code. */
export async function convertCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, CONVERT_OPTIONS, COMMAND);
  if (args.options.has('help')) {
    console.log(CONVERT_USAGE);
    return 0;
  }
  if (args.options.has('bfloat16')) {
    throw new CliError(
      'usage',
      `${COMMAND}: --bfloat16 is not supported: stock tfjs decodes only 'uint8', 'uint16' and 'float16' quantized weights. Use --float16.`,
    );
  }
  const out = stringOption(args, 'float16');
  if (args.positionals.length !== 1 || out === undefined) {
    throw new CliError('usage', `${COMMAND}: give one model and --float16 <out-dir>.\n\n${CONVERT_USAGE}`);
  }
  const source = args.positionals[0] as string;
  checkModelPath(source, COMMAND);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await fileSystem(source).load();
  } catch (e) {
    throw new CliError('input', `${COMMAND}: cannot read a tfjs model from '${source}': ${(e as Error).message}`);
  }
  if (artifacts.modelTopology == null || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new CliError('input', `${COMMAND}: '${source}' has no JSON model topology; it is not a tfjs layers model.`);
  }
  let encoded: ReturnType<typeof encodeFloat16Weights>;
  try {
    encoded = encodeFloat16Weights(artifacts, {saturate: args.options.has('saturate')});
  } catch (e) {
    const message = (e as Error).message;
    throw new CliError(message.startsWith('float16Weights: weight') ? 'refused' : 'input', `${COMMAND}: ${message}`);
  }
  const target = fileSystem(out);
  const {path} = nodeBuiltins('tfjs-mixed-precision convert');
  if (path.resolve(target.modelJsonPath) === path.resolve(fileSystem(source).modelJsonPath)) {
    throw new CliError('usage', `${COMMAND}: the output '${out}' is the input model; choose another directory.`);
  }
  try {
    await target.save(encoded.artifacts);
  } catch (e) {
    throw new CliError('input', `${COMMAND}: cannot write '${out}': ${(e as Error).message}`);
  }
  const before = artifacts.weightData === undefined ? 0 : joinWeightData(artifacts.weightData).byteLength;
  const after = (encoded.artifacts.weightData as ArrayBuffer | undefined)?.byteLength ?? 0;
  const ratio = before === 0 ? '-' : (after / before).toFixed(3);
  console.log(`wrote ${target.modelJsonPath}`);
  console.log(`weights: ${before} -> ${after} bytes (ratio ${ratio}); ${encoded.info.encoded.length} weights as float16, ${encoded.info.unchanged.length} unchanged${encoded.info.saturated > 0 ? `, ${encoded.info.saturated} values saturated to ±65504` : ''}`);
  return 0;
}
