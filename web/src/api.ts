// Thin fetch wrapper for the dure JSON API: problem+json errors become ApiError,
// unsafe methods carry the session's CSRF token.
import { getState, setState, type Me } from './store';

export interface FieldError { field: string; code: string; message: string }
export interface Problem {
  type?: string; title?: string; status: number; detail?: string; instance?: string;
  request_id?: string; errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(public status: number, public problem: Problem, public retryAfter: number | null) {
    super(problem.title || `HTTP ${status}`);
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// `extra`: more request headers (e.g. an Idempotency-Key for a write that may be retried).
export async function api<T = unknown>(method: string, path: string, body?: unknown, raw?: { text: string; type: string }, extra?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(extra || {}) };
  if (raw) headers['Content-Type'] = raw.type;
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = getState().csrf;
  if (UNSAFE.has(method) && csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: raw ? raw.text : body === undefined ? undefined : JSON.stringify(body),
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
    if (res.status === 401 && getState().session === 'user') setState({ session: 'anon', me: null, csrf: null });
    throw new ApiError(res.status, { ...problem, status: res.status }, retryAfter);
  }
  return data as T;
}

// Sends a text body as it is (e.g. a CSV file as text/csv).
export function apiText<T = unknown>(method: string, path: string, text: string, type: string): Promise<T> {
  return api<T>(method, path, undefined, { text, type });
}

// Loads the session from GET /api/v1/me; a 401 means "logged out", not an error.
export async function refreshMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('GET', '/api/v1/me');
    setState({ session: 'user', me, csrf: me.csrf_token || getState().csrf });
    return me;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      setState({ session: 'anon', me: null, csrf: null });
      return null;
    }
    // Server unreachable: treat as logged out so the page still renders.
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
