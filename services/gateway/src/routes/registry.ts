import { articleRoutes } from './article.routes';
import { connectionRoutes } from './connection.routes';
import { importRoutes } from './import.routes';
import { mailRoutes } from './mail.routes';
import { orderRoutes } from './order.routes';
import type { HttpMethod, RouteDef } from './route';

export const API_PREFIX = '/api/v1';

/** Every public route; the dispatcher serves exactly these and the OpenAPI document lists exactly these. */
export const ROUTES: readonly RouteDef[] = [...connectionRoutes, ...orderRoutes, ...articleRoutes, ...importRoutes, ...mailRoutes];

interface CompiledRoute {
  route: RouteDef;
  pattern: RegExp;
  names: string[];
}

export type RouteMatch = { route: RouteDef; params: Record<string, string> } | { allowed: HttpMethod[] } | undefined;

export class RouteTable {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly RouteDef[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment);
          if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1] as string);
          return '([^/]+)';
        })
        .join('/');
      return { route, names, pattern: new RegExp(`^${source}/?$`) };
    });
  }

  /** A route for method and path (below the prefix); or the methods the path allows (405); or nothing (404). */
  match(method: string, path: string): RouteMatch {
    const allowed: HttpMethod[] = [];
    for (const c of this.compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      if (c.route.method === method) {
        const params: Record<string, string> = {};
        c.names.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1] as string);
        });
        return { route: c.route, params };
      }
      allowed.push(c.route.method);
    }
    return allowed.length ? { allowed } : undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
