import type { JSX } from 'preact';
import { Layout } from './layout';
import { usePath } from './router';
import { featurePage } from './features';
import { useAppState } from './store';
import { Home } from './pages/home';
import { Signup } from './pages/signup';
import { Login } from './pages/login';
import { Me } from './pages/me';
import { Admin } from './pages/admin';
import { Accessibility, NotFound, Privacy } from './pages/static';
import { ServicePage, Services } from './pages/services';
import { Facilities, FacilityPage } from './pages/facilities';
import { MapPage } from './pages/map';
import { StatisticsPage } from './pages/statistics';
import { DisclosureNew, DisclosurePage } from './pages/disclosures';
import { JobsPage, NewsArticle, NewsList } from './pages/news';
import { EligibilityPage } from './pages/eligibility';
import { AlertSettingsPage, InboxPage, RecommendationsPage } from './pages/alerts';
import { MyReportsPage, ReportPage } from './pages/report';
import { MyPrivacyPage, StaffPrivacyPage } from './pages/privacy';
import { CasePage, CasesPage, HouseholdPage, QueuePage, StaffHome } from './pages/staff_outreach';
import { CheckinsPage, GatekeepersPage, ScreeningPage, ScreeningRoundPage, SurveyEntryPage, SurveysPage } from './pages/staff_care';

const ROUTES: Record<string, () => JSX.Element> = {
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
