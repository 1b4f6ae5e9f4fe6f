// 복지 모의계산 (/eligibility): a one-question-per-page wizard over POST /api/v1/simulations, the
// results with their reasons, and the member's saved results (shown on /me).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type FieldError } from '../api';
import { formatDate } from '../catalog';
import {
  cachedCatalog, cachedPrograms, cachedSimulation, clearDraft, emptyDraft, essentialSteps, formatWon, fromHousehold,
  hasProgress, INCOMES, ASSETS, isAnswered, isMoneyVar, josa, loadDraft, loadReferenceData, manwon, MEMBER_VARS,
  nextQuestion, parseQuestionKey, pick, questionKey, roundFor, saveDraft, sectionOf, simulate, stepFor,
  toHousehold, variableInfo, type Draft, type MemberDraft, type ProgramResult, type Reason,
  type Simulation, type Status, type Value, type VarType,
} from '../eligibility';
import { ErrorSummary, problemToErrors, type FormError } from '../forms';
import { Icon } from '../components/icons';
import { Loading, Page } from '../page';
import '../styles/service.css';
import { hasNavigated, Link, navigate, useSearch } from '../router';
import { getState, t, tKey, useAppState } from '../store';
import type { Key } from '../i18n';

const BASE = '/eligibility';
const stepHref = (step: string, extra = '') => `${BASE}?step=${encodeURIComponent(step)}${extra}`;
const ID = 'elig';

// Errors found by the server for a field on another step wait here until that step shows them.
let pending: { step: string; errors: FormError[] } | null = null;

function tv(variable: string, value: string): string {
  return tKey(`elig.value.${variable}.${value}`) ?? value;
}
function relShort(rel: string | undefined): string {
  return rel ? (tKey(`elig.rel.${rel}`) ?? rel) : '';
}

// "배우자", "자녀 (3번째 가족)" when two share a relation, "2번째 가족" before the relation is known.
export function memberLabel(d: Draft, i: number): string {
  if (i === 0) return t('elig.member.self');
  const rel = d.members[i]?.relation as string | undefined;
  if (!rel) return t('elig.member.nth', { n: i + 1 });
  const same = d.members.filter((m, j) => j > 0 && m.relation === rel).length;
  return same > 1 ? t('elig.member.nthRel', { rel: relShort(rel), n: i + 1 }) : relShort(rel);
}

// A label in the middle of an English sentence starts in lower case ("About your spouse").
function mid(label: string): string {
  return getState().lang === 'ko' ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

// ---- mapping the server's field errors to steps ---------------------------------------------------
const SECTION_KEY: Record<string, Record<string, string>> = {
  incomes: Object.fromEntries(Object.entries(INCOMES).map(([v, k]) => [k, v])),
  assets: Object.fromEntries(Object.entries(ASSETS).map(([v, k]) => [k, v])),
};
function localField(type: VarType | undefined): string {
  return type === 'money' || type === 'number' ? 'amount' : 'choice';
}
function locate(field: string): { step: string; local: string; name: string } | null {
  let m = /^household\.members\[(\d+)\]\.(\w+)/.exec(field);
  if (m) {
    const i = Number(m[1]), name = m[2];
    if (name === 'age') return { step: `m${i}-age`, local: 'age', name };
    if (name === 'birth_date') return { step: `m${i}-age`, local: 'year', name };
    if (name === 'relation') return { step: `m${i}-relation`, local: 'choice', name };
    return { step: `q:${questionKey(name, i)}`, local: localField(variableInfo(name, true)?.type), name };
  }
  if (/^household\.members$/.test(field)) return { step: 'size', local: 'size', name: 'members' };
  m = /^household\.(incomes|assets)\.(\w+)/.exec(field);
  if (m && SECTION_KEY[m[1]][m[2]]) return { step: `q:${SECTION_KEY[m[1]][m[2]]}`, local: 'amount', name: 'money' };
  m = /^household\.residence\.(\w+)/.exec(field);
  if (m) return { step: `q:${m[1]}`, local: localField(variableInfo(m[1])?.type), name: variableInfo(m[1])?.type === 'money' ? 'money' : m[1] };
  m = /^household\.(\w+)/.exec(field);
  if (m) return { step: `q:${m[1]}`, local: localField(variableInfo(m[1])?.type), name: m[1] };
  return null;
}
function apiMessage(fe: FieldError, name: string): string {
  return tKey(`elig.err.${fe.code}.${name}`) ?? tKey(`elig.err.${fe.code}`) ?? t('elig.err.other');
}
// Splits a failed simulation into the errors of this step and the first other step with errors.
function sortErrors(e: unknown, step: string): { here: FormError[]; other?: { step: string; errors: FormError[] } } {
  if (!(e instanceof ApiError) || e.status !== 422 || !e.problem.errors?.length) return { here: problemToErrors(e, []) };
  const byStep = new Map<string, FormError[]>();
  for (const fe of e.problem.errors) {
    const at = locate(fe.field);
    const key = at ? at.step : step;
    const list = byStep.get(key) || [];
    list.push({ field: at ? at.local : null, message: at ? apiMessage(fe, at.name) : t('elig.err.other') });
    byStep.set(key, list);
  }
  if (byStep.has(step)) return { here: byStep.get(step)! };
  const [first] = byStep.entries();
  return { here: [], other: { step: first[0], errors: first[1] } };
}

// ---- the page ------------------------------------------------------------------------------------
export function EligibilityPage() {
  useAppState();
  const params = useSearch();
  const step = params.get('step') || '';
  const fromResults = params.get('from') === 'results';
  const [draft, setDraft] = useState<Draft>(loadDraft);
  const [ready, setReady] = useState(!!cachedCatalog());
  const [loadError, setLoadError] = useState<FormError[]>([]);
  const update = (d: Draft) => { saveDraft(d); setDraft(d); };

  useEffect(() => {
    if (!ready) loadReferenceData().then(() => setReady(true)).catch((e) => setLoadError(problemToErrors(e, [])));
  }, []);
  // Another tab or "처음부터 다시" elsewhere: re-read on every step change.
  useEffect(() => { setDraft(loadDraft()); }, [step]);

  if (loadError.length) return <Page title={t('elig.title')}><ErrorSummary errors={loadError} idPrefix={ID} /></Page>;
  if (!step) return <Intro draft={draft} update={update} ready={ready} />;
  if (!ready) return <Page title={t('elig.title')}><Loading /></Page>;
  // Steps that need the household size first go back to it.
  if (step !== 'size' && draft.size === undefined) return <Redirect to={stepHref('size')} />;
  if (step === 'results') return <Results key="results" draft={draft} update={update} />;
  const m = /^m(\d+)-(relation|age)$/.exec(step);
  if (m) {
    const i = Number(m[1]);
    if (i >= (draft.size || 0) || (m[2] === 'relation' && i === 0)) return <Redirect to={stepHref('size')} />;
    return m[2] === 'relation'
      ? <RelationStep key={step} step={step} i={i} draft={draft} update={update} fromResults={fromResults} />
      : <AgeStep key={step} step={step} i={i} draft={draft} update={update} fromResults={fromResults} />;
  }
  if (step === 'size') return <SizeStep key={step} step={step} draft={draft} update={update} fromResults={fromResults} />;
  if (step.startsWith('q:')) {
    const { variable, member } = parseQuestionKey(step.slice(2));
    const info = variableInfo(variable, member !== undefined);
    if (info && !info.computed && (member === undefined || member < (draft.size || 0))) {
      return <QuestionStep key={step} step={step} variable={variable} member={member} draft={draft} update={update} fromResults={fromResults} />;
    }
  }
  return <Redirect to={BASE} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => { navigate(to, { replace: true }); }, [to]);
  return <Page title={t('elig.title')}><Loading /></Page>;
}

