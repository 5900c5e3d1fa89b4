/**
 * How the product's processes size V8's young generation, where short-lived objects are made.
 * Reading a log makes about 1.3 KB of them a line, so V8 grows its young generation to its
 * default maximum (two 16 MB semi-spaces and more), committed for the whole read. Semi-spaces of
 * 4 MB and a worker's young generation of 12 MB cost about 2 % more collector time and lower the
 * peak of a 128 MB read by 40 MB on two threads (docs/performance.md, "A smaller young generation").
 *
 * The flags can only be given when Node starts (V8 reads them once): the CLI's shebang carries
 * them, and VS Code's client starts the server with them; a plain LSP client may add them to its
 * command. The values live in `nodeFlags.json` so the build script and the bench read the same.
 */
import limits from './nodeFlags.json';

/** Flags for `node` itself, before the script. */
export const NODE_FLAGS: readonly string[] = limits.flags;

/** The young generation of a worker thread reading part of a log, in MB (`resourceLimits`). */
export const WORKER_YOUNG_GENERATION_MB: number = limits.workerYoungGenerationMb;
