"""static/js/live.js, the screens' live connection, in real Chromium against the server:
it joins with its last event id, drops duplicates, and after an outage gets what it missed."""

from __future__ import annotations

from factories import write_events
from support import wait_until

from pos.core.events import record_event, write_pending_events

CONNECT = """async () => {
  const signedIn = await fetch("/api/v1/session", {method: "POST",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({pin: "9999"})});
  if (!signedIn.ok) throw new Error("sign-in failed");
  const { connectLive } = await import("/static/js/live.js");
  window.received = [];
  window.statuses = [];
  window.live = connectLive("/office", {
    lastEvent: 0,
    onEvent: (name, data, id) => window.received.push([name, id, data.n]),
    onStatus: (online) => window.statuses.push(online),
    onSnapshotNeeded: async () => 0,
  });
}"""


def received_ids(page):
    return [entry[1] for entry in page.evaluate("window.received")]


def test_a_screen_gets_live_events_and_what_it_missed_during_an_outage(page, live_server, db):
    page.goto(live_server.url + "/signin")
    page.evaluate(CONNECT)
    wait_until(lambda: page.evaluate("window.statuses.includes(true)"))

    first = write_events(db, 2)
    wait_until(lambda: received_ids(page) == first)

    page.evaluate("window.live.closed = true; window.live.ws.close()")  # the Wi-Fi goes
    wait_until(lambda: page.evaluate("window.statuses.at(-1) === false"))
    missed = write_events(db, 3)
    page.evaluate("window.live.closed = false; window.live.open()")  # and comes back
    wait_until(lambda: len(received_ids(page)) == 5)
    assert received_ids(page) == first + missed

    later = write_events(db, 1)
    wait_until(lambda: len(received_ids(page)) == 6)
    assert received_ids(page) == first + missed + later
    assert page.js_errors == []


def test_the_heartbeat_brings_an_event_whose_publish_was_lost(page, live_server, db):
    page.goto(live_server.url + "/signin")
    page.evaluate(CONNECT)
    wait_until(lambda: page.evaluate("window.statuses.includes(true)"))
    with db.transaction() as session:
        lost = record_event(session, "/office", "office", "note", {"n": "lost"})
        write_pending_events(session)
        session.info.clear()  # committed, never published
    seen = write_events(db, 1)
    wait_until(lambda: received_ids(page) == seen)
    page.evaluate("window.live.sync()")
    wait_until(lambda: len(received_ids(page)) == 2)
    assert received_ids(page) == seen + [lost.id]
    assert page.evaluate("window.live.floor") >= seen[0]


def test_a_screen_that_may_not_join_is_told_why(page, live_server):
    page.goto(live_server.url + "/signin")
    refusal = page.evaluate("""async () => {
      await fetch("/api/v1/session", {method: "POST", headers: {"Content-Type": "application/json"},
                                      body: JSON.stringify({pin: "1111"})});
      const { connectLive } = await import("/static/js/live.js");
      return await new Promise((resolve) => connectLive("/office", {
        lastEvent: 0, onEvent: () => {}, onSnapshotNeeded: async () => 0, onRefused: resolve}));
    }""")
    assert refusal["code"] == "forbidden"
