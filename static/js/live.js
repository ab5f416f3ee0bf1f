// Live updates for every Masa screen: Socket.IO v4 over a WebSocket, with the outbox's
// replay handshake. Masa speaks the small part of the protocol it needs itself, so the
// screens load no third-party script and need no build step.
//
//   const live = connectLive("/floor", {
//     onEvent: (name, data, id) => …,   // each event once, in order
//     onSnapshotNeeded: async () => lastEventIdOfTheSnapshot,
//     onStatus: (online) => …,
//   });
//
// A screen loads a snapshot over HTTP (which names its last event id), then connects
// with that id; after a drop it reconnects with the last id it holds and the server
// sends what it missed. Every 30 s it reports its floor and the ids above it that it
// holds, so an event lost between commit and publish still arrives.

const HEARTBEAT_MS = 30000;
const MAX_SEEN = 1000;

export function connectLive(namespace, options) {
  return new LiveConnection(namespace, options).open();
}

export class LiveConnection {
  constructor(namespace, { lastEvent = null, auth = {}, onEvent, onSnapshotNeeded,
                           onStatus = () => {}, onRefused = () => {} }) {
    this.namespace = namespace;
    this.floor = lastEvent;          // every event up to here is held
    this.seen = new Set();           // ids above the floor already handled
    this.auth = auth;
    this.onEvent = onEvent;
    this.onSnapshotNeeded = onSnapshotNeeded;
    this.onStatus = onStatus;
    this.onRefused = onRefused;
    this.acks = new Map();
    this.nextAck = 1;
    this.retry = 0;
    this.closed = false;
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.ws = new WebSocket(`${scheme}://${location.host}/socket.io/?EIO=4&transport=websocket`);
    this.ws.onmessage = (message) => this.receive(message.data);
    this.ws.onclose = () => this.dropped();
    return this;
  }

  /** Connect again after a refusal (the screen signed in again): replays what it missed. */
  reopen() {
    if (!this.closed) return;
    this.closed = false;
    this.retry = 0;
    this.open();
  }

  close() {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.ws?.close();
  }

  get online() {
    return this.connected === true;
  }

  // --- the protocol ---------------------------------------------------------------

  receive(text) {
    const kind = text[0];
    if (kind === "0") {                        // engine.io open: join our namespace
      this.send("0" + this.namespace + "," + JSON.stringify({ ...this.auth, last_event: this.floor }));
    } else if (kind === "2") {                 // ping → pong
      this.ws.send("3");
    } else if (kind === "4") {
      this.packet(text.slice(1));
    }
  }

  packet(text) {
    const type = text[0];
    let rest = text.slice(1);
    if (rest.startsWith("/")) {
      const comma = rest.indexOf(",");
      rest = comma < 0 ? "" : rest.slice(comma + 1);
    }
    const ackMatch = /^\d+/.exec(rest);
    const ackId = ackMatch && (type === "2" || type === "3") ? Number(ackMatch[0]) : null;
    if (ackId !== null) rest = rest.slice(ackMatch[0].length);
    const payload = rest ? JSON.parse(rest) : null;
    if (type === "0") this.joined();
    else if (type === "1") this.ws.close();     // the server cut us off: reconnecting asks again
    else if (type === "4") this.refused(payload);
    else if (type === "2") this.event(payload[0], payload[1]);
    else if (type === "3") this.acks.get(ackId)?.(payload[0]), this.acks.delete(ackId);
  }

  send(socketPacket) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send("4" + socketPacket);
  }

  emit(name, data) {
    return new Promise((resolve, reject) => {
      if (!this.connected) return reject(new Error("offline"));
      const id = this.nextAck++;
      this.acks.set(id, resolve);
      this.send(`2${this.namespace},${id}${JSON.stringify([name, data])}`);
    });
  }

  // --- connection state -----------------------------------------------------------

  joined() {
    this.connected = true;
    this.retry = 0;
    this.onStatus(true);
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.sync(), HEARTBEAT_MS);
  }

  refused(error) {
    this.onRefused(error?.data || error);
    this.closed = true;             // signed out or not allowed: retrying will not help
    this.ws.close();
  }

  dropped() {
    const wasOnline = this.connected;
    this.connected = false;
    clearInterval(this.heartbeat);
    this.acks.clear();
    if (wasOnline !== false) this.onStatus(false);
    if (this.closed) return;
    const delay = Math.min(5000, 250 * 2 ** this.retry++) * (0.75 + Math.random() / 2);
    setTimeout(() => this.open(), delay);
  }

  // --- events and the outbox --------------------------------------------------------

  event(name, message) {
    if (name === "replay_done") return this.replayDone(message);
    const id = message.id;
    if (this.floor !== null && id <= this.floor) return;       // already held
    if (this.seen.has(id)) return;                              // a replay raced a live copy
    this.seen.add(id);
    this.onEvent(name, message.data, id);
  }

  async replayDone(done) {
    if (done.snapshot_required || this.floor === null) {
      this.seen.clear();
      this.floor = await this.onSnapshotNeeded();
      if (this.floor === undefined || this.floor === null) this.floor = done.floor;
      return;
    }
    this.raiseFloor(done.floor);
  }

  raiseFloor(floor) {
    if (floor <= this.floor) return;
    this.floor = floor;
    for (const id of this.seen) if (id <= floor) this.seen.delete(id);
    if (this.seen.size > MAX_SEEN) this.seen = new Set([...this.seen].slice(-MAX_SEEN));
  }

  async sync() {
    if (this.floor === null) return;
    try {
      const answer = await this.emit("sync", { last_event: this.floor, seen: [...this.seen] });
      if (answer && !answer.error) this.raiseFloor(answer.floor);
    } catch { /* offline: the reconnect replays instead */ }
  }
}
