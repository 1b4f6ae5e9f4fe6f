// The staff pages for check-ins, screening, surveys and gatekeepers: API types, who may do what
// (from the account's grants, for showing the right controls; the server decides), and small
// wording helpers for times and durations.
import { getState, type Me } from './store';

// ---- check-ins (docs/checkins.md) -------------------------------------------------------------
// address is null for a care-team member who only makes the step-2 call (docs/privacy.md).
export interface Resident { id: number; name: string; address: string | null; phone: string }
export interface EscalationStep { step: number; code: string; label_ko: string; at: number; note: string }
export interface Escalation {
  id: number; assignment_id: number; reason: string; opened_at: number; step: number; step_code: string;
  step_label_ko: string; next_at: number | null; steps: EscalationStep[];
}
export interface MyResident {
  id: number; resident: Resident; cadence: string; last_ok_at: number; due_at: number; overdue: boolean;
  escalation: Escalation | null;
}
export interface CheckinRecord { at: number; result: string; note: string | null; source: string }
export interface AssignmentDetail {
  id: number; resident: Resident; cadence: string; last_ok_at: number; checkins: CheckinRecord[]; escalation: Escalation | null;
}
export const CADENCES = ['daily', 'twice_weekly', 'weekly'] as const;
export const RESULTS = ['fine', 'not_reached', 'concern'] as const;
// The ladder, in order (docs/checkins.md): step number - 1 → code.
export const LADDER = ['caregiver_retry', 'care_team_call', 'official_visit', 'emergency_response'] as const;

// ---- screening (docs/screening.md) ------------------------------------------------------------
export interface Round { id: number; created_at: number; from: string; to: string; households: number; listed: number; model_version: number }
export interface Reason { indicator: string; label_ko: string; label_en: string; contribution: number }
export interface RoundItem { id: number; dong_id: number; rank: number; score: number; why: Reason[]; outcome: string | null }
export interface Tally {
  listed: number; decided: number; supported: number; not_in_need: number; unreachable: number; refused: number;
  precision: number | null;
}
// Households people reported in the round's period: how many an official linked to the
// institutions' household key, and of those how many the round found or missed.
export interface Coverage { reported: number; linked: number; found_by_data: number; missed_by_data: number; missed_share: number | null }
export interface RoundDetail {
  id: number; from: string; to: string; households: number; report: Tally & { reported?: Coverage };
  by_dong: Record<string, Tally & { reported?: Coverage }>; items: RoundItem[];
}
export const OUTCOMES = ['supported_public', 'supported_private', 'case_management', 'not_in_need', 'unreachable', 'refused'] as const;

// ---- surveys ----------------------------------------------------------------------------------
export interface SurveyOption { code: string; label_ko: string; label_en: string }
export interface SurveyQuestion {
  code: string; type: 'choice' | 'bool' | 'number' | 'text' | string; required: boolean;
  text_ko: string; text_en: string; options: SurveyOption[];
}
export interface Survey { code: string; title_ko: string; title_en: string; min_age: number; about: string; questions: SurveyQuestion[] }
// A published snapshot of a survey year (never a live count); null cells are suppressed.
export interface SurveyReport {
  survey: string; title_ko: string; year: number; surveyed: number | null; newly_discovered: number | null; supported: number | null;
  snapshot_id: number; published_at: string;
  by_flag: Record<string, number | null>;
  by_dong: { dong_id: number; surveyed: number | null; newly_discovered: number | null; supported: number | null }[];
}
export interface SurveyResponseRow {
  id: number; dong_id: number; flags: string[]; urgent: boolean; follow_up: string | null; surveyed_at: number;
  household_id?: number | null;  // the triage-queue household a flagged interview was filed into
}
export interface SurveyResponseDetail {
  id: number; dong_id: number; respondent: { name: string; address: string; phone: string; birth_year: number };
  answers: Record<string, unknown>; flags: string[]; follow_up: string | null;
}
export const FLAGS = ['food', 'health', 'isolation', 'arrears', 'energy', 'mental_health', 'wants_help'] as const;
export const FOLLOW_UPS = ['supported', 'not_needed', 'refused', 'unreachable'] as const;

