// A small hand-written argument parser: positionals, `--flag`,
// `--option value` and `--option=value`, checked against a table of options.

import {CliError} from './exit_codes';

/** An option: whether it takes a value, and its help line. */
export interface OptionSpec {
  readonly value?: string;
  readonly help: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

/**
 * Parses `argv` against `specs` (keyed by the option name without dashes).
 *
 * @example
 * parseArgs(['m.json', '--batch', '8'], {batch: {value: 'N', help: '...'}});
 * // {positionals: ['m.json'], options: Map {'batch' => '8'}}
 */
export function parseArgs(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>, command: string): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (spec === undefined) {
      const valid = Object.keys(specs).map((n) => `--${n}`).join(', ');
      throw new CliError('usage', `${command}: unknown option '--${name}'. Valid options: ${valid}.`);
    }
    if (spec.value === undefined) {
      if (eq >= 0) {
        throw new CliError('usage', `${command}: option '--${name}' takes no value; received '${arg}'.`);
      }
      options.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') {
      throw new CliError('usage', `${command}: option '--${name}' needs a value (${spec.value}).`);
    }
    options.set(name, value);
  }
  return {positionals, options};
}

/** The option's value as a number in [min, max] (integer if asked), or the fallback. */
export function numberOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  range: {min: number; max: number; integer?: boolean},
  command: string,
): number {
  const raw = args.options.get(name);
  if (raw === undefined) {
    return fallback;
  }
  const v = Number(raw);
  if (raw === true || !Number.isFinite(v) || v < range.min || v > range.max || (range.integer === true && !Number.isInteger(v))) {
    const kind = range.integer === true ? 'an integer' : 'a number';
    throw new CliError('usage', `${command}: --${name} must be ${kind} from ${range.min} to ${range.max}; received '${String(raw)}'.`);
  }
  return v;
}

/** The option's string value, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Help lines for a table of options. */
export function optionHelp(specs: Readonly<Record<string, OptionSpec>>): string[] {
  const left = Object.entries(specs).map(([n, s]) => `  --${n}${s.value === undefined ? '' : ` ${s.value}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return Object.values(specs).map((s, i) => `${(left[i] as string).padEnd(width)}${s.help}`);
}
