// Side-effect module: registers the wasm UnsortedSegmentSum kernel (the
// gradient of GatherV2, so of Embedding layers) where the backend has none.
// It waits in the registry until the wasm backend is loaded, in either import
// order; a backend that has its own keeps it. Importing twice is harmless.
import {registerMissingKernels} from '../backend_views';
import {unsortedSegmentSumWasmConfig} from './unsorted_segment_sum_wasm';

registerMissingKernels([unsortedSegmentSumWasmConfig]);
