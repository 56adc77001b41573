/** What the emoji picker shows: search results, or the recent emoji then every group, in the chosen skin tone. */
import { groupNames, recentEntries, searchEmoji, withTone, type EmojiEntry, type SkinTone } from './emojiIndex.ts';

export interface Cell {
  readonly entry: EmojiEntry;
  /** As it will be inserted: in the skin tone (recent ones as they were used). */
  readonly emoji: string;
}

export interface Section {
  readonly title: string;
  readonly cells: readonly Cell[];
}

const maxResults = 240;

export function pickerSections(index: readonly EmojiEntry[], query: string, tone: SkinTone, recent: readonly string[]): Section[] {
  const cell = (entry: EmojiEntry): Cell => ({ entry, emoji: withTone(entry, tone) });
  if (query.trim() !== '') {
    const found = searchEmoji(index, query, maxResults).map(cell);
    return found.length > 0 ? [{ title: 'Search results', cells: found }] : [];
  }
  const sections: Section[] = [];
  const recents = recentEntries(index, recent);
  if (recents.length > 0) sections.push({ title: 'Recent', cells: recents });
  const groups = new Map<number, Cell[]>();
  for (const entry of index) {
    const list = groups.get(entry.group) ?? [];
    list.push(cell(entry));
    groups.set(entry.group, list);
  }
  for (const [group, cells] of groups) sections.push({ title: groupNames[group] ?? 'Other', cells });
  return sections;
}
