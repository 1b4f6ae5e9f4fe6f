// The reason an official gives before a person-level record opens (X-Access-Reason, docs/privacy.md
// "## Access log"): a few usual reasons or one typed, the last choice remembered for the session.
// Used by the household and case pages and by the care pages (check-ins, screening, surveys).
import '../styles/staff.css';
import { useState } from 'preact/hooks';
import { ErrorSummary, errorFor, type FormError } from '../forms';
import { t } from '../store';
import type { Key } from '../i18n';
import '../i18n-staff';
import '../i18n-care';

const REASONS = ['triage', 'followup', 'case'];
function lastReason(options: string[]): { choice: string; other: string } {
  try {
    const v = sessionStorage.getItem('dure.accessReason');
    if (v) {
      const o = JSON.parse(v);
      if (o && typeof o.choice === 'string') return { choice: [...options, 'other'].includes(o.choice) ? o.choice : options[0], other: String(o.other || '') };
    }
  } catch { /* storage may be disabled */ }
  return { choice: options[0], other: '' };
}

export function AccessNotice({ reason }: { reason?: string }) {
  return (
    <p class="so-access-notice" data-field="access-notice">
      <span class="so-access-icon" aria-hidden="true">●</span>
      <span>{t('work.accessLogged')}{reason ? ` ${t('work.accessReason', { reason })}` : ''}</span>
    </p>
  );
}

// `prefix` keeps ids apart when several records on one page may ask at once; `options` are keys
// under tri.reason.* (the typed "other" is always offered).
export function ReasonForm({ errors, onChoose, hint = 'tri.reason.hint', submit = 'tri.reason.submit', prefix = 'reason', options = REASONS }: {
  errors: FormError[]; onChoose: (r: string) => void; hint?: Key; submit?: Key; prefix?: string; options?: string[];
}) {
  const init = lastReason(options);
  const [choice, setChoice] = useState(init.choice);
  const [other, setOther] = useState(init.other);
  const [local, setLocal] = useState<FormError[]>([]);
  const all = [...local, ...errors];
  const error = errorFor(all, 'reason');
  const otherErr = choice === 'other' ? error : undefined;
  const gid = `${prefix}-group`;
  return (
    <form class="panel so-reason-form" noValidate data-field="reason-form" onSubmit={(e) => {
      e.preventDefault();
      const text = choice === 'other' ? other.trim() : t(`tri.reason.${choice}` as Key);
      if (text.length < 2) { setLocal([{ field: 'reason', message: t('tri.reason.required') }]); return; }
      setLocal([]);
      try { sessionStorage.setItem('dure.accessReason', JSON.stringify({ choice, other })); } catch { /* ignore */ }
      onChoose(text);
    }}>
      <ErrorSummary errors={all} idPrefix={prefix} />
      <AccessNotice />
      <div class={`form-group so-staff-group${error ? ' is-error' : ''}`}>
        <fieldset class="form-fieldset" aria-describedby={[`${gid}-hint`, error ? `${gid}-error` : ''].filter(Boolean).join(' ')}>
          <legend class="so-legend">{t('tri.reason.legend')}</legend>
          <p class="form-hint field-hint" id={`${gid}-hint`}>{t(hint)}</p>
          {error && <p class="form-hint-invalid" id={`${gid}-error`}>{error}</p>}
          <div class="krds-check-area so-reason-options">
            {[...options, 'other'].map((r, i) => (
              <div key={r} class="krds-form-check">
                <input type="radio" name={prefix} id={i === 0 ? `${prefix}-reason` : `${prefix}-${r}`} value={r} checked={choice === r}
                  onChange={() => setChoice(r)} />
                <label for={i === 0 ? `${prefix}-reason` : `${prefix}-${r}`}>{t(`tri.reason.${r}` as Key)}</label>
              </div>
            ))}
          </div>
          {choice === 'other' && (
            <div class="form-group">
              <div class="form-tit"><label for={`${prefix}-text`}>{t('tri.reason.otherText')}</label></div>
              <div class={`form-conts${otherErr ? ' is-error' : ''}`}>
                <input id={`${prefix}-text`} class="krds-input" type="text" value={other} aria-invalid={otherErr ? 'true' : undefined}
                  aria-describedby={otherErr ? `${gid}-error` : undefined} onInput={(e) => setOther((e.target as HTMLInputElement).value)} />
              </div>
            </div>
          )}
        </fieldset>
      </div>
      <button type="submit" class="krds-btn primary large">{t(submit)}</button>
    </form>
  );
}
