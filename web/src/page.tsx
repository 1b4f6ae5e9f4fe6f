import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { hasNavigated, Link } from './router';
import { t } from './store';

// One page = one <h1>. Sets the document title and, after client-side navigation, moves focus to
// the heading so screen-reader users hear the new page.
export interface Crumb { href?: string; label: string }

// KRDS breadcrumb: home, the given steps, and the current page (not a link).
export function Breadcrumb({ crumbs }: { crumbs: Crumb[] }) {
  return (
    <nav class="krds-breadcrumb-wrap no-print" aria-label={t('breadcrumb.label')}>
      <ol class="breadcrumb">
        <li class="home"><Link href="/" class="txt">{t('nav.home')}</Link></li>
        {crumbs.map((c, i) => (
          <li key={i}>{c.href ? <Link href={c.href} class="txt">{c.label}</Link> : <span class="txt" aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

export function Page({ title, lead, children, wide, crumbs }: { title: string; lead?: string; children?: ComponentChildren; wide?: boolean; crumbs?: Crumb[] }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} | ${t('app.name')}`;
  }, [title]);
  useEffect(() => {
    if (hasNavigated() && h1.current) h1.current.focus({ preventScroll: true });
  }, []);
  return (
    <div class={wide ? 'page-body' : 'page-body narrow'}>
      {crumbs && <Breadcrumb crumbs={crumbs} />}
      <h1 class="page-title" ref={h1} tabIndex={-1}>{title}</h1>
      {lead && <p class="page-lead">{lead}</p>}
      {children}
    </div>
  );
}

export function Loading() {
  return <p class="loading" role="status">{t('loading')}</p>;
}

// A page number in pagination: the digit is visible, "쪽" / "Page" is read out too.
export function PageNumber({ n }: { n: number }) {
  const [pre, post] = t('services.pageN', { n: '\u0000' }).split('\u0000');
  return <>{pre && <span class="sr-only">{pre}</span>}{n}{post && <span class="sr-only">{post}</span>}</>;
}
