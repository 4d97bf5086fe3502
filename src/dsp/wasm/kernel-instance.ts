/** The part of the WebAssembly JavaScript API used here (the pure DSP code is typed without DOM or Node). */
interface WasmRuntime {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** What every kernel in assembly/ exports besides its functions. */
export interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
}

const PAGE_BYTES = 65536;

/**
 * An instance of the compiled kernel `bytes` (a few kilobytes: synchronous compilation is allowed on any
 * thread). Each thread compiles its own on first use.
 * @throws Error if the JavaScript engine has no WebAssembly.
 */
export function instantiateKernel<T extends KernelExports>(bytes: Uint8Array, name: string): T {
  const wasm = (globalThis as { WebAssembly?: WasmRuntime }).WebAssembly;
  if (!wasm) throw new Error(`The ${name} needs WebAssembly, which this JavaScript engine lacks.`);
  return new wasm.Instance(new wasm.Module(bytes), {}).exports as T;
}

/**
 * Lays out buffers of the given byte lengths one after another (16-byte aligned) from the kernel's heap base,
 * growing its memory as needed; returns their byte offsets. Views of the kernel's memory made before a call
 * may be stale after it (the memory may have grown).
 */
export function layOut(kernel: KernelExports, byteLengths: readonly number[]): number[] {
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const offsets: number[] = [];
  let at = align(kernel.heapBase());
  for (const length of byteLengths) {
    offsets.push(at);
    at = align(at + length);
  }
  const have = kernel.memory.buffer.byteLength;
  if (at > have) kernel.memory.grow(Math.ceil((at - have) / PAGE_BYTES));
  return offsets;
}
