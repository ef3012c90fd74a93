/** Tracking links for the carriers German shops use most; others get none (the field is optional). */
export function trackingUrlFor(carrier: string, code: string): string | undefined {
  const c = carrier.toLowerCase().replace(/[^a-z]/g, '');
  const q = encodeURIComponent(code);
  if (c.startsWith('dhl')) return `https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=${q}`;
  if (c.startsWith('dpd')) return `https://tracking.dpd.de/status/de_DE/parcel/${q}`;
  if (c.startsWith('hermes')) return `https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#${q}`;
  if (c.startsWith('gls')) return `https://gls-group.com/DE/de/paketverfolgung?match=${q}`;
  if (c.startsWith('ups')) return `https://www.ups.com/track?tracknum=${q}`;
  return undefined;
}
