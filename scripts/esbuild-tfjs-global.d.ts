import type {Plugin} from 'esbuild';

/** Maps @tensorflow/tfjs (and its sub-packages) to the page's global `tf`. */
export declare const tfjsGlobalPlugin: Plugin;
