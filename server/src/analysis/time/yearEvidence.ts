import { LineColumns, LineTable, KIND_ENTRY } from '../parse/lineTable';
import { LogText } from '../parse/logText';
import { isLeapYear, isRollover } from './year';
import { CalendarDate, ClueKind, datedClues, fitClue, kernelBuildDate } from './yearClues';
import { Steps, endsStep, runSteps } from '../steps';

/** What can speak for a year: a dated token in a message, or a line nearby stamped with its year. */
export type EvidenceKind = ClueKind | 'line stamped with its year';

/** What the evidence says for one year of the log's last yearless line. */
export interface YearVote {
  year: number;
  /** Clues on the same day as their line count 1, clues some days before it a quarter. */
  score: number;
  /** Distinct clues by kind. */
  kinds: Partial<Record<EvidenceKind, number>>;
  /** The first line (from 0) of a clue for this year. */
  firstLine: number;
}

/** What a log's own lines say about the year of its yearless stamps. */
export interface YearEvidence {
  /** The year of the log's last yearless stamp, when the evidence names one clearly. */
  year?: number;
  /** Month (1-12) and day of that stamp; 0 when the log has no yearless stamp. */
  month: number;
  day: number;
  /** The earliest year the last yearless stamp can have (kernels boot after they are built). */
  atLeast?: number;
  /** For the user: "2011: 3 message-ids and a sendmail queue id", or why there is no year. */
  source: string;
  /** Every year some evidence named, best first. */
  votes: YearVote[];
  /** Evidence that disagrees with the year taken (or, with no year, with itself). */
  conflicts: string[];
  /** Dated clues left out because their date lies too far from their line's. */
  ignored: number;
}

/** How the evidence is looked for. */
export interface YearEvidenceOptions {
  /** Stamped lines read at each end of the log (the middle of a huge log repeats what they say). */
  sampleEntries?: number;
}

const SAMPLE_ENTRIES = 4000;
/** Lines walked at each end at most, however few of them are stamped. */
const SAMPLE_LINES_PER_ENTRY = 10;
/** How far (in lines) a line stamped with its year may stand from a yearless one to vouch for it. */
const NEIGHBOUR_LINES = 20;
const WEAK_WEIGHT = 0.25;
/** Lines read back and searched for clues between two yields (tens of microseconds each). */
const READ_STEP_LINES = 128;
/** The year taken must have at least this many times the score of the next one. */
const MARGIN = 2;
const ORDER: readonly EvidenceKind[] = ['sendmail queue id', 'postfix queue id', 'exim id', 'message-id', 'date in a message', 'line stamped with its year'];
const PLURAL: Record<EvidenceKind, [string, string]> = {
  'sendmail queue id': ['a sendmail queue id', 'sendmail queue ids'],
  'postfix queue id': ['a postfix queue id', 'postfix queue ids'],
  'exim id': ['an exim message id', 'exim message ids'],
  'message-id': ['a message-id', 'message-ids'],
  'date in a message': ['a date in a message', 'dates in messages'],
  'line stamped with its year': ['a line nearby stamped with its year', 'lines nearby stamped with their year'],
};

/** The stretches of lines read: the first and the last stamped lines, up to a limit each. */
function sampleRanges(columns: LineColumns, entries: number): [number, number][] {
  const n = columns.length;
  const flags = columns.civil.flags;
  const maxLines = entries * SAMPLE_LINES_PER_ENTRY;
  let headEnd = 0;
  for (let seen = 0; headEnd < n && headEnd < maxLines && seen < entries; headEnd++) if (flags[headEnd] & 1) seen++;
  let tailStart = n;
  for (let seen = 0; tailStart > headEnd && n - tailStart < maxLines && seen < entries; ) if (flags[--tailStart] & 1) seen++;
  return tailStart > headEnd ? [[0, headEnd], [tailStart, n]] : [[0, headEnd]];
}

/**
 * New-year rollovers among the yearless stamps, counted as `assignYears` counts them: `before[k]`
 * for line `sampled[k]`, and the total. A clue on a line says that line's year; the log's last
 * yearless line is as many years later as rollovers follow it.
 */
