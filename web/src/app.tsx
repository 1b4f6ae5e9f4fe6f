import type { JSX } from 'preact';
import { Layout } from './layout';
import { usePath } from './router';
import { useAppState } from './store';
import { Home } from './pages/home';
import { Signup } from './pages/signup';
import { Login } from './pages/login';
import { Me } from './pages/me';
import { Admin } from './pages/admin';
import { Accessibility, NotFound, Privacy } from './pages/static';
import { ServicePage, Services } from './pages/services';
import { Facilities, FacilityPage } from './pages/facilities';

const ROUTES: Record<string, () => JSX.Element> = {
  '/': Home,
  '/signup': Signup,
  '/login': Login,
  '/me': Me,
  '/admin': Admin,
  '/privacy': Privacy,
  '/accessibility': Accessibility,
  '/services': Services,
  '/facilities': Facilities,
};

export function App() {
  useAppState(); // re-render everything when language or session changes
  const raw = usePath();
  const path = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
  let page: JSX.Element;
  const detail = /^\/(services|facilities)\/([^/]+)$/.exec(path);
  if (detail) {
    let id = detail[2];
    try { id = decodeURIComponent(id); } catch { /* keep it as typed */ }
    page = detail[1] === 'services' ? <ServicePage key={path} id={id} /> : <FacilityPage key={path} id={id} />;
  } else {
    const PageComponent = ROUTES[path] || NotFound;
    page = <PageComponent key={path} />;
  }
  return <Layout path={path}>{page}</Layout>;
}
