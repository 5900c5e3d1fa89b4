/**
 * Annotations: what an analyst says about a line of evidence (a star, tags, a note). They live in
 * the workspace (`.log-forensics/annotations.json`), never in the log.
 */

/** Tags with a fixed meaning in the postmortem; any other tag is free text. */
export const KNOWN_TAGS = ['cause', 'impact', 'detection', 'fix'] as const;

/** One of the tags the postmortem knows. */
export type KnownTag = (typeof KNOWN_TAGS)[number];

/**
 * Where an annotation points, recorded when it was made, so it can be found again after the log
 * was pulled again or rotated: the line number, the line's text, and hashes of its neighbours.
 */
export interface LineAnchor {
  /** 0-based line number at creation. */
  line: number;
  /** The line's text at creation (trailing white space removed). */
  text: string;
  /** Hashes of the lines before it, nearest first (fewer at the top of the file). */
  before: string[];
  /** Hashes of the lines after it, nearest first (fewer at the end of the file). */
  after: string[];
}

/** What an analyst said about one line. */
export interface Annotation {
  /** Stable id, unique within the store. */
  id: string;
  /** The log's path relative to the workspace root that holds the annotations file, with `/`. */
  file: string;
  anchor: LineAnchor;
  starred: boolean;
  /** Lower-case tags, without duplicates, in the order given. */
  tags: string[];
  /** Free text; may be empty. */
  note: string;
  /** ISO 8601 UTC instants. */
  created: string;
  updated: string;
}

/** The annotations file as a whole. */
export interface AnnotationStore {
  version: 1;
  annotations: Annotation[];
}

/** Where an anchor is now: a line (and where it was, when it moved), or why it could not be found. */
export type AnchorResolution = { line: number; movedFrom?: number } | { lost: string };

/** Something wrong in an annotations file; parsing reports it and goes on. */
export interface StoreProblem {
  /** Where in the document, e.g. `annotations[2].anchor.line`; empty for the whole file. */
  path: string;
  message: string;
}
