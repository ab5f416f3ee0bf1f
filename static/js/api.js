// The Masa HTTP API as every screen calls it: JSON in and out, errors as ApiError
// ({status, code, message, field}), and a lost network as NetworkError — the one error
// after which the same request may simply be tried again.

const BASE = "/api/v1";
const TIMEOUT_MS = 15000;

export class ApiError extends Error {
  constructor(status, error = {}) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || `http_${status}`;
    this.field = error.field || null;
    this.error = error;
  }

  /** The server could not answer now (it restarts, a proxy times out): try again later. */
  get retryable() {
    return this.status >= 500 || this.status === 408;
  }
}

export class NetworkError extends Error {
  constructor(cause) {
    super("network");
    this.cause = cause;
    this.retryable = true;
  }
}

/** A failure after which the same request, with the same client id, may be sent again. */
export function isRetryable(error) {
  return error instanceof NetworkError || (error instanceof ApiError && error.retryable);
}

/**
 * `plain`: ask exactly as a `<link rel="preload">` of the same URL does (no headers of our
 * own, the default cache mode), so the browser hands over the preloaded answer.
 */
export async function api(method, path, body,
                          { timeout = TIMEOUT_MS, onAnswer = null, plain = false } = {}) {
  if (method !== "GET" && body === undefined) body = {}; // the server takes writes as JSON only
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(BASE + path, plain
      ? { credentials: "same-origin", signal: controller.signal }
      : {
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
  onAnswer?.(response, sentAt);
  let data = null;
  try {
    data = await response.json();
  } catch {
    if (response.ok) throw new NetworkError(new Error("the answer was cut off"));
  }
  if (!response.ok) throw new ApiError(response.status, data?.error || {});
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body = {}) => api("POST", path, body);
export const patch = (path, body = {}) => api("PATCH", path, body);
