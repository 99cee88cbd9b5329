// The operator's view of a case's timeline (the case itself: server/cases/case-view.ts).
import type { TimelineEntry } from '../cases/case-types.ts';

export function presentTimeline(entries: TimelineEntry[]) {
  return entries.map((e) => ({ at: new Date(e.at).toISOString(), type: e.type, detail: e.detail }));
}
