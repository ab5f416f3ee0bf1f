// Days and wall-clock times at the venue, whatever zone the office PC is set to: the week
// the time clock shows, and the times a manager types into a correction (a
// datetime-local field holds the venue's wall time; the API takes UTC).
import { venueTimeZone } from "../clock.js";

const pad = (n) => String(n).padStart(2, "0");

function partsAt(date, timeZone = venueTimeZone()) {
  let format;
  try {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit" });
  } catch {
    format = new Intl.DateTimeFormat("en-GB", {
      hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day,
           hour: +parts.hour % 24, minute: +parts.minute, second: +parts.second };
}

/** "2026-12-01": the venue's day at ``date`` (now by default). */
export function venueDay(date = new Date()) {
  const p = partsAt(date);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "2026-12-01T18:30" at the venue, for an ISO time (a datetime-local field's value). */
export function toVenueLocal(iso) {
  if (!iso) return "";
  const p = partsAt(new Date(iso));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The UTC ISO time of the venue's wall time "2026-12-01T18:30"; "" if none. */
export function fromVenueLocal(wall) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wall || "");
  if (!match) return "";
  const [, y, mo, d, h, mi] = match.map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const offsetAt = (ms) => {
    const p = partsAt(new Date(ms));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess); // across a change of summer time, the second look is right
  return new Date(guess).toISOString();
}

/** The day ``days`` after "YYYY-MM-DD". */
export function addDays(day, days) {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

/** The Monday of the week holding "YYYY-MM-DD". */
export function mondayOf(day) {
  const [y, m, d] = day.split("-").map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Minutes as the staff screen shows them: {hours, minutes}. */
export function hoursAndMinutes(total) {
  return { hours: Math.floor(total / 60), minutes: pad(total % 60) };
}
