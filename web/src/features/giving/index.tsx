// The giving feature (src/giving): public campaign pages and ledger, 나의 기부, the dong counter's
// intake and the council's distributions.
import type { Feature } from '..';
import { CampaignList, CampaignPage, CouncilPage, CounterPage, ManagePage, MinePage } from './pages';
import { gt } from './texts';
import './giving.css';

export const giving: Feature = {
  name: 'giving',
  routes: { '/giving': CampaignList, '/giving/mine': MinePage, '/giving/counter': CounterPage, '/giving/council': CouncilPage, '/giving/manage': ManagePage },
  home: { href: '/giving', title: () => gt('home.title'), text: () => gt('home.text') },
  nav: { href: '/giving', label: () => gt('nav') },
  match: (path) => {
    const m = /^\/giving\/c\/([^/]+)$/.exec(path);
    return m ? <CampaignPage key={path} code={decodeURIComponent(m[1])} /> : null;
  },
};
