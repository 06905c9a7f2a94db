import * as tf from '@tensorflow/tfjs';

import '../index';
import {AUDIT_USAGE, auditCommand} from './audit_command';
import {CONVERT_USAGE, convertCommand} from './convert_command';
import {CliError, EXIT_CODES} from './exit_codes';
import {loadModel} from './load_model';

const NAME = 'tfjs-mixed-precision';

export const USAGE = [
  `Usage: ${NAME} <command> [options]`,
  '',
  'Commands:',
  '  audit <model.json>                   per-layer float16/bfloat16 precision audit',
  '  convert <model.json> --float16 <dir> write a copy with half-size (float16) weights',
  '',
  `Run '${NAME} <command> --help' for a command's options.`,
  '',
  'Exit codes:',
  ...Object.values(EXIT_CODES).map((e) => `  ${e.code}  ${e.meaning}`),
].join('\n');

/**
 * The command line: returns the exit code (see EXIT_CODES); messages go to
 * stdout, errors to stderr.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      if (command === undefined) {
        console.error(USAGE);
        return EXIT_CODES.usage.code;
      }
      console.log(USAGE);
      return 0;
    }
    // Quiet: no "running TensorFlow.js in Node.js" banner between the table lines.
    tf.enableProdMode();
    await tf.setBackend('cpu');
    if (command === 'audit') {
      return await auditCommand(rest, (p) => loadModel(p, 'audit'));
    }
    if (command === 'convert') {
      return await convertCommand(rest);
    }
    throw new CliError('usage', `unknown command '${command}'; valid commands: audit, convert.`);
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`${NAME}: ${e.message}`);
      return e.exitCode;
    }
    console.error(`${NAME}: unexpected error: ${(e as Error).stack ?? String(e)}`);
    return EXIT_CODES.internal.code;
  }
}

export {AUDIT_USAGE, CONVERT_USAGE};
