/** A half-open range of character offsets within one line. */
export interface Span {
  start: number;
  end: number;
}

/** How a line's timestamp was written. `none` means the line has no stamp of its own. */
export type StampFormat =
  | 'rfc3164'
  | 'iso8601'
  | 'rfc5424'
  | 'bracketed'
  | 'exim'
  | 'dmesg'
  | 'none';

/** What kind of line this is, beyond its stamp. */
export type LineKind = 'entry' | 'continuation' | 'frame' | 'thread-header' | 'blank';

/** A log level read from the line itself (syslog PRI, a level word), not from signatures. */
export type LineLevel = 'emergency' | 'error' | 'warning' | 'notice' | 'info' | 'debug';

/**
 * The wall-clock fields of a timestamp as written, before any zone or year is applied.
 * `year` is absent for classic syslog stamps; `offsetMinutes` is absent when the stamp names no zone.
 */
export interface CivilTime {
  year?: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes?: number;
}

/** One physical line of a log, parsed. Parsing never fails: missing parts are simply absent. */
export interface LogLine {
  /** 0-based line number in the document. */
  line: number;
  kind: LineKind;
  format: StampFormat;
  stamp?: Span;
  civil?: CivilTime;
  /** Kernel uptime in seconds, from a `[12345.678901]` stamp, wherever it stands in the line. */
  uptime?: number;
  uptimeSpan?: Span;
  host?: Span;
  program?: Span;
  pid?: Span;
  /** The free text after the header; the whole line when there is no header. */
  message: Span;
  level?: LineLevel;
}
