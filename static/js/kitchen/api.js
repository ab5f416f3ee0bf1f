// The kitchen calls the shared API module; every answer's Date header keeps the ticket
// timers on the server's clock.
import { ApiError, NetworkError, api as call } from "../api.js";
import { noteServerTime } from "./util.js";

export { ApiError, NetworkError };

const onAnswer = (response, sentAt) => noteServerTime(response.headers.get("Date"), sentAt, Date.now());

export const api = (method, path, body) => call(method, path, body, { timeout: 10000, onAnswer });
export const get = (path) => api("GET", path);
export const post = (path, body = {}) => api("POST", path, body);
