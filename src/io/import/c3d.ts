/**
 * C3D files (gait and motion labs: Vicon, Qualisys, BTS, Motion Analysis, …) as a {@link Recording}.
 *
 * Analog channels are imported; 3D point data is skipped (its size is still checked). Every analog channel
 * becomes `value = (raw − ANALOG:OFFSET[c]) · ANALOG:SCALE[c] · ANALOG:GEN_SCALE` in ANALOG:UNITS[c], at
 * ANALOG:RATE (C3D User Guide "analog data"; ezc3d `Channel.cpp`; py-c3d). Channels whose label or
 * description says EMG form an `emg` stream (kind `emg`); the others (force plates, triggers) an `analog`
 * stream. Units Tonus knows (V, mV, µV, …) are kept; others (N, N·mm) are stored as `none` with the unit in
 * the channel label. Integer files store int16 (u16 with ANALOG:FORMAT UNSIGNED); float files (POINT:SCALE
 * < 0) store floats. Intel, DEC and SGI/MIPS number formats are read ({@link C3dNumbers}).
 *
 * Data layout, frame by frame: POINT:USED × (X, Y, Z, residual), then samples-per-frame × ANALOG:USED
 * values, channel fastest. Frames run from header word 4 to word 5 (1-based); longer files give the count
 * in POINT:FRAMES. Events come from the EVENT group (TIMES = [minutes, seconds]) or, without it, from the
 * header's event table, relative to the first stored frame (frame 1 or, in files that start at frame 0, frame 0). C3D stores no date: the start is 0.
 */
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { ChannelDescriptor } from '../../shared/samples.js';
import { RecordingFormatError } from '../recording-format-error.js';
import { C3dParameterReader, readC3dParameters } from './c3d-parameters.js';
import { rangeAround } from './channel-range.js';
import { unitFromText } from './unit-text.js';

/**
 * True when the bytes look like a C3D file: the key 0x50 in header byte 2, a first parameter block ≥ 2 and
 * a processor type of 84–86 in that block.
 */
export function looksLikeC3d(bytes: Uint8Array): boolean {
  const block = bytes[0] ?? 0;
  const processor = bytes[(block - 1) * 512 + 3] ?? 0;
  return bytes[1] === 0x50 && block >= 2 && processor >= 84 && processor <= 86;
}

