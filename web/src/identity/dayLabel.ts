/**
 * Dates as the viewer reads them: which calendar day an instant falls on in
 * their time zone, "Today" / "Yesterday" / a date for the separators between
 * days, the clock time on each group of messages, and the full date and time
 * for its tooltip. Locale and time zone are parameters (the browser's when
 * left out), and "now" is passed in, so the rules are pure and testable.
 */

export interface Calendar {
  /** BCP 47 locale; the browser's when undefined. */
  readonly locale?: string | undefined;
  /** IANA time zone; the browser's when undefined. */
  readonly timeZone?: string | undefined;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayParts(date: Date, { timeZone }: Calendar): { year: number; month: number; day: number } {
  const key = timeZone ?? '';
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dayFormats.set(key, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return { year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']) };
}

/** The calendar day of `date` in the viewer's time zone, as `YYYY-MM-DD`. */
export function dayKey(date: Date, calendar: Calendar = {}): string {
  const { year, month, day } = dayParts(date, calendar);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whole calendar days from `date`'s day to `now`'s day (0 today, 1 yesterday), in the viewer's zone. */
export function daysAgo(date: Date, now: Date, calendar: Calendar = {}): number {
  const ordinal = (d: Date) => {
    const { year, month, day } = dayParts(d, calendar);
    return Date.UTC(year, month - 1, day) / 86_400_000;
  };
  return ordinal(now) - ordinal(date);
}

function capitalised(text: string, locale: string | undefined): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

/** "Today", "Yesterday", else "Monday 3 December" (with the year when it is not this year's), in the viewer's language. */
export function dayLabel(date: Date, now: Date, calendar: Calendar = {}): string {
  const { locale, timeZone } = calendar;
  const ago = daysAgo(date, now, calendar);
  if (ago === 0 || ago === 1) {
    return capitalised(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-ago, 'day'), locale);
  }
  const sameYear = dayParts(date, calendar).year === dayParts(now, calendar).year;
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}

/** "14:05" or "2:05 PM", as the viewer's locale writes a time. */
export function clockTime(date: Date, calendar: Calendar = {}): string {
  return new Intl.DateTimeFormat(calendar.locale, { timeZone: calendar.timeZone, timeStyle: 'short' }).format(date);
}

/** The full date and time, for a tooltip and for screen readers. */
export function fullDateTime(date: Date, calendar: Calendar = {}): string {
  return new Intl.DateTimeFormat(calendar.locale, { timeZone: calendar.timeZone, dateStyle: 'full', timeStyle: 'short' }).format(date);
}
