// Giving pages: the public campaign page (thermometer with a table view, progress by dong, the
// ledger with its head hash and downloads), 나의 기부, the dong counter's intake (keyboard first:
// native controls in reading order, Enter saves), and the council's distributions.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary, Field, problemToErrors, type FormError } from '../../forms';
import { Loading, Page } from '../../page';
import { Link } from '../../router';
import { useAppState } from '../../store';
import { addDay, counterGifts, createCampaign, distribute, getCampaign, getLedger, listCampaigns, myGifts, newKey, reverseGift, takeGift,
  type Campaign, type CampaignSummary, type CounterGift, type Ledger, type MyGift } from './api';
import { gt, won, type GKey } from './texts';

const RECENT_DAYS = 14;
const PURPOSES = ['living', 'medical', 'education', 'heating', 'housing', 'emergency', 'other'];

function title(c: { title_ko: string; title_en: string }, lang: string) { return lang === 'en' ? c.title_en : c.title_ko; }
function degrees(tenths: number) { return (tenths / 10).toFixed(1); }
function purpose(p: string) { return PURPOSES.includes(p) ? gt(('purpose.' + p) as GKey) : p; }
function channel(c: string) { return ['counter', 'transfer', 'qr'].includes(c) ? gt(('channel.' + c) as GKey) : c; }

function Thermometer({ t }: { t: Campaign['thermometer'] }) {
  const pct = Math.min(100, t.degrees_tenths / 10);
  return (
    <section class="panel giving-thermo" aria-labelledby="thermo-title">
      <h2 class="panel-title" id="thermo-title">{gt('thermo')}</h2>
      <p class="giving-degrees">{gt('thermo.degrees', { d: degrees(t.degrees_tenths) })}</p>
      <div class="giving-bar" aria-hidden="true"><span style={{ width: `${pct}%` }} /></div>
      <p>{gt('thermo.rule')}</p>
      <table class="mini-table">
        <caption>{gt('thermo.table')}</caption>
        <tbody>
          <tr><th scope="row">{gt('target')}</th><td>{won(t.target_krw)}</td></tr>
          <tr><th scope="row">{gt('raised')}</th><td>{won(t.raised_krw)}</td></tr>
          <tr><th scope="row">{gt('degrees')}</th><td>{gt('thermo.degrees', { d: degrees(t.degrees_tenths) })}</td></tr>
        </tbody>
      </table>
    </section>
  );
}

export function CampaignList() {
  const s = useAppState();
  const [items, setItems] = useState<CampaignSummary[] | null>(null);
  useEffect(() => { listCampaigns().then((r) => setItems(r.items)).catch(() => setItems([])); }, []);
  return (
    <Page title={gt('title')} lead={gt('lead')}>
      {!items ? <Loading /> : !items.length ? <p>{gt('none')}</p> : (
        <ul class="giving-list">
          {items.map((c) => (
            <li key={c.code} class="panel">
              <h2 class="panel-title"><Link href={`/giving/c/${encodeURIComponent(c.code)}`}>{title(c, s.lang)}</Link></h2>
              <p>{gt('period')}: {c.starts_on} ~ {c.ends_on} · {gt('collector')}: {c.collector}</p>
              <p>{gt('raised')} {won(c.raised_krw)} / {gt('target')} {won(c.target_krw)} ({gt('thermo.degrees', { d: degrees(c.degrees_tenths) })})</p>
            </li>
          ))}
        </ul>
      )}
      <p><Link href="/giving/mine">{gt('mine')}</Link></p>
      {s.me?.roles.some((g) => g.role === 'council' || g.role === 'district_admin') && <p><Link href="/giving/manage">{gt('manage.link')}</Link></p>}
    </Page>
  );
}

