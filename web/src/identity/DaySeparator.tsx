/** "Today", "Yesterday" or a date between the messages of two different days, in the viewer's locale and time zone. */
import { useNow } from '../ui/useNow.ts';
import { dayLabel } from './dayLabel.ts';
import { useListRow } from '../thread/listRow.ts';

export function DaySeparator({ iso }: { iso: string }) {
  const now = useNow();
  const label = dayLabel(new Date(iso), new Date(now));
  return (
    <li {...useListRow()} className="day-separator" data-day-label={label}>
      <span className="day-separator-label">{label}</span>
    </li>
  );
}
