/**
 * How Gait's YAML printer (goccy/go-yaml v1.19.2 `Marshal`) spells a string, established against
 * the Gait v1.3.6 binary (test/fixtures/gait/fmt-scalars.json pins its answers):
 *
 * - double-quoted with Go's strconv.Quote escapes when `needsQuotes` says so;
 * - else, when it holds a line break, a literal block (`|`, `|-`, `|+`) whose lines are indented
 *   two spaces past the key (or dash) that owns it;
 * - else plain, exactly as it is (URLs, `?`, `a:b`, emoji and control characters included).
 */
import { goQuote } from './gostr.js';
import { looksLikeLibraryNumber } from './go-number.js';

// The printer's reserved words: YAML 1.1 null and bool spellings (not `.inf`, `.nan` or `<<`).
const RESERVED = new Set([
  'null', 'Null', 'NULL', '~', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
]);
const QUOTED_FIRST = new Set(['*', '&', '[', '{', '}', ']', ',', '!', '|', '>', '%', "'", '"', '@', ' ', '`']);

/** The printer's quoting rule: a string it would otherwise print as something else. */
export function needsQuotes(s: string): boolean {
  if (s === '' || s === '-' || RESERVED.has(s) || looksLikeLibraryNumber(s)) return true;
  if (QUOTED_FIRST.has(s[0]!) || s.endsWith(':') || s.endsWith(' ')) return true;
  return looksLikeGoTimestamp(s) || /[#\\]|[:-] /.test(s);
}

/** A YAML string as Gait prints it after `key: ` or `- ` at column `indent`. */
export function gaitYamlString(s: string, indent: number): string {
  if (needsQuotes(s)) return goQuote(s);
  const lineBreak = lineBreakOf(s);
  return s.includes(lineBreak) ? literalBlock(s, lineBreak, ' '.repeat(indent + 2)) : s;
}

/** The printer's guess at a string's line break: CRLF, CR or LF, whichever it sees most of. */
function lineBreakOf(s: string): string {
  const lf = s.split('\n').length - 1;
  const cr = s.split('\r').length - 1;
  const crlf = s.split('\r\n').length - 1;
  if (lf === crlf && cr === crlf) return '\r\n';
  return cr > lf ? '\r' : '\n';
}

/** `|` keeps one final line break, `|+` more, `|-` none; a last empty line carries no indentation. */
function literalBlock(s: string, lineBreak: string, pad: string): string {
  const header = s.endsWith(lineBreak + lineBreak) ? '|+' : s.endsWith(lineBreak) ? '|' : '|-';
  const body = s.endsWith(lineBreak) ? s.slice(0, -lineBreak.length) : s;
  const lines = body.split(lineBreak).map((line, i, all) => (line === '' && i === all.length - 1 ? '' : pad + line));
  return header + lineBreak + lines.join(lineBreak);
}

// The printer also quotes what Go's time.Parse accepts in one of five layouts: RFC 3339 with
// `T` or `t` (fraction and zone offset optional), `2006-01-02 15:04:05`, `2006-01-02`, `15:4`.
const DATE = '(\\d{4})-(\\d{2})-(\\d{2})';
const CLOCK = '(\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,]\\d+)?';
const RFC3339 = new RegExp(`^${DATE}[Tt]${CLOCK}(?:Z|[+-](\\d{2}):(\\d{2}))$`);
const DATE_TIME = new RegExp(`^${DATE} +${CLOCK}$`);
const DATE_ONLY = new RegExp(`^${DATE}$`);
const HOUR_MINUTE = /^(\d{1,2}):(\d{1,2})$/;

function looksLikeGoTimestamp(s: string): boolean {
  const hm = HOUR_MINUTE.exec(s);
  if (hm) return Number(hm[1]) < 24 && Number(hm[2]) < 60;
  const m = RFC3339.exec(s) ?? DATE_TIME.exec(s) ?? DATE_ONLY.exec(s);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, zoneHour = 0, zoneMinute = 0] = m.slice(1).map((x) => Number(x ?? 0));
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysIn(month!, year!) &&
    hour < 24 && minute < 60 && second < 60 && zoneHour <= 24 && zoneMinute <= 60;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
