import { Document, isMap, isScalar, Scalar } from 'yaml';

export { type Position, positionsIn } from '../filePositions';

type Path = (string | number)[];

function rangeOf(node: unknown): [number, number, number] | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range ?? undefined;
}

/**
 * Finds the offset of what `path` names in the first of `docs` that has it (a rule's own
 * document, then the `action: global` document merged into it), walking up to the nearest node
 * that exists. `atKey` asks for the key of the last step rather than its value; `within` is an
 * offset inside a single-line scalar (a condition's token), counted from the scalar's text.
 */
export function offsetOf(docs: Document[], path: Path, options: { atKey?: boolean; within?: number } = {}): number {
  if (options.atKey && path.length > 0) {
    for (const doc of docs) {
      const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
      if (!isMap(parent)) continue;
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return range[0];
    }
  }
  for (let depth = path.length; depth >= 0; depth--) {
    for (const doc of docs) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      const range = rangeOf(node);
      if (!range) continue;
      if (depth === path.length && options.within !== undefined && isScalar(node)) return range[0] + withinScalar(node, options.within);
      return range[0];
    }
  }
  return docs[0]?.contents ? (rangeOf(docs[0].contents)?.[0] ?? 0) : 0;
}

/** Where character `index` of a scalar's value sits in its source: past an opening quote, if any. */
function withinScalar(node: Scalar, index: number): number {
  if (node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) return 1 + index;
  if (node.type === Scalar.PLAIN) return index;
  // Block scalars start with their indicator line; the offset there would mislead.
  return 0;
}
