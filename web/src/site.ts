// The district that runs this site (GET /api/v1/site, set by the DURE_SITE_* settings): its name
// and emblem for the header, its office for the footer and its privacy officer for /privacy.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { getState } from './store';

export interface Site {
  district: { id: number; code: string; name_ko: string; name_en: string } | null;
  emblem: string | null;
  office: { name: string | null; address: string | null; phone: string | null; hours: string | null; email: string | null };
  privacy_officer: { name: string | null; phone: string | null; email: string | null };
}

let site: Site | null = null;
let loading: Promise<Site | null> | null = null;
const waiting = new Set<() => void>();

function load(): Promise<Site | null> {
  if (!loading) {
    loading = api<Site>('GET', '/api/v1/site')
      .then((s) => { site = s; return s; })
      .catch(() => null)
      .finally(() => waiting.forEach((f) => f()));
  }
  return loading;
}

export function useSite(): Site | null {
  const [, bump] = useState(0);
  useEffect(() => {
    if (site) return;
    const f = () => bump((n) => n + 1);
    waiting.add(f);
    load();
    return () => { waiting.delete(f); };
  }, []);
  return site;
}

export function districtLabel(s: Site | null): string | null {
  if (!s?.district) return null;
  return getState().lang === 'en' ? s.district.name_en || s.district.name_ko : s.district.name_ko;
}

// 0212345678 → 02-1234-5678, 0531234567 → 053-123-4567, 01012345678 → 010-1234-5678, 1588xxxx → 1588-xxxx.
export function formatPhone(raw: string | null | undefined): string {
  if (!raw) return '';
  const d = raw.replace(/\D/g, '');
  if (/^02\d{7,8}$/.test(d)) return `02-${d.slice(2, d.length - 4)}-${d.slice(-4)}`;
  if (/^0\d{9,10}$/.test(d)) return `${d.slice(0, 3)}-${d.slice(3, d.length - 4)}-${d.slice(-4)}`;
  if (/^1\d{7}$/.test(d)) return `${d.slice(0, 4)}-${d.slice(4)}`;
  return raw;
}
