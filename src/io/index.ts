/**
 * The `mp.io` namespace: IO handlers tfjs lacks without tfjs-node.
 *
 * @example
 * await model.save(mp.io.fileSystem('/tmp/my-model'));
 * const loaded = await mp.loadLayersModel(mp.io.fileSystem('/tmp/my-model'));
 */
export {fileSystem, FileSystemHandler} from './file_system';
export type {FileSystemOptions} from './file_system';
export {encodeFloat16Weights, float16Weights} from './float16_weights';
export type {Float16EncodingInfo, Float16WeightsOptions} from './float16_weights';
