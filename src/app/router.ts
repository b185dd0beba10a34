import { useSyncExternalStore } from 'react';
import type { ProjectId } from '../core/model';

/** Hash routes, so the app works from any static host and from a file opened offline. */
export type Route = { readonly page: 'home' } | { readonly page: 'project'; readonly projectId: ProjectId };

export function parseRoute(hash: string): Route {
  const m = /^#\/projects\/([^/?#]+)/.exec(hash);
  return m ? { page: 'project', projectId: decodeURIComponent(m[1]!) as ProjectId } : { page: 'home' };
}

export const projectHref = (id: ProjectId): string => `#/projects/${encodeURIComponent(id)}`;
export const homeHref = '#/';

export function navigate(href: string): void {
  if (window.location.hash !== href) window.location.hash = href;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