export function CampaignPage({ code }: { code: string }) {
  const s = useAppState();
  const [c, setC] = useState<Campaign | null>(null);
  const [l, setL] = useState<Ledger | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  useEffect(() => {
    getCampaign(code).then(setC).catch((e) => setErrors(problemToErrors(e, [])));
    getLedger(code).then(setL).catch(() => undefined);
  }, [code]);
  if (errors.length) return <Page title={gt('title')}><ErrorSummary errors={errors} idPrefix="giving" /></Page>;
  if (!c) return <Page title={gt('title')}><Loading /></Page>;
  const days = l ? [...new Set(l.inflows.map((x) => x.day))].sort().slice(-RECENT_DAYS) : [];
  const base = `/api/v1/giving/campaigns/${encodeURIComponent(code)}`;
  return (
    <Page title={title(c, s.lang)} lead={gt('lead')} crumbs={[{ href: '/giving', label: gt('title') }, { label: title(c, s.lang) }]}>
      <Thermometer t={c.thermometer} />
      <section class="panel" aria-labelledby="collector-title">
        <h2 class="panel-title" id="collector-title">{gt('collector')}</h2>
        <dl class="giving-dl">
          <dt>{gt('collector')}</dt><dd>{c.collector.name}</dd>
          <dt>{gt('collector.registration')}</dt><dd>{c.collector.registration}</dd>
          <dt>{gt('collector.basis')}</dt><dd>{c.collector.legal_basis}</dd>
          <dt>{gt('collector.account')}</dt><dd>{c.collector.account_holder}</dd>
          <dt>{gt('period')}</dt><dd>{c.starts_on} ~ {c.ends_on}</dd>
        </dl>
        {c.collector.url && <p><a href={c.collector.url} rel="noopener noreferrer">{gt('collector.page')}</a></p>}
        {c.collector.url && <>
          <h3>{gt('qr')}</h3>
          <p>{gt('qr.lead')}</p>
          <img class="giving-qr" src={`${base}/qr.svg`} alt={gt('qr.alt', { c: c.collector.name })} width={200} height={200} />
          <p><a href={`${base}/qr.svg`} download={`qr-${code}.svg`}>{gt('qr.download')}</a></p>
        </>}
        <h3>{gt('legal')}</h3>
        <ul>{c.legal.map((n, i) => <li key={i}>{s.lang === 'en' ? n.en : n.ko} <small>({n.source}{n.verified ? '' : ' ' + gt('legal.unverified')})</small></li>)}</ul>
      </section>
      <section class="panel" aria-labelledby="dong-title">
        <h2 class="panel-title" id="dong-title">{gt('byDong')}</h2>
        <table class="mini-table">
          <thead><tr><th scope="col">{gt('dong')}</th><th scope="col">{gt('raised')}</th><th scope="col">{gt('degrees')}</th></tr></thead>
          <tbody>{c.by_dong.map((d) => <tr key={d.dong_id}><th scope="row">{s.lang === 'en' ? d.name_en : d.name_ko}</th><td>{won(d.raised_krw)}</td><td>{gt('thermo.degrees', { d: degrees(d.degrees_tenths) })}</td></tr>)}</tbody>
        </table>
        <h3>{gt('byChannel')}</h3>
        <ul>{c.by_channel.map((x) => <li key={x.channel}>{channel(x.channel)}: {won(x.raised_krw)}</li>)}
          {c.by_form.map((x) => <li key={x.form}>{gt(('form.' + x.form) as GKey)}: {won(x.raised_krw)}</li>)}</ul>
      </section>
      <section class="panel" aria-labelledby="ledger-title">
        <h2 class="panel-title" id="ledger-title">{gt('ledger')}</h2>
        <p>{gt('ledger.lead')}</p>
        <p class="giving-hash"><strong>{gt('ledger.head')}</strong> <code>{c.head_hash}</code>{l && l.sealed_through && <> ({gt('ledger.sealed', { d: l.sealed_through })})</>}</p>
        <p><a href={`${base}/ledger.csv`} download>{gt('ledger.csv')}</a> · <a href={`${base}/ledger.json`} download>{gt('ledger.json')}</a></p>
        <dl class="giving-dl">
          <dt>{gt('raised')}</dt><dd>{won(c.thermometer.raised_krw)}</dd>
          <dt>{gt('distributed')}</dt><dd>{won(c.distributed_krw)}</dd>
          <dt>{gt('balance')}</dt><dd>{won(c.balance_krw)}</dd>
        </dl>
        {l && <>
          <h3>{gt('in')}</h3>
          <p>{gt('recent', { n: RECENT_DAYS })}</p>
          <table class="mini-table">
            <thead><tr><th scope="col">{gt('date')}</th><th scope="col">{gt('channel.counter').length ? gt('f.channel') : ''}</th><th scope="col">{gt('count')}</th><th scope="col">{gt('amount')}</th></tr></thead>
            <tbody>{l.inflows.filter((x) => days.includes(x.day)).map((x) => <tr key={x.day + x.channel}><td>{x.day}</td><td>{channel(x.channel)}</td><td>{x.gifts}</td><td>{won(x.amount_krw)}</td></tr>)}</tbody>
          </table>
          <h3>{gt('out')}</h3>
          <p>{gt('households.note')}</p>
          <ul class="giving-out">
            {l.outflows.slice(-30).reverse().map((o, i) => (
              <li key={i}><strong>{o.day}</strong> {o.program} · {purpose(o.purpose)} · {gt('households')} {o.households} · {won(o.amount_krw)}</li>
            ))}
          </ul>
        </>}
      </section>
      <section class="panel" aria-labelledby="days-title">
        <h2 class="panel-title" id="days-title">{gt('days')}</h2>
        {!c.days.length ? <p>{gt('days.none')}</p> : (
          <ul class="giving-out">{c.days.map((d) => <li key={d.id}><strong>{d.day}</strong> {s.lang === 'en' ? d.title_en : d.title_ko}{d.place && ` · ${d.place}`}</li>)}</ul>
        )}
      </section>
      {c.donor_wall.length > 0 && (
        <section class="panel" aria-labelledby="wall-title">
          <h2 class="panel-title" id="wall-title">{gt('wall')}</h2>
          <p>{gt('wall.note')}</p>
          <ul class="giving-wall">{c.donor_wall.map((w, i) => <li key={i}>{w.name}</li>)}</ul>
        </section>
      )}
    </Page>
  );
}

