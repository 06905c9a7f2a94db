#!/usr/bin/env node
// The `tfjs-mixed-precision` command (package.json "bin").
import {main} from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
