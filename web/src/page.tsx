import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { hasNavigated } from './router';
import { t } from './store';

// One page = one <h1>. Sets the document title and, after client-side navigation, moves focus to
// the heading so screen-reader users hear the new page.
export function Page({ title, lead, children, wide }: { title: string; lead?: string; children?: ComponentChildren; wide?: boolean }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} | ${t('app.name')}`;
  }, [title]);
  useEffect(() => {
    if (hasNavigated() && h1.current) h1.current.focus({ preventScroll: true });
  }, []);
  return (
    <div class={wide ? 'page-body' : 'page-body narrow'}>
      <h1 class="page-title" ref={h1} tabIndex={-1}>{title}</h1>
      {lead && <p class="page-lead">{lead}</p>}
      {children}
    </div>
  );
}

export function Loading() {
  return <p class="loading" role="status">{t('loading')}</p>;
}