// ---- gatekeepers (docs/outreach.md) -----------------------------------------------------------
export interface Gatekeeper {
  id: number; district_id: number; dong_id: number | null; account_id: number | null; kind: string; occupation: string;
  organization: string; name: string; phone: string | null; training_date: string | null; agreement_date: string | null;
  active: boolean; created_at: string | number; updated_at: string | number;
  reports?: { received: number; under_review: number; closed: number };
}
export interface GatekeeperPage { items: Gatekeeper[]; total: number; page: number; page_size: number }
export interface Code { code: string; ko: string; en: string }
export interface OutreachVocabulary { occupations: Code[] }
export const GATEKEEPER_KINDS = ['honorary_officer', 'partner_worker'] as const;

// ---- who may do what --------------------------------------------------------------------------
// The dongs a set of roles reaches: the whole district (a district grant) and/or some dongs.
export interface Reach { district: boolean; dongs: number[] }
export function reachOf(me: Me | null, roles: string[]): Reach {
  const r: Reach = { district: false, dongs: [] };
  for (const g of me?.roles || []) {
    if (!roles.includes(g.role)) continue;
    if (g.scope_kind === 'district') r.district = true;
    else if (g.scope_kind === 'dong' && !r.dongs.includes(Number(g.scope_id))) r.dongs.push(Number(g.scope_id));
  }
  return r;
}
export const reaches = (r: Reach) => r.district || r.dongs.length > 0;

// The dongs of the account's district, as [id, name] for selects.
export function districtDongs(me: Me | null): { id: number; name_ko: string; name_en: string }[] {
  const ds = getState().districts || [];
  const d = ds.find((x) => String(x.id) === String(me?.district_id)) || ds[0];
  return (d?.dongs || []).map((g) => ({ id: Number(g.id), name_ko: g.name_ko, name_en: g.name_en }));
}
export function dongName(id: number | null | undefined): string {
  if (!id) return '';
  const s = getState();
  for (const d of s.districts || []) {
    const g = d.dongs.find((x) => Number(x.id) === Number(id));
    if (g) return s.lang === 'ko' ? g.name_ko : g.name_en;
  }
  return String(id);
}
// The dongs a reach can pick from (the district's dongs for a district grant).
export function reachDongs(me: Me | null, r: Reach) {
  const all = districtDongs(me);
  return r.district ? all : all.filter((g) => r.dongs.includes(g.id));
}

// ---- times --------------------------------------------------------------------------------------
const ko = () => getState().lang === 'ko';
export function when(unix: number | null | undefined): string {
  if (!unix) return '';
  const d = new Date(unix * 1000);
  if (isNaN(d.getTime())) return '';
  return d.toLocaleString(ko() ? 'ko-KR' : 'en-GB', {
    month: 'long', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Seoul',
  });
}
export function whenDate(unix: number | null | undefined): string {
  if (!unix) return '';
  const d = new Date(unix * 1000);
  if (isNaN(d.getTime())) return '';
  return d.toLocaleDateString(ko() ? 'ko-KR' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Seoul' });
}
export function iso(unix: number | null | undefined): string {
  if (!unix) return '';
  const d = new Date(unix * 1000);
  return isNaN(d.getTime()) ? '' : d.toISOString();
}
// "2일 3시간", "3시간 10분", "5분" / "2 d 3 h", "3 h 10 min", "5 min".
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return ko() ? '1분 미만' : 'under a minute';
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  const k = ko();
  const parts: string[] = [];
  if (d) parts.push(k ? `${d}일` : `${d} d`);
  if (h) parts.push(k ? `${h}시간` : `${h} h`);
  if (!d && (m || !h)) parts.push(k ? `${m}분` : `${m} min`);
  return parts.join(' ');
}
export const nowUnix = () => Math.floor(Date.now() / 1000);
export function percent(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !isFinite(x)) return '';
  return `${(x * 100).toFixed(digits)}%`;
}
export function thisYearSeoul(): number {
  return Number(new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 4));
}
export function monthSeoul(back = 0): string {
  const d = new Date(Date.now() + 9 * 3600e3);
  let y = d.getUTCFullYear(), m = d.getUTCMonth() + 1 - back;
  while (m < 1) { m += 12; y--; }
  return `${y}-${String(m).padStart(2, '0')}`;
}
