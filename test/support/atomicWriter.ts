// Child process for the atomic-write kill test: writes a large file atomically, then exits.
// Usage: node atomicWriter.js TARGET MIB
import { writeFileAtomicSync } from '../../server/src/files/atomicWrite';

/** The content the writer writes: `mib` MiB of a repeating numbered pattern, so any cut shows. */
export function largeContent(mib: number): Buffer {
  const block = Buffer.alloc(1024 * 1024);
  const bytes = Buffer.alloc(mib * block.length);
  for (let i = 0; i < mib; i++) {
    block.fill(`block ${i} `);
    block.copy(bytes, i * block.length);
  }
  return bytes;
}

if (require.main === module) {
  const [target, mib] = process.argv.slice(2);
  writeFileAtomicSync(target, largeContent(Number(mib)));
}
