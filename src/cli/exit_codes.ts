/**
 * The command line's exit codes, one table for the code, `--help` and the README.
 */
export const EXIT_CODES = {
  ok: {code: 0, meaning: 'success'},
  internal: {code: 1, meaning: 'unexpected error (a bug: please report it)'},
  usage: {code: 2, meaning: 'bad command line: unknown command or option, missing or bad value'},
  input: {code: 3, meaning: 'cannot read the model or the data file (missing path, not a tfjs layers model, bad JSON, shapes that do not fit)'},
  check: {code: 4, meaning: "audit --check: at least one layer's float16 verdict is not 'fine'"},
  refused: {code: 5, meaning: "convert: a weight holds a value float16 cannot (NaN, or beyond 65504 without --saturate); nothing written"},
} as const;

export type ExitKind = keyof typeof EXIT_CODES;

/** An error that ends the command with a given exit code. */
export class CliError extends Error {
  constructor(
    readonly kind: ExitKind,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind].code;
  }
}