/** Parses a C3D file. Throws {@link RecordingFormatError} with the byte offset. */
export function parseC3d(bytes: Uint8Array, source: string): Recording {
  const fail = (problem: string, byteOffset: number): never => {
    throw new RecordingFormatError(source, problem, { byteOffset });
  };
  const params = readC3dParameters(bytes, fail);
  const { numbers } = params;
  const p = new C3dParameterReader(params);

  const pointsUsed = p.number('POINT:USED', true) ?? numbers.uint16(2);
  const pointScale = p.number('POINT:SCALE') ?? numbers.float32(12);
  const pointRateHz = p.number('POINT:RATE') ?? numbers.float32(20);
  if (!(Number.isFinite(pointScale) && pointScale !== 0)) fail(`POINT:SCALE ${pointScale} is not usable`, 12);
  if (!(pointRateHz > 0 && Number.isFinite(pointRateHz)))
    fail(`frame rate ${pointRateHz} Hz is not positive`, 20);
  const isFloat = pointScale < 0;
  const word = isFloat ? 4 : 2;
  const analogUsed = p.number('ANALOG:USED', true) ?? 0;
  const analogRateHz = p.number('ANALOG:RATE') ?? 0;
  const perFrame = analogUsed > 0 ? Math.round(analogRateHz / pointRateHz) : 0;
  if (analogUsed > 0 && !(perFrame >= 1 && Math.abs(analogRateHz / pointRateHz - perFrame) < 1e-3))
    fail(`ANALOG:RATE ${analogRateHz} Hz is not a whole multiple of the frame rate ${pointRateHz} Hz`, 0);
  if (analogUsed > 0 && numbers.uint16(4) !== analogUsed * perFrame)
    fail(
      `header says ${numbers.uint16(4)} analog values per frame, parameters ${analogUsed} × ${perFrame}`,
      4,
    );
  if (analogUsed === 0)
    fail('the file has no analog channels (ANALOG:USED is 0); point data is not imported', 0);

  const firstFrame = numbers.uint16(6);
  const lastFrame = numbers.uint16(8);
  const declaredFrames = p.number('POINT:FRAMES', true);
  let frames = lastFrame - firstFrame + 1;
  if (lastFrame === 65535 && declaredFrames !== undefined && declaredFrames > frames) frames = declaredFrames;
  if (!(frames >= 1)) fail(`frames ${firstFrame}–${lastFrame}: none`, 6);
  const dataBlock = p.number('POINT:DATA_START', true) ?? numbers.uint16(16);
  if (dataBlock < 2) fail(`data start block ${dataBlock} is before the parameters end`, 16);
  const dataAt = (dataBlock - 1) * 512;
  const frameBytes = 4 * pointsUsed * word + perFrame * analogUsed * word;
  if (dataAt + frames * frameBytes > bytes.length)
    fail(
      `the file ends inside frame ${Math.floor((bytes.length - dataAt) / frameBytes) + 1} of ${frames} (data from block ${dataBlock}, ${frameBytes} bytes a frame)`,
      bytes.length,
    );

  const labels = p.continued('ANALOG:LABELS', (k) => p.strings(k));
  const descriptions = p.continued('ANALOG:DESCRIPTIONS', (k) => p.strings(k));
  const unitTexts = p.continued('ANALOG:UNITS', (k) => p.strings(k));
  const scales = p.continued('ANALOG:SCALE', (k) => p.numbers(k));
  const unsigned = /UNSIGNED/i.test(p.strings('ANALOG:FORMAT')[0] ?? '');
  const offsets = p.continued('ANALOG:OFFSET', (k) => p.numbers(k, unsigned));
  const genScale = p.number('ANALOG:GEN_SCALE') ?? 1;
  const factors = Array.from({ length: analogUsed }, (_, c) => (scales[c] ?? 1) * genScale);
  const bad = factors.findIndex((f) => !Number.isFinite(f));
  if (bad >= 0) fail(`analog channel ${bad + 1} has no finite scale`, p.get('ANALOG:SCALE')?.dataAt ?? 0);

  const n = frames * perFrame;
  const data = Array.from({ length: analogUsed }, () => new Float32Array(n));
  for (let f = 0; f < frames; f++) {
    let at = dataAt + f * frameBytes + 4 * pointsUsed * word;
    for (let s = 0; s < perFrame; s++)
      for (let c = 0; c < analogUsed; c++, at += word) {
        const raw = isFloat ? numbers.float32(at) : unsigned ? numbers.uint16(at) : numbers.int16(at);
        const v = Math.fround((raw - (offsets[c] ?? 0)) * (factors[c] as number));
        if (!Number.isFinite(v)) fail(`analog channel ${c + 1}, frame ${firstFrame + f} holds ${v}`, at);
        (data[c] as Float32Array)[f * perFrame + s] = v;
      }
  }

  /** An integer file's range: the ADC's full 16-bit span, scaled like the samples. */
  const integerRange = (c: number): { rangeMin: number; rangeMax: number } => {
    const [lo, hi] = unsigned ? [0, 65535] : [-32768, 32767];
    const ends = [lo, hi].map((raw) => (raw - (offsets[c] ?? 0)) * (factors[c] as number));
    const [rangeMin = -1, rangeMax = 1] = ends.sort((a, b) => a - b);
    return rangeMin < rangeMax && Number.isFinite(rangeMin) && Number.isFinite(rangeMax)
      ? { rangeMin, rangeMax }
      : rangeAround(data[c] as Float32Array);
  };
  const emg: number[] = [];
  const other: number[] = [];
  const ids = new Set<string>();
  const channels = Array.from({ length: analogUsed }, (_, c): ChannelDescriptor => {
    const label = labels[c] || `Analog ${c + 1}`;
    const isEmg = /emg/i.test(`${label} ${descriptions[c] ?? ''}`);
    (isEmg ? emg : other).push(c);
    const unitText = unitTexts[c] ?? '';
    const unit = unitFromText(unitText);
    let id = label.replace(/\W+/g, '_') || `analog${c + 1}`;
    while (ids.has(id)) id = `${id}_${c + 1}`;
    ids.add(id);
    return {
      id,
      label: unit === 'none' && unitText !== '' ? `${label} (${unitText})` : label,
      kind: isEmg ? 'emg' : 'other',
      unit,
      ...(isFloat ? rangeAround(data[c] as Float32Array) : integerRange(c)),
    };
  });
  const streams: RecordedStream[] = [];
  for (const [id, label, members] of [
    ['emg', 'EMG', emg],
    ['analog', 'Analog', other],
  ] as const)
    if (members.length > 0)
      streams.push({
        descriptor: {
          id,
          label,
          sampleRateHz: analogRateHz,
          channels: members.map((c) => channels[c] as ChannelDescriptor),
        },
        data: members.map((c) => data[c] as Float32Array),
      });

  const startS = Math.max(0, firstFrame - 1) / pointRateHz;
  const annotations: Annotation[] = readEvents(p, numbers, startS);
  const meta: Record<string, string> = {
    c3dProcessor: params.processor,
    c3dDataFormat: isFloat ? 'float' : 'integer',
    c3dFrames: `${firstFrame}–${firstFrame + frames - 1} at ${pointRateHz} Hz`,
    c3dPointsSkipped: String(pointsUsed),
  };
  const manufacturer = p.strings('MANUFACTURER:COMPANY')[0];
  if (manufacturer) meta.device = [manufacturer, ...p.strings('MANUFACTURER:SOFTWARE').slice(0, 1)].join(' ');
  return { format: 'c3d', source, startTimeMs: 0, streams, annotations, meta };
}

function readEvents(
  p: C3dParameterReader,
  numbers: { bytes: Uint8Array; uint16(at: number): number; float32(at: number): number },
  startS: number,
): Annotation[] {
  const out: Annotation[] = [];
  const used = p.number('EVENT:USED', true);
  if (used !== undefined) {
    const labels = p.strings('EVENT:LABELS');
    const contexts = p.strings('EVENT:CONTEXTS');
    const times = p.numbers('EVENT:TIMES');
    for (let k = 0; k < used; k++) {
      const t = (times[2 * k] ?? Number.NaN) * 60 + (times[2 * k + 1] ?? Number.NaN) - startS;
      if (!(t >= 0 && Number.isFinite(t))) continue;
      out.push({ onsetS: t, text: [contexts[k], labels[k]].filter((s) => s).join(' ') || `Event ${k + 1}` });
    }
  } else {
    const count = Math.min(18, numbers.uint16(300));
    for (let k = 0; k < count; k++) {
      const t = numbers.float32(304 + 4 * k) - startS;
      if (!(t >= 0 && Number.isFinite(t))) continue;
      const label = String.fromCharCode(...numbers.bytes.subarray(396 + 4 * k, 400 + 4 * k))
        .replace(/\0/g, ' ')
        .trim();
      out.push({ onsetS: t, text: label || `Event ${k + 1}` });
    }
  }
  return out.sort((a, b) => a.onsetS - b.onsetS);
}
