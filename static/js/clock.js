// The venue's clock. Every screen shows the time where the venue is, whatever time zone
// the device was set to: a tablet bought abroad or a wall screen left on UTC still agrees
// with the PIN pad and the printed tickets. The zone comes from the page (<html
// data-timezone>, the venue's own setting). Ticket ages are durations (now − fired), so
// they never depend on a zone.

const lang = document.documentElement.lang || "ro";

/** The venue's IANA time zone ("Europe/Bucharest"), or undefined: the device's own. */
export function venueTimeZone() {
  return document.documentElement.dataset.timezone || undefined;
}

/** An Intl.DateTimeFormat in the venue's zone; a zone the browser does not know falls
 * back to the device's rather than showing nothing. */
export function venueFormat(options, language = lang) {
  try {
    return new Intl.DateTimeFormat(language, { ...options, timeZone: venueTimeZone() });
  } catch {
    return new Intl.DateTimeFormat(language, options);
  }
}

// Service runs on the 24-hour clock.
const hoursMinutes = venueFormat({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "19:42" at the venue, for an ISO time, a Date or milliseconds; "" for nothing. */
export function venueTime(at) {
  if (at === null || at === undefined || at === "") return "";
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? "" : hoursMinutes.format(date);
}

/** Keep ``element`` showing the venue's time now (``now()`` may correct the device's clock
 * by the server's); ``dateElement``, if given, the venue's date. Returns a stop function. */
export function startVenueClock(element, { now = Date.now, dateElement = null } = {}) {
  const date = venueFormat({ weekday: "long", day: "numeric", month: "long" });
  const update = () => {
    const at = new Date(now());
    element.textContent = hoursMinutes.format(at);
    if (element.tagName === "TIME") element.dateTime = at.toISOString();
    if (dateElement) dateElement.textContent = date.format(at);
  };
  update();
  const timer = setInterval(update, 1000);
  return () => clearInterval(timer);
}
