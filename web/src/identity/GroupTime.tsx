/**
 * The clock time of a group of messages ("14:05"), always shown; the full
 * date and time appear in a tooltip on hover and whenever keyboard focus is
 * on the message (styles.css), and are what a screen reader reads.
 */
import { memoized } from '../ui/memoized.ts';
import { clockTime, fullDateTime } from './dayLabel.ts';

interface TimeLabels {
  readonly iso: string;
  readonly clock: string;
  readonly whole: string;
}

/** Formatting a date is most of a row's own script time; a row mounted again (scrolled back to) reuses it. */
const labelsOf = memoized((iso: string): TimeLabels | null => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return { iso: date.toISOString(), clock: clockTime(date), whole: fullDateTime(date) };
});

export function GroupTime({ iso }: { iso: string }) {
  const labels = labelsOf(iso);
  if (!labels) return null;
  return (
    <time className="message-time group-time" dateTime={labels.iso} data-full={labels.whole}>
      <span aria-hidden="true">{labels.clock}</span>
      <span className="visually-hidden">{labels.whole}</span>
      <span className="time-tooltip" aria-hidden="true">
        {labels.whole}
      </span>
    </time>
  );
}
