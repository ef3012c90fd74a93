import { Injectable } from '@nestjs/common';

/**
 * The (method, path) pairs of the API as the OpenAPI document lists them, to tell a wrong method
 * (405 with `Allow`) from a path that does not exist (404).
 */
@Injectable()
export class RouteTable {
  private routes: { method: string; pattern: RegExp }[] = [];

  load(paths: Record<string, Record<string, unknown>>): void {
    this.routes = Object.entries(paths).flatMap(([template, operations]) => {
      const source = template
        .split('/')
        .map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      const pattern = new RegExp(`^${source}/?$`);
      return Object.keys(operations).map((method) => ({ method: method.toUpperCase(), pattern }));
    });
  }

  /** The methods the path allows; empty when there is no such path. */
  allowedMethods(path: string): string[] {
    return [...new Set(this.routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  }
}
