// The operator's view of a case's timeline (the case itself: server/cases/case-view.ts).
import type { TimelineEntry } from '../cases/case-types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function presentTimeline(entries: TimelineEntry[]) {
  return entries.map((e) => ({ at: iso(e.at), type: e.type, detail: e.detail }));
}
