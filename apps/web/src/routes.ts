import { type ComponentType, createElement, lazy, useState } from 'react';
import { parse } from 'regexparam';

/** A page in its own chunk (the first page loads only what it shows) that can be fetched before React renders it. */
interface Page {
  component: ComponentType;
  preload(): Promise<unknown>;
}

function page(load: () => Promise<{ default: ComponentType }>): Page {
  let loaded: ComponentType | undefined;
  let loading: Promise<{ default: ComponentType }> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => {
        loaded = module.default;
        return module;
      },
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    ));
  const Lazy = lazy(preload);
  // A page whose chunk is already here renders at once: React holds back content that suspended
  // behind a shown fallback for 300 ms (its fallback throttle), which was a third of the first load.
  // (chosen once per mount: switching from Lazy to the loaded type would mount the page anew)
  const component = () => {
    const [type] = useState(() => loaded ?? Lazy);
    return createElement(type);
  };
  return { component, preload };
}

const ordersPage = page(() => import('./pages/orders/OrdersPage'));

/** The app's pages by path, in the order they are matched. */
export const ROUTES: readonly { path: string; page: Page }[] = [
  { path: '/channels', page: page(() => import('./pages/channels/ChannelsPage')) },
  { path: '/channels/new/:type?', page: page(() => import('./pages/channels/NewChannelPage')) },
  { path: '/channels/:id', page: page(() => import('./pages/channels/EditChannelPage')) },
  { path: '/orders', page: ordersPage },
  { path: '/orders/:id', page: page(() => import('./pages/orders/OrderPage')) },
  { path: '/imports', page: page(() => import('./pages/imports/ImportsPage')) },
  { path: '/problems', page: page(() => import('./pages/problems/ProblemsPage')) },
];

/** Fetches the chunk of the page at `pathname` (any other path leads to the orders); never rejects. */
export function preloadPageAt(pathname: string): Promise<unknown> {
  const route = ROUTES.find((r) => parse(r.path).pattern.test(pathname));
  return (route?.page ?? ordersPage).preload().catch(() => undefined);
}
