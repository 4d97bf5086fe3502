/**
 * C3D header, number formats and parameter section (C3D User Guide, Motion Lab Systems; ezc3d `Header.cpp`,
 * `Parameters.cpp`, `Group.cpp`, `Parameter.cpp`; py-c3d `c3d.py`; spec/formats-addendum.md §1).
 *
 * Blocks are 512 bytes, numbered from 1. Header byte 0 = first parameter block p, byte 1 = 0x50. The
 * parameter section starts with 4 bytes: (ignored, ignored, number of parameter blocks, processor type):
 * 84 Intel (little-endian integers, IEEE floats), 85 DEC (little-endian integers, DEC F-floats),
 * 86 SGI/MIPS (big-endian integers and IEEE floats). Then records until a name length or offset of 0:
 * ```
 * group:     i8 nameLen (negative = locked), i8 id < 0, name, i16 offset, u8 descLen, description
 * parameter: i8 nameLen, i8 groupId > 0, name, i16 offset, i8 type (−1 char, 1 byte, 2 int16, 4 float),
 *            u8 nDims, nDims × u8 dims, data (Fortran order), u8 descLen, description
 * ```
 * The offset counts from the offset field itself to the next record.
 */

export type C3dProcessor = 'intel' | 'dec' | 'mips';

/** Reads C3D numbers in a file's processor format; every read is bounds-checked by the caller. */
export class C3dNumbers {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly processor: C3dProcessor,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private get little(): boolean {
    return this.processor !== 'mips';
  }
  int16(at: number): number {
    return this.view.getInt16(at, this.little);
  }
  uint16(at: number): number {
    return this.view.getUint16(at, this.little);
  }
  /**
   * A 32-bit float. DEC F-floats are converted exactly as ezc3d does (`ezc3d.cpp` readFloat): the 16-bit
   * words are swapped and the exponent lowered by 2 (DEC's bias is 128 and its hidden bit sits at 0.5).
   */
  float32(at: number): number {
    if (this.processor !== 'dec') return this.view.getFloat32(at, this.little);
    const b = this.bytes;
    const b1 = b[at + 1] as number;
    const ieee = Uint8Array.of(
      b[at + 2] as number,
      b[at + 3] as number,
      b[at] as number,
      b1 !== 0 ? b1 - 1 : 0,
    );
    return new DataView(ieee.buffer).getFloat32(0, true);
  }
}

export interface C3dParameter {
  group: string;
  name: string;
  /** −1 char, 1 byte, 2 int16, 4 float32. */
  type: number;
  dims: number[];
  /** Byte offset of the first data element. */
  dataAt: number;
}

export interface C3dParameters {
  processor: C3dProcessor;
  numbers: C3dNumbers;
  /** Keyed `GROUP:NAME`, upper case. */
  byName: Map<string, C3dParameter>;
}

type Fail = (problem: string, byteOffset: number) => never;

