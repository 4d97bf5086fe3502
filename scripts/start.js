#!/usr/bin/env node
// `npm start`: build what is needed, then open the desktop app (Electron). Where Electron's binary is
// missing and cannot be fetched, say so in one line and serve the same UI to a browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const passThrough = process.argv.slice(2);

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log('Building Tonus…');
run(process.execPath, [bin('tsc'), '-b']);
run(process.execPath, [bin('vite'), 'build', '--logLevel', 'warn']);
run(process.execPath, [bin('vite'), 'build', '--logLevel', 'warn', '-c', 'vite.preload.config.ts']);

/** Path of the Electron binary, or undefined when it is not installed and cannot be downloaded. */
function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return probe.status === 0 && probe.stdout ? probe.stdout : undefined;
}

const electron = process.env.TONUS_BROWSER_SHELL ? undefined : electronBinary();
const child = electron
  ? spawn(electron, ['.', ...passThrough], { cwd: root, stdio: 'inherit' })
  : (console.log(
      'Electron is not available on this machine (its binary could not be downloaded): serving the Tonus UI to your browser instead.',
    ),
    spawn(process.execPath, [join(root, 'bin', 'tonus.js'), ...passThrough, 'serve'], {
      cwd: root,
      stdio: 'inherit',
    }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