interface YearlessLayout {
  total: number;
  /** Rollovers before each line of the sample ranges, by line (only sampled lines are set). */
  before: Map<number, number>;
  /** Rollovers after each 29 February line: the year that many years before the end must be a leap year. */
  leapDaysAfter: Set<number>;
  last: number;
}

function* layoutOf(columns: LineColumns, ranges: [number, number][]): Steps<YearlessLayout> {
  const { flags, month, day } = columns.civil;
  const before = new Map<number, number>();
  const leapBefore: number[] = [];
  let range = 0;
  let count = 0;
  let previous = 0;
  let last = -1;
  for (let i = 0; i < columns.length; i++) {
    if (endsStep(i)) yield;
    if ((flags[i] & 3) !== 1) continue;
    const m = month[i];
    if (previous !== 0 && isRollover(previous, m)) count++;
    previous = m;
    last = i;
    if (m === 2 && day[i] === 29) leapBefore.push(count);
    while (range < ranges.length && i >= ranges[range][1]) range++;
    if (range < ranges.length && i >= ranges[range][0]) before.set(i, count);
  }
  return { total: count, before, leapDaysAfter: new Set(leapBefore.map((b) => count - b)), last };
}

interface Tally {
  score: number;
  kinds: Map<EvidenceKind, number>;
  firstLine: number;
}

/**
 * Reads the year of a log's yearless stamps from the log itself: sendmail, postfix and exim
 * queue ids and message-ids that encode their date, dates written in messages, and lines nearby
 * stamped with their year, each counted only where it fits its own line's month and day; a kernel
 * version line's build date bounds the year from below. Reads the first and last few thousand
 * stamped lines, so it stays cheap on a huge log (one pass over the stamps' months besides).
 */
export function yearFromEvidence(columns: LineColumns, text: LogText, options: YearEvidenceOptions = {}): YearEvidence {
  return runSteps(yearEvidenceSteps(columns, text, options));
}

/** `yearFromEvidence` in steps (`Steps`): of lines over the months, of a thousand lines read back. */
export function* yearEvidenceSteps(columns: LineColumns, text: LogText, options: YearEvidenceOptions = {}): Steps<YearEvidence> {
  const ranges = sampleRanges(columns, options.sampleEntries ?? SAMPLE_ENTRIES);
  const layout = yield* layoutOf(columns, ranges);
  const { flags, month, day, year } = columns.civil;
  if (layout.last < 0) return { month: 0, day: 0, source: 'the log has no stamps without a year', votes: [], conflicts: [], ignored: 0 };
  const table = new LineTable(columns, text, columns.length);
  const tallies = new Map<number, Tally>();
  const seen = new Set<string>();
  let ignored = 0;
  let atLeast: { year: number; build: CalendarDate } | undefined;
  const after = (i: number): number => layout.total - layout.before.get(i)!;
  const vote = (i: number, kind: EvidenceKind, token: string, clue: CalendarDate): void => {
    const key = `${kind}\u0000${token}`;
    if (seen.has(key)) return;
    seen.add(key);
    const fit = fitClue(clue, month[i], day[i]);
    if (!fit) {
      ignored++;
      return;
    }
    const end = fit.year + after(i);
    const tally = tallies.get(end) ?? { score: 0, kinds: new Map(), firstLine: i };
    tally.score += fit.strength === 'strong' ? 1 : WEAK_WEIGHT;
    tally.kinds.set(kind, (tally.kinds.get(kind) ?? 0) + 1);
    tallies.set(end, tally);
  };
  for (const [from, to] of ranges) {
    let lastYearless = -1;
    let lastDated = -1;
    for (let i = from; i < to; i++) {
      if (i % READ_STEP_LINES === READ_STEP_LINES - 1) yield;
      const f = flags[i];
      if ((f & 1) === 0) continue;
      if (f & 2) {
        if (year[i] < 1970) continue;
        lastDated = i;
        if (lastYearless >= 0 && i - lastYearless <= NEIGHBOUR_LINES) vote(lastYearless, 'line stamped with its year', String(i), { year: year[i], month: month[i], day: day[i] });
        continue;
      }
      if (lastDated > lastYearless && i - lastDated <= NEIGHBOUR_LINES) vote(i, 'line stamped with its year', String(lastDated), { year: year[lastDated], month: month[lastDated], day: day[lastDated] });
      lastYearless = i;
      if (table.kindCode(i) !== KIND_ENTRY) continue;
      const raw = text.line(i);
      const fields = table.fields(i);
      for (const clue of datedClues(raw, fields)) vote(i, clue.kind, clue.token, clue);
      const build = kernelBuildDate(raw.slice(Math.max(0, fields.message.start), Math.max(0, fields.message.end)));
      if (build) {
        // The boot came after the build: the line's year is the build's, or the next when its day comes earlier.
        const lineYear = build.year + (Date.UTC(build.year, month[i] - 1, day[i] + 1) < Date.UTC(build.year, build.month - 1, build.day) ? 1 : 0);
        const bound = lineYear + after(i);
        if (!atLeast || bound > atLeast.year) atLeast = { year: bound, build };
      }
    }
  }
  return decide(tallies, layout, month[layout.last], day[layout.last], atLeast, ignored);
}

