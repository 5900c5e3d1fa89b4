import { Steps, endsStep, runSteps } from '../steps';

/** Where the year of yearless stamps came from, for hovers and reports. */
export type YearSource = 'setting' | 'log contents' | 'file modification time' | 'gzip member time' | 'current clock';

/** The moment the log is known to end by: its last yearless line cannot be later than this. */
export interface YearReference {
  year: number;
  month: number; // 1-12
  day: number;
  source: YearSource;
  /** How the year was reached and what disagreed, for the user ("2011: 3 message-ids; the file's modification time says 2026"). */
  explanation?: string;
}

/** Whether going from `previous` to `month` is a new year rather than slightly out-of-order lines. */
export function isRollover(previous: number, month: number): boolean {
  return month < previous && (previous - month > 1 || (previous === 12 && month === 1));
}

/**
 * Gives a year to each yearless stamp, from the months and days in file order (0 = no stamp).
 * The last stamp takes the reference year (the year before, if its date would lie after the
 * reference); each new-year rollover met walking back steps back one year.
 */
export function assignYears(months: ArrayLike<number>, days: ArrayLike<number>, reference: YearReference): Int32Array {
  return runSteps(assignYearsSteps(months, days, reference));
}

/** `assignYears` in steps of lines (`Steps`). */
export function* assignYearsSteps(months: ArrayLike<number>, days: ArrayLike<number>, reference: YearReference): Steps<Int32Array> {
  const years = new Int32Array(months.length);
  let rollovers = 0;
  let previous = 0;
  let lastMonth = 0;
  let lastDay = 0;
  for (let i = 0; i < months.length; i++) {
    if (endsStep(i)) yield;
    const month = months[i];
    if (month === 0) continue;
    if (previous !== 0 && isRollover(previous, month)) rollovers++;
    previous = month;
    lastMonth = month;
    lastDay = days[i];
  }
  if (lastMonth === 0) return years;
  const lastIsAfterReference = lastMonth > reference.month || (lastMonth === reference.month && lastDay > reference.day + 1);
  let year = reference.year - (lastIsAfterReference ? 1 : 0) - rollovers;
  previous = 0;
  let lastLeapDay = NaN;
  for (let i = 0; i < months.length; i++) {
    if (endsStep(i)) yield;
    const month = months[i];
    if (month === 0) continue;
    if (previous !== 0 && isRollover(previous, month)) year++;
    previous = month;
    years[i] = year;
    if (month === 2 && days[i] === 29) lastLeapDay = year;
  }
  // A 29 February only exists in a leap year: when it falls in another, the reference was later
  // than the log's true end (a copied file's mtime). Every line steps back to the leap year
  // before, keeping the rollovers between them.
  if (!Number.isNaN(lastLeapDay) && !isLeapYear(lastLeapDay)) {
    let back = 1;
    while (!isLeapYear(lastLeapDay - back)) back++;
    for (let i = 0; i < years.length; i++) {
      if (endsStep(i)) yield;
      if (months[i] !== 0) years[i] -= back;
    }
  }
  return years;
}

/** Whether `year` has a 29 February (proleptic Gregorian). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
