// Form parts following KRDS markup (form-group / form-tit / form-conts / form-hint) and the
// GOV.UK error pattern: a summary at the top linking to each field, plus a message per field.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, type FieldError } from './api';
import { t, tKey } from './store';
import type { Key } from './i18n';

export interface FormError { field: string | null; message: string }

// The one translation of a server field error (an item of a problem's `errors`) into words.
// The codes are worded once, in the `code.*` table of i18n.ts; a feature that needs its own
// wording for a code adds it to its table (`scopes`, e.g. 'sf.err' or 'care.code'), and the lookup
// goes from the specific to the general, then to the server's own message:
//   {scope}.{code}.{name}  {scope}.{code}  code.{code}.{name}  code.{code}  message
// `name` is the field as the keys spell it (default: the field), `label` its words (default:
// field.{name}), `params` more placeholders ({field} is the label); `labelled` puts the label
// before the server's message.
export interface MessageOptions {
  scopes?: string[]; name?: string; label?: string; params?: Record<string, string | number>; labelled?: boolean;
}
export function fieldErrorMessage(fe: FieldError, o: MessageOptions = {}): string {
  const name = o.name ?? fe.field;
  const label = o.label ?? tKey('field.' + name) ?? fe.field;
  const params = { ...(o.params || {}), field: label };
  for (const scope of [...(o.scopes || []), 'code']) {
    const m = tKey(`${scope}.${fe.code}.${name}`, params) ?? tKey(`${scope}.${fe.code}`, params);
    if (m) return m;
  }
  return fe.message ? (o.labelled ? `${label}: ${fe.message}` : fe.message) : fe.code;
}

// Turns a failed request into form errors; `known` lists the fields this form shows.
export function problemToErrors(e: unknown, known: string[], overrides: Partial<Record<number, string>> = {}): FormError[] {
  if (!(e instanceof ApiError)) return [{ field: null, message: t('error.generic') }];
  if (e.status === 0) return [{ field: null, message: t('error.network') }];
  const fieldErrors = e.problem.errors || [];
  if (fieldErrors.length) {
    return fieldErrors.map((fe) => ({ field: known.includes(fe.field) ? fe.field : null, message: fieldErrorMessage(fe) }));
  }
  if (overrides[e.status]) return [{ field: null, message: overrides[e.status]! }];
  if (e.status === 403 && (e.problem.type || '').endsWith('/csrf')) return [{ field: null, message: t('error.csrf') }];
  const msg = e.problem.detail || e.problem.title || t('error.generic');
  const rid = e.problem.request_id ? ' ' + t('error.requestId', { id: e.problem.request_id }) : '';
  return [{ field: null, message: (e.status >= 500 ? t('error.generic') : msg) + rid }];
}

export function errorFor(errors: FormError[], field: string): string | undefined {
  const list = errors.filter((e) => e.field === field).map((e) => e.message);
  return list.length ? list.join(' ') : undefined;
}

export function ErrorSummary({ errors, idPrefix }: { errors: FormError[]; idPrefix: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length && ref.current) ref.current.focus();
  }, [errors]);
  if (!errors.length) return null;
  return (
    <div class="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby={`${idPrefix}-error-title`}>
      <h2 class="error-summary-title" id={`${idPrefix}-error-title`}>{t('form.errorSummary')}</h2>
      <ul class="error-summary-list">
        {errors.map((e, i) => (
          <li key={i}>
            {e.field ? (
              <a
                href={`#${idPrefix}-${e.field}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  const el = document.getElementById(`${idPrefix}-${e.field}`);
                  if (el) { el.focus(); el.scrollIntoView({ block: 'center' }); }
                }}
              >{e.message}</a>
            ) : <span>{e.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: (a11y: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: 'true' }) => ComponentChildren;
}

export function Field({ id, label, hint, error, required, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="form-group">
      <div class="form-tit">
        <label for={id}>
          {label}
          {required === false && <span class="label-optional"> ({t('form.optional')})</span>}
        </label>
      </div>
      {hint && <p class="form-hint field-hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
      <div class={`form-conts${error ? ' is-error' : ''}`}>
        {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined })}
      </div>
    </div>
  );
}

type InputProps = Record<string, any>;
export function TextField(props: { id: string; label: string; hint?: string; error?: string; required?: boolean; input: InputProps }) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error} required={props.required}>
      {(a) => <input class="krds-input" {...props.input} {...a} />}
    </Field>
  );
}

export function SubmitButton({ busy, label }: { busy: boolean; label: Key }) {
  return (
    <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy} aria-busy={busy ? 'true' : undefined}>
      {busy ? t('form.submitting') : t(label)}
    </button>
  );
}

export function requiredMessage(field: string): string {
  return fieldErrorMessage({ field, code: 'required', message: '' });
}
