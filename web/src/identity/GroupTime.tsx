/**
 * The clock time of a group of messages ("14:05"), always shown; the full
 * date and time appear in a tooltip on hover and whenever keyboard focus is
 * on the message (styles.css), and are what a screen reader reads.
 */
import { clockTime, fullDateTime } from './dayLabel.ts';

export function GroupTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const whole = fullDateTime(date);
  return (
    <time className="message-time group-time" dateTime={date.toISOString()} data-full={whole}>
      <span aria-hidden="true">{clockTime(date)}</span>
      <span className="visually-hidden">{whole}</span>
      <span className="time-tooltip" aria-hidden="true">
        {whole}
      </span>
    </time>
  );
}
