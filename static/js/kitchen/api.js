// The kitchen API as the screens call it: JSON in and out; a refusal is an ApiError
// ({status, code, message}), a lost network a NetworkError. Every answer's Date header
// keeps the ticket timers on the server's clock.
import { noteServerTime } from "./util.js";

const BASE = "/api/v1";
const TIMEOUT_MS = 10000;

export class ApiError extends Error {
  constructor(status, error = {}) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || `http_${status}`;
  }
}

export class NetworkError extends Error {
  constructor(cause) {
    super("network");
    this.cause = cause;
  }
}

export async function api(method, path, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: body === undefined
        ? { Accept: "application/json" }
        : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (error) {
    throw new NetworkError(error);
  } finally {
    clearTimeout(timer);
  }
  noteServerTime(response.headers.get("Date"), sentAt, Date.now());
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error || {});
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body = {}) => api("POST", path, body);
