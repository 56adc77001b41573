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

/**
 * Formatters by what they format, locale and zone. Making an Intl formatter
 * costs far more than using one: made per call, the times of the rows a
 * scroll mounts were a seventh of the message list's work at 4x slower CPU.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: string, { locale, timeZone }: Calendar, options: Intl.DateTimeFormatOptions, fixedLocale?: string): Intl.DateTimeFormat {
  const key = `${kind}|${fixedLocale ?? locale ?? ''}|${timeZone ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(fixedLocale ?? locale, { timeZone, ...options });
    formats.set(key, format);
  }
  return format;
}

function dayParts(date: Date, calendar: Calendar): { year: number; month: number; day: number } {
  const format = formatter('day-parts', calendar, { year: 'numeric', month: 'numeric', day: 'numeric' }, 'en-US');
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
  const { locale } = calendar;
  const ago = daysAgo(date, now, calendar);
  if (ago === 0 || ago === 1) {
    return capitalised(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-ago, 'day'), locale);
  }
  const sameYear = dayParts(date, calendar).year === dayParts(now, calendar).year;
  return sameYear
    ? formatter('day', calendar, { weekday: 'long', day: 'numeric', month: 'long' }).format(date)
    : formatter('day-year', calendar, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** "14:05" or "2:05 PM", as the viewer's locale writes a time. */
export function clockTime(date: Date, calendar: Calendar = {}): string {
  return formatter('clock', calendar, { timeStyle: 'short' }).format(date);
}

/** The full date and time, for a tooltip and for screen readers. */
export function fullDateTime(date: Date, calendar: Calendar = {}): string {
  return formatter('full', calendar, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}
