"""Reference EMG onset detectors for the agreement tests and docs/validation.md, run with /usr/bin/python3
and numpy/scipy only (BioSPPy itself cannot be installed here: PyPI is unreachable).

Re-implemented from published descriptions and source (not copied):
- biosppy: BioSPPy `biosppy.signals.emg.emg()` + `find_onsets()` (PIA-Group/BioSPPy, BSD-3-Clause):
  filtfilt with butter(4, 100 Hz, 'highpass') in (b, a) form, full-wave rectification, 'boxzen' smoothing
  (boxcar then Parzen kernel of int(0.05 * fs) samples, edge-value padding, numpy convolve 'same'),
  threshold 1.2 * mean + 2 * std(ddof=1), onsets/offsets at the threshold crossings.
- hodges_bui: Hodges & Bui 1996 as specified in domain.md 1.3: rectify, low-pass 50 Hz (2nd-order
  Butterworth, zero-phase), mean + 3 SD of the quietest 500 ms, at least 25 ms above to start and below to end.
- bonato: Bonato, D'Alessio & Knaflitz 1998 (IEEE TBME 45(3):287-299) double threshold on the band-passed
  signal: z_k = x[2k]^2 + x[2k+1]^2 (non-overlapping pairs; chi-square with 2 degrees of freedom under
  Gaussian noise of variance s^2, so P(z > zeta) = exp(-zeta / (2 s^2))); a pair index k is active when at
  least r0 of the m pairs k..k+m-1 exceed zeta; zeta from the false-alarm probability Pfa of that window
  rule, P(Binomial(m, p) >= r0) = Pfa; active or inactive stretches shorter than 30 ms join the stretch
  before them (the first one the stretch after it). Paper values: Pfa 0.05, m 5, r0 1, 30 ms. The noise SD
  s is the SD of the band-passed signal over the quietest 500 ms (the paper assumes a known rest period).

Input on stdin: JSON {"signals": [[...], ...], "fs": number, "method": "biosppy" | "hodges_bui" | "bonato"}.
Output on stdout: JSON {"bursts": [[[start, end], ...], ...]}, one list per signal, in samples (end = first
sample back at/below threshold).
"""
import json
import sys

import numpy as np
from scipy import signal as ss


def _smooth(x, win):
    size = len(win)
    w = win / win.sum()
    aux = np.concatenate((x[0] * np.ones(size), x, x[-1] * np.ones(size)))
    return np.convolve(w, aux, mode='same')[size:-size]


def biosppy(x, fs):
    b, a = ss.butter(4, 100.0 / (fs / 2.0), 'highpass')
    y = ss.filtfilt(b, a, x)
    size = int(fs * 0.05)
    m = _smooth(_smooth(np.abs(y), np.ones(size)), ss.windows.parzen(size))
    thr = 1.2 * np.mean(np.abs(m)) + 2.0 * np.std(np.abs(m), ddof=1)
    above = np.nonzero(m > thr)[0]
    below = np.nonzero(m <= thr)[0]
    onsets = np.intersect1d(above - 1, below)
    offsets = np.intersect1d(above + 1, below)
    bursts = []
    for on in onsets:
        later = offsets[offsets > on]
        bursts.append([int(on), int(later[0]) if len(later) else len(x) - 1])
    return bursts


def _runs(mask, m):
    n = len(mask)
    out = []
    i = 0
    while i < n:
        while i < n and not mask[i]:
            i += 1
        j = i
        while j < n and mask[j]:
            j += 1
        if j - i < m:
            i = j
            continue
        end = n
        k = j
        while k < n:
            e = k
            while e < n and not mask[e]:
                e += 1
            if e - k >= m:
                end = k
                break
            k = e
            while k < n and mask[k]:
                k += 1
        out.append([int(i), int(end)])
        i = end + m if end < n else n
    return out


def hodges_bui(x, fs):
    sos = ss.butter(4, [20, min(450, 0.45 * fs)], 'bandpass', fs=fs, output='sos')
    y = ss.sosfiltfilt(sos, x)
    env = ss.sosfiltfilt(ss.butter(2, 50, 'lowpass', fs=fs, output='sos'), np.abs(y))
    w = int(round(0.5 * fs))
    step = max(1, w // 4)
    means = [env[s:s + w].mean() for s in range(0, len(env) - w + 1, step)]
    s0 = int(np.argmin(means)) * step
    base = env[s0:s0 + w]
    thr = base.mean() + 3 * base.std()
    return _runs(env > thr, int(round(0.025 * fs)))


def _binom_tail(m, r0, p):
    from math import comb
    return sum(comb(m, r) * p ** r * (1 - p) ** (m - r) for r in range(r0, m + 1))


def bonato(x, fs, pfa=0.05, m=5, r0=1, min_ms=30.0):
    sos = ss.butter(4, [20, min(450, 0.45 * fs)], 'bandpass', fs=fs, output='sos')
    y = ss.sosfiltfilt(sos, x)
    w = int(round(0.5 * fs))
    step = max(1, w // 4)
    means = [np.mean(y[s:s + w] ** 2) for s in range(0, len(y) - w + 1, step)]
    s0 = int(np.argmin(means)) * step
    sigma = y[s0:s0 + w].std()
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if _binom_tail(m, r0, mid) < pfa:
            lo = mid
        else:
            hi = mid
    p = (lo + hi) / 2
    zeta = -2 * sigma ** 2 * np.log(p)
    half = len(y) // 2
    z = y[0:2 * half:2] ** 2 + y[1:2 * half:2] ** 2
    exceed = np.concatenate(([0], np.cumsum(z > zeta)))
    active = [(exceed[min(k + m, half)] - exceed[k]) >= r0 for k in range(half)]
    min_pairs = int(round(min_ms * fs / 1000 / 2))
    runs = []
    for a in active:
        if runs and runs[-1][0] == a:
            runs[-1][1] += 1
        else:
            runs.append([a, 1])
    merged = []
    for v, n in runs:
        if merged and (n < min_pairs or merged[-1][0] == v):
            merged[-1][1] += n
        else:
            merged.append([v, n])
    if len(merged) > 1 and merged[0][1] < min_pairs:
        merged[1][1] += merged[0][1]
        merged = merged[1:]
    bursts = []
    k = 0
    for v, n in merged:
        if v:
            bursts.append([2 * k, 2 * (k + n)])
        k += n
    return bursts


if __name__ == '__main__':
    inp = json.loads(sys.stdin.read())
    fn = {'biosppy': biosppy, 'hodges_bui': hodges_bui, 'bonato': bonato}[inp['method']]
    out = [fn(np.asarray(x, dtype=float), float(inp['fs'])) for x in inp['signals']]
    print(json.dumps({'bursts': out}))