export function MinePage() {
  const s = useAppState();
  const [res, setRes] = useState<{ items: MyGift[]; allocation_rule: string } | null>(null);
  useEffect(() => { if (s.me) myGifts().then(setRes).catch(() => setRes({ items: [], allocation_rule: '' })); }, [s.me]);
  if (!s.me) return <Page title={gt('mine')}><p>{gt('login')} <Link href="/login">→</Link></p></Page>;
  return (
    <Page title={gt('mine')} lead={gt('mine.lead')} crumbs={[{ href: '/giving', label: gt('title') }, { label: gt('mine') }]}>
      {!res ? <Loading /> : !res.items.length ? <p>{gt('mine.empty')}</p> : <>
        <p>{gt('mine.rule', { rule: res.allocation_rule })}</p>
        {res.items.map((g) => (
          <section class="panel" key={g.id} aria-labelledby={`gift-${g.id}`}>
            <h2 class="panel-title" id={`gift-${g.id}`}>{g.given_on} · {won(g.amount_krw)} {g.reversed && `(${gt('mine.reversed')})`}</h2>
            {!g.reversed && <>
              <h3>{gt('mine.used')}</h3>
              <ul>{g.used.map((u, i) => <li key={i}>{u.given_on} {u.program} · {purpose(u.purpose)} · {gt('households')} {u.households} · {won(u.amount_krw)}</li>)}</ul>
              <p>{gt('mine.unused')}: {won(g.unused_krw)}</p>
            </>}
          </section>
        ))}
      </>}
    </Page>
  );
}

function useCampaign(): Campaign | null {
  const [c, setC] = useState<Campaign | null>(null);
  useEffect(() => { listCampaigns().then((r) => r.items[0] && getCampaign(r.items[0].code).then(setC)).catch(() => undefined); }, []);
  return c;
}

function Select({ id, label, value, set, options, error }: { id: string; label: string; value: string; set: (v: string) => void; options: [string, string][]; error?: string }) {
  return (
    <Field id={id} label={label} error={error}>
      {(a) => <select class="krds-form-select" value={value} {...a} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>}
    </Field>
  );
}

function Input({ id, label, value, set, error, type = 'text', hint, inputMode }: { id: string; label: string; value: string; set: (v: string) => void; error?: string; type?: string; hint?: string; inputMode?: string }) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(a) => <input class="krds-input" type={type as any} inputMode={inputMode as any} value={value} {...a} onInput={(e) => set((e.target as HTMLInputElement).value)} />}
    </Field>
  );
}

const err = (errors: FormError[], f: string) => errors.filter((x) => x.field === f).map((x) => x.message).join(' ') || undefined;

