// App-wide state: display preferences (persisted) and the session (memory only).
import { useEffect, useState } from 'preact/hooks';
import { translate, hasKey, type Key, type Lang } from './i18n';

export type TextSize = 'sm' | 'md' | 'lg' | 'xl';
export const TEXT_SIZES: TextSize[] = ['sm', 'md', 'lg', 'xl'];
// Root font size as a percentage; KRDS sizes everything in rem on a 62.5% (10 px) root.
const ROOT_SIZE: Record<TextSize, string> = { sm: '56.25%', md: '62.5%', lg: '75%', xl: '87.5%' };

export interface Grant { id: number | string; role: string; scope_kind: string; scope_id: number | string; scope_name?: string }
export interface Me {
  id: number | string; name: string; email?: string | null; phone?: string | null;
  district_id?: number | string | null; roles: Grant[]; csrf_token?: string;
}
export interface Dong { id: number | string; code: string; name_ko: string; name_en: string }
export interface District extends Dong { dongs: Dong[] }
export interface RoleInfo { role: string; name_ko: string; name_en: string; scope_kinds: string[] }

export interface State {
  lang: Lang;
  textSize: TextSize;
  highContrast: boolean;
  session: 'unknown' | 'anon' | 'user';
  me: Me | null;
  csrf: string | null;
  districts: District[] | null;
  roles: RoleInfo[] | null;
  unread: number;            // unread messages in the member's inbox (알림함), for the header badge
}

function load<T>(key: string, ok: (v: string) => boolean, dflt: T): T {
  try {
    const v = localStorage.getItem(key);
    if (v !== null && ok(v)) return v as unknown as T;
  } catch { /* storage may be disabled */ }
  return dflt;
}
function save(key: string, value: string) {
  try { localStorage.setItem(key, value); } catch { /* ignore */ }
}

let state: State = {
  lang: load<Lang>('dure.lang', (v) => v === 'ko' || v === 'en', 'ko'),
  textSize: load<TextSize>('dure.textSize', (v) => (TEXT_SIZES as string[]).includes(v), 'md'),
  highContrast: load<string>('dure.highContrast', (v) => v === '1' || v === '0', '0') === '1',
  session: 'unknown',
  me: null,
  csrf: null,
  districts: null,
  roles: null,
  unread: 0,
};
const listeners = new Set<() => void>();

export function getState(): State { return state; }

export function setState(patch: Partial<State>) {
  state = { ...state, ...patch };
  if ('lang' in patch) save('dure.lang', state.lang);
  if ('textSize' in patch) save('dure.textSize', state.textSize);
  if ('highContrast' in patch) save('dure.highContrast', state.highContrast ? '1' : '0');
  applyDocument();
  listeners.forEach((l) => l());
}

// Reflects preferences on <html>: lang, root font size, KRDS high-contrast mode.
export function applyDocument() {
  const html = document.documentElement;
  html.lang = state.lang;
  html.style.fontSize = ROOT_SIZE[state.textSize];
  html.dataset.textSize = state.textSize;
  if (state.highContrast) html.setAttribute('data-krds-mode', 'high-contrast');
  else html.removeAttribute('data-krds-mode');
}

export function useAppState(): State {
  const [, force] = useState(0);
  // The state this render saw: if it changed between render and subscription (a fetch that
  // answered before the effect ran), re-render at once, or the change would be missed.
  const seen = state;
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    if (state !== seen) l();
    return () => { listeners.delete(l); };
  }, []);
  return state;
}

export function t(key: Key, params?: Record<string, string | number>): string {
  return translate(state.lang, key, params);
}
export function tKey(key: string, params?: Record<string, string | number>): string | null {
  return hasKey(key) ? translate(state.lang, key, params) : null;
}

export function isDistrictAdmin(me: Me | null): boolean {
  return !!me && me.roles.some((g) => g.role === 'district_admin');
}

// Roles that do outreach work: they get the 업무 (/staff) menu.
export const STAFF_ROLES = ['district_admin', 'caseworker', 'care_team', 'caregiver', 'gatekeeper', 'project_manager', 'privacy_officer'];
export function hasRole(me: Me | null, ...roles: string[]): boolean {
  return !!me && me.roles.some((g) => roles.includes(g.role));
}

export function roleName(role: string): string {
  const r = state.roles?.find((x) => x.role === role);
  if (!r) return role;
  return state.lang === 'ko' ? r.name_ko : r.name_en;
}

export function placeName(p: { name_ko: string; name_en: string }): string {
  return state.lang === 'ko' ? p.name_ko : p.name_en;
}

export function districtName(id: Me['district_id']): string | null {
  if (id === null || id === undefined) return null;
  const d = state.districts?.find((x) => String(x.id) === String(id));
  return d ? placeName(d) : null;
}
