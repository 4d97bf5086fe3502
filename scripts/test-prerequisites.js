#!/usr/bin/env node
/**
 * The first step of `npm test`: checks that the system tools the tests use are present, before anything
 * else runs. Run as root where apt-get exists, it installs the missing Debian packages and says which (as
 * `playwright install --with-deps` does); otherwise it stops at once with one line naming the command to run.
 *
 * Every tool here is needed: no test skips itself because a tool is missing, so a missing tool must stop
 * the run here, not turn into a quiet pass.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const python3Imports = (mod) =>
  existsSync('/usr/bin/python3') &&
  spawnSync('/usr/bin/python3', ['-c', `import ${mod}`], { stdio: 'ignore' }).status === 0;
const postgresBin = () =>
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));

/** Debian package → what the tests use it for → whether it is there. */
const prerequisites = [
  ['chromium', 'end-to-end tests in a real browser', () => existsSync('/usr/bin/chromium')],
  ['socat', 'serial devices on real pty pairs', () => onPath('socat')],
  ['udev', 'serial port discovery (udevadm)', () => onPath('udevadm')],
  ['python3-scipy', 'reference filters and spectra', () => python3Imports('scipy.signal')],
  ['python3-mne', 'independent EDF/BDF reader', () => python3Imports('mne')],
  ['gcc', 'building the EDFlib check', () => onPath('gcc')],
  ['libedf-dev', 'EDFlib, the strict EDF+/BDF+ reader', () => existsSync('/usr/include/edflib.h')],
  ['poppler-utils', 'reading the visit report PDF', () => onPath('pdftotext') && onPath('pdftoppm')],
  ['postgresql', 'the clinic and study server', postgresBin],
  ['python3-yaml', 'reading the BIDS schema rules', () => python3Imports('yaml')],
];

const missing = prerequisites.filter(([, , present]) => !present());
if (missing.length === 0) process.exit(0);

const names = missing.map(([name]) => name);
const why = missing.map(([name, what]) => `${name} (${what})`).join(', ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) {
  console.error(`Tests need ${why}. Run: sudo apt-get install -y --no-install-recommends ${names.join(' ')}`);
  process.exit(1);
}

console.log(`Installing from Debian for the tests: ${why}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], {
    stdio: 'inherit',
    env,
  });
} catch (e) {
  console.error(
    `apt-get could not install ${names.join(' ')}: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(1);
}
const still = missing.filter(([, , present]) => !present()).map(([name]) => name);
if (still.length > 0) {
  console.error(`Still missing after apt-get install: ${still.join(', ')}`);
  process.exit(1);
}
