// 복지 모의계산: the wizard's answers (kept in sessionStorage), the household they make for
// POST /api/v1/simulations, which question comes next, and the money and reason wording.
import { api, newIdempotencyKey } from './api';
import { getState } from './store';

// ---- API types --------------------------------------------------------------------------------
export type Status = 'eligible' | 'not_eligible' | 'undetermined' | 'not_computed';
export type VarType = 'money' | 'number' | 'enum' | 'bool' | 'list';
export interface Question {
  variable: string; question_ko: string; question_en: string; type: VarType; values?: string[];
  member?: number; decides?: number;
}
export interface Reason {
  label_ko: string; label_en: string; held: boolean | null; kind: string; op?: string;
  left?: number | null; right?: number | null; variable?: string; gap?: number; direction?: 'increase' | 'decrease';
  member?: number;
}
export interface ProgramResult {
  program: string; name_ko: string; name_en: string; status: Status; period?: 'month' | 'year' | 'once';
  monthly_amount?: number; annual_amount?: number; lump_sum_amount?: number;
  /** the amount reads a figure no official source confirmed (shown as 추정) */
  amount_estimate?: boolean; estimated_parameters?: { parameter: string; label_ko: string; source: string }[];
  reasons: Reason[]; question?: Question; notes_ko?: string; notes_en?: string; source?: string; service_id?: string;
}
export interface Computed { value: number | null; given?: boolean; label_ko?: string; label_en?: string }
export interface Simulation {
  date: string; computed: Record<string, Computed | unknown>; results: ProgramResult[]; questions: Question[]; saved_id?: number | string;
}
export interface VariableInfo {
  variable: string; type: VarType; label_ko: string; label_en: string; question_ko: string; question_en: string;
  computed: boolean; values?: string[];
}
export interface VariableCatalog { household: VariableInfo[]; member: VariableInfo[] }
export interface ProgramInfo { program: string; name_ko: string; name_en: string; period: string; has_amount: boolean }

// ---- the answers -------------------------------------------------------------------------------
export type Value = string | number | boolean | string[];
export interface MemberDraft { relation?: string; birth_date?: string; age?: number; [v: string]: Value | undefined }
export interface Draft {
  v: 1;
  size?: number;            // how many people live together (the first is the applicant)
  members: MemberDraft[];
  hh: Record<string, Value>; // answered household variables, flat: tenure, income_earned, crisis …
  skipped: string[];        // question keys answered "잘 모르겠어요"
  asked: string[];          // question keys in the order they were shown (for the back link)
  at?: string;              // the last step shown, to continue from
}

const STORAGE = 'dure.eligibility';
export function emptyDraft(): Draft { return { v: 1, members: [], hh: {}, skipped: [], asked: [] }; }

export function loadDraft(): Draft {
  try {
    const raw = sessionStorage.getItem(STORAGE);
    if (raw) {
      const d = JSON.parse(raw);
      if (d && d.v === 1 && Array.isArray(d.members) && d.hh && typeof d.hh === 'object') {
        return { ...emptyDraft(), ...d, skipped: Array.isArray(d.skipped) ? d.skipped : [], asked: Array.isArray(d.asked) ? d.asked : [] };
      }
    }
  } catch { /* storage disabled or corrupt: start afresh */ }
  return emptyDraft();
}
export function saveDraft(d: Draft) {
  try { sessionStorage.setItem(STORAGE, JSON.stringify(d)); } catch { /* ignore */ }
}
export function clearDraft() {
  try { sessionStorage.removeItem(STORAGE); } catch { /* ignore */ }
}
export function hasProgress(d: Draft): boolean { return d.size !== undefined; }

// Household variables by the household section they belong to, in the order a person would tell them.
export const INCOMES: Record<string, string> = {
  income_earned: 'earned', income_business: 'business', income_property: 'property',
  income_public_transfer: 'public_transfer', income_private_transfer: 'private_transfer',
};
export const ASSETS: Record<string, string> = {
  asset_housing: 'housing', asset_deposits: 'deposits', asset_financial: 'financial', asset_vehicles: 'vehicles', debts: 'debts',
};
const RESIDENCE = ['tenure', 'rent', 'deposit', 'region'];
const FLAGS = ['single_parent', 'multicultural', 'defector', 'crisis', 'receives'];
export const MEMBER_VARS = ['relation', 'disability', 'pregnant', 'school', 'nationality', 'employed', 'job_seeking', 'veteran', 'in_childcare'];
// The canonical order: ties in `decides` are asked in this order.
export const ORDER = [...MEMBER_VARS, ...RESIDENCE, ...Object.keys(INCOMES), ...Object.keys(ASSETS), ...FLAGS];

export type Section = 'members' | 'housing' | 'money' | 'situation' | 'results';
export const SECTIONS: Section[] = ['members', 'housing', 'money', 'situation', 'results'];
export function sectionOf(variable: string, member?: number): Section {
  if (member !== undefined || MEMBER_VARS.includes(variable) || variable === 'age' || variable === 'birth_date') return 'members';
  if (RESIDENCE.includes(variable)) return 'housing';
  if (variable in INCOMES || variable in ASSETS) return 'money';
  return 'situation';
}

