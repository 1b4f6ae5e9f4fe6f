// The sharing market (나눔장터): /market (listings, ask, report), /me/market (list something, my
// listings with requests to pick from, my requests) and /staff/market (reported listings).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../page';
import { Link } from '../../router';
import { getState, useAppState } from '../../store';
import { ErrorSummary, Fields, useForm, type Spec } from './form';
import { ct } from './texts';

interface Item { id: number; kind: string; title: string; description: string; dong_id: number; handover_place: string; status: string; hidden?: boolean; moderation_note?: string; reports?: number; requests?: { id: number; name: string; message: string; status: string }[] }
interface MyReq { id: number; item_id: number; status: string; title: string | null; handover_place: string | null }

const problemText = (e: unknown) => e instanceof ApiError ? (e.problem.errors || []).map((x) => x.message).join(' ') || e.problem.detail || e.problem.title || '' : String(e);
const kindText = (k: string) => (k === 'lend' ? ct('lend') : ct('give'));
const stateText = (s: string) => ({ listed: ct('mListed'), reserved: ct('mReserved'), handed_over: ct('mHanded'), withdrawn: ct('mWithdrawn'), removed: ct('mRemoved') } as Record<string, string>)[s] || s;

export function MarketPage() {
  const s = useAppState();
  const [items, setItems] = useState<Item[] | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => { api<{ items: Item[] }>('GET', '/api/v1/community/market').then((r) => setItems(r.items), () => setItems([])); }, [n]);
  async function act(x: Item, what: 'requests' | 'report') {
    try {
      if (what === 'report') {
        const reason = prompt(ct('reportReason'));
        if (!reason) return;
        await api('POST', `/api/v1/community/market/${x.id}/report`, { reason });
        setMsg(ct('reported'));
      } else {
        await api('POST', `/api/v1/community/market/${x.id}/requests`, {});
        setMsg(`${x.title}: ${ct('asked')}`);
      }
      setN(n + 1);
    } catch (e) { setMsg(problemText(e)); }
  }
  return (
    <Page title={ct('market')} lead={ct('marketLead')}>
      {msg && <p role="status" class="notice-box">{msg}</p>}
      <p><Link href="/me/market">{ct('myMarket')}</Link></p>
      {!items ? <Loading /> : items.length === 0 ? <p>{ct('none')}</p> : (
        <ul class="card-list">
          {items.map((x) => (
            <li key={x.id} class="panel">
              <h2 class="panel-title">{x.title}</h2>
              <p>{kindText(x.kind)} · {stateText(x.status)} · {ct('handover')}: {x.handover_place}</p>
              {x.description && <p>{x.description}</p>}
              {s.session === 'user' && (
                <div class="button-row">
                  {x.status === 'listed' && <button type="button" class="krds-btn primary" onClick={() => act(x, 'requests')}>{ct('askFor')}<span class="sr-only"> {x.title}</span></button>}
                  <button type="button" class="krds-btn tertiary" onClick={() => act(x, 'report')}>{ct('report')}<span class="sr-only"> {x.title}</span></button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export function MyMarketPage() {
  const s = useAppState();
  const [data, setData] = useState<{ items: Item[]; requests: MyReq[] } | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const dong = (s.me?.roles || []).find((g) => g.scope_kind === 'dong')?.scope_id;
  const dongs = s.districts?.[0]?.dongs || [];
  const f = useForm({ kind: 'give', title: '', description: '', dong_id: String(dong ?? dongs[0]?.id ?? ''), handover_place: '' }, ['kind', 'title', 'description', 'dong_id', 'handover_place']);
  useEffect(() => {
    if (s.session === 'user') api<{ items: Item[]; requests: MyReq[] }>('GET', '/api/v1/community/market/mine').then(setData, () => setData({ items: [], requests: [] }));
  }, [s.session, n]);
  if (s.session !== 'user') return <Page title={ct('myMarket')}><p><Link href="/login?next=/me/market" class="krds-btn primary large">{ct('loginFirst')}</Link></p></Page>;
  const en = getState().lang === 'en';
  const specs: Spec[] = [
    { name: 'kind', label: ct('mKind'), type: 'select', options: [['give', ct('give')], ['lend', ct('lend')]] },
    { name: 'title', label: ct('mTitle'), hint: ct('noPrice') },
    { name: 'description', label: ct('fSummary'), type: 'textarea', optional: true },
    { name: 'dong_id', label: ct('mDong'), type: 'select', options: dongs.map((d): [string, string] => [String(d.id), en ? d.name_en : d.name_ko]) },
    { name: 'handover_place', label: ct('handover'), hint: ct('handoverHint') },
  ];
  async function submit(e: Event) {
    e.preventDefault();
    const v = f.values;
    const out = await f.send<Item>('POST', '/api/v1/community/market', { kind: v.kind, title: v.title, description: v.description || undefined, dong_id: Number(v.dong_id || dong || dongs[0]?.id), handover_place: v.handover_place });
    if (out) { setMsg(`${ct('created')}: ${out.title}`); setN(n + 1); }
  }
  async function post(path: string, body: unknown) {
    try { await api('POST', path, body); setMsg(null); setN(n + 1); } catch (e) { setMsg(problemText(e)); }
  }
  return (
    <Page title={ct('myMarket')} crumbs={[{ href: '/market', label: ct('market') }, { label: ct('myMarket') }]}>
      {msg && <p role="status" class="notice-box">{msg}</p>}
      <form class="panel" noValidate onSubmit={submit} aria-labelledby="mk-new">
        <h2 class="panel-title" id="mk-new">{ct('mNew')}</h2>
        <ErrorSummary errors={f.errors} idPrefix="mk" />
        <Fields prefix="mk" specs={specs} values={{ ...f.values, dong_id: f.values.dong_id || String(dong ?? dongs[0]?.id ?? '') }} set={f.set} errors={f.errors} />
        <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile" disabled={f.busy}>{ct('mPost')}</button></div>
      </form>
      {!data ? <Loading /> : (
        <>
          <section class="panel" aria-labelledby="mk-mine">
            <h2 class="panel-title" id="mk-mine">{ct('mMine')}</h2>
            {data.items.length === 0 ? <p>{ct('none')}</p> : (
              <ul class="card-list">
                {data.items.map((x) => (
                  <li key={x.id} class="panel">
                    <h3>{x.title}</h3>
                    <p>{kindText(x.kind)} · {stateText(x.status)}{x.hidden && x.status !== 'removed' ? ` · ${ct('underReview')}` : ''}{x.moderation_note ? ` · ${x.moderation_note}` : ''}</p>
                    {(x.requests || []).length > 0 && (
                      <ul class="plain-list">
                        {(x.requests || []).map((r) => (
                          <li key={r.id}>{r.name}: {r.message || '-'} ({r.status === 'chosen' ? ct('mChosen') : r.status === 'asked' ? ct('asked') : ct('mDeclined')})
                            {x.status === 'listed' && r.status === 'asked' && <button type="button" class="krds-btn secondary small" onClick={() => post(`/api/v1/community/market/${x.id}/choose`, { request_id: r.id })}>{ct('mChoose')}<span class="sr-only"> {r.name}</span></button>}
                          </li>
                        ))}
                      </ul>
                    )}
                    <div class="button-row">
                      {x.status === 'reserved' && <button type="button" class="krds-btn primary" onClick={() => post(`/api/v1/community/market/${x.id}/state`, { status: 'handed_over' })}>{ct('mHandOver')}</button>}
                      {x.status === 'handed_over' && x.kind === 'lend' && <button type="button" class="krds-btn secondary" onClick={() => post(`/api/v1/community/market/${x.id}/state`, { status: 'listed' })}>{ct('mReturned')}</button>}
                      {(x.status === 'listed' || x.status === 'reserved') && <button type="button" class="krds-btn tertiary" onClick={() => post(`/api/v1/community/market/${x.id}/state`, { status: 'withdrawn' })}>{ct('mWithdraw')}</button>}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="panel" aria-labelledby="mk-asked">
            <h2 class="panel-title" id="mk-asked">{ct('mAsked')}</h2>
            {data.requests.length === 0 ? <p>{ct('none')}</p> : (
              <ul class="plain-list">{data.requests.map((r) => <li key={r.id}>{r.title} · {r.status === 'chosen' ? `${ct('mChosen')} · ${ct('handover')}: ${r.handover_place}` : r.status === 'asked' ? ct('asked') : ct('mDeclined')}</li>)}</ul>
            )}
          </section>
        </>
      )}
    </Page>
  );
}

export function MarketReviewPage() {
  useAppState();
  const [items, setItems] = useState<Item[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => { api<{ items: Item[] }>('GET', '/api/v1/community/market/review').then((r) => setItems(r.items), (e) => setErr(problemText(e))); }, [n]);
  async function review(x: Item, decision: 'restore' | 'remove') {
    const note = decision === 'remove' ? prompt(ct('removeReason')) || '' : '';
    try { await api('POST', `/api/v1/community/market/${x.id}/review`, { decision, note: note || undefined }); setN(n + 1); } catch (e) { setErr(problemText(e)); }
  }
  return (
    <Page title={ct('mReview')}>
      {err && <div class="notice-box" role="alert"><p>{err}</p></div>}
      {!items ? (!err && <Loading />) : items.length === 0 ? <p>{ct('none')}</p> : (
        <ul class="card-list">
          {items.map((x) => (
            <li key={x.id} class="panel">
              <h2 class="panel-title">{x.title}</h2>
              <p>{kindText(x.kind)} · {ct('reportsN')} {x.reports}</p>
              {x.description && <p>{x.description}</p>}
              <div class="button-row">
                <button type="button" class="krds-btn secondary" onClick={() => review(x, 'restore')}>{ct('mRestore')}</button>
                <button type="button" class="krds-btn tertiary" onClick={() => review(x, 'remove')}>{ct('mRemove')}</button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
