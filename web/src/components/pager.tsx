// Page links for paged lists (same markup as the catalogue's), and the section tabs that join
// pages of one header menu (지도 · 통계, 복지 소식 · 일자리).
import { pageWindow } from '../catalog';
import { PageNumber } from '../page';
import { Link } from '../router';
import { t } from '../store';

export function Pager({ page, pages, href, label, onGo }: {
  page: number; pages: number; href: (p: number) => string; label: string; onGo?: (p: number) => void;
}) {
  if (pages <= 1) return null;
  const go = (p: number) => (e: MouseEvent) => { if (onGo) { e.preventDefault(); onGo(p); } };
  return (
    <nav class="krds-pagination result-pages" aria-label={label}>
      {page > 1 ? <Link class="page-navi prev" href={href(page - 1)} onClick={go(page - 1)}>{t('admin.prev')}</Link>
        : <span class="page-navi prev disabled" aria-hidden="true">{t('admin.prev')}</span>}
      <div class="page-links">
        {pageWindow(page, pages).map((p, i) => p === null ? <span key={`d${i}`} class="page-link link-dot" aria-hidden="true">…</span> : (
          <Link key={p} class={`page-link${p === page ? ' active' : ''}`} href={href(p)} aria-current={p === page ? 'page' : undefined}
            onClick={go(p)}><PageNumber n={p} /></Link>
        ))}
      </div>
      {page < pages ? <Link class="page-navi next" href={href(page + 1)} onClick={go(page + 1)}>{t('admin.next')}</Link>
        : <span class="page-navi next disabled" aria-hidden="true">{t('admin.next')}</span>}
    </nav>
  );
}

export function SectionTabs({ label, tabs, current }: { label: string; tabs: { href: string; label: string }[]; current: string }) {
  return (
    <nav class="section-tabs no-print" aria-label={label}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link href={tab.href} class="section-tab" aria-current={current === tab.href ? 'page' : undefined}>{tab.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
