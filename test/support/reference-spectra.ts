/** Every real recording with EMG in the repository. */
export const EMG_FILES = [
  'biosppy/emg_1.txt',
  'biosppy/emg.txt',
  ...['3A', '5N'].flatMap((s) => ['sen', 'pie', 'mar'].map((t) => `uci-lower-limb/${s}${t}.csv`)),
];

/**
 * scipy's side of the session EMG spectrum: butter(4, band) sos + sosfiltfilt, the iirnotch cascade where the
 * analysis applied one, welch with default window/overlap/detrend, and median/mean frequency over the band
 * (median interpolated inside the bin where the cumulative power crosses half, as the analysis does).
 */
export const SCIPY_MDF_MNF = `x = np.asarray(inp['x'], dtype=float)
fs = inp['fs']; lo = inp['lo']; hi = inp['hi']
y = signal.sosfiltfilt(signal.butter(4, [lo, hi], 'bandpass', fs=fs, output='sos'), x)
if inp['notch']:
    sos = np.vstack([np.hstack(signal.iirnotch(f, 30, fs=fs)) for f in np.arange(inp['mains'], fs / 2, inp['mains'])])
    y = signal.sosfiltfilt(sos, y)
f, p = signal.welch(y, fs=fs, nperseg=int(inp['nperseg']))
sel = (f >= lo) & (f <= hi)
f = f[sel]; p = p[sel]
mnf = np.sum(f * p) / np.sum(p)
c = np.cumsum(p); half = c[-1] / 2; k = int(np.nonzero(c >= half)[0][0])
mdf = f[k] if k == 0 else f[k - 1] + (half - c[k - 1]) / p[k] * (f[k] - f[k - 1])
out = {'mdf': [mdf], 'mnf': [mnf]}`;