// The household for the API. What was not answered is left out (unknown), never zero: inside
// incomes/assets, where a missing entry would count as zero, it is sent as null.
export function toHousehold(d: Draft): Record<string, unknown> {
  const members = (d.members.length ? d.members : [{}]).map((m, i) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m)) if (v !== undefined && v !== '') o[k] = v;
    if (i === 0) o.relation = 'self';
    if (o.birth_date) delete o.age;
    return o;
  });
  const h: Record<string, unknown> = { members };
  const res: Record<string, unknown> = {};
  for (const k of RESIDENCE) if (d.hh[k] !== undefined) res[k] = d.hh[k];
  if (Object.keys(res).length) h.residence = res;
  for (const [section, map] of [['incomes', INCOMES], ['assets', ASSETS]] as const) {
    if (!Object.keys(map).some((k) => d.hh[k] !== undefined)) continue;
    const s: Record<string, unknown> = {};
    for (const [v, key] of Object.entries(map)) s[key] = d.hh[v] !== undefined ? d.hh[v] : null;
    h[section] = s;
  }
  for (const k of FLAGS) if (d.hh[k] !== undefined) h[k] = d.hh[k];
  return h;
}

// The reverse, for a household stored on the member's profile or with a saved result.
export function fromHousehold(h: any): Draft {
  const d = emptyDraft();
  if (!h || typeof h !== 'object' || !Array.isArray(h.members) || !h.members.length) return d;
  d.members = h.members.map((m: any) => {
    const o: MemberDraft = {};
    if (m && typeof m === 'object') {
      for (const [k, v] of Object.entries(m)) if (v !== null && v !== undefined && k !== 'id' && k !== 'name') o[k] = v as Value;
    }
    return o;
  });
  d.size = d.members.length;
  const res = h.residence || {};
  for (const k of RESIDENCE) if (res[k] !== undefined && res[k] !== null) d.hh[k] = res[k];
  for (const [section, map] of [['incomes', INCOMES], ['assets', ASSETS]] as const) {
    const s = h[section];
    if (s && typeof s === 'object') for (const [v, key] of Object.entries(map)) if (typeof s[key] === 'number') d.hh[v] = s[key];
  }
  for (const k of FLAGS) if (h[k] !== undefined && h[k] !== null) d.hh[k] = h[k];
  return d;
}

// ---- steps -------------------------------------------------------------------------------------
// A step is addressed as ?step=… : size, m{i}-relation, m{i}-age, q:{variable}[@{member}], results.
export function questionKey(variable: string, member?: number): string {
  return member === undefined || member === null ? variable : `${variable}@${member}`;
}
export function parseQuestionKey(key: string): { variable: string; member?: number } {
  const at = key.indexOf('@');
  return at < 0 ? { variable: key } : { variable: key.slice(0, at), member: Number(key.slice(at + 1)) };
}
// The step where a question is asked: age and relation belong to the member pages.
export function stepFor(variable: string, member?: number): string {
  if (member !== undefined && (variable === 'age' || variable === 'age_months' || variable === 'birth_date')) return `m${member}-age`;
  if (member !== undefined && variable === 'relation' && member > 0) return `m${member}-relation`;
  return `q:${questionKey(variable, member)}`;
}

export function essentialSteps(d: Draft): string[] {
  const out = ['size'];
  for (let i = 0; i < (d.size || 0); i++) {
    if (i > 0) out.push(`m${i}-relation`);
    out.push(`m${i}-age`);
  }
  return out;
}

export function isAnswered(d: Draft, variable: string, member?: number): boolean {
  if (member !== undefined) {
    const m = d.members[member];
    if (!m) return true; // no such member any more
    if (variable === 'age' || variable === 'age_months') return m.age !== undefined || m.birth_date !== undefined;
    return m[variable] !== undefined;
  }
  return d.hh[variable] !== undefined;
}

// The next question: the response's questions not yet answered or skipped, most deciding first.
// When only skipped questions remain, the rest of a skipped one's money section is still worth
// asking (the answer would need them too), so those follow.
export function nextQuestion(d: Draft, sim: Simulation, catalog: VariableCatalog | null): Question | null {
  const done = (variable: string, member?: number) => isAnswered(d, variable, member) || d.skipped.includes(questionKey(variable, member));
  const rank = (q: Question) => { const i = ORDER.indexOf(q.variable); return i < 0 ? ORDER.length : i; };
  // Only what the wizard can ask: an input variable, or a member's age (asked as the date of birth).
  const askable = (q: Question) => (q.member !== undefined && q.member !== null && (q.variable === 'age' || q.variable === 'age_months'))
    || !!(catalog && [...catalog.household, ...catalog.member].some((v) => v.variable === q.variable && !v.computed));
  const open = sim.questions.filter((q) => askable(q) && !done(q.variable, q.member ?? undefined))
    .sort((a, b) => (b.decides ?? 0) - (a.decides ?? 0) || rank(a) - rank(b) || (a.member ?? 0) - (b.member ?? 0));
  if (open.length) return open[0];
  for (const q of sim.questions) {
    const group = q.variable in INCOMES ? [...Object.keys(INCOMES), ...Object.keys(ASSETS)]
      : q.variable in ASSETS ? Object.keys(ASSETS) : [];
    for (const v of group) {
      if (done(v)) continue;
      const info = catalog?.household.find((x) => x.variable === v);
      if (info) return { variable: v, question_ko: info.question_ko, question_en: info.question_en, type: info.type, values: info.values };
    }
  }
  return null;
}

