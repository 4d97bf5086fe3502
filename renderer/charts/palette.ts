/**
 * Trace colours, after Okabe–Ito (distinguishable with the common colour-vision deficiencies), with the
 * yellow-orange, sky blue, reddish purple and black replaced by mid-tones, so that every trace keeps at least 3:1 contrast
 * against the chart background in both themes (white and the dark theme's surface; test/renderer/
 * palette.test.ts checks it against the stylesheet). Traces are also labelled, so colour never carries
 * meaning alone.
 */
export const okabeIto = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#C06C84',
  '#AD7A00',
  '#2F8FD0',
  '#808080',
  '#9467BD',
];

export const traceColour = (i: number): string => okabeIto[i % okabeIto.length] as string;