export function CounterPage() {
  const s = useAppState();
  const c = useCampaign();
  const grant = s.me?.roles.find((g) => (g.role === 'caseworker' && g.scope_kind === 'dong') || g.role === 'district_admin');
  const dongs = c ? c.by_dong : [];
  const [dong, setDong] = useState('');
  const [f, setF] = useState({ designation: 'general', form: 'cash', amount: '', items: '', basis: '', channel: 'counter', donor_kind: 'anonymous', donor_name: '', contact: '', display: 'anonymous', given_on: '', receipt: false, consent: false, receipt_id: '', address: '' });
  const [key, setKey] = useState(newKey());
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const [recent, setRecent] = useState<CounterGift[]>([]);
  const dongId = dong || (grant?.scope_kind === 'dong' ? String(grant.scope_id) : dongs[0] ? String(dongs[0].dong_id) : '');
  const set = (k: keyof typeof f) => (v: any) => setF({ ...f, [k]: v });
  const reload = () => { if (c && dongId) counterGifts(c.code, dongId).then((r) => setRecent(r.items)).catch(() => setRecent([])); };
  useEffect(reload, [c, dongId]);
  if (!s.me) return <Page title={gt('counter')}><p>{gt('login')}</p></Page>;
  if (!grant) return <Page title={gt('counter')}><p>{gt('noAccess')}</p></Page>;
  if (!c) return <Page title={gt('counter')}><Loading /></Page>;
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true); setSaved('');
    try {
      const body: Record<string, unknown> = { dong_id: Number(dongId), designation: f.designation, form: f.form, channel: f.channel,
        amount_krw: /^\d+$/.test(f.amount) ? Number(f.amount) : f.amount, given_on: f.given_on, donor_kind: f.donor_kind, display: f.display };
      if (f.form === 'in_kind') { body.items = f.items; body.valuation_basis = f.basis; }
      if (f.donor_kind !== 'anonymous') { body.donor_name = f.donor_name; if (f.contact) body.donor_contact = f.contact; }
      if (f.receipt) { body.receipt_wanted = true; body.receipt_consent = f.consent; body.receipt_id = f.receipt_id; body.receipt_address = f.address; }
      const r = await takeGift(c!.code, body, key);
      setSaved(gt('counter.saved', { n: r.id })); setErrors([]); setKey(newKey());
      setF({ ...f, amount: '', items: '', basis: '', donor_name: '', contact: '', receipt: false, consent: false, receipt_id: '', address: '' });
      reload();
    } catch (ex) {
      setErrors(problemToErrors(ex, ['designation', 'form', 'amount_krw', 'items', 'valuation_basis', 'donor_kind', 'donor_name', 'donor_contact', 'display', 'given_on', 'receipt_consent', 'receipt_id', 'receipt_address', 'dong_id', 'channel']));
    } finally { setBusy(false); }
  }
  const des = c.designations.map((d) => [d.code, s.lang === 'en' ? d.label_en : d.label_ko] as [string, string]);
  return (
    <Page title={gt('counter')} lead={gt('counter.lead')}>
      <p class="sr-only" aria-live="polite">{saved}</p>
      {saved && <p class="krds-alert info" role="status">{saved}</p>}
      <form class="panel" noValidate onSubmit={submit} aria-label={gt('counter')}>
        <ErrorSummary errors={errors} idPrefix="gift" />
        {grant.scope_kind !== 'dong' && <Select id="gift-dong_id" label={gt('f.dong')} value={dongId} set={setDong} options={dongs.map((d) => [String(d.dong_id), s.lang === 'en' ? d.name_en : d.name_ko])} error={err(errors, 'dong_id')} />}
        <Input id="gift-amount_krw" label={gt('f.amount')} hint={gt('f.amount.hint')} value={f.amount} set={set('amount')} inputMode="numeric" error={err(errors, 'amount_krw')} />
        <Input id="gift-given_on" label={gt('f.givenOn')} type="date" value={f.given_on} set={set('given_on')} error={err(errors, 'given_on')} />
        <Select id="gift-designation" label={gt('f.designation')} value={f.designation} set={set('designation')} options={des} error={err(errors, 'designation')} />
        <Select id="gift-form" label={gt('f.form')} value={f.form} set={set('form')} options={[['cash', gt('form.cash')], ['in_kind', gt('form.in_kind')]]} />
        {f.form === 'in_kind' && <>
          <Input id="gift-items" label={gt('f.items')} value={f.items} set={set('items')} error={err(errors, 'items')} />
          <Input id="gift-valuation_basis" label={gt('f.basis')} value={f.basis} set={set('basis')} error={err(errors, 'valuation_basis')} />
        </>}
        <Select id="gift-channel" label={gt('f.channel')} value={f.channel} set={set('channel')} options={[['counter', gt('channel.counter')], ['transfer', gt('channel.transfer')]]} />
        <Select id="gift-donor_kind" label={gt('f.donorKind')} value={f.donor_kind} set={set('donor_kind')} options={(['anonymous', 'person', 'organization'] as const).map((k) => [k, gt(`f.donorKind.${k}`)])} error={err(errors, 'donor_kind')} />
        {f.donor_kind !== 'anonymous' && <>
          <Input id="gift-donor_name" label={gt('f.donorName')} value={f.donor_name} set={set('donor_name')} error={err(errors, 'donor_name')} />
          <Input id="gift-donor_contact" label={gt('f.contact')} hint={gt('f.contact.hint')} value={f.contact} set={set('contact')} error={err(errors, 'donor_contact')} />
          <Select id="gift-display" label={gt('f.display')} value={f.display} set={set('display')} options={(['anonymous', 'masked', 'named'] as const).map((k) => [k, gt(`f.display.${k}`)])} />
          <div class="form-group"><label><input type="checkbox" checked={f.receipt} onChange={(e) => set('receipt')((e.target as HTMLInputElement).checked)} /> {gt('f.receipt')}</label></div>
          {f.receipt && <>
            <div class="form-group"><label><input id="gift-receipt_consent" type="checkbox" checked={f.consent} onChange={(e) => set('consent')((e.target as HTMLInputElement).checked)} /> {gt('f.consent')}</label>
              {err(errors, 'receipt_consent') && <p class="form-hint-invalid">{err(errors, 'receipt_consent')}</p>}</div>
            <Input id="gift-receipt_id" label={gt('f.receiptId')} value={f.receipt_id} set={set('receipt_id')} inputMode="numeric" error={err(errors, 'receipt_id')} />
            <Input id="gift-receipt_address" label={gt('f.address')} value={f.address} set={set('address')} error={err(errors, 'receipt_address')} />
          </>}
        </>}
        <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy}>{busy ? gt('saving') : gt('save')}</button>
      </form>
      <section class="panel" aria-labelledby="recent-title">
        <h2 class="panel-title" id="recent-title">{gt('counter.recent')}</h2>
        <ul class="giving-out">{recent.slice(0, 20).map((g) => <RecentGift key={g.id} g={g} onDone={reload} />)}</ul>
      </section>
    </Page>
  );
}

