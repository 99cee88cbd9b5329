// Dates, ages, durations and numbers as the console shows them, in the reader's language. Times are
// in UTC and say so: the operator's team may sit in another zone than their users.
import { languageTag, type Locale } from '../i18n/locale.ts';
import type { ConsoleCopy } from './console-copy.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface ConsoleFormat {
  dateTime(ms: number): string;
  /** A calendar day, UTC. */
  day(ms: number): string;
  /** "2 hours ago". */
  ago(ms: number, now: number): string;
  /** "2 d 4 h", "35 min". */
  duration(ms: number): string;
  percent(ratio: number): string;
  number(n: number): string;
  /** A locale's name in the reader's language: "Brazilian Portuguese". */
  language(locale: string): string;
}

export function consoleFormat(locale: Locale, copy: ConsoleCopy): ConsoleFormat {
  const tag = languageTag(locale);
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const day = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(tag);
  const languages = new Intl.DisplayNames([tag], { type: 'language' });
  const { units } = copy;

  return {
    dateTime: (ms) => `${dateTime.format(ms)} UTC`,
    day: (ms) => day.format(ms),
    ago(ms, now) {
      const elapsed = Math.max(0, now - ms);
      if (elapsed < MINUTE) return relative.format(0, 'second');
      if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
      if (elapsed < DAY) return relative.format(-Math.floor(elapsed / HOUR), 'hour');
      return relative.format(-Math.floor(elapsed / DAY), 'day');
    },
    duration(ms) {
      if (ms < MINUTE) return units.underAMinute;
      const days = Math.floor(ms / DAY);
      const hours = Math.floor((ms % DAY) / HOUR);
      const minutes = Math.floor((ms % HOUR) / MINUTE);
      if (days > 0) return hours > 0 ? `${days} ${units.day} ${hours} ${units.hour}` : `${days} ${units.day}`;
      if (hours > 0) return minutes > 0 ? `${hours} ${units.hour} ${minutes} ${units.minute}` : `${hours} ${units.hour}`;
      return `${minutes} ${units.minute}`;
    },
    percent: (ratio) => percent.format(ratio),
    number: (n) => number.format(n),
    language: (value) => languages.of(value) ?? value,
  };
}
