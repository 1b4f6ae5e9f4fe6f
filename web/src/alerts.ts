// Membership alerts and recommendations for the logged-in member: the API types, the inbox's
// unread count (kept in the app state for the header badge) and small wording helpers.
import { api } from './api';
import { getState, setState } from './store';

// ---- API types --------------------------------------------------------------------------------
export interface AlertSettings {
  alerts_consent: boolean; has_household: boolean; email: boolean; sms: boolean;
  quiet_start: number; quiet_end: number; email_available: boolean; sms_available: boolean;
}
export interface InboxItem { id: number | string; created_at: number; kind: string; title: string; body: string; read: boolean }
export interface Inbox { items: InboxItem[]; unread: number }
export interface Recommendation {
  service_id: string; name: string; program?: string | null; score: number; applied: boolean; why_ko: string[]; why_en: string[];
}
export interface Recommendations { items: Recommendation[]; model: Record<string, number> }
export interface Interests { topics?: string[]; life_stages?: string[]; situations?: string[] }
export interface Profile { alerts_consent: boolean; interests: Interests; household: unknown; updated_at?: number }
export type Feedback = 'viewed' | 'applied' | 'dismissed';

// The features of the recommendation model, in the order the documentation names them.
export const FEATURES = ['bias', 'eligible', 'undetermined', 'topic', 'life_stage', 'situation', 'viewed', 'national'];

// ---- the unread count -------------------------------------------------------------------------
let lastFetch = 0;
let inflight: Promise<void> | null = null;

// Asks the server how many messages are unread. `maxAge` (ms) skips the request when the count
// is fresher than that, so that moving between pages does not ask every time.
export function refreshUnread(maxAge = 0): Promise<void> {
  if (getState().session !== 'user') return Promise.resolve();
  if (maxAge && Date.now() - lastFetch < maxAge) return Promise.resolve();
  if (inflight) return inflight;
  lastFetch = Date.now();
  inflight = api<Inbox>('GET', '/api/v1/me/inbox')
    .then((r) => setState({ unread: typeof r.unread === 'number' ? r.unread : r.items.filter((x) => !x.read).length }))
    .catch(() => { /* the badge is a convenience; the inbox page shows errors */ })
    .finally(() => { inflight = null; });
  return inflight;
}
export function setUnread(n: number) {
  lastFetch = Date.now();
  setState({ unread: Math.max(0, n) });
}
export function forgetUnread() { lastFetch = 0; }

// ---- wording ----------------------------------------------------------------------------------
export function sentAt(unix: number): string {
  const d = new Date(unix * 1000);
  if (isNaN(d.getTime())) return '';
  const ko = getState().lang === 'ko';
  return d.toLocaleString(ko ? 'ko-KR' : 'en-GB', {
    year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Seoul',
  });
}
// A machine-readable date for <time datetime>.
export function isoTime(unix: number): string {
  const d = new Date(unix * 1000);
  return isNaN(d.getTime()) ? '' : d.toISOString();
}

// "21시 (오후 9시)" / "21:00 (9 pm)".
export function hourLabel(h: number): string {
  const ko = getState().lang === 'ko';
  const twelve = h % 12 === 0 ? 12 : h % 12;
  if (ko) {
    const part = h === 0 ? '자정' : h === 12 ? '정오' : `${h < 12 ? '오전' : '오후'} ${twelve}시`;
    return `${h}시 (${part})`;
  }
  const part = h === 0 ? 'midnight' : h === 12 ? 'noon' : `${twelve} ${h < 12 ? 'am' : 'pm'}`;
  return `${String(h).padStart(2, '0')}:00 (${part})`;
}
