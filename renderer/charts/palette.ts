/**
 * Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. Traces are also labelled,
 * so colour never carries meaning alone.
 */
export const okabeIto = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#8c6d1f',
];

export const traceColour = (i: number): string => okabeIto[i % okabeIto.length] as string;