// ---- start page -----------------------------------------------------------------------------------
function Intro({ draft, update, ready }: { draft: Draft; update: (d: Draft) => void; ready: boolean }) {
  const s = useAppState();
  const [saved, setSaved] = useState<any>(null);
  useEffect(() => {
    if (s.session !== 'user') return;
    api<any>('GET', '/api/v1/me/eligibility').then((p) => setSaved(p?.household || null)).catch(() => setSaved(null));
  }, [s.session]);
  const programs = cachedPrograms();
  const started = hasProgress(draft);
  // Arriving from a service page ("내가 받을 수 있는지 확인"): name that program; its result is marked.
  const focusCode = useSearch().get('program') || '';
  const focus = focusCode && programs ? programs.find((p) => p.program === focusCode) : undefined;
  useEffect(() => { if (focus) saveFocus(focus.program); }, [focus?.program]);
  return (
    <Page title={t('elig.title')} lead={t('elig.lead')} crumbs={[{ label: t('elig.title') }]}>
      {focus && <p class="notice-box elig-focus">{t('elig.focus.intro', { name: pick(focus, 'name') })}</p>}
      <section class="elig-intro" aria-labelledby="elig-how">
        <h2 class="section-title" id="elig-how">{t('elig.intro.what')}</h2>
        <ol class="elig-how">
          <li>{t('elig.intro.step1')}</li>
          <li>{t('elig.intro.step2')}</li>
          <li>{t('elig.intro.step3')}</li>
        </ol>
        <p class="prose">{t('elig.intro.time')}</p>
      </section>
      {started && (
        <div class="notice-box elig-resume">
          <p>{t('elig.inProgress')}</p>
          <div class="button-row">
            <Link href={stepHref(draft.at || 'size')} class="krds-btn primary large">{t('elig.continue')}</Link>
            <StartOver update={update} inline />
          </div>
        </div>
      )}
      {saved && (
        <div class="notice-box elig-resume">
          <p>{t('elig.savedAvailable')}</p>
          <div class="button-row">
            <button type="button" class="krds-btn secondary large" onClick={() => { update({ ...fromHousehold(saved), at: 'results' }); navigate(stepHref('results')); }}>
              {t('elig.useSaved')}
            </button>
          </div>
        </div>
      )}
      {!started && (
        <div class="button-row elig-start-row">
          <Link href={stepHref('size')} class="krds-btn primary xlarge elig-start" onClick={() => update(emptyDraft())}>
            {t('elig.start')}<Icon name="arrow" class="btn-icon elig-start-icon" />
          </Link>
        </div>
      )}
      <Disclaimer />
      <p class="elig-privacy">{t('elig.intro.privacy')}</p>
      {ready && programs && programs.length > 0 && (
        <section class="elig-programs" aria-labelledby="elig-programs-title">
          <h2 class="section-title" id="elig-programs-title">{t('elig.intro.programs')}</h2>
          <ul class="elig-program-list">
            {programs.map((p) => <li key={p.program}>{pick(p, 'name')}</li>)}
          </ul>
        </section>
      )}
    </Page>
  );
}

function Disclaimer() {
  return (
    <div class="notice-box notice-warning elig-disclaimer" role="note" aria-labelledby="elig-disclaimer-title">
      <h2 class="elig-disclaimer-title" id="elig-disclaimer-title">{t('elig.disclaimer.title')}</h2>
      <p>{t('elig.disclaimer')}</p>
      <p>{t('elig.help')}</p>
    </div>
  );
}

function StartOver({ update, inline }: { update: (d: Draft) => void; inline?: boolean }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (asking) yes.current?.focus(); }, [asking]);
  if (!asking) {
    return (
      <button type="button" class={inline ? 'krds-btn tertiary large' : 'krds-btn text medium elig-startover'} onClick={() => setAsking(true)}>
        {t('elig.startOver')}
      </button>
    );
  }
  return (
    <div class="elig-confirm" role="group" aria-labelledby="elig-confirm-q">
      <p id="elig-confirm-q">{t('elig.startOver.confirm')}</p>
      <div class="button-row">
        <button type="button" ref={yes} class="krds-btn primary medium" onClick={() => {
          clearDraft(); update(emptyDraft()); navigate(stepHref('size'));
        }}>{t('elig.startOver.yes')}</button>
        <button type="button" class="krds-btn secondary medium" onClick={() => setAsking(false)}>{t('elig.startOver.no')}</button>
      </div>
    </div>
  );
}

// ---- the frame of every question page ------------------------------------------------------------
function backOf(d: Draft, step: string, fromResults: boolean): string {
  if (fromResults) return stepHref('results');
  const ess = essentialSteps(d);
  const k = ess.indexOf(step);
  if (k === 0) return BASE;
  if (k > 0) return stepHref(ess[k - 1]);
  const lastEss = ess[ess.length - 1] || 'size';
  if (step === 'results') return stepHref(d.asked.length ? `q:${d.asked[d.asked.length - 1]}` : lastEss);
  const p = d.asked.indexOf(step.slice(2));
  return stepHref(p > 0 ? `q:${d.asked[p - 1]}` : lastEss);
}

// Three stages: who lives here, the questions that still change a result, the results. (The
// questions come most-deciding first, so they do not follow the household sections in order.)
const STAGES = ['household', 'questions', 'results'] as const;
function Progress({ stage, n }: { stage: (typeof STAGES)[number]; n?: number }) {
  const cur = STAGES.indexOf(stage);
  const name = t(`elig.stage.${stage}` as Key);
  return (
    <div class="elig-progress">
      <ol class="krds-step-wrap" aria-label={t('elig.progress.label')}>
        {STAGES.map((s, i) => (
          <li key={s} class={i < cur ? 'done' : i === cur ? 'active' : undefined} aria-current={i === cur ? 'step' : undefined}>
            <span>
              <i class="step">{t('elig.stepN', { n: i + 1 })}</i>
              <span class="step-tit">{t(`elig.stage.${s}` as Key)}</span>
            </span>
          </li>
        ))}
      </ol>
      <p class="elig-progress-text" aria-hidden="true">
        {t('elig.progress.text', { n: cur + 1, total: STAGES.length, name })}
        {n !== undefined && <span class="elig-progress-n"> · {t('elig.progress.question', { n })}</span>}
      </p>
    </div>
  );
}

interface StepProps { step: string; draft: Draft; update: (d: Draft) => void; fromResults: boolean }

