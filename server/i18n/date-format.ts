// Building an Intl.DateTimeFormat costs about 100 µs (ICU loads the language's patterns and the
// zone's rules); formatting with one already built costs about 2. Formats are kept by language and
// options, of which there are a handful, times the time zones people have.
const formats = new Map<string, Intl.DateTimeFormat>();

/** The format for `languageTag` and `options`, built once. Throws RangeError for an unknown time zone, as the constructor does. */
export function dateFormat(languageTag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${languageTag} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(languageTag, options);
    formats.set(key, format);
  }
  return format;
}
