/** A small dependency-free SVG line chart: stacked panels sharing one x axis (e.g. throughput over latency). */

export interface Series {
  name: string;
  color: string;
  /** [x, y]; a NaN y breaks the line (no sample in that second). */
  points: [number, number][];
  dashed?: boolean;
}

export interface Panel {
  yLabel: string;
  series: Series[];
  /** Draw a horizontal reference line (e.g. a target) with this label. */
  reference?: { y: number; label: string };
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  panels: Panel[];
  /** Vertical lines marking phases: at x, with a label. */
  markers?: { x: number; label: string }[];
  width?: number;
  panelHeight?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number) => (Math.abs(n) >= 100 || Number.isInteger(n) ? n.toFixed(0) : n.toPrecision(2));

/** About `count` round tick values from 0 (or min) to at least max. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag) as number;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function lineChartSvg(spec: ChartSpec): string {
  const width = spec.width ?? 900;
  const panelHeight = spec.panelHeight ?? 220;
  const m = { left: 70, right: 20, top: 40, gap: 50, bottom: 45 };
  const height = m.top + spec.panels.length * panelHeight + (spec.panels.length - 1) * m.gap + m.bottom;
  const xs = spec.panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x)));
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(1, ...xs), 10);
  const xMin = xTicks[0] as number;
  const xMax = xTicks[xTicks.length - 1] as number;
  const plotW = width - m.left - m.right;
  const sx = (x: number) => m.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(spec.title)}</text>`,
  ];
  spec.panels.forEach((panel, i) => {
    const top = m.top + i * (panelHeight + m.gap);
    const bottom = top + panelHeight;
    const ys = panel.series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
    if (panel.reference) ys.push(panel.reference.y);
    const yTicks = niceTicks(0, Math.max(1e-9, ...ys), 5);
    const yMax = yTicks[yTicks.length - 1] as number;
    const sy = (y: number) => bottom - (y / yMax) * panelHeight;
    for (const t of yTicks) {
      out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${m.left - 6}" y="${sy(t) + 4}" text-anchor="end">${num(t)}</text>`);
    }
    for (const t of xTicks) {
      out.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${top}" y2="${bottom}" stroke="#f0f0f0"/>`);
      out.push(`<text x="${sx(t)}" y="${bottom + 16}" text-anchor="middle">${num(t)}</text>`);
    }
    out.push(`<rect x="${m.left}" y="${top}" width="${plotW}" height="${panelHeight}" fill="none" stroke="#999"/>`);
    out.push(`<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(panel.yLabel)}</text>`);
    for (const mk of spec.markers ?? []) {
      out.push(`<line x1="${sx(mk.x)}" x2="${sx(mk.x)}" y1="${top}" y2="${bottom}" stroke="#888" stroke-dasharray="4 3"/>`);
      if (i === 0) out.push(`<text x="${sx(mk.x) + 4}" y="${top + 12}" fill="#555">${esc(mk.label)}</text>`);
    }
    if (panel.reference) {
      const y = sy(panel.reference.y);
      out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y}" y2="${y}" stroke="#c00" stroke-dasharray="6 4"/>`);
      out.push(`<text x="${width - m.right - 4}" y="${y - 4}" text-anchor="end" fill="#c00">${esc(panel.reference.label)}</text>`);
    }
    for (const s of panel.series) {
      // Split into runs of finite points so gaps stay gaps.
      let run: string[] = [];
      const flush = () => {
        if (run.length > 1)
          out.push(
            `<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${run.join(' ')}"/>`,
          );
        else if (run.length === 1) {
          const [x, y] = run[0]!.split(',');
          out.push(`<circle cx="${x}" cy="${y}" r="2" fill="${s.color}"/>`);
        }
        run = [];
      };
      for (const [x, y] of s.points) {
        if (Number.isFinite(y)) run.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
        else flush();
      }
      flush();
    }
    panel.series.forEach((s, k) => {
      const lx = m.left + 10 + k * 190;
      out.push(
        `<line x1="${lx}" x2="${lx + 22}" y1="${top - 8}" y2="${top - 8}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      );
      out.push(`<text x="${lx + 27}" y="${top - 4}">${esc(s.name)}</text>`);
    });
  });
  out.push(`<text x="${m.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