// The wizard's shared behaviour: the title, errors (here or waiting from another step), sending the
// answer to the server and going on to the next step.
function useStep(p: StepProps, title: string) {
  const [errors, setErrors] = useState<FormError[]>(() => {
    if (pending && pending.step === p.step) { const e = pending.errors; pending = null; return e; }
    return [];
  });
  const [busy, setBusy] = useState(false);
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${errors.length ? t('elig.errorTitle') + ': ' : ''}${title} | ${t('elig.title')} | ${t('app.name')}`;
  }, [title, errors.length]);
  useEffect(() => {
    if (hasNavigated() && h1.current && !errors.length) h1.current.focus({ preventScroll: true });
    if (p.draft.at !== p.step) p.update({ ...p.draft, at: p.step });
  }, []);

  async function advance(next: Draft) {
    setBusy(true);
    let sim: Simulation;
    try {
      sim = await simulate(next);
    } catch (e) {
      setBusy(false);
      const { here, other } = sortErrors(e, p.step);
      if (other) { pending = other; p.update(next); navigate(stepHref(other.step)); return; }
      setErrors(here);
      return;
    }
    setBusy(false);
    const ess = essentialSteps(next);
    const k = ess.indexOf(p.step);
    // Still telling who lives here: the next member page (from the results page, only the pages
    // of members not told about yet, e.g. after the household grew).
    const nextEss = k < 0 ? undefined : !p.fromResults ? ess[k + 1] : ess.slice(k + 1).find((e) => {
      const m = /^m(\d+)-(relation|age)$/.exec(e)!;
      const i = Number(m[1]);
      return !isAnswered(next, m[2], i) && !next.skipped.includes(questionKey(m[2], i));
    });
    if (nextEss) {
      p.update(next);
      navigate(stepHref(nextEss));
      return;
    }
    const q = nextQuestion(next, sim, cachedCatalog());
    if (!q) { p.update({ ...next, at: 'results' }); navigate(stepHref('results')); return; }
    const key = questionKey(q.variable, q.member ?? undefined);
    const to = stepFor(q.variable, q.member ?? undefined);
    let asked = next.asked;
    if (to.startsWith('q:') && !asked.includes(key)) {
      const here = p.step.startsWith('q:') ? asked.indexOf(p.step.slice(2)) : -1;
      asked = k >= 0 ? [key] : here >= 0 ? [...asked.slice(0, here + 1), key] : [...asked, key];
    }
    p.update({ ...next, asked });
    navigate(stepHref(to));
  }
  return { errors, setErrors, busy, h1, advance };
}

function questionNumber(d: Draft, step: string): number {
  const ess = essentialSteps(d);
  const k = ess.indexOf(step);
  if (k >= 0) return k + 1;
  const p = d.asked.indexOf(step.slice(2));
  return ess.length + (p >= 0 ? p : d.asked.length) + 1;
}

function StepFrame({ p, errors, children }: { p: StepProps; errors: FormError[]; children: ComponentChildren }) {
  const stage = essentialSteps(p.draft).includes(p.step) ? 'household' : 'questions';
  return (
    <div class="page-body narrow elig-step">
      <Link href={backOf(p.draft, p.step, p.fromResults)} class="elig-back no-print">{t('elig.back')}</Link>
      <Progress stage={stage} n={questionNumber(p.draft, p.step)} />
      <ErrorSummary errors={errors} idPrefix={ID} />
      {children}
      <div class="elig-step-foot no-print">
        <StartOver update={p.update} />
      </div>
    </div>
  );
}

function Actions({ busy, onSkip, skip = true }: { busy: boolean; onSkip?: () => void; skip?: boolean }) {
  return (
    <div class="elig-actions">
      <button type="submit" class="krds-btn primary xlarge elig-next" disabled={busy} aria-busy={busy ? 'true' : undefined}>
        {busy ? t('elig.checking') : t('elig.next')}
      </button>
      {skip && onSkip && (
        <button type="button" class="krds-btn secondary xlarge elig-skip" disabled={busy} onClick={onSkip}>{t('elig.skip')}</button>
      )}
    </div>
  );
}

function errorOf(errors: FormError[], field: string): string | undefined {
  const list = errors.filter((e) => e.field === field).map((e) => e.message);
  return list.length ? list.join(' ') : undefined;
}

// Radios with KRDS markup; the first gets the id the error summary links to.
function Radios({ name, options, value, onChange, error }: {
  name: string; options: { value: string; label: string }[]; value: string | undefined; onChange: (v: string) => void; error?: string;
}) {
  return (
    <div class={`elig-options${error ? ' is-error' : ''}`}>
      {options.map((o, i) => {
        const id = i === 0 ? `${ID}-choice` : `${ID}-${name}-${i}`;
        return (
          <div class="krds-form-check large elig-option" key={o.value}>
            <input type="radio" id={id} name={name} value={o.value} checked={value === o.value}
              aria-describedby={error ? `${ID}-choice-error` : undefined}
              onChange={() => onChange(o.value)} />
            <label for={id}>{o.label}</label>
          </div>
        );
      })}
    </div>
  );
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? <p class="form-hint-invalid elig-error" id={id}>{error}</p> : null;
}

// ---- household size ------------------------------------------------------------------------------
function SizeStep(p: StepProps) {
  const title = t('elig.size.title');
  const s = useStep(p, title);
  const initial = p.draft.size;
  const [choice, setChoice] = useState<string | undefined>(initial === undefined ? undefined : initial >= 6 ? 'more' : String(initial));
  const [count, setCount] = useState(initial !== undefined && initial >= 6 ? String(initial) : '');

  function submit(e: Event) {
    e.preventDefault();
    let n: number;
    if (!choice) { s.setErrors([{ field: 'choice', message: t('elig.size.required') }]); return; }
    if (choice === 'more') {
      n = Number(count);
      if (!/^\d+$/.test(count) || n < 6 || n > 20) { s.setErrors([{ field: 'size', message: t('elig.size.invalid') }]); return; }
    } else n = Number(choice);
    const members: MemberDraft[] = Array.from({ length: n }, (_, i) => p.draft.members[i] || {});
    members[0] = { ...members[0], relation: 'self' };
    const skipped = p.draft.skipped.filter((k) => { const q = parseQuestionKey(k); return q.member === undefined || q.member < n; });
    s.advance({ ...p.draft, size: n, members, skipped });
  }
  const options = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: n === 1 ? t('elig.size.alone') : t('elig.size.n', { n }) }));
  options.push({ value: 'more', label: t('elig.size.more') });
  const choiceError = errorOf(s.errors, 'choice');
  const sizeError = errorOf(s.errors, 'size');
  return (
    <StepFrame p={p} errors={s.errors}>
      <form class="krds-form elig-form" noValidate onSubmit={submit}>
        <fieldset class="elig-fieldset" aria-describedby={`${ID}-size-hint`}>
          <legend><h1 class="page-title elig-title" ref={s.h1} tabIndex={-1}>{title}</h1></legend>
          <p class="form-hint field-hint elig-hint" id={`${ID}-size-hint`}>{t('elig.size.hint')}</p>
          <FieldError id={`${ID}-choice-error`} error={choiceError} />
          <Radios name="size" options={options} value={choice} onChange={setChoice} error={choiceError} />
          {choice === 'more' && (
            <div class={`form-group elig-reveal${sizeError ? ' is-error' : ''}`}>
              <div class="form-tit"><label for={`${ID}-size`}>{t('elig.size.count')}</label></div>
              <FieldError id={`${ID}-size-error`} error={sizeError} />
              <div class={`form-conts${sizeError ? ' is-error' : ''}`}><div class="elig-unit-input">
                <input class="krds-input elig-short" id={`${ID}-size`} type="text" inputMode="numeric" autocomplete="off" maxLength={2}
                  value={count} aria-invalid={sizeError ? 'true' : undefined} aria-describedby={sizeError ? `${ID}-size-error` : undefined}
                  onInput={(e) => setCount((e.target as HTMLInputElement).value.replace(/\D/g, ''))} />
                <span class="elig-unit" aria-hidden="true">{getState().lang === 'ko' ? '명' : ''}</span>
              </div></div>
            </div>
          )}
        </fieldset>
        <Actions busy={s.busy} skip={false} />
      </form>
    </StepFrame>
  );
}

// ---- a member's relation -------------------------------------------------------------------------
function RelationStep(p: StepProps & { i: number }) {
  const who = memberLabel(p.draft, p.i);
  const title = t('elig.relation.title', { who: mid(who) });
  const s = useStep(p, title);
  const [value, setValue] = useState<string | undefined>(p.draft.members[p.i]?.relation as string | undefined);
  const info = variableInfo('relation', true);
  const options = (info?.values || []).filter((v) => v !== 'self').map((v) => ({ value: v, label: tv('relation', v) }));
  const key = questionKey('relation', p.i);
  function withMember(m: MemberDraft, skip: boolean): Draft {
    const members = p.draft.members.slice();
    members[p.i] = m;
    const skipped = p.draft.skipped.filter((k) => k !== key);
    return { ...p.draft, members, skipped: skip ? [...skipped, key] : skipped };
  }
  function submit(e: Event) {
    e.preventDefault();
    if (!value) { s.setErrors([{ field: 'choice', message: t('elig.relation.required') }]); return; }
    s.advance(withMember({ ...p.draft.members[p.i], relation: value }, false));
  }
  function skip() {
    const { relation: _drop, ...rest } = p.draft.members[p.i] || {};
    s.advance(withMember(rest, true));
  }
  const error = errorOf(s.errors, 'choice');
  return (
    <StepFrame p={p} errors={s.errors}>
      <form class="krds-form elig-form" noValidate onSubmit={submit}>
        <fieldset class="elig-fieldset">
          <legend><h1 class="page-title elig-title" ref={s.h1} tabIndex={-1}>{title}</h1></legend>
          <FieldError id={`${ID}-choice-error`} error={error} />
          <Radios name="relation" options={options} value={value} onChange={setValue} error={error} />
        </fieldset>
        <Actions busy={s.busy} onSkip={skip} />
      </form>
    </StepFrame>
  );
}

// ---- a member's date of birth or age --------------------------------------------------------------
function validDate(y: string, m: string, d: string): string | null {
  if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d)) return null;
  const Y = Number(y), M = Number(m), D = Number(d);
  if (M < 1 || M > 12 || D < 1) return null;
  const days = new Date(Date.UTC(Y, M, 0)).getUTCDate();
  if (D > days) return null;
  return `${y}-${String(M).padStart(2, '0')}-${String(D).padStart(2, '0')}`;
}

function AgeStep(p: StepProps & { i: number }) {
  const m = p.draft.members[p.i] || {};
  const [byAge, setByAge] = useState(m.birth_date === undefined && m.age !== undefined);
  const ko = getState().lang === 'ko';
  const who = memberLabel(p.draft, p.i);
  const title = p.i === 0
    ? t(byAge ? 'elig.age.titleAge.self' : 'elig.age.title.self')
    : t(byAge ? 'elig.age.titleAge' : 'elig.age.title', { who: mid(who) });
  const s = useStep(p, title);
  const bd = typeof m.birth_date === 'string' ? m.birth_date.split('-') : ['', '', ''];
  const [year, setYear] = useState(bd[0] || '');
  const [month, setMonth] = useState(bd[1] ? String(Number(bd[1])) : '');
  const [day, setDay] = useState(bd[2] ? String(Number(bd[2])) : '');
  const [age, setAge] = useState(m.age !== undefined ? String(m.age) : '');
  const key = questionKey('age', p.i);
  function withMember(mm: MemberDraft, skip: boolean): Draft {
    const members = p.draft.members.slice();
    members[p.i] = mm;
    const skipped = p.draft.skipped.filter((k) => k !== key);
    return { ...p.draft, members, skipped: skip ? [...skipped, key] : skipped };
  }
  const { birth_date: _b, age: _a, ...rest } = m;
  function submit(e: Event) {
    e.preventDefault();
    if (byAge) {
      if (!age.trim()) { s.setErrors([{ field: 'age', message: t('elig.age.requiredAge') }]); return; }
      if (!/^\d+$/.test(age.trim())) { s.setErrors([{ field: 'age', message: t('elig.age.notNumber') }]); return; }
      s.advance(withMember({ ...rest, age: Number(age.trim()) }, false));
    } else {
      if (!year && !month && !day) { s.setErrors([{ field: 'year', message: t('elig.age.required') }]); return; }
      const date = validDate(year.trim(), month.trim(), day.trim());
      if (!date) { s.setErrors([{ field: 'year', message: t('elig.age.invalid') }]); return; }
      s.advance(withMember({ ...rest, birth_date: date }, false));
    }
  }
  function skip() { s.advance(withMember(rest, true)); }
  const digits = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value.replace(/\D/g, ''));
  const dateError = errorOf(s.errors, 'year');
  const ageError = errorOf(s.errors, 'age');
  const dateParts = [
    { id: 'year', label: t('elig.age.yearLabel'), unit: t('elig.age.year'), value: year, set: setYear, max: 4, cls: 'elig-year', ac: 'bday-year' },
    { id: 'month', label: t('elig.age.monthLabel'), unit: t('elig.age.month'), value: month, set: setMonth, max: 2, cls: 'elig-md', ac: 'bday-month' },
    { id: 'day', label: t('elig.age.dayLabel'), unit: t('elig.age.day'), value: day, set: setDay, max: 2, cls: 'elig-md', ac: 'bday-day' },
  ];
  const isSelf = p.i === 0;
  return (
    <StepFrame p={p} errors={s.errors}>
      <form class="krds-form elig-form" noValidate onSubmit={submit}>
        {byAge ? (
          <div class="form-group elig-group">
            <h1 class="page-title elig-title" ref={s.h1} tabIndex={-1}><label for={`${ID}-age`}>{title}</label></h1>
            <p class="form-hint field-hint elig-hint" id={`${ID}-age-hint`}>{t('elig.age.ageHint')}</p>
            <FieldError id={`${ID}-age-error`} error={ageError} />
            <div class={`form-conts${ageError ? ' is-error' : ''}`}><div class="elig-unit-input">
              <input class="krds-input elig-short" id={`${ID}-age`} type="text" inputMode="numeric" autocomplete="off" maxLength={3}
                value={age} aria-invalid={ageError ? 'true' : undefined}
                aria-describedby={[`${ID}-age-hint`, ageError ? `${ID}-age-error` : ''].filter(Boolean).join(' ')}
                onInput={digits(setAge)} />
              <span class="elig-unit" aria-hidden="true">{t('elig.age.years')}</span>
            </div></div>
          </div>
        ) : (
          <fieldset class="elig-fieldset" aria-describedby={`${ID}-date-hint`} role="group">
            <legend><h1 class="page-title elig-title" ref={s.h1} tabIndex={-1}>{title}</h1></legend>
            <p class="form-hint field-hint elig-hint" id={`${ID}-date-hint`}>{t('elig.age.hint')}</p>
            <FieldError id={`${ID}-year-error`} error={dateError} />
            <div class={`elig-date${dateError ? ' is-error' : ''}`}>
              {dateParts.map((d) => (
                <div class="elig-date-part" key={d.id}>
                  <label for={`${ID}-${d.id}`} class="elig-date-label">{d.label}</label>
                  <div class="elig-unit-input">
                    <input class={`krds-input ${d.cls}`} id={`${ID}-${d.id}`} type="text" inputMode="numeric" maxLength={d.max}
                      autocomplete={isSelf ? d.ac : 'off'} value={d.value}
                      aria-invalid={dateError ? 'true' : undefined} aria-describedby={dateError ? `${ID}-year-error` : undefined}
                      onInput={digits(d.set)} />
                    {ko && <span class="elig-unit" aria-hidden="true">{d.unit}</span>}
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        )}
        <p class="elig-switch">
          <button type="button" class="krds-btn text medium elig-switch-btn" onClick={() => {
            s.setErrors([]); setByAge(!byAge);
            setTimeout(() => document.getElementById(byAge ? `${ID}-year` : `${ID}-age`)?.focus(), 0);
          }}>
            {byAge ? t('elig.age.useDate') : t('elig.age.useAge')}
          </button>
        </p>
        <Actions busy={s.busy} onSkip={skip} />
      </form>
    </StepFrame>
  );
}

// ---- any question the server asks ----------------------------------------------------------------
// Benefits a household is most likely to be receiving already (and that other benefits depend on).
const COMMON_BENEFITS = ['livelihood_benefit', 'medical_benefit', 'housing_benefit', 'education_benefit', 'basic_pension',
  'disability_pension', 'emergency_welfare', 'energy_voucher'];
const MONTHLY = new Set([...Object.keys(INCOMES)]);
function moneyHint(variable: string): string {
  return tKey(`elig.hint.${variable}`) ?? '';
}
function moneyHintGeneral(variable: string): string {
  if (MONTHLY.has(variable)) return t('elig.money.hint.month');
  if (variable === 'rent') return t('elig.money.hint.rent');
  if (variable === 'deposit') return t('elig.money.hint.deposit');
  return t('elig.money.hint.asset');
}

function QuestionStep(p: StepProps & { variable: string; member?: number }) {
  const { variable, member } = p;
  const info = variableInfo(variable, member !== undefined)!;
  const current: Value | undefined = member !== undefined ? p.draft.members[member]?.[variable] : p.draft.hh[variable];
  const title = pick(info, 'question') || pick(info, 'label');
  const caption = member !== undefined ? t('elig.q.caption', { who: mid(memberLabel(p.draft, member)) }) : t(`elig.section.${sectionOf(variable)}` as Key);
  const s = useStep(p, (caption ? caption + ' — ' : '') + title);
  const type = info.type;
  const [text, setText] = useState(current !== undefined && (type === 'money' || type === 'number') ? String(current) : '');
  const [choice, setChoice] = useState<string | undefined>(
    type === 'bool' && current !== undefined ? (current ? 'yes' : 'no') : type === 'enum' && typeof current === 'string' ? current : undefined);
  const [list, setList] = useState<string[]>(Array.isArray(current) ? current : []);
  const [none, setNone] = useState(Array.isArray(current) && current.length === 0);
  const key = questionKey(variable, member);

  function withValue(v: Value | undefined, skip: boolean): Draft {
    const skipped = p.draft.skipped.filter((k) => k !== key);
    const d: Draft = { ...p.draft, skipped: skip ? [...skipped, key] : skipped };
    if (member !== undefined) {
      const members = d.members.slice();
      const mm = { ...members[member] };
      if (v === undefined) delete mm[variable]; else mm[variable] = v;
      members[member] = mm;
      d.members = members;
    } else {
      const hh = { ...d.hh };
      if (v === undefined) delete hh[variable]; else hh[variable] = v;
      d.hh = hh;
    }
    return d;
  }
  function submit(e: Event) {
    e.preventDefault();
    if (type === 'money' || type === 'number') {
      if (!text) { s.setErrors([{ field: 'amount', message: t(type === 'money' ? 'elig.money.required' : 'elig.number.required') }]); return; }
      s.advance(withValue(Number(text), false));
    } else if (type === 'bool') {
      if (!choice) { s.setErrors([{ field: 'choice', message: t('elig.choice.required') }]); return; }
      s.advance(withValue(choice === 'yes', false));
    } else if (type === 'enum') {
      if (!choice) { s.setErrors([{ field: 'choice', message: t('elig.choice.required') }]); return; }
      s.advance(withValue(choice, false));
    } else {
      if (!none && !list.length) { s.setErrors([{ field: 'choice', message: t('elig.list.required') }]); return; }
      s.advance(withValue(none ? [] : list, false));
    }
  }
  function skip() { s.advance(withValue(undefined, true)); }

  const hint = moneyHint(variable);
  let body: ComponentChildren;
  if (type === 'money' || type === 'number') {
    const error = errorOf(s.errors, 'amount');
    const n = text ? Number(text) : null;
    const general = type === 'money' ? moneyHintGeneral(variable) : '';
    const describedBy = [`${ID}-amount-hint`, n !== null && type === 'money' ? `${ID}-amount-readback` : '', error ? `${ID}-amount-error` : ''].filter(Boolean).join(' ');
    body = (
      <div class="form-group elig-group">
        <h1 class="page-title elig-title" ref={s.h1} tabIndex={-1}>
          {caption && <span class="elig-caption">{caption}</span>}
          <label for={`${ID}-amount`}>{title}</label>
        </h1>
        <div class="form-hint field-hint elig-hint" id={`${ID}-amount-hint`}>
          {hint && <p>{hint}</p>}
          {general && <p>{general}</p>}
        </div>
        <FieldError id={`${ID}-amount-error`} error={error} />
        <div class={`form-conts${error ? ' is-error' : ''}`}><div class="elig-unit-input">
          <input class="krds-input elig-money-input" id={`${ID}-amount`} type="text" inputMode="numeric" autocomplete="off" maxLength={16}
            spellcheck={false} value={text} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy}
            onInput={(e) => setText((e.target as HTMLInputElement).value.replace(/\D/g, '').replace(/^0+(?=\d)/, ''))} />
          {type === 'money' && <span class="elig-unit" aria-hidden="true">{t('elig.money.unit')}</span>}
        </div></div>
        {type === 'money' && (
          <p class={`elig-readback${n === null ? ' is-empty' : ''}`} id={`${ID}-amount-readback`}>
            {n !== null ? t('elig.money.readback', { won: formatWon(n), man: manwon(n) }) : '\u00a0'}
          </p>
        )}
      </div>
    );
  } else if (type === 'list') {
    const error = errorOf(s.errors, 'choice');
    const all = cachedPrograms() || [];
    const common = COMMON_BENEFITS.map((c) => all.find((x) => x.program === c)).filter((x): x is NonNullable<typeof x> => !!x);
    const others = all.filter((x) => !COMMON_BENEFITS.includes(x.program));
    const box = (pr: (typeof all)[number], i: number) => {
      const id = i === 0 ? `${ID}-choice` : `${ID}-list-${pr.program}`;
      return (
        <div class="krds-form-check large elig-option" key={pr.program}>
          <input type="checkbox" id={id} name="receives" value={pr.program} checked={!none && list.includes(pr.program)}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              setNone(false);
              setList(on ? [...list.filter((x) => x !== pr.program), pr.program] : list.filter((x) => x !== pr.program));
            }} />
          <label for={id}>{pick(pr, 'name')}</label>
        </div>
      );
    };
    body = (
      <fieldset class="elig-fieldset" aria-describedby={`${ID}-list-hint`}>
        <legend><h1 class="page-title elig-title" ref={s.h1} tabIndex={-1}><span class="elig-caption">{caption}</span>{title}</h1></legend>
        <p class="form-hint field-hint elig-hint" id={`${ID}-list-hint`}>{t('elig.list.hint')}</p>
        <FieldError id={`${ID}-choice-error`} error={error} />
        <div class={`elig-options${error ? ' is-error' : ''}`}>
          {common.map(box)}
          {others.length > 0 && (
            <details class="elig-details elig-more-benefits" open={others.some((x) => list.includes(x.program))}>
              <summary class="elig-summary">{t('elig.list.more', { n: others.length })}</summary>
              <div class="elig-options elig-more-options">{others.map((pr) => box(pr, -1))}</div>
            </details>
          )}
          <p class="elig-or" aria-hidden="true">{getState().lang === 'ko' ? '또는' : 'or'}</p>
          <div class="krds-form-check large elig-option">
            <input type="checkbox" id={`${ID}-list-none`} name="receives" value="" checked={none}
              onChange={(e) => { const on = (e.target as HTMLInputElement).checked; setNone(on); if (on) setList([]); }} />
            <label for={`${ID}-list-none`}>{t('elig.list.none')}</label>
          </div>
        </div>
      </fieldset>
    );
  } else {
    const error = errorOf(s.errors, 'choice');
    const options = type === 'bool'
      ? [{ value: 'yes', label: t('elig.yes') }, { value: 'no', label: t('elig.no') }]
      : (info.values || []).map((v) => ({ value: v, label: tv(variable, v) }));
    body = (
      <fieldset class="elig-fieldset" aria-describedby={hint ? `${ID}-choice-hint` : undefined}>
        <legend>
          <h1 class="page-title elig-title" ref={s.h1} tabIndex={-1}>
            {caption && <span class="elig-caption">{caption}</span>}
            {title}
          </h1>
        </legend>
        {hint && <p class="form-hint field-hint elig-hint" id={`${ID}-choice-hint`}>{hint}</p>}
        <FieldError id={`${ID}-choice-error`} error={error} />
        <Radios name={variable} options={options} value={choice} onChange={setChoice} error={error} />
      </fieldset>
    );
  }
  return (
    <StepFrame p={p} errors={s.errors}>
      <form class="krds-form elig-form" noValidate onSubmit={submit}>
        {body}
        <p class="elig-skip-hint">{t('elig.skip.hint')}</p>
        <Actions busy={s.busy} onSkip={skip} />
      </form>
    </StepFrame>
  );
}

// ---- results ---------------------------------------------------------------------------------------
const GROUPS: Status[] = ['eligible', 'undetermined', 'not_eligible'];

function amountText(r: ProgramResult): string | null {
  if (typeof r.monthly_amount === 'number') return t('elig.amount.month', { amount: formatWon(r.monthly_amount) });
  if (typeof r.annual_amount === 'number') return t('elig.amount.year', { amount: formatWon(r.annual_amount) });
  if (typeof r.lump_sum_amount === 'number') return t('elig.amount.once', { amount: formatWon(r.lump_sum_amount) });
  return null;
}

function valueText(x: number | null | undefined, money: boolean, op?: string): string {
  if (x === null || x === undefined) return t('elig.reason.valueUnknown');
  const v = roundFor(op, x);
  return money ? formatWon(v) : v.toLocaleString(getState().lang === 'ko' ? 'ko-KR' : 'en-GB');
}

function varLabel(variable: string): string {
  const info = variableInfo(variable);
  const label = info ? pick(info, 'label') : variable;
  return label.replace(/\s*\([^)]*\)\s*$/, '');
}

function changeText(r: Reason): string | null {
  if (r.held !== false || typeof r.gap !== 'number' || !r.direction) return null;
  const money = isMoneyVar(r.variable);
  const gap = money ? formatWon(Math.ceil(r.gap)) : Math.ceil(r.gap).toLocaleString();
  const ko = getState().lang === 'ko';
  if (r.variable) {
    const label = varLabel(r.variable);
    return t(`elig.change.${r.direction}.var` as Key, { label: ko ? josa(label, ['이', '가']) : label.charAt(0).toLowerCase() + label.slice(1), gap });
  }
  return t(`elig.change.${r.direction}` as Key, { label: pick(r, 'label'), gap });
}

function ReasonItem({ r }: { r: Reason }) {
  const state = r.held === true ? 'held' : r.held === false ? 'failed' : 'unknown';
  const mark = r.held === true ? '✔' : r.held === false ? '✖' : '?';
  const compare = r.kind === 'compare' && (r.left !== undefined || r.right !== undefined);
  const money = isMoneyVar(r.variable);
  const opText = r.op ? (tKey(`elig.op.${r.op}`) ?? r.op) : '';
  return (
    <li class={`elig-reason is-${state}`}>
      <span class="elig-mark" aria-hidden="true">{mark}</span>
      <span class="elig-reason-body">
        <span class="sr-only">{t(`elig.reason.${state}` as Key)}: </span>
        <span class="elig-reason-label">{pick(r, 'label')}</span>
        {compare && (
          <span class="elig-reason-values">
            {t('elig.reason.values', { left: valueText(r.left, money), right: valueText(r.right, money, r.op), op: opText })}
          </span>
        )}
      </span>
    </li>
  );
}

function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s;,)]+)/g);
  return <>{parts.map((x, i) => i % 2 ? <a key={i} class="text-link elig-url" href={x} rel="noopener noreferrer">{x}</a> : x)}</>;
}

// The program the resident came to check from its service page (this tab only).
const FOCUS = 'dure.eligFocus';
function saveFocus(code: string) { try { sessionStorage.setItem(FOCUS, code); } catch { /* private mode */ } }
function loadFocus(): string { try { return sessionStorage.getItem(FOCUS) || ''; } catch { return ''; } }

function ResultCard({ r, draft }: { r: ProgramResult; draft: Draft }) {
  const amount = amountText(r);
  const changes = r.status !== 'eligible' ? r.reasons.map(changeText).filter((x): x is string => !!x) : [];
  const q = r.question;
  const name = pick(r, 'name');
  const notes = pick(r, 'notes');
  const qStep = q ? stepFor(q.variable, q.member ?? undefined) : null;
  const qWho = q && q.member !== undefined && q.member !== null ? memberLabel(draft, q.member) : '';
  return (
    <li class={`elig-result is-${r.status}${loadFocus() === r.program ? ' is-focus' : ''}`} data-program={r.program}>
      {loadFocus() === r.program && <p class="elig-focus-badge">{t('elig.focus.badge')}</p>}
      <div class="elig-result-head">
        <h3 class="elig-result-name">{name}</h3>
        {r.status === 'eligible' && (
          <p class="elig-amount">
            <span class="sr-only">{t('elig.amount.label')}: </span>
            {amount ? <strong>{amount}</strong> : <span class="elig-noamount">{t('elig.results.noAmount')}</span>}
            {amount && r.amount_estimate && (
              <> <span class="elig-estimate" data-testid="amount-estimate">{t('elig.amount.estimate')}</span></>
            )}
          </p>
        )}
        {r.status === 'eligible' && amount && r.amount_estimate && (
          <p class="elig-estimate-note">
            {t('elig.amount.estimateNote', { figures: (r.estimated_parameters ?? []).map((x) => x.label_ko).join(', ') })}
          </p>
        )}
      </div>
      {q && qStep && (
        <div class="elig-result-question">
          <p><strong>{t('elig.question.title')}</strong><br />{qWho && <span>{qWho}: </span>}{pick(q, 'question')}</p>
          <Link href={stepHref(qStep, '&from=results')} class="krds-btn secondary medium no-print elig-answer">
            {t('elig.question.answer')}<span class="sr-only"> ({name})</span>
          </Link>
        </div>
      )}
      <details class="elig-details">
        <summary class="elig-summary">{t('elig.why')}<span class="sr-only"> ({name})</span></summary>
        <div class="elig-details-body">
          <ul class="elig-reasons">{r.reasons.map((x, i) => <ReasonItem key={i} r={x} />)}</ul>
          {notes && (
            <div class="elig-notes">
              <h4 class="elig-sub">{t('elig.notes')}</h4>
              <p>{notes}</p>
            </div>
          )}
          {r.source && <p class="elig-source"><strong>{t('elig.source')}:</strong> <Linkified text={r.source} /></p>}
        </div>
      </details>
      {changes.length > 0 && (
        <details class="elig-details elig-change">
          <summary class="elig-summary">{t('elig.change.title')}<span class="sr-only"> ({name})</span></summary>
          <div class="elig-details-body">
            <ul class="elig-change-list">{changes.map((c, i) => <li key={i}>{c}</li>)}</ul>
          </div>
        </details>
      )}
      {r.service_id && (
        <p class="elig-service">
          <Link href={`/services/${encodeURIComponent(r.service_id)}`} class="text-link">{t('elig.service.link', { name })}</Link>
        </p>
      )}
    </li>
  );
}

function RecognizedIncome({ sim }: { sim: Simulation }) {
  const rows: [string, Key][] = [['recognized_income', 'elig.recognized.title'], ['pension_recognized_income', 'elig.recognized.pension']];
  return (
    <section class="elig-recognized" aria-labelledby="elig-recognized-title">
      <h2 class="section-title" id="elig-recognized-title">{t('elig.recognized.title')}</h2>
      <p class="elig-recognized-text">{t('elig.recognized.text')}</p>
      <dl class="elig-figures">
        {rows.map(([v, label]) => {
          const c = sim.computed[v] as { value: number | null; given?: boolean } | undefined;
          const val = c && typeof c.value === 'number' ? c.value : null;
          return (
            <div key={v} data-variable={v}>
              <dt>{t(label)}</dt>
              <dd>
                {val !== null ? (
                  <><strong class="elig-figure">{getState().lang === 'ko' ? `월 ${formatWon(val)}` : `${formatWon(val)} a month`}</strong>
                    {c?.given && <span class="elig-given"> ({t('elig.recognized.given')})</span>}</>
                ) : (
                  <><strong class="elig-figure is-unknown">{t('elig.recognized.unknown')}</strong>
                    <span class="elig-figure-hint">{t('elig.recognized.unknownHint')}</span></>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

function answerText(variable: string, v: Value | undefined, member: boolean): string {
  if (v === undefined) return t('elig.answers.skipped');
  const info = variableInfo(variable, member);
  if (Array.isArray(v)) {
    if (!v.length) return t('elig.list.none');
    const programs = cachedPrograms() || [];
    return v.map((code) => { const p = programs.find((x) => x.program === code); return p ? pick(p, 'name') : code; }).join(', ');
  }
  if (typeof v === 'boolean') return v ? t('elig.yes') : t('elig.no');
  if (info?.type === 'money' && typeof v === 'number') return formatWon(v);
  if (typeof v === 'string') return tv(variable, v);
  return String(v);
}

function Answers({ draft }: { draft: Draft }) {
  const rows: { label: string; value: string; step: string }[] = [];
  rows.push({ label: t('elig.answers.size'), value: String(draft.size ?? ''), step: 'size' });
  draft.members.forEach((m, i) => {
    const who = memberLabel(draft, i);
    if (i > 0) rows.push({ label: `${who} · ${t('elig.answers.relation')}`, value: m.relation ? tv('relation', String(m.relation)) : t('elig.answers.skipped'), step: `m${i}-relation` });
    rows.push({
      label: `${who} · ${t('elig.answers.birth')}`,
      value: m.birth_date ? formatDate(String(m.birth_date)) : m.age !== undefined ? t('elig.answers.age', { n: Number(m.age) }) : t('elig.answers.skipped'),
      step: `m${i}-age`,
    });
    for (const v of MEMBER_VARS) {
      if (v === 'relation') continue;
      if (m[v] === undefined && !draft.skipped.includes(questionKey(v, i))) continue;
      const info = variableInfo(v, true);
      rows.push({ label: `${who} · ${info ? pick(info, 'label') : v}`, value: answerText(v, m[v], true), step: `q:${questionKey(v, i)}` });
    }
  });
  const hvars = Object.keys(draft.hh).concat(draft.skipped.filter((k) => !k.includes('@') && draft.hh[k] === undefined && k !== 'age'));
  const order = (cachedCatalog()?.household || []).map((x) => x.variable);
  hvars.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const v of hvars) {
    const info = variableInfo(v);
    if (!info) continue;
    rows.push({ label: pick(info, 'label'), value: answerText(v, draft.hh[v], false), step: `q:${v}` });
  }
  return (
    <details class="elig-details elig-answers">
      <summary class="elig-summary">{t('elig.answers.title')}</summary>
      <div class="elig-details-body">
        <dl class="info-list elig-answer-list">
          {rows.map((r) => (
            <div key={r.step}>
              <dt>{r.label}</dt>
              <dd>
                <span>{r.value}</span>
                <Link href={stepHref(r.step, '&from=results')} class="text-link elig-change-link no-print">
                  {t('elig.answers.change')}<span class="sr-only"> ({r.label})</span>
                </Link>
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </details>
  );
}

// Expands every disclosure while printing, so the paper shows all the reasons.
function usePrintExpanded() {
  useEffect(() => {
    let opened: HTMLDetailsElement[] = [];
    const before = () => {
      opened = Array.from(document.querySelectorAll<HTMLDetailsElement>('.elig-results details:not([open])'));
      opened.forEach((d) => { d.open = true; });
    };
    const after = () => { opened.forEach((d) => { d.open = false; }); opened = []; };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => { window.removeEventListener('beforeprint', before); window.removeEventListener('afterprint', after); };
  }, []);
}

function Results({ draft, update }: { draft: Draft; update: (d: Draft) => void }) {
  const s = useAppState();
  const [sim, setSim] = useState<Simulation | null>(() => cachedSimulation(draft));
  const [errors, setErrors] = useState<FormError[]>([]);
  const h1 = useRef<HTMLHeadingElement>(null);
  usePrintExpanded();
  useEffect(() => {
    if (draft.at !== 'results') update({ ...draft, at: 'results' });
    if (!sim) {
      simulate(draft).then(setSim).catch((e) => {
        const { here, other } = sortErrors(e, 'results');
        if (other) { pending = other; navigate(stepHref(other.step), { replace: true }); return; }
        setErrors(here);
      });
    }
  }, []);
  useEffect(() => { document.title = `${t('elig.results.title')} | ${t('elig.title')} | ${t('app.name')}`; }, [s.lang]);
  useEffect(() => { if (sim && hasNavigated() && h1.current) h1.current.focus({ preventScroll: true }); }, [!!sim]);

  const back = backOf(draft, 'results', false);
  if (!sim) {
    return (
      <div class="page-body narrow elig-step">
        <Link href={back} class="elig-back no-print">{t('elig.back')}</Link>
        <h1 class="page-title" tabIndex={-1}>{t('elig.results.title')}</h1>
        <ErrorSummary errors={errors} idPrefix={ID} />
        {!errors.length && <Loading />}
      </div>
    );
  }
  const computed = sim.results.filter((r) => r.status !== 'not_computed');
  const notComputed = sim.results.filter((r) => r.status === 'not_computed' && r.service_id);
  const more = nextQuestion(draft, sim, cachedCatalog());
  return (
    <div class="page-body elig-results">
      <Link href={back} class="elig-back no-print">{t('elig.back')}</Link>
      <Progress stage="results" />
      <h1 class="page-title" ref={h1} tabIndex={-1}>{t('elig.results.title')}</h1>
      <p class="page-lead">{t('elig.results.lead', { date: formatDate(sim.date) })}</p>
      <Disclaimer />
      <div class="button-row elig-result-actions no-print">
        <button type="button" class="krds-btn secondary large" onClick={() => window.print()}>
          <Icon name="print" class="btn-icon" />{t('elig.print')}
        </button>
        {more && (
          <Link href={stepHref(stepFor(more.variable, more.member ?? undefined))} class="krds-btn primary large">{t('elig.answerMore')}</Link>
        )}
      </div>
      <div class="elig-layout">
        <div class="elig-main">
          {GROUPS.map((g) => {
            const list = computed.filter((r) => r.status === g);
            return (
              <section key={g} class={`elig-group-section is-${g}`} aria-labelledby={`elig-group-${g}`}>
                <h2 class="elig-group-title" id={`elig-group-${g}`}>
                  <span class="elig-group-icon" aria-hidden="true">{g === 'eligible' ? '✔' : g === 'undetermined' ? '?' : '✖'}</span>
                  {t(`elig.results.${g}` as Key)}
                  <span class="elig-group-count">{t('elig.results.count', { n: list.length })}</span>
                </h2>
                <p class="elig-group-text">{list.length ? t(`elig.results.${g}.text` as Key) : t('elig.results.none')}</p>
                {list.length > 0 && g !== 'not_eligible' && <ul class="elig-result-list">{list.map((r) => <ResultCard key={r.program} r={r} draft={draft} />)}</ul>}
                {list.length > 0 && g === 'not_eligible' && (
                  <details class="elig-details elig-fold">
                    <summary class="elig-summary">{t('elig.results.showNot', { n: list.length })}</summary>
                    <ul class="elig-result-list">{list.map((r) => <ResultCard key={r.program} r={r} draft={draft} />)}</ul>
                  </details>
                )}
              </section>
            );
          })}
        </div>
        <aside class="elig-side">
          <RecognizedIncome sim={sim} />
          <Answers draft={draft} />
          <SavePanel draft={draft} />
        </aside>
      </div>
      {notComputed.length > 0 && (
        <details class="elig-details elig-notcomputed no-print">
          <summary class="elig-summary">{t('elig.notComputed.title', { n: notComputed.length })}</summary>
          <div class="elig-details-body">
            <p>{t('elig.notComputed.text')}</p>
            <ul class="elig-nc-list">
              {notComputed.map((r) => (
                <li key={r.program}><Link href={`/services/${encodeURIComponent(r.service_id!)}`} class="text-link">{r.name_ko}</Link></li>
              ))}
            </ul>
          </div>
        </details>
      )}
      <div class="elig-step-foot no-print">
        <StartOver update={update} />
      </div>
    </div>
  );
}

function SavePanel({ draft }: { draft: Draft }) {
  const s = useAppState();
  const [busy, setBusy] = useState<'' | 'result' | 'household'>('');
  const [done, setDone] = useState<'' | 'result' | 'household'>('');
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  if (s.session !== 'user') {
    return (
      <section class="panel elig-save no-print" aria-labelledby="elig-save-title">
        <h2 class="panel-title" id="elig-save-title">{t('elig.save.title')}</h2>
        <p>{t('elig.save.login')}</p>
        <div class="button-row">
          <Link href={`/login?next=${encodeURIComponent(stepHref('results'))}`} class="krds-btn secondary medium">{t('elig.save.loginLink')}</Link>
        </div>
      </section>
    );
  }
  async function saveResult() {
    setBusy('result'); setErrors([]); setDone('');
    try {
      await simulate(draft, { save: true });
      setDone('result');
    } catch (e) { setErrors(problemToErrors(e, [])); } finally { setBusy(''); }
  }
  async function saveHousehold(e: Event) {
    e.preventDefault();
    setDone('');
    if (!consent) { setErrors([{ field: 'consent', message: t('elig.save.consent.required') }]); return; }
    setBusy('household'); setErrors([]);
    try {
      await api('PUT', '/api/v1/me/eligibility', { household: toHousehold(draft) });
      setDone('household');
    } catch (err) { setErrors(problemToErrors(err, [])); } finally { setBusy(''); }
  }
  const consentError = errorOf(errors, 'consent');
  return (
    <section class="panel elig-save no-print" aria-labelledby="elig-save-title">
      <h2 class="panel-title" id="elig-save-title">{t('elig.save.title')}</h2>
      <ErrorSummary errors={errors} idPrefix={ID} />
      <p class={`status-message${done ? ' is-visible' : ''}`} role="status">
        {done === 'result' ? <>{t('elig.save.result.done')} <Link href="/me" class="text-link">{t('nav.me')}</Link></> : done === 'household' ? t('elig.save.household.done') : ''}
      </p>
      <div class="button-row elig-save-row">
        <button type="button" class="krds-btn primary medium" disabled={!!busy} onClick={saveResult}>
          {busy === 'result' ? t('elig.saving') : t('elig.save.result')}
        </button>
      </div>
      <form class="elig-household-form" noValidate onSubmit={saveHousehold}>
        <h3 class="elig-sub">{t('elig.save.household')}</h3>
        <p>{t('elig.save.household.text')}</p>
        <FieldError id={`${ID}-consent-error`} error={consentError} />
        <div class={`krds-form-check medium elig-consent${consentError ? ' is-error' : ''}`}>
          <input type="checkbox" id={`${ID}-consent`} checked={consent} aria-invalid={consentError ? 'true' : undefined}
            aria-describedby={consentError ? `${ID}-consent-error` : undefined}
            onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} />
          <label for={`${ID}-consent`}>{t('elig.save.consent')}</label>
        </div>
        <button type="submit" class="krds-btn secondary medium" disabled={!!busy}>
          {busy === 'household' ? t('elig.saving') : t('elig.save.household')}
        </button>
      </form>
    </section>
  );
}

export { EligibilityCallout } from '../components/eligibility-callout';

// ---- on 마이페이지 -----------------------------------------------------------------------------------
interface SavedSimulation {
  id: number | string; date: string; created_at: number | string; household: any;
  summary: { program: string; name_ko: string; status: Status; monthly_amount?: number; annual_amount?: number; lump_sum_amount?: number }[];
}

function createdText(x: number | string): string {
  const d = typeof x === 'number' ? new Date(x * (x < 1e12 ? 1000 : 1)) : new Date(x);
  if (isNaN(d.getTime())) return String(x);
  const ko = getState().lang === 'ko';
  return d.toLocaleString(ko ? 'ko-KR' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Seoul' });
}

export function MyEligibility() {
  useAppState();
  const [sims, setSims] = useState<SavedSimulation[] | null>(null);
  const [household, setHousehold] = useState<any>(undefined);
  const [status, setStatus] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  function load() {
    api<{ items: SavedSimulation[] }>('GET', '/api/v1/me/simulations').then((r) => setSims(r.items || [])).catch((e) => { setSims([]); setErrors(problemToErrors(e, [])); });
    api<any>('GET', '/api/v1/me/eligibility').then((p) => setHousehold(p?.household || null)).catch(() => setHousehold(null));
  }
  useEffect(() => { load(); loadReferenceData().catch(() => { /* names fall back to Korean */ }); }, []);
  async function remove(id: number | string) {
    setErrors([]);
    try {
      await api('DELETE', `/api/v1/me/simulations/${encodeURIComponent(String(id))}`);
      setSims((sims || []).filter((x) => x.id !== id));
      setStatus(t('me.elig.deleted'));
      heading.current?.focus();
    } catch (e) { setErrors(problemToErrors(e, [])); }
  }
  async function removeHousehold() {
    setErrors([]);
    try {
      await api('PUT', '/api/v1/me/eligibility', { household: null });
      setHousehold(null);
      setStatus(t('me.elig.household.deleted'));
    } catch (e) { setErrors(problemToErrors(e, [])); }
  }
  function open(h: any) {
    const d = { ...fromHousehold(h), at: 'results' };
    saveDraft(d);
    navigate(stepHref('results'));
  }
  const name = (code: string, ko: string) => { const p = cachedPrograms()?.find((x) => x.program === code); return p ? pick(p, 'name') : ko; };
  const amount = (x: SavedSimulation['summary'][number]) => amountText({ ...x, name_en: '', reasons: [] } as ProgramResult);
  return (
    <section class="panel my-elig" aria-labelledby="me-elig">
      <h2 id="me-elig" class="panel-title" ref={heading} tabIndex={-1}>{t('me.elig.title')}</h2>
      <ErrorSummary errors={errors} idPrefix="me-elig" />
      <p class={`status-message${status ? ' is-visible' : ''}`} role="status">{status}</p>
      <h3 class="elig-sub">{t('me.elig.saved')}</h3>
      {sims === null ? <Loading /> : sims.length === 0 ? (
        <p class="muted">{t('me.elig.none')}</p>
      ) : (
        <ul class="my-elig-list">
          {sims.map((x) => {
            const eligible = (x.summary || []).filter((r) => r.status === 'eligible');
            const label = createdText(x.created_at);
            return (
              <li key={x.id} class="my-elig-item" data-id={x.id}>
                <p class="my-elig-when"><strong>{t('me.elig.savedAt', { date: label })}</strong> <span class="muted">({t('me.elig.asOf', { date: formatDate(x.date) })})</span></p>
                {eligible.length ? (
                  <ul class="my-elig-programs" aria-label={t('me.elig.eligible')}>
                    {eligible.map((r) => <li key={r.program}><span class="elig-mark-ok" aria-hidden="true">✔</span> {name(r.program, r.name_ko)}{amount(r) ? ` — ${amount(r)}` : ''}</li>)}
                  </ul>
                ) : <p class="muted">{t('me.elig.noEligible')}</p>}
                <div class="button-row">
                  {x.household && <button type="button" class="krds-btn secondary medium" onClick={() => open(x.household)}>{t('me.elig.open')}</button>}
                  <button type="button" class="krds-btn tertiary medium" aria-label={t('me.elig.deleteResult', { date: label })} onClick={() => remove(x.id)}>{t('me.elig.delete')}</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <h3 class="elig-sub">{t('me.elig.household')}</h3>
      {household === undefined ? <Loading /> : household ? (
        <>
          <p>{t('me.elig.household.yes', { n: Array.isArray(household.members) ? household.members.length : 0 })}</p>
          <div class="button-row">
            <button type="button" class="krds-btn secondary medium" onClick={() => open(household)}>{t('me.elig.household.use')}</button>
            <button type="button" class="krds-btn tertiary medium" onClick={removeHousehold}>{t('me.elig.household.delete')}</button>
          </div>
        </>
      ) : <p class="muted">{t('me.elig.household.no')}</p>}
      <div class="button-row">
        <Link href={BASE} class="text-link my-elig-go">{t('me.elig.go')}</Link>
      </div>
    </section>
  );
}
