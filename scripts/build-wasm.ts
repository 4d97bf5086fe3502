// `npm run build:wasm`: compiles each AssemblyScript kernel in assembly/ and writes its bytes as the TypeScript
// module the DSP code imports (committed, so building and testing Tonus never needs the compiler).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../src/app/paths.js';
import { compileWasmKernel, WASM_KERNELS, wasmModuleText } from './wasm-kernels.js';

for (const { source, module, constant } of WASM_KERNELS) {
  const bytes = await compileWasmKernel(source);
  await writeFile(join(packageRoot(), module), await wasmModuleText(source, constant, bytes));
  console.log(`${module}: ${bytes.length} bytes from ${source}`);
}
