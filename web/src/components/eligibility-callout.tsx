// The invitation to the eligibility check on the home and services pages (its own small module:
// the home page does not load the eligibility pages).
import { Icon } from './icons';
import { Link } from '../router';
import { t } from '../store';

const BASE = '/eligibility';

// The invitation on the home and services pages.
export function EligibilityCallout({ compact }: { compact?: boolean }) {
  return (
    <section class={`elig-callout${compact ? ' is-compact' : ''}`} aria-labelledby={compact ? 'elig-callout-title-c' : 'elig-callout-title'}>
      <Icon name="calculator" class="elig-callout-icon" />
      <div class="elig-callout-body">
        <h2 class="elig-callout-title" id={compact ? 'elig-callout-title-c' : 'elig-callout-title'}>{t('elig.callout.title')}</h2>
        {!compact && <p class="elig-callout-text">{t('elig.callout.text')}</p>}
        <Link href={BASE} class={`krds-btn primary ${compact ? 'medium' : 'large'} elig-callout-cta`}>{t('elig.callout.cta')}</Link>
      </div>
    </section>
  );
}
