import * as tf from '@tensorflow/tfjs';
import {AUDIT_LOSS_NAMES, AuditLossName} from '../audit/audit_loss';
import {formatPrecisionAudit} from '../audit/audit_table';
import {precisionAuditHtml, precisionAuditSvg} from '../audit/audit_svg';
import {PrecisionAudit, precisionAudit} from '../audit/precision_audit';
import {nodeBuiltins} from '../io/node_builtins';
import {AuditBatch, randomBatch, readDataFile} from './audit_data';
import {CliError} from './exit_codes';
import {OptionSpec, ParsedArgs, numberOption, optionHelp, parseArgs, stringOption} from './parse_args';

const COMMAND = 'audit';

export const AUDIT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  data: {value: 'FILE.json', help: 'the batch: {"x": [...], "y": [...]} (default: random inputs in [0, 1))'},
  batch: {value: 'N', help: 'batch size of the random inputs (default 32)'},
  seed: {value: 'N', help: 'seed of the random inputs and labels (default 1)'},
  loss: {value: 'NAME', help: `differentiate this loss: ${AUDIT_LOSS_NAMES.join(', ')} (default: the model's training config, else outputs only)`},
  'no-gradients': {help: 'outputs and weights only, even when the model has a loss'},
  html: {value: 'FILE', help: 'write the report (table and picture) as HTML'},
  svg: {value: 'FILE', help: 'write the picture as SVG'},
  json: {value: 'FILE', help: 'write the audit object as JSON'},
  'flush-tolerance': {value: 'SHARE', help: "share of gradients that may flush to zero before 'needs loss scaling' (default 0.001)"},
  'max-relative-error': {value: 'E', help: "largest relative error of a rounded output that is 'fine' (default 0.01)"},
  check: {help: "exit with code 4 if any layer's float16 verdict is not 'fine'"},
  help: {help: 'show this help'},
};

export const AUDIT_USAGE = [
  'Usage: tfjs-mixed-precision audit <model.json | model dir> [options]',
  '',
  'Runs the model on one batch in float32 and prints, per layer, what float16 and',
  'bfloat16 would make of its outputs and gradients, with a verdict per layer.',
  '',
  ...optionHelp(AUDIT_OPTIONS),
].join('\n');

/** Runs `audit`; returns the exit code. */
export async function auditCommand(argv: readonly string[], load: (p: string) => Promise<tf.LayersModel>): Promise<number> {
  const args = parseArgs(argv, AUDIT_OPTIONS, COMMAND);
  if (args.options.has('help')) {
    console.log(AUDIT_USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    throw new CliError('usage', `${COMMAND}: give exactly one model (a model.json or its directory); received ${args.positionals.length} arguments.\n\n${AUDIT_USAGE}`);
  }
  const batchSize = numberOption(args, 'batch', 32, {min: 1, max: 65536, integer: true}, COMMAND);
  const seed = numberOption(args, 'seed', 1, {min: 0, max: 2 ** 31 - 1, integer: true}, COMMAND);
  const flushTolerance = numberOption(args, 'flush-tolerance', 0.001, {min: 0, max: 1}, COMMAND);
  const maxRelativeError = numberOption(args, 'max-relative-error', 0.01, {min: 0, max: 1}, COMMAND);
  const lossOption = stringOption(args, 'loss');
  if (lossOption !== undefined && !(AUDIT_LOSS_NAMES as readonly string[]).includes(lossOption)) {
    throw new CliError('usage', `${COMMAND}: --loss must be one of ${AUDIT_LOSS_NAMES.join(', ')}; received '${lossOption}'.`);
  }
  const model = await load(args.positionals[0] as string);
  let batch: AuditBatch | undefined;
  try {
    const loss = args.options.has('no-gradients') ? null : ((lossOption as AuditLossName | undefined) ?? compiledLossName(model));
    const data = stringOption(args, 'data');
    batch = data === undefined ? randomBatch(model, batchSize, seed, loss, COMMAND) : readDataFile(data, model, COMMAND);
    if (loss === null && batch.ys !== null) {
      tf.dispose(batch.ys);
      batch = {xs: batch.xs, ys: null};
    }
    if (loss !== null && batch.ys === null) {
      // A data file without labels: random labels for the loss.
      const labels = randomBatch(model, batch.xs[0]?.shape[0] ?? 1, seed, loss, COMMAND);
      tf.dispose(labels.xs);
      batch = {xs: batch.xs, ys: labels.ys};
    }
    let audit: PrecisionAudit;
    try {
      audit = precisionAudit(model, batch.xs, batch.ys ?? undefined, {
        ...(loss === null ? {} : {loss}),
        flushTolerance,
        maxRelativeError,
      });
    } catch (e) {
      throw new CliError('input', `${COMMAND}: the model cannot run on this data: ${(e as Error).message}`);
    }
    const table = formatPrecisionAudit(audit);
    console.log(table);
    writeOutputs(args, audit, table, args.positionals[0] as string);
    if (args.options.has('check') && audit.summary.float16.verdict !== 'fine') {
      return 4;
    }
    return 0;
  } finally {
    if (batch !== undefined) {
      tf.dispose([...batch.xs, ...(batch.ys ?? [])]);
    }
    model.dispose();
  }
}

function compiledLossName(model: tf.LayersModel): AuditLossName | null {
  let loss: unknown;
  try {
    loss = (model as {loss?: unknown}).loss;
  } catch {
    return null;
  }
  return typeof loss === 'string' && (AUDIT_LOSS_NAMES as readonly string[]).includes(loss) ? (loss as AuditLossName) : null;
}

function writeOutputs(args: ParsedArgs, audit: PrecisionAudit, table: string, modelPath: string): void {
  const {fs, path} = nodeBuiltins('tfjs-mixed-precision audit');
  const title = `Precision audit: ${path.basename(path.resolve(modelPath))}`;
  const outputs: Array<[string, () => string]> = [
    ['html', () => precisionAuditHtml(audit, table, title)],
    ['svg', () => precisionAuditSvg(audit, title)],
    ['json', () => JSON.stringify(audit, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)],
  ];
  for (const [option, render] of outputs) {
    const file = stringOption(args, option);
    if (file !== undefined) {
      try {
        fs.mkdirSync(path.dirname(path.resolve(file)), {recursive: true});
        fs.writeFileSync(file, render());
      } catch (e) {
        throw new CliError('input', `${COMMAND}: cannot write --${option} '${file}': ${(e as Error).message}`);
      }
      console.log(`${option}: ${path.resolve(file)}`);
    }
  }
}