/** Reads the processor type and every group and parameter. */
export function readC3dParameters(bytes: Uint8Array, fail: Fail): C3dParameters {
  if (bytes.length < 512)
    fail(`a C3D file has at least one 512-byte block; this one has ${bytes.length} bytes`, 0);
  if (bytes[1] !== 0x50) fail(`header byte 2 is ${bytes[1]}, not the C3D key 0x50`, 1);
  const firstBlock = bytes[0] as number;
  if (firstBlock < 2) fail(`first parameter block ${firstBlock} (must be 2 or more)`, 0);
  const start = (firstBlock - 1) * 512;
  if (start + 4 > bytes.length) fail(`parameter block ${firstBlock} is beyond the end of the file`, 0);
  const processorByte = bytes[start + 3] as number;
  const processor: C3dProcessor | undefined =
    processorByte === 84 ? 'intel' : processorByte === 85 ? 'dec' : processorByte === 86 ? 'mips' : undefined;
  if (!processor)
    return fail(`processor type ${processorByte} (must be 84 Intel, 85 DEC or 86 SGI/MIPS)`, start + 3);
  const numbers = new C3dNumbers(bytes, processor);
  const blocks = bytes[start + 2] as number;
  const end = Math.min(bytes.length, start + Math.max(1, blocks) * 512);
  const groups = new Map<number, string>();
  const pending: (Omit<C3dParameter, 'group'> & { groupId: number; at: number })[] = [];
  const ascii = (from: number, n: number): string =>
    String.fromCharCode(...bytes.subarray(from, from + n)).replace(/\0+$/, '');
  let pos = start + 4;
  while (pos + 2 <= end) {
    const nameLength = Math.abs(((bytes[pos] as number) << 24) >> 24);
    if (nameLength === 0) break;
    const id = ((bytes[pos + 1] as number) << 24) >> 24;
    const nameAt = pos + 2;
    const offsetAt = nameAt + nameLength;
    if (offsetAt + 2 > end) fail('parameter record runs past the parameter section', pos);
    const name = ascii(nameAt, nameLength).trim().toUpperCase();
    const offset = numbers.int16(offsetAt);
    if (id < 0) groups.set(-id, name);
    else if (id > 0) {
      const typeAt = offsetAt + 2;
      if (typeAt + 2 > end) fail(`parameter ${name} runs past the parameter section`, pos);
      const type = ((bytes[typeAt] as number) << 24) >> 24;
      if (type !== -1 && type !== 1 && type !== 2 && type !== 4)
        fail(`parameter ${name} has data type ${type} (must be −1, 1, 2 or 4)`, typeAt);
      const nDims = bytes[typeAt + 1] as number;
      const dims = Array.from(bytes.subarray(typeAt + 2, typeAt + 2 + nDims));
      const dataAt = typeAt + 2 + nDims;
      const size = dims.reduce((n, d) => n * d, 1) * Math.abs(type);
      if (dataAt + size > end)
        fail(`parameter ${name}'s ${size} data bytes run past the parameter section`, dataAt);
      pending.push({ groupId: id, name, type, dims, dataAt, at: pos });
    } else fail(`record ${name} has group id 0`, pos + 1);
    if (offset === 0) break;
    if (offset < 0) fail(`record ${name} points backwards (offset ${offset})`, offsetAt);
    pos = offsetAt + offset;
  }
  const byName = new Map<string, C3dParameter>();
  for (const { groupId, at: _, ...p } of pending) {
    const group = groups.get(groupId);
    if (group !== undefined) byName.set(`${group}:${p.name}`, { group, ...p });
  }
  return { processor, numbers, byName };
}

/** Reads parameters by name with C3D's typing rules. */
export class C3dParameterReader {
  constructor(private readonly params: C3dParameters) {}

  get(key: string): C3dParameter | undefined {
    return this.params.byName.get(key);
  }

  /** Every element as a number: int16 as signed (or unsigned with `unsigned`), floats, bytes. */
  numbers(key: string, unsigned = false): number[] {
    const p = this.get(key);
    if (!p || p.type === -1) return [];
    const count = p.dims.reduce((n, d) => n * d, 1);
    const { numbers } = this.params;
    return Array.from({ length: count }, (_, k) => {
      const at = p.dataAt + k * Math.abs(p.type);
      if (p.type === 4) return numbers.float32(at);
      if (p.type === 2) return unsigned ? numbers.uint16(at) : numbers.int16(at);
      return numbers.bytes[at] as number;
    });
  }

  /** The first element, or undefined. */
  number(key: string, unsigned = false): number | undefined {
    return this.numbers(key, unsigned)[0];
  }

  /** A char array as its strings (dims[0] = length, the rest = count), trimmed. */
  strings(key: string): string[] {
    const p = this.get(key);
    if (!p || p.type !== -1) return [];
    const [length = 0, ...rest] = p.dims.length === 0 ? [1] : p.dims;
    const count = rest.reduce((n, d) => n * d, 1);
    const bytes = this.params.numbers.bytes;
    return Array.from({ length: count }, (_, k) =>
      String.fromCharCode(...bytes.subarray(p.dataAt + k * length, p.dataAt + (k + 1) * length))
        .replace(/\0/g, ' ')
        .trim(),
    );
  }

  /** `GROUP:NAME` followed by `NAME2`, `NAME3`, … (C3D's continuation of arrays beyond 255 entries). */
  continued<T>(key: string, read: (k: string) => T[]): T[] {
    const out = [...read(key)];
    for (let n = 2; this.get(`${key}${n}`); n++) out.push(...read(`${key}${n}`));
    return out;
  }
}
