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

const ROUTES: Record<string, () => JSX.Element> = {
  '/': Home,
  '/signup': Signup,
  '/login': Login,
  '/me': Me,
  '/admin': Admin,
  '/privacy': Privacy,
  '/accessibility': Accessibility,
};

export function App() {
  useAppState(); // re-render everything when language or session changes
  const raw = usePath();
  const path = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
  const PageComponent = ROUTES[path] || NotFound;
  return (
    <Layout path={path}>
      <PageComponent key={path} />
    </Layout>
  );
}
