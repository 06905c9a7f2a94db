// Side-effect module: registers the finiteness-check kernel for cpu and wasm
// (the wasm one waits in the registry until that backend is loaded).
// Importing it twice, or from two copies of this package, is harmless.
import {registerMissingKernels} from '../backend_views';
import {nonFiniteCpuConfig} from './gradient_kernels_cpu';
import {nonFiniteWasmConfig} from './gradient_kernels_wasm';

registerMissingKernels([nonFiniteCpuConfig, nonFiniteWasmConfig]);
