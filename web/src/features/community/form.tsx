// A small form of the community pages: fields described once (label, type, hint), values in
// state, server field errors shown at each field and in the summary (forms.tsx), one
// Idempotency-Key per submission (Submission).
import { useRef, useState } from 'preact/hooks';
import { request, Submission } from '../../api';
import { ErrorSummary, Field, errorFor, problemToErrors, type FormError } from '../../forms';

export interface Spec {
  name: string; label: string; hint?: string; optional?: boolean;
  type?: 'text' | 'number' | 'datetime' | 'date' | 'select' | 'textarea' | 'check';
  options?: [string, string][]; // value, label
}
export type Values = Record<string, string | boolean>;

// "2026-12-09T14:00" read as Korean time (UTC+9) → Unix seconds.
export function seoulUnix(v: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return undefined;
  return Math.floor(Date.parse(`${v}:00+09:00`) / 1000);
}

export function Fields({ prefix, specs, values, set, errors }: {
  prefix: string; specs: Spec[]; values: Values; set: (name: string, v: string | boolean) => void; errors: FormError[];
}) {
  return (
    <>
      {specs.map((f) => {
        const id = `${prefix}-${f.name}`;
        const err = errorFor(errors, f.name);
        if (f.type === 'check') {
          return (
            <div class="form-group" key={f.name}>
              {err && <p class="form-hint-invalid" id={`${id}-error`}>{err}</p>}
              <div class="krds-form-check medium">
                <input type="checkbox" id={id} checked={!!values[f.name]} aria-invalid={err ? 'true' : undefined}
                  aria-describedby={err ? `${id}-error` : undefined}
                  onChange={(e) => set(f.name, (e.target as HTMLInputElement).checked)} />
                <label for={id}>{f.label}</label>
              </div>
            </div>
          );
        }
        return (
          <Field key={f.name} id={id} label={f.label} hint={f.hint} error={err} required={f.optional ? false : undefined}>
            {(a) => f.type === 'select' ? (
              <select class="krds-form-select" {...a} value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, (e.target as HTMLSelectElement).value)}>
                {f.options!.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
              </select>
            ) : f.type === 'textarea' ? (
              <textarea class="krds-input" rows={4} {...a} value={String(values[f.name] ?? '')} onInput={(e) => set(f.name, (e.target as HTMLTextAreaElement).value)} />
            ) : (
              <input class="krds-input" {...(a as Record<string, unknown>)}
                {...({ type: f.type === 'number' ? 'number' : f.type === 'datetime' ? 'datetime-local' : f.type === 'date' ? 'date' : 'text' } as Record<string, string>)}
                inputMode={f.type === 'number' ? 'numeric' : undefined}
                value={String(values[f.name] ?? '')} onInput={(e) => set(f.name, (e.target as HTMLInputElement).value)} />
            )}
          </Field>
        );
      })}
    </>
  );
}

// State and submission of one form: `send(method, path, body)` posts with this form's key and
// fills `errors` from a refusal (fields named by the server).
export function useForm(initial: Values, known: string[]) {
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const sub = useRef(new Submission());
  const set = (name: string, v: string | boolean) => setValues((o) => ({ ...o, [name]: v }));
  async function send<T>(method: string, path: string, body: unknown, idempotent = true): Promise<T | null> {
    setBusy(true);
    try {
      const out = await request<T>(method, path, { body, idempotencyKey: idempotent ? sub.current.keyFor(body) : undefined });
      if (idempotent) sub.current.done();
      setErrors([]);
      return out;
    } catch (e) {
      setErrors(problemToErrors(e, known));
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { values, set, setValues, errors, setErrors, busy, send };
}

export { ErrorSummary };
