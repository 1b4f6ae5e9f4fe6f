// The one service search box (home and /services), kept out of the services page's code so the
// home page does not load it.
import { useEffect, useState } from 'preact/hooks';
import { Icon } from './icons';
import { t } from '../store';
import '../styles/service.css';

export const SUGGESTED = ['기초연금', '긴급복지', '아동수당', '주거급여', '청년월세', '장애인 활동지원'];

// The one search box: on home it leads to /services, on /services it updates the search.
export function SearchBox({ id, initial, big, onSearch }: { id: string; initial: string; big?: boolean; onSearch: (q: string) => void }) {
  const [q, setQ] = useState(initial);
  useEffect(() => { setQ(initial); }, [initial]);
  return (
    <form class={`service-search${big ? ' is-big' : ''}`} role="search" aria-label={t('services.search.label')}
      onSubmit={(e) => { e.preventDefault(); onSearch(q); }}>
      <label class="service-search-label" for={id}>{t('services.search.label')}</label>
      <p class="service-search-hint" id={`${id}-hint`}>{t('services.search.hint')}</p>
      <div class="search-row">
        <input class="krds-input" type="search" id={id} name="q" value={q} autocomplete="off" enterKeyHint="search"
          placeholder={t('services.search.placeholder')} aria-describedby={`${id}-hint`} maxLength={200}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <button type="submit" class="krds-btn primary large search-btn">
          <Icon name="search" class="btn-icon" />{t('services.search.submit')}
        </button>
      </div>
    </form>
  );
}
