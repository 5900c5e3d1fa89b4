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
  | 'journal'
  | 'journal-export'
  | 'journal-full'
  | 'epoch'
  | 'audit'
  | 'ctime'
  | 'day-month-year'
  | 'slashed'
  | 'apple'
  | 'none';

/**
 * What kind of line this is, beyond its stamp. A `marker` is a line the tool that wrote the log
 * added between entries (journalctl's `-- Boot … --`, a column heading): neither an entry nor
 * text it did not understand.
 */
export type LineKind = 'entry' | 'continuation' | 'frame' | 'thread-header' | 'blank' | 'marker';

/** Program names a format implies (see `LogLine.programName`). */
export const IMPLIED_PROGRAMS = ['rsyncd', 'roundcube', 'kernel', 'vsftpd'] as const;
export type ImpliedProgram = (typeof IMPLIED_PROGRAMS)[number];

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
  /**
   * The program a format implies where the line does not name it (`rsyncd` for rsync's daemon
   * log, `roundcube`, `kernel` for `dmesg -T`, `vsftpd`); absent when `program` is there.
   */
  programName?: ImpliedProgram;
  pid?: Span;
  /** The free text after the header; the whole line when there is no header. */
  message: Span;
  level?: LineLevel;
}
