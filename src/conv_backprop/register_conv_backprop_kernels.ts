/**
 * Side-effect module: importing it registers the composed convolution
 * backprop kernels (wasm: Conv2DBackpropFilter, Conv2DBackpropInput,
 * DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput;
 * cpu: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter). It does not
 * import @tensorflow/tfjs-backend-wasm: the wasm kernels sit in the registry
 * until that backend is loaded and set.
 *
 * @example
 * import '@tensorflow/tfjs-backend-wasm';
 * import 'tfjs-mixed-precision'; // runs this module
 * await tf.setBackend('wasm');
 * model.fit(images, labels); // convnets train on wasm
 */
import {registerConvBackpropKernels} from './conv_backprop_registry';

registerConvBackpropKernels();