function RecentGift({ g, onDone }: { g: CounterGift; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [key] = useState(newKey());
  return (
    <li>
      {g.given_on} · {won(g.amount_krw)} · {g.donor_name || gt('f.donorKind.anonymous')} {g.reversed ? `(${gt('counter.reversed')}: ${g.reversal_reason})` : (
        open ? (
          <form onSubmit={async (e) => { e.preventDefault(); try { await reverseGift(g.id, reason, key); onDone(); } catch (ex) { setErrors(problemToErrors(ex, ['reason'])); } }}>
            <ErrorSummary errors={errors} idPrefix={`rev-${g.id}`} />
            <Input id={`rev-${g.id}-reason`} label={gt('counter.reverseReason')} value={reason} set={setReason} error={err(errors, 'reason')} />
            <button type="submit" class="krds-btn secondary">{gt('counter.reverse')}</button>
          </form>
        ) : <button type="button" class="krds-btn tertiary small" onClick={() => setOpen(true)} aria-label={`${gt('counter.reverse')} ${g.id}`}>{gt('counter.reverse')}</button>
      )}
    </li>
  );
}

export function CouncilPage() {
  const s = useAppState();
  const c0 = useCampaign();
  const [c, setC] = useState<Campaign | null>(null);
  useEffect(() => setC(c0), [c0]);
  const council = s.me?.roles.some((g) => g.role === 'council');
  const [f, setF] = useState({ designation: 'general', form: 'cash', amount: '', purpose: 'living', program: '', recipient: 'household', household_ref: '', households: '', approval: '', given_on: '' });
  const [key, setKey] = useState(newKey());
  const [errors, setErrors] = useState<FormError[]>([]);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  if (!s.me) return <Page title={gt('council')}><p>{gt('login')}</p></Page>;
  if (!council) return <Page title={gt('council')}><p>{gt('noAccess')}</p></Page>;
  if (!c) return <Page title={gt('council')}><Loading /></Page>;
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true); setSaved('');
    try {
      const body: Record<string, unknown> = { designation: f.designation, form: f.form, amount_krw: /^\d+$/.test(f.amount) ? Number(f.amount) : f.amount,
        purpose: f.purpose, program: f.program, recipient_kind: f.recipient, approval_ref: f.approval, given_on: f.given_on };
      if (f.recipient === 'household') body.household_ref = f.household_ref; else body.households = /^\d+$/.test(f.households) ? Number(f.households) : f.households;
      const r = await distribute(c!.code, body, key);
      setSaved(gt('council.saved', { n: r.id })); setErrors([]); setKey(newKey());
      setC(await getCampaign(c!.code));
    } catch (ex) {
      setErrors(problemToErrors(ex, ['designation', 'form', 'amount_krw', 'purpose', 'program', 'recipient_kind', 'household_ref', 'households', 'approval_ref', 'given_on']));
    } finally { setBusy(false); }
  }
  return (
    <Page title={gt('council')} lead={gt('council.lead')}>
      {saved && <p class="krds-alert info" role="status">{saved}</p>}
      <form class="panel" noValidate onSubmit={submit} aria-label={gt('council')}>
        <ErrorSummary errors={errors} idPrefix="dist" />
        <Select id="dist-designation" label={gt('f.designation')} value={f.designation} set={set('designation')} options={c.designations.map((d) => [d.code, s.lang === 'en' ? d.label_en : d.label_ko])} error={err(errors, 'designation')} />
        <Select id="dist-form" label={gt('f.form')} value={f.form} set={set('form')} options={[['cash', gt('form.cash')], ['in_kind', gt('form.in_kind')]]} />
        <Input id="dist-amount_krw" label={gt('f.amount')} value={f.amount} set={set('amount')} inputMode="numeric" error={err(errors, 'amount_krw')} />
        <Select id="dist-purpose" label={gt('f.purpose')} value={f.purpose} set={set('purpose')} options={PURPOSES.map((p) => [p, purpose(p)])} error={err(errors, 'purpose')} />
        <Input id="dist-program" label={gt('f.program')} value={f.program} set={set('program')} error={err(errors, 'program')} />
        <Select id="dist-recipient_kind" label={gt('f.recipient')} value={f.recipient} set={set('recipient')} options={[['household', gt('f.recipient.household')], ['program', gt('f.recipient.program')]]} />
        {f.recipient === 'household'
          ? <Input id="dist-household_ref" label={gt('f.householdRef')} value={f.household_ref} set={set('household_ref')} error={err(errors, 'household_ref')} />
          : <Input id="dist-households" label={gt('f.households')} value={f.households} set={set('households')} inputMode="numeric" error={err(errors, 'households')} />}
        <Input id="dist-approval_ref" label={gt('f.approval')} value={f.approval} set={set('approval')} error={err(errors, 'approval_ref')} />
        <Input id="dist-given_on" label={gt('f.givenOn')} type="date" value={f.given_on} set={set('given_on')} error={err(errors, 'given_on')} />
        <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy}>{busy ? gt('saving') : gt('save')}</button>
      </form>
      <section class="panel" aria-labelledby="funds-title">
        <h2 class="panel-title" id="funds-title">{gt('funds')}</h2>
        <table class="mini-table">
          <thead><tr><th scope="col">{gt('f.designation')}</th><th scope="col">{gt('form.cash')}</th><th scope="col">{gt('form.in_kind')}</th></tr></thead>
          <tbody>{c.designations.map((d) => <tr key={d.code}><th scope="row">{s.lang === 'en' ? d.label_en : d.label_ko}</th><td>{won(d.balance_krw.cash || 0)}</td><td>{won(d.balance_krw.in_kind || 0)}</td></tr>)}</tbody>
        </table>
      </section>
    </Page>
  );
}

