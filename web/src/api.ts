// The one client of the dure JSON API. Every page calls the server through request() (or its
// short forms api() and apiText()):
// - unsafe methods carry the session's CSRF token (X-CSRF-Token);
// - problem+json errors (RFC 9457) become ApiError, with Retry-After and the request id;
// - a staff read that opens a person's record says why (X-Access-Reason, sent as UTF-8 bytes);
// - a write that must not happen twice carries an Idempotency-Key, one per submission (Submission).
// Request bodies and the error shapes are typed from the OpenAPI document (api-types.ts, generated
// by `npm run api-types` from GET /api/openapi.json), so the client and the server cannot drift.
import type { components, operations } from './api-types';
import { getState, setState, type Me } from './store';

export type FieldError = components['schemas']['FieldError'];
// `type` is 'network' when the server could not be reached (status 0).
export type Problem = Partial<components['schemas']['Problem']> & { status: number };

// The JSON body an operation takes, by its operationId: Body<'postCasesByIdStage'>.
export type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer B } };
} ? B : never;

export class ApiError extends Error {
  constructor(public status: number, public problem: Problem, public retryAfter: number | null) {
    super(problem.title || `HTTP ${status}`);
  }
}

export interface RequestOptions {
  body?: unknown;                          // sent as JSON
  raw?: { text: string | Blob; type: string };  // sent as it is (a CSV file as text/csv, an uploaded file)
  reason?: string;                         // X-Access-Reason: why a staff member opens a record
  idempotencyKey?: string;                 // Idempotency-Key (see Submission)
  headers?: Record<string, string>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// fetch() takes header values as byte strings (no character above U+00FF), and the server reads
// the header's bytes as UTF-8: a Korean reason is sent as its UTF-8 bytes, one character each.
export function headerValue(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => String.fromCharCode(b)).join('');
}

export async function request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers || {}) };
  if (opts.raw) headers['Content-Type'] = opts.raw.type;
  else if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = getState().csrf;
  if (UNSAFE.has(method) && csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.reason !== undefined) headers['X-Access-Reason'] = headerValue(opts.reason);
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: opts.raw ? opts.raw.text : opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, { status: 0, type: 'network' }, null);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const problem: Problem = data && typeof data === 'object' ? (data as Problem) : { status: res.status };
    if (!problem.request_id) problem.request_id = res.headers.get('X-Request-Id') || undefined;
    const ra = res.headers.get('Retry-After');
    const retryAfter = ra && /^\d+$/.test(ra) ? Number(ra) : null;
    if (res.status === 401 && getState().session === 'user') { clearMarker(); setState({ session: 'anon', me: null, csrf: null }); }
    throw new ApiError(res.status, { ...problem, status: res.status }, retryAfter);
  }
  return data as T;
}

// The short form most pages use: a JSON body (or a raw one), optionally extra headers.
export function api<T = unknown>(method: string, path: string, body?: unknown, raw?: { text: string; type: string } | null,
  extra?: Record<string, string>): Promise<T> {
  return request<T>(method, path, { body, raw: raw || undefined, headers: extra });
}

// Sends a text body as it is (e.g. a CSV file as text/csv).
export function apiText<T = unknown>(method: string, path: string, text: string, type: string): Promise<T> {
  return request<T>(method, path, { raw: { text, type } });
}

// One Idempotency-Key per submission of a form: the same key while the person sends the same
// content again (after a network error or a 5xx the write may have happened: the server answers a
// replay with the first answer and writes nothing), a new key once it succeeded or the content
// changed. Keep one per form (e.g. in a useRef).
export class Submission {
  private key: string | null = null;
  private content = '';
  keyFor(body: unknown): string {
    const content = JSON.stringify(body ?? null);
    if (!this.key || content !== this.content) {
      this.key = newIdempotencyKey();
      this.content = content;
    }
    return this.key;
  }
  // The write succeeded: the next submission is a new one.
  done() { this.key = null; }
}

// A fresh Idempotency-Key for one submission of a form (see Submission).
export function newIdempotencyKey(): string {
  // randomUUID() needs a secure context; getRandomValues() does not.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x: number) => x.toString(16).padStart(2, '0')).join('');
}

// The server sets the readable cookie dure_signed_in (no secret) next to the HttpOnly session
// cookie and clears both on logout, so an anonymous visitor is known without a failing request.
function signedInMarker(): boolean {
  return document.cookie.split(';').some((c) => c.trim().startsWith('dure_signed_in=1'));
}
function clearMarker() {
  document.cookie = 'dure_signed_in=; Path=/; SameSite=Strict; Max-Age=0';
}

// Loads the session from GET /api/v1/me when the marker says there may be one; a 401 means
// "logged out" (the session expired or was ended elsewhere), not an error.
export async function refreshMe(): Promise<Me | null> {
  if (!signedInMarker()) {
    setState({ session: 'anon', me: null, csrf: null });
    return null;
  }
  try {
    const me = await api<Me>('GET', '/api/v1/me');
    setState({ session: 'user', me, csrf: me.csrf_token || getState().csrf });
    return me;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) clearMarker();
    // 401/403, or the server unreachable: treat as logged out so the page still renders.
    setState({ session: 'anon', me: null, csrf: null });
    return null;
  }
}

export async function loadReference() {
  const s = getState();
  const jobs: Promise<void>[] = [];
  if (!s.districts) jobs.push(api<any>('GET', '/api/v1/districts').then((d) => setState({ districts: Array.isArray(d) ? d : [] })).catch(() => setState({ districts: [] })));
  if (!s.roles) jobs.push(api<any>('GET', '/api/v1/roles').then((r) => setState({ roles: Array.isArray(r) ? r : [] })).catch(() => setState({ roles: [] })));
  await Promise.all(jobs);
}

export async function logout() {
  try { await api('POST', '/api/v1/auth/logout'); } catch { /* cookie may already be gone */ }
  setState({ session: 'anon', me: null, csrf: null });
}
