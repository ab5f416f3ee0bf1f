// The kitchen calls the shared API module; every answer's Date header keeps the ticket
// timers on the server's clock.
import { ApiError, NetworkError, api as call } from "../api.js";
import { noteServerTime } from "./util.js";

export { ApiError, NetworkError };

const TIMEOUT_MS = 10000;
const onAnswer = (response, sentAt) => noteServerTime(response.headers.get("Date"), sentAt, Date.now());

export const api = (method, path, body) => call(method, path, body, { timeout: TIMEOUT_MS, onAnswer });
export const get = (path) => api("GET", path);
export const post = (path, body = {}) => api("POST", path, body);

let preloaded = true;

/**
 * The board's snapshot: GET `path`. The page asks for the first one as it opens (a <link
 * rel="preload"> in kitchen/index.html), so that it does not wait for the screen's modules
 * to arrive first; the first call here asks exactly as that preload did (no headers of its
 * own, the default cache mode), and the browser hands over that answer rather than asking
 * again. It is read as ../api.js reads an answer, with the same errors. Later snapshots (a
 * reconnect after a long gap) are plain GETs.
 */
export function getSnapshot(path) {
  const plain = preloaded;
  preloaded = false;
  return call("GET", path, undefined, { timeout: TIMEOUT_MS, onAnswer, plain });
}
