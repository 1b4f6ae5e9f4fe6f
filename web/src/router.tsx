// Minimal history-API router: one current path, <Link> intercepts same-origin clicks.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();
let navigated = false;

export function currentPath(): string { return location.pathname; }

export function navigate(to: string, opts: { replace?: boolean; keepScroll?: boolean } = {}) {
  if (to === location.pathname + location.search) { listeners.forEach((l) => l()); return; }
  if (opts.replace) history.replaceState(null, '', to); else history.pushState(null, '', to);
  navigated = true;
  if (!opts.keepScroll) window.scrollTo(0, 0);
  listeners.forEach((l) => l());
}

// True once the user has moved between pages (not on first load), so pages may move focus.
export function hasNavigated(): boolean { return navigated; }

window.addEventListener('popstate', () => { navigated = true; listeners.forEach((l) => l()); });

export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const l = () => setPath(currentPath());
    listeners.add(l);
    l();  // catch a change between render and subscription
    return () => { listeners.delete(l); };
  }, []);
  return path;
}

// The query string of the current address; re-renders when it changes (same path, new search).
export function useSearch(): URLSearchParams {
  const [search, setSearch] = useState(location.search);
  useEffect(() => {
    const l = () => setSearch(location.search);
    listeners.add(l);
    l();  // catch a change between render and subscription
    return () => { listeners.delete(l); };
  }, []);
  return new URLSearchParams(search);
}

type LinkProps = { href: string; children?: ComponentChildren; onClick?: (e: MouseEvent) => void; [attr: string]: any };

export function Link({ href, onClick, ...rest }: LinkProps) {
  return (
    <a
      href={href}
      onClick={(e) => {
        if (onClick) (onClick as any)(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}
