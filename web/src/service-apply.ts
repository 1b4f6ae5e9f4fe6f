// What the service page derives for residents (issue 16): one plain sentence, the official online
// portal named in the application text, the amount a program's rules use, and "my dong".
import { api } from './api';

// The first sentence of a Korean or English text (up to the first ". " / "다." ending).
export function firstSentence(text: string | undefined): string {
  const s = (text || '').trim();
  if (!s) return '';
  const m = /^(.+?[.!?])(\s|$)/s.exec(s);
  return (m ? m[1] : s).trim();
}

// Official application portals, recognised by name in the service's own application text. Only
// portals the text names are offered, so no program gets a link it does not use.
const PORTALS: { name: string; url: string; words: RegExp }[] = [
  { name: '복지로', url: 'https://www.bokjiro.go.kr', words: /복지로/ },
  { name: '정부24', url: 'https://www.gov.kr', words: /정부\s?24/ },
  { name: '홈택스', url: 'https://www.hometax.go.kr', words: /홈택스|손택스/ },
  { name: '고용24', url: 'https://www.work24.go.kr', words: /고용\s?24|워크넷/ },
  { name: '한국장학재단', url: 'https://www.kosaf.go.kr', words: /한국장학재단/ },
];
export function onlinePortals(applicationText: string | undefined): { name: string; url: string }[] {
  const text = applicationText || '';
  return PORTALS.filter((p) => p.words.test(text)).map(({ name, url }) => ({ name, url }));
}

// The amount parameter of a program's eligibility rules, in force today: "<program>_amount" or
// "<program>_base_amount" (data/eligibility/parameters), with its source.
export interface Amount { label_ko: string; label_en: string; unit: string; value: number; from: string; source: string; estimate: boolean }
interface Param { name: string; label_ko: string; label_en: string; unit: string; in_force?: { value?: number; from: string; source: string; estimate?: boolean } | null }
// Programs whose amount parameter is not named after them.
const AMOUNT_PARAM: Record<string, string> = { national_tomorrow_learning_card: 'tomorrow_learning_card_amount' };
let params: Promise<Param[]> | null = null;
function todayKst(): string {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}
export async function programAmount(program: string): Promise<Amount | null> {
  if (!params) params = api<{ items: Param[] }>('GET', `/api/v1/eligibility/parameters?date=${todayKst()}`).then((r) => r.items).catch(() => { params = null; return []; });
  const list = await params;
  const p = list.find((x) => x.name === (AMOUNT_PARAM[program] || `${program}_amount`))
    || list.find((x) => x.name === `${program}_base_amount`)
    || list.find((x) => x.name.startsWith(`${program}_`) && x.name.endsWith('_amount'));
  const v = p?.in_force;
  if (!p || !v || typeof v.value !== 'number') return null;
  const estimate = !!v.estimate || /^estimate:/i.test(v.source);
  return { label_ko: p.label_ko, label_en: p.label_en, unit: p.unit, value: v.value, from: v.from, source: v.source.replace(/^estimate:\s*/i, ''), estimate };
}

// "My dong", remembered on this device only.
const MY_DONG = 'dure.myDong';
export function loadMyDong(): string {
  try { return localStorage.getItem(MY_DONG) || ''; } catch { return ''; }
}
export function saveMyDong(id: string) {
  try { if (id) localStorage.setItem(MY_DONG, id); else localStorage.removeItem(MY_DONG); } catch { /* private mode */ }
}
