import { AnalyzedLog, LogAnalysis } from './analysis/service';
import { TimeContext } from './analysis/parse/document';
import { LinesInMemory } from './analysis/parse/logText';
import { splitLines } from './analysis/parse/text';
import { RuleMatcher } from './analysis/rules/matcher';

/** Texts shorter than this are analysed again whole: cheap, and nothing is kept for them. */
const CONTINUE_MIN_CHARS = 1024 * 1024;

interface Reading {
  /** The text analysed so far: a prefix of the document, ending with a line end. */
  text: string;
  /** The whole text it was cut from: the same string again needs no comparison. */
  source: string;
  lines: string[];
  analysis: LogAnalysis;
  matcher: RuleMatcher;
}

/**
 * Analyses the text of large open documents so that a document that only grew at its end (a log
 * reloaded while it is written, `tail -f` style) is read on from where the last analysis stopped,
 * and so that a document's first lines can be analysed before the rest.
 */
export class GrowingTexts {
  private readonly readings = new Map<string, Reading>();

  /**
   * The analysis of `text`'s lines up to `upTo` characters (the whole text by default; else cut
   * back to a line end), reading on from an earlier reading of the same document when `text`
   * starts with it. Returns a function that completes it for a time context.
   */
  analysis(uri: string, text: string, matcher: RuleMatcher, upTo = text.length): (context: TimeContext) => AnalyzedLog {
    const { analysis, lines } = this.advance(uri, text, matcher, upTo);
    const count = analysis.length;
    return (context) => analysis.result(context, new LinesInMemory(lines, count));
  }

  /**
   * Reads `text`'s lines up to `upTo` characters into the document's reading, without working out
   * a result: a large document is read in steps, with requests answered in between.
   */
  advance(uri: string, text: string, matcher: RuleMatcher, upTo = text.length): Reading {
    let reading = this.readings.get(uri);
    // The same string as last time (a document read in steps) is not compared again: comparing a
    // long prefix at every step would cost more than reading it.
    if (!reading || reading.matcher !== matcher || (reading.source !== text && !text.startsWith(reading.text))) {
      reading = { text: '', source: text, lines: [], analysis: new LogAnalysis(matcher), matcher };
      reading.analysis.checkStart(text);
    }
    if (reading.source !== text) {
      // A newer version of the document: the lines kept are cut again from it, so that they do
      // not keep every earlier version alive (cutting is cheap next to parsing and matching).
      reading.lines = splitLines(text.slice(0, reading.text.length));
      reading.text = text.slice(0, reading.text.length);
      reading.source = text;
    }
    const end = upTo >= text.length ? text.length : lastLineEnd(text, upTo);
    if (end > reading.text.length) {
      const added = splitLines(text.slice(reading.text.length, end));
      reading.analysis.add(added);
      for (const line of added) reading.lines.push(line);
      reading.text = text.slice(0, end);
    }
    // A last line without its line end may still grow: such a reading is not read on.
    if (text.length >= CONTINUE_MIN_CHARS && reading.text.endsWith('\n')) this.readings.set(uri, reading);
    else this.readings.delete(uri);
    return reading;
  }

  forget(uri: string): void {
    this.readings.delete(uri);
  }
}

/** Just after the last `\n` at or before `at`; 0 when there is none. */
function lastLineEnd(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}
