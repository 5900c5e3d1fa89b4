/**
 * Counts the `\n` bytes of a block, for `LineIndex` to pass blocks that lie wholly before the line
 * it looks for. `Buffer.indexOf` a line end at a time costs a call per line (45-55 ms for the
 * million lines of a 128 MB log); a small WebAssembly function reads the block 8 bytes a step
 * instead, with an exact test of each byte and one `popcnt` a step. The block lives in the
 * function's own memory, so the file is read straight into it. Where WebAssembly is not
 * available the count falls back to `indexOf`.
 */

/** What this module uses of WebAssembly (the ES2022 library the project builds with does not declare it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; count: (ptr: number, len: number) => number } };
};

/** The largest block counted at once. */
export const COUNTING_BLOCK_BYTES = 1024 * 1024;

const WASM_PAGE = 64 * 1024;

/** Unsigned LEB128, as WebAssembly writes sizes. */
function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? byte : byte | 0x80);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128, as WebAssembly writes an `i64.const`. */
function sleb(value: bigint): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** `count(ptr, len)`: the bytes equal to 10 in memory[ptr, ptr + len), `len` a multiple of 8. */
function countingModule(pages: number): Uint8Array {
  const i64 = (value: bigint) => [0x42, ...sleb(BigInt.asIntN(64, value))];
  const [ptr, len, end, count, x] = [0, 1, 2, 3, 4];
  const body = [
    // Locals after the two parameters: end (i32), count and x (i64).
    0x02, 0x01, 0x7f, 0x02, 0x7e,
    0x20, ptr, 0x20, len, 0x6a, 0x21, end, // end = ptr + len
    0x02, 0x40, 0x03, 0x40, // block, loop
    0x20, ptr, 0x20, end, 0x4f, 0x0d, 0x01, // if ptr >= end: out of the block
    // x = the 8 bytes at ptr, xor 0x0a in each: a zero byte where the byte was a line end.
    0x20, ptr, 0x29, 0x00, 0x00, ...i64(0x0a0a0a0a0a0a0a0an), 0x85, 0x21, x,
    // A byte's top bit of ((x & 0x7f…) + 0x7f…) | x is clear exactly when the byte is zero (no
    // carry crosses bytes); count those: popcnt(~that & 0x80…).
    0x20, x, ...i64(0x7f7f7f7f7f7f7f7fn), 0x83, ...i64(0x7f7f7f7f7f7f7f7fn), 0x7c, 0x20, x, 0x84,
    ...i64(-1n), 0x85, ...i64(0x8080808080808080n), 0x83, 0x7b,
    0x20, count, 0x7c, 0x21, count, // count += that
    0x20, ptr, 0x41, 0x08, 0x6a, 0x21, ptr, // ptr += 8
    0x0c, 0x00, 0x0b, 0x0b, // again; end loop, end block
    0x20, count, 0xa7, 0x0b, // the count as i32
  ];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const name = (text: string) => [text.length, ...Buffer.from(text)];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]), // (i32, i32) -> i32
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, ...uleb(pages)]),
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('count'), 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

/** A block to read into, and the count of its line ends. */
export interface CountingBlock {
  readonly bytes: Buffer;
  /** The `\n` bytes among `bytes[0 .. end)`. */
  newlines(end: number): number;
}

function indexOfCount(bytes: Buffer, from: number, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(10, from); i !== -1 && i < end; i = bytes.indexOf(10, i + 1)) count++;
  return count;
}

function wasmBlock(): CountingBlock | undefined {
  try {
    const pages = COUNTING_BLOCK_BYTES / WASM_PAGE;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(countingModule(pages)));
    const { memory, count } = instance.exports;
    const bytes = Buffer.from(memory.buffer, 0, COUNTING_BLOCK_BYTES);
    return {
      bytes,
      newlines: (end) => {
        const whole = end - (end % 8);
        return count(0, whole) + indexOfCount(bytes.subarray(0, end), whole, end);
      },
    };
  } catch {
    return undefined;
  }
}

function plainBlock(): CountingBlock {
  const bytes = Buffer.alloc(COUNTING_BLOCK_BYTES);
  return { bytes, newlines: (end) => indexOfCount(bytes, 0, end) };
}

let shared: CountingBlock | undefined;

/**
 * The one counting block of this thread (counting is synchronous, so its users take turns):
 * WebAssembly's where it can be made, else a plain buffer counted with `indexOf`.
 */
export function countingBlock(): CountingBlock {
  shared ??= wasmBlock() ?? plainBlock();
  return shared;
}
