/**
 * PLUX sensor transfer functions (BITalino and biosignalsplux), raw ADC value → physical unit.
 *
 * EMG, from the PLUX EMG sensor datasheets (BITalino (r)evolution EMG datasheet; biosignalsplux EMG datasheet)
 * and PLUX's own code (pluxbiosignals/biosignalsnotebooks `conversion.py` `raw_to_phy`):
 *   EMG(mV) = (ADC / 2^n − 1/2) · VCC / G_EMG · 1000      (n = channel resolution in bits)
 *   - BITalino (r)evolution and riot: VCC 3.3 V, G_EMG 1009
 *   - BITalino (original board): VCC 3.3 V, G_EMG 1008 (biosignalsnotebooks `conversion.py`)
 *   - biosignalsplux, bioplux, channeller and the rest of the plux family: VCC 3 V, G_EMG 1000
 *
 * ACC, from the PLUX ACC datasheets and biosignalsnotebooks `conversion.py`:
 *   - BITalino: ACC(g) = 2 · (ADC − Cmin) / (Cmax − Cmin) − 1 with the datasheet's default calibration
 *     Cmin 400, Cmax 608 at 10 bits (scaled by 2^(n − 10) at other resolutions: 25 and 38 at 6 bits).
 *     opensignalsreader's `bit.py` defaults Cmax to 600 instead; Tonus follows PLUX's notebooks.
 *   - biosignalsplux family: ACC(g) = 2 · (2^(16 − n) · ADC − Cmin) / (Cmax − Cmin) − 1 with the 16-bit
 *     default calibration Cmin 28000, Cmax 38000.
 * Each sensor has its own calibration; these defaults can be off by a few percent.
 */

/** Which transfer-function family a PLUX device belongs to. */
export type PluxFamily = 'bitalino' | 'bitalino-legacy' | 'plux';

/** The family of an OpenSignals `device` value (`bitalino_rev`, `biosignalsplux`, …). */
export function pluxFamily(device: string): PluxFamily {
  if (device === 'bitalino') return 'bitalino-legacy';
  return device.startsWith('bitalino') ? 'bitalino' : 'plux';
}

const emgConstants: Record<PluxFamily, { vccV: number; gain: number }> = {
  bitalino: { vccV: 3.3, gain: 1009 },
  'bitalino-legacy': { vccV: 3.3, gain: 1008 },
  plux: { vccV: 3, gain: 1000 },
};

/** EMG in mV from a raw ADC value of a channel with `bits` bits. */
export function pluxEmgMv(adc: number, bits: number, family: PluxFamily): number {
  const { vccV, gain } = emgConstants[family];
  return ((adc / 2 ** bits - 0.5) * vccV * 1000) / gain;
}

/** Acceleration in g from a raw ADC value of a channel with `bits` bits, default calibration. */
export function pluxAccG(adc: number, bits: number, family: PluxFamily): number {
  if (family === 'plux') return (2 * (2 ** (16 - bits) * adc - 28000)) / (38000 - 28000) - 1;
  const scale = 2 ** (bits - 10);
  const cMin = 400 * scale;
  const cMax = 608 * scale;
  return (2 * (adc - cMin)) / (cMax - cMin) - 1;
}
