// Route-level code splitting (issue 16, "fast on a phone"): a page's code is fetched when the page
// is first opened, so the home page downloads only what it shows. While it loads, the layout is
// already on screen with "불러오고 있습니다…"; if the network fails, a retry.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './page';
import { t } from './store';

export function lazyPage<P extends object = {}>(load: () => Promise<ComponentType<P>>): (props: P) => JSX.Element {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const get = () => (pending ??= load().then((c) => (loaded = c)).catch((e) => { pending = null; throw e; }));
  return function LazyPage(props: P = {} as P) {
    const [, rerender] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      get().then(() => { if (live) rerender((n) => n + 1); }, () => { if (live) setFailed(true); });
      return () => { live = false; };
    }, [failed]);
    const C = loaded;
    if (C) return <C {...props} />;
    if (failed) {
      return (
        <div class="notice-box notice-warning" role="alert">
          <p>{t('lazy.failed')}</p>
          <button type="button" class="krds-btn secondary medium" onClick={() => setFailed(false)}>{t('lazy.retry')}</button>
        </div>
      );
    }
    return <Loading />;
  };
}
