/**
 * The Keras class names of the layers that keep a dtype policy when loaded
 * (their classes read every policy shape `deserializePolicy` reads). Other
 * layers get a plain dtype string a stock tfjs layer can use.
 */
export const POLICY_LAYER_CLASS_NAMES: readonly string[] = [
  'Dense',
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'Conv2DTranspose',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'Activation',
];

export function isPolicyLayerClass(className: string): boolean {
  return POLICY_LAYER_CLASS_NAMES.includes(className);
}
