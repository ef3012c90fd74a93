import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { REPO_ROOT } from '@orderhub/testkit';
import { composeServices } from './support/deployments';

/**
 * Issue 18: `docker compose up` serves the web app. Docker cannot run here, so this reads the recipe:
 * the image build makes apps/web/dist, the gateway's image carries it, and it lands where the
 * gateway looks for it (DEFAULT_WEB_APP_DIR, relative to its dist/) unless compose points elsewhere.
 */
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const dockerfile = read('Dockerfile');

/** The RUN/COPY instructions of one stage, continuation lines joined. */
function stage(name: string): string {
  const match = new RegExp(`^FROM [^\\n]* AS ${name}\\n([\\s\\S]*?)(?=^FROM |$(?![\\s\\S]))`, 'm').exec(dockerfile);
  if (!match) throw new Error(`Dockerfile has no stage ${name}`);
  return match[1]!.replace(/\\\n/g, ' ');
}

describe('issue 18: the gateway image serves the web app', () => {
  it('the build stage runs the root build, which builds the web app into apps/web/dist', () => {
    expect(stage('build')).toMatch(/^RUN npm run build$/m);
    const rootBuild = JSON.parse(read('package.json')).scripts.build as string;
    expect(rootBuild).toMatch(/build -w @orderhub\/web/);
    expect(read('apps/web/vite.config.ts')).toMatch(/outDir: 'dist'/);
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored.filter((l) => /^apps\b/.test(l))).toEqual([]); // the app's sources reach the build
  });

  it("the gateway's image copies apps/web/dist to where the gateway's DEFAULT_WEB_APP_DIR points", () => {
    const prune = stage('prune');
    expect(prune).toMatch(/"\$WORKSPACE" = services\/gateway/);
    expect(prune).toMatch(/cp -a apps\/web\/dist \/out\/apps\/web\//);
    expect(prune).toMatch(/test -f \/out\/apps\/web\/dist\/index\.html/);
    expect(stage('runtime')).toMatch(/COPY --from=prune \/out\/ \/app\//);
    // the gateway's compiled web-app.js sits in /app/services/gateway/dist/web
    const relative = /DEFAULT_WEB_APP_DIR = resolve\(__dirname, '([^']+)'\)/.exec(read('services/gateway/src/web/web-app.ts'))?.[1];
    expect(relative).toBeDefined();
    expect(posix.resolve('/app/services/gateway/dist/web', relative!)).toBe('/app/apps/web/dist');
  });

  it('docker-compose.yml runs the gateway image without pointing WEB_APP_DIR elsewhere and publishes its port', () => {
    const gateway = composeServices().find((s) => s.workspace === 'services/gateway');
    expect(gateway).toBeDefined();
    expect(gateway!.environment.WEB_APP_DIR ?? '/app/apps/web/dist').toBe('/app/apps/web/dist');
    expect(read('docker-compose.yml')).toContain(`:${gateway!.environment.HTTP_PORT}'`);
  });
});