// Campaign management (council or district administrator): a new campaign with per-dong targets
// and purposes, and donation days of an existing one. Field errors come back from the server
// named by field (dong_targets[i].target_krw is shown at that dong's input).
export function ManagePage() {
  const s = useAppState();
  const allowed = s.me?.roles.some((g) => g.role === 'council' || g.role === 'district_admin');
  const district = (s.districts || []).find((d: any) => String(d.id) === String(s.me?.district_id)) || (s.districts || [])[0];
  const dongs = (district?.dongs || []).map((g: any) => ({ id: Number(g.id), name_ko: String(g.name_ko), name_en: String(g.name_en) }));
  const [f, setF] = useState({ code: '', title_ko: '', title_en: '', target: '', starts_on: '', ends_on: '', cname: '', creg: '', cbasis: '', cholder: '', curl: '', purposes: '' });
  const [targets, setTargets] = useState<Record<string, string>>({});
  const [key, setKey] = useState(newKey());
  const [errors, setErrors] = useState<FormError[]>([]);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const [campaigns, setCampaigns] = useState<CampaignSummary[]>([]);
  const [d, setD] = useState({ campaign: '', day: '', title_ko: '', place: '' });
  const [dayKey, setDayKey] = useState(newKey());
  const [dayErrors, setDayErrors] = useState<FormError[]>([]);
  const [daySaved, setDaySaved] = useState('');
  const loadCampaigns = () => listCampaigns().then((r) => setCampaigns(r.items)).catch(() => setCampaigns([]));
  useEffect(() => { loadCampaigns(); }, []);
  if (!s.me) return <Page title={gt('manage')}><p>{gt('login')}</p></Page>;
  if (!allowed) return <Page title={gt('manage')}><p>{gt('noAccess')}</p></Page>;
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const num = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true); setSaved('');
    try {
      const dong_targets = dongs.filter((g) => (targets[g.id] || '').trim()).map((g) => ({ dong_id: g.id, target_krw: num(targets[g.id].trim()) }));
      const designations = f.purposes.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
        const [code, ...rest] = l.split(/\s+/);
        return { code, kind: 'purpose', label_ko: rest.join(' ') || code };
      });
      const body: Record<string, unknown> = { code: f.code, title_ko: f.title_ko, target_krw: num(f.target), starts_on: f.starts_on, ends_on: f.ends_on,
        collector_name: f.cname, collector_registration: f.creg, collector_legal_basis: f.cbasis, collector_account_holder: f.cholder, dong_targets, designations };
      if (f.title_en) body.title_en = f.title_en;
      if (f.curl) body.collector_url = f.curl;
      const r = await createCampaign(body, key);
      setSaved(gt('manage.saved', { c: r.code })); setErrors([]); setKey(newKey());
      loadCampaigns();
    } catch (ex) {
      // The server names a dong's error by its position in the list sent: point it at that dong's input.
      const sent = dongs.filter((g) => (targets[g.id] || '').trim());
      const dongFields = sent.map((_, i) => `dong_targets[${i}].target_krw`);
      setErrors(problemToErrors(ex, ['code', 'title_ko', 'title_en', 'target_krw', 'starts_on', 'ends_on', 'collector_name', 'collector_registration', 'collector_legal_basis', 'collector_account_holder', 'collector_url', 'dong_targets', 'designations', ...dongFields])
        .map((x) => { const m = x.field && /^dong_targets\[(\d+)\]/.exec(x.field); return m ? { ...x, field: `dong-${sent[Number(m[1])].id}` } : x; }));
    } finally { setBusy(false); }
  }
  async function submitDay(e: Event) {
    e.preventDefault();
    setDaySaved('');
    const code = d.campaign || campaigns[0]?.code || '';
    try {
      const body: Record<string, unknown> = { day: d.day, title_ko: d.title_ko };
      if (d.place) body.place = d.place;
      const r = await addDay(code, body, dayKey);
      setDaySaved(gt('manage.daySaved', { n: r.id })); setDayErrors([]); setDayKey(newKey());
    } catch (ex) { setDayErrors(problemToErrors(ex, ['day', 'title_ko', 'place'])); }
  }
  const dongErr = (id: number) => err(errors, `dong-${id}`);
  return (
    <Page title={gt('manage')} lead={gt('manage.lead')} crumbs={[{ href: '/giving', label: gt('title') }, { label: gt('manage') }]}>
      {saved && <p class="krds-alert info" role="status">{saved}</p>}
      <form class="panel" noValidate onSubmit={submit} aria-labelledby="new-title">
        <h2 class="panel-title" id="new-title">{gt('manage.new')}</h2>
        <ErrorSummary errors={errors} idPrefix="camp" />
        <Input id="camp-code" label={gt('m.code')} hint={gt('m.code.hint')} value={f.code} set={set('code')} error={err(errors, 'code')} />
        <Input id="camp-title_ko" label={gt('m.titleKo')} value={f.title_ko} set={set('title_ko')} error={err(errors, 'title_ko')} />
        <Input id="camp-title_en" label={gt('m.titleEn')} value={f.title_en} set={set('title_en')} error={err(errors, 'title_en')} />
        <Input id="camp-target_krw" label={gt('m.target')} value={f.target} set={set('target')} inputMode="numeric" error={err(errors, 'target_krw')} />
        <Input id="camp-starts_on" label={gt('m.startsOn')} type="date" value={f.starts_on} set={set('starts_on')} error={err(errors, 'starts_on')} />
        <Input id="camp-ends_on" label={gt('m.endsOn')} hint={gt('m.endsOn.hint')} type="date" value={f.ends_on} set={set('ends_on')} error={err(errors, 'ends_on')} />
        <Input id="camp-collector_name" label={gt('m.collectorName')} value={f.cname} set={set('cname')} error={err(errors, 'collector_name')} />
        <Input id="camp-collector_registration" label={gt('m.collectorReg')} value={f.creg} set={set('creg')} error={err(errors, 'collector_registration')} />
        <Input id="camp-collector_legal_basis" label={gt('m.collectorBasis')} value={f.cbasis} set={set('cbasis')} error={err(errors, 'collector_legal_basis')} />
        <Input id="camp-collector_account_holder" label={gt('m.collectorHolder')} value={f.cholder} set={set('cholder')} error={err(errors, 'collector_account_holder')} />
        <Input id="camp-collector_url" label={gt('m.collectorUrl')} type="url" value={f.curl} set={set('curl')} error={err(errors, 'collector_url')} />
        <fieldset class="giving-fieldset">
          <legend>{gt('m.dongTargets')}</legend>
          {err(errors, 'dong_targets') && <p class="form-hint-invalid" id="camp-dong_targets">{err(errors, 'dong_targets')}</p>}
          {dongs.map((g) => <Input key={g.id} id={`camp-dong-${g.id}`} label={s.lang === 'en' ? g.name_en : g.name_ko} value={targets[g.id] || ''} set={(v) => setTargets({ ...targets, [g.id]: v })} inputMode="numeric" error={dongErr(g.id)} />)}
        </fieldset>
        <Field id="camp-designations" label={gt('m.purposes')} error={err(errors, 'designations') || errors.filter((x) => (x.field || '').startsWith('designations[')).map((x) => `${x.field}: ${x.message}`).join(' ') || undefined}>
          {(a) => <textarea class="krds-input" rows={3} value={f.purposes} {...a} onInput={(e) => set('purposes')((e.target as HTMLTextAreaElement).value)} />}
        </Field>
        <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy}>{busy ? gt('saving') : gt('save')}</button>
      </form>
      <form class="panel" noValidate onSubmit={submitDay} aria-labelledby="day-title">
        <h2 class="panel-title" id="day-title">{gt('manage.addDay')}</h2>
        {daySaved && <p class="krds-alert info" role="status">{daySaved}</p>}
        <ErrorSummary errors={dayErrors} idPrefix="day" />
        <Select id="day-campaign" label={gt('m.campaign')} value={d.campaign || campaigns[0]?.code || ''} set={(v) => setD({ ...d, campaign: v })} options={campaigns.map((c) => [c.code, title(c, s.lang)])} />
        <Input id="day-day" label={gt('m.day')} type="date" value={d.day} set={(v) => setD({ ...d, day: v })} error={err(dayErrors, 'day')} />
        <Input id="day-title_ko" label={gt('m.dayTitle')} value={d.title_ko} set={(v) => setD({ ...d, title_ko: v })} error={err(dayErrors, 'title_ko')} />
        <Input id="day-place" label={gt('m.place')} value={d.place} set={(v) => setD({ ...d, place: v })} error={err(dayErrors, 'place')} />
        <button type="submit" class="krds-btn secondary large btn-block-mobile">{gt('manage.addDay')}</button>
      </form>
    </Page>
  );
}