/** Picks the year the evidence names clearly, after dropping years a bound or a 29 February rule out. */
function decide(tallies: Map<number, Tally>, layout: YearlessLayout, lastMonth: number, lastDay: number, atLeast: { year: number; build: CalendarDate } | undefined, ignored: number): YearEvidence {
  const votes = [...tallies].map(([y, t]): YearVote => ({ year: y, score: t.score, kinds: Object.fromEntries(t.kinds), firstLine: t.firstLine })).sort((a, b) => b.score - a.score || b.year - a.year);
  const conflicts: string[] = [];
  const possible = votes.filter((v) => {
    if (atLeast && v.year < atLeast.year) {
      conflicts.push(`${describe(v)} ${says(v)} ${v.year}, before the kernel was built (${isoDate(atLeast.build)})`);
      return false;
    }
    const leapless = [...layout.leapDaysAfter].find((back) => !isLeapYear(v.year - back));
    if (leapless !== undefined) {
      conflicts.push(`${describe(v)} ${says(v)} ${v.year}, but that puts a 29 February of the log in ${v.year - leapless}, no leap year`);
      return false;
    }
    return true;
  });
  const base = { month: lastMonth, day: lastDay, votes, ignored, ...(atLeast ? { atLeast: atLeast.year } : {}) };
  const [best, next] = possible;
  if (!best) {
    const source = atLeast ? `${atLeast.year} at the earliest: the kernel was built on ${isoDate(atLeast.build)}` : 'no year found in the log\'s lines';
    return { ...base, source, conflicts };
  }
  if (next && best.score < MARGIN * next.score) {
    conflicts.push(`the log's lines disagree: ${possible.map((v) => `${v.year} (${describe(v)})`).join(' against ')}`);
    return { ...base, source: 'the log\'s lines name more than one year', conflicts };
  }
  for (const other of possible.slice(1)) conflicts.push(`${describe(other)} ${says(other)} ${other.year} (line ${other.firstLine + 1})`);
  return { ...base, year: best.year, source: `${best.year}: ${describe(best)}`, conflicts };
}

/** "3 message-ids and a sendmail queue id". */
function describe(vote: YearVote): string {
  const parts = ORDER.filter((kind) => vote.kinds[kind]).map((kind) => {
    const count = vote.kinds[kind]!;
    return count === 1 ? PLURAL[kind][0] : `${count} ${PLURAL[kind][1]}`;
  });
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function says(vote: YearVote): string {
  return Object.values(vote.kinds).reduce((sum, count) => sum + (count ?? 0), 0) === 1 ? 'says' : 'say';
}

function isoDate(date: CalendarDate): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.year}-${two(date.month)}-${two(date.day)}`;
}
