import type { JSX } from 'preact';
import { Layout } from './layout';
import { usePath } from './router';
import { featurePage } from './features';
import { useAppState } from './store';
import { Home } from './pages/home';
import { NotFound } from './pages/static';
import { lazyPage } from './lazy';

// Every page but the home page is its own chunk, fetched when first opened (lazy.tsx).
const Signup = lazyPage(() => import('./pages/signup').then((m) => m.Signup));
const Login = lazyPage(() => import('./pages/login').then((m) => m.Login));
const Me = lazyPage(() => import('./pages/me').then((m) => m.Me));
const Admin = lazyPage(() => import('./pages/admin').then((m) => m.Admin));
const Privacy = lazyPage(() => import('./pages/static').then((m) => m.Privacy));
const Accessibility = lazyPage(() => import('./pages/static').then((m) => m.Accessibility));
const Services = lazyPage(() => import('./pages/services').then((m) => m.Services));
const ServicePage = lazyPage<{ id: string }>(() => import('./pages/services').then((m) => m.ServicePage));
const Facilities = lazyPage(() => import('./pages/facilities').then((m) => m.Facilities));
const FacilityPage = lazyPage<{ id: string }>(() => import('./pages/facilities').then((m) => m.FacilityPage));
const MapPage = lazyPage(() => import('./pages/map').then((m) => m.MapPage));
const StatisticsPage = lazyPage(() => import('./pages/statistics').then((m) => m.StatisticsPage));
const DisclosurePage = lazyPage<{ id: string }>(() => import('./pages/disclosures').then((m) => m.DisclosurePage));
const DisclosureNew = lazyPage<{ facilityId: string }>(() => import('./pages/disclosures').then((m) => m.DisclosureNew));
const NewsList = lazyPage(() => import('./pages/news').then((m) => m.NewsList));
const NewsArticle = lazyPage<{ id: string }>(() => import('./pages/news').then((m) => m.NewsArticle));
const JobsPage = lazyPage(() => import('./pages/news').then((m) => m.JobsPage));
const EligibilityPage = lazyPage(() => import('./pages/eligibility').then((m) => m.EligibilityPage));
const InboxPage = lazyPage(() => import('./pages/alerts').then((m) => m.InboxPage));
const AlertSettingsPage = lazyPage(() => import('./pages/alerts').then((m) => m.AlertSettingsPage));
const RecommendationsPage = lazyPage(() => import('./pages/alerts').then((m) => m.RecommendationsPage));
const ReportPage = lazyPage(() => import('./pages/report').then((m) => m.ReportPage));
const MyReportsPage = lazyPage(() => import('./pages/report').then((m) => m.MyReportsPage));
const MyPrivacyPage = lazyPage(() => import('./pages/privacy').then((m) => m.MyPrivacyPage));
const StaffPrivacyPage = lazyPage(() => import('./pages/privacy').then((m) => m.StaffPrivacyPage));
const StaffHome = lazyPage(() => import('./pages/staff_outreach').then((m) => m.StaffHome));
const QueuePage = lazyPage(() => import('./pages/staff_outreach').then((m) => m.QueuePage));
const CasesPage = lazyPage(() => import('./pages/staff_outreach').then((m) => m.CasesPage));
const CasePage = lazyPage<{ id: string }>(() => import('./pages/staff_outreach').then((m) => m.CasePage));
const HouseholdPage = lazyPage<{ id: string }>(() => import('./pages/staff_outreach').then((m) => m.HouseholdPage));
const CheckinsPage = lazyPage(() => import('./pages/staff_care').then((m) => m.CheckinsPage));
const GatekeepersPage = lazyPage(() => import('./pages/staff_care').then((m) => m.GatekeepersPage));
const ScreeningPage = lazyPage(() => import('./pages/staff_care').then((m) => m.ScreeningPage));
const ScreeningRoundPage = lazyPage<{ id: string }>(() => import('./pages/staff_care').then((m) => m.ScreeningRoundPage));
const SurveysPage = lazyPage(() => import('./pages/staff_care').then((m) => m.SurveysPage));
const SurveyEntryPage = lazyPage<{ code: string }>(() => import('./pages/staff_care').then((m) => m.SurveyEntryPage));

const ROUTES: Record<string, (props: {}) => JSX.Element> = {
  '/': Home,
  '/signup': Signup,
  '/login': Login,
  '/me': Me,
  '/me/inbox': InboxPage,
  '/me/alerts': AlertSettingsPage,
  '/me/recommendations': RecommendationsPage,
  '/me/privacy': MyPrivacyPage,
  '/admin': Admin,
  '/privacy': Privacy,
  '/accessibility': Accessibility,
  '/services': Services,
  '/facilities': Facilities,
  '/map': MapPage,
  '/statistics': StatisticsPage,
  '/news': NewsList,
  '/jobs': JobsPage,
  '/eligibility': EligibilityPage,
  '/report': ReportPage,
  '/me/reports': MyReportsPage,
  '/staff': StaffHome,
  '/staff/queue': QueuePage,
  '/staff/cases': CasesPage,
  '/staff/checkins': CheckinsPage,
  '/staff/screening': ScreeningPage,
  '/staff/surveys': SurveysPage,
  '/staff/gatekeepers': GatekeepersPage,
  '/staff/privacy': StaffPrivacyPage,
};

export function App() {
  useAppState(); // re-render everything when language or session changes
  const raw = usePath();
  const path = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
  let page: JSX.Element;
  const detail = /^\/(services|facilities|disclosures|news)\/([^/]+)$/.exec(path);
  const newDisclosure = /^\/facilities\/([^/]+)\/disclosures\/new$/.exec(path);
  const staffDetail = /^\/staff\/(households|cases|screening)\/([^/]+)$/.exec(path);
  const surveyEntry = /^\/staff\/surveys\/([^/]+)\/new$/.exec(path);
  const decode = (s: string) => { try { return decodeURIComponent(s); } catch { return s; /* keep it as typed */ } };
  if (detail) {
    const id = decode(detail[2]);
    page = detail[1] === 'services' ? <ServicePage key={path} id={id} />
      : detail[1] === 'facilities' ? <FacilityPage key={path} id={id} />
      : detail[1] === 'disclosures' ? <DisclosurePage key={path} id={id} />
      : <NewsArticle key={path} id={id} />;
  } else if (staffDetail) {
    const id = decode(staffDetail[2]);
    page = staffDetail[1] === 'households' ? <HouseholdPage key={path} id={id} />
      : staffDetail[1] === 'cases' ? <CasePage key={path} id={id} />
      : <ScreeningRoundPage key={path} id={id} />;
  } else if (surveyEntry) {
    page = <SurveyEntryPage key={path} code={decode(surveyEntry[1])} />;
  } else if (newDisclosure) {
    page = <DisclosureNew key={path} facilityId={decode(newDisclosure[1])} />;
  } else {
    const fp = featurePage(path);
    if (fp) return <Layout path={path}>{fp}</Layout>;
    const PageComponent = ROUTES[path] || NotFound;
    page = <PageComponent key={path} />;
  }
  return <Layout path={path}>{page}</Layout>;
}
