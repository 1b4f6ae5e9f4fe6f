// Consents (issue 16): the texts and versions come from the server (GET /api/v1/consents), so the
// record of what a resident agreed to names the text they were shown.
import { api } from './api';
import { getState } from './store';

export interface ConsentText {
  kind: string; version: string; required: boolean; title_ko: string; title_en: string;
  items_ko: string[]; items_en: string[]; withdraw: 'account_deletion' | 'any_time'; sha256: string;
}
export interface MyConsent {
  kind: string; given: boolean; version: string; current_version: string | null; required: boolean;
  withdraw: string | null; first_given_at: number | null; changed_at: number; title_ko?: string; title_en?: string;
}
export interface ConsentAct { kind: string; version: string; action: 'given' | 'withdrawn'; channel: string; at: number }

let texts: Promise<ConsentText[]> | null = null;
export function loadConsentTexts(): Promise<ConsentText[]> {
  if (!texts) texts = api<{ items: ConsentText[] }>('GET', '/api/v1/consents').then((r) => r.items).catch((e) => { texts = null; throw e; });
  return texts;
}
export function consentTitle(c: { title_ko?: string; title_en?: string; kind: string }): string {
  return (getState().lang === 'ko' ? c.title_ko : c.title_en) || c.kind;
}
export function consentItems(c: ConsentText): string[] {
  return getState().lang === 'ko' ? c.items_ko : c.items_en;
}
export function loadMyConsents(): Promise<{ items: MyConsent[]; history: ConsentAct[] }> {
  return api('GET', '/api/v1/me/consents');
}
export function withdrawConsent(kind: string): Promise<{ changed: boolean }> {
  return api('POST', `/api/v1/me/consents/${encodeURIComponent(kind)}/withdraw`);
}