// ---- reference data (loaded once) --------------------------------------------------------------
let catalog: VariableCatalog | null = null;
let programs: ProgramInfo[] | null = null;
export async function loadReferenceData(): Promise<{ catalog: VariableCatalog; programs: ProgramInfo[] }> {
  if (!catalog) catalog = await api<VariableCatalog>('GET', '/api/v1/eligibility/questions');
  if (!programs) programs = (await api<{ items: ProgramInfo[] }>('GET', '/api/v1/eligibility/programs')).items;
  return { catalog, programs };
}
export function cachedCatalog(): VariableCatalog | null { return catalog; }
export function cachedPrograms(): ProgramInfo[] | null { return programs; }
export function variableInfo(variable: string, member?: boolean): VariableInfo | undefined {
  if (!catalog) return undefined;
  const list = member ? catalog.member : catalog.household;
  return list.find((v) => v.variable === variable) || (member ? undefined : catalog.member.find((v) => v.variable === variable));
}

// The last simulation, so that the results page after the last answer needs no second request.
let last: { key: string; sim: Simulation } | null = null;
const saveKeys = new Map<string, string>();
export async function simulate(d: Draft, opts: { save?: boolean } = {}): Promise<Simulation> {
  const household = toHousehold(d);
  const key = JSON.stringify(household);
  if (!opts.save && last && last.key === key) return last.sim;
  // Saving one household's result is one submission: pressing 결과 저장 again sends the same
  // Idempotency-Key, so the server keeps one saved result.
  let headers: Record<string, string> | undefined;
  if (opts.save) {
    if (!saveKeys.has(key)) saveKeys.set(key, newIdempotencyKey());
    headers = { 'Idempotency-Key': saveKeys.get(key)! };
  }
  const sim = await api<Simulation>('POST', '/api/v1/simulations', { household, ...(opts.save ? { save: true } : {}) }, null, headers);
  last = { key, sim };
  return sim;
}
export function cachedSimulation(d: Draft): Simulation | null {
  const key = JSON.stringify(toHousehold(d));
  return last && last.key === key ? last.sim : null;
}

// ---- wording -----------------------------------------------------------------------------------
function ko(): boolean { return getState().lang === 'ko'; }
export function pick(o: { [k: string]: any }, base: string): string {
  return (ko() ? o[`${base}_ko`] : o[`${base}_en`] || o[`${base}_ko`]) || '';
}

export function formatWon(n: number): string {
  const s = Math.round(n).toLocaleString(ko() ? 'ko-KR' : 'en-GB');
  return ko() ? `${s}원` : `KRW ${s}`;
}

// 1200000 → "120만원", 250000000 → "2억 5,000만원", 1234567 → "123만 4,567원".
export function manwon(n: number): string {
  const fmt = (x: number) => x.toLocaleString('ko-KR');
  if (!ko()) {
    if (n >= 1e8) return `${(n / 1e6).toLocaleString('en-GB', { maximumFractionDigits: 1 })} million won`;
    if (n >= 1e6) return `${(n / 1e6).toLocaleString('en-GB', { maximumFractionDigits: 2 })} million won`;
    return `${fmt(n)} won`;
  }
  const eok = Math.floor(n / 1e8), man = Math.floor((n % 1e8) / 1e4), won = n % 1e4;
  const parts: string[] = [];
  if (eok) parts.push(`${fmt(eok)}억`);
  if (man) parts.push(`${fmt(man)}만`);
  if (won || !parts.length) parts.push(fmt(won));
  return parts.join(' ') + '원';
}

// Korean particle after a word: 이/가, 을/를, 은/는 by the final consonant of the last syllable.
export function josa(word: string, pair: [string, string]): string {
  const trimmed = word.replace(/\s*\([^)]*\)\s*$/, '');
  const c = trimmed.charCodeAt(trimmed.length - 1);
  const hasFinal = c >= 0xac00 && c <= 0xd7a3 ? (c - 0xac00) % 28 !== 0 : /[0-9]$/.test(trimmed) ? /[013678]$/.test(trimmed) : false;
  return trimmed + (hasFinal ? pair[0] : pair[1]);
}

// A threshold shown as a whole won: "at most 1,923,178.5" is "at most 1,923,178" for whole amounts.
export function roundFor(op: string | undefined, x: number): number {
  if (Number.isInteger(x)) return x;
  return op === '<=' || op === '<' ? Math.floor(x) : op === '>=' || op === '>' ? Math.ceil(x) : Math.round(x);
}

export function isMoneyVar(variable: string | undefined): boolean {
  if (!variable) return false;
  const info = variableInfo(variable);
  if (info) return info.type === 'money';
  return /income|asset|rent|deposit|debts/.test(variable);
}
