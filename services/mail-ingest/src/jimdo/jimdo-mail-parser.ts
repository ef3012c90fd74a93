import { JimdoMailProfile, type MailProfile } from './jimdo-mail-profile';
import type { JimdoOrderDraft } from './order-draft';
import { currencyOf, parseAddressLines, parseDate, parseMoney } from './values';
import { joinWrapped, joinWrappedRows, mayBeWrapped } from './wrapped-lines';

export type MailParseResult =
  | { kind: 'order'; draft: JimdoOrderDraft }
  | { kind: 'not-an-order'; reason: string }
  | { kind: 'unparsable'; reason: string; orderNumber?: string };

type LabelGroup = keyof MailProfile['labels'];
type PositionField = keyof MailProfile['positionFields'];

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[:.]+$/, '')
    .trim();

function aliasIndex<K extends string>(groups: Record<K, readonly string[]>): Map<string, K> {
  const map = new Map<string, K>();
  for (const [key, aliases] of Object.entries(groups) as [K, readonly string[]][]) for (const a of aliases) map.set(norm(a), key);
  return map;
}

/** A "Label (detail): value" or "Label (detail) | value" line. */
const KV = /^\s*([^:|()]+?)\s*(?:\(([^)]*)\))?\s*[:|]\s*(.*)$/;

interface KvLine {
  index: number;
  label: string;
  detail?: string;
  value: string;
}

/**
 * Reads a Jimdo order mail (already plain text) with the declarative profile: label aliases find
 * the fields, the item table or item blocks give the positions. Anything that looks like an order
 * but misses an essential field is `unparsable` with the reason (the mail is parked).
 */
export class JimdoMailParser {
  private readonly labels: Map<string, LabelGroup>;
  private readonly fields: Map<string, PositionField>;

  constructor(private readonly profile: MailProfile = JimdoMailProfile) {
    this.labels = aliasIndex(profile.labels);
    this.fields = aliasIndex(profile.positionFields);
  }

  parse(subject: string, body: string): MailParseResult {
    const lines = explodeLabelledCells(body.split('\n'), this.labels);
    const kvs = this.kvLines(lines);
    const first = (group: LabelGroup) => kvs.find((k) => this.labels.get(norm(k.label)) === group && k.value.trim());
    const orderNumberKv = first('orderNumber');
    const looksLikeOrder =
      !!orderNumberKv ||
      this.profile.orderSignals.subject.some((s) => subject.toLowerCase().includes(s)) ||
      this.profile.orderSignals.body.some((s) => body.toLowerCase().includes(s));
    if (!looksLikeOrder) return { kind: 'not-an-order', reason: 'no order signal in subject or body' };

    const orderNumber = orderNumberKv?.value.trim().replace(/^#/, '').split(/\s/)[0] ?? this.subjectOrderNumber(subject);
    if (!orderNumber) return { kind: 'unparsable', reason: 'order number not found' };
    const dateKv = first('orderDate');
    const orderedAt = parseDate(dateKv?.value);
    if (!orderedAt)
      return { kind: 'unparsable', reason: `order date not found or not understood${dateKv ? `: "${dateKv.value}"` : ''}`, orderNumber };

    const positions = this.tablePositions(lines) ?? this.blockPositions(lines);
    if (!positions || positions.length === 0) return { kind: 'unparsable', reason: 'no order positions found', orderNumber };
    const broken = positions.find((p) => !(p.quantity > 0) || !Number.isFinite(p.totalPrice));
    if (broken) return { kind: 'unparsable', reason: `position "${broken.title}" has no quantity or price`, orderNumber };

    const vats = kvs.filter((k) => this.labels.get(norm(k.label)) === 'vat');
    const vatRates = [...new Set(vats.map((k) => parseMoney(k.detail)).filter((v): v is number => v !== undefined))];
    if (vatRates.length === 1) for (const p of positions) p.taxRate ??= vatRates[0];

    const shippingKv = first('shipping');
    const totalKv = first('total');
    const billing = this.block(lines, 'billingAddress');
    const shipping = this.block(lines, 'shippingAddress');
    const emailKv = first('email');
    const phoneKv = first('phone');
    const commentLines = this.block(lines, 'comment', true);
    const currency =
      currencyOf(totalKv?.value) ?? currencyOf(positions[0]?.currencyHint) ?? currencyOf(shippingKv?.value) ?? this.profile.defaultCurrency;
    const email = emailKv?.value.match(/[^\s<>;|]+@[^\s<>;|]+/)?.[0];
    return {
      kind: 'order',
      draft: {
        orderNumber,
        orderedAt,
        currency,
        positions: positions.map(({ currencyHint: _c, ...p }) => p),
        ...(billing ? { invoiceAddress: parseAddressLines(this.addressOnly(billing)) } : {}),
        ...(shipping ? { shippingAddress: parseAddressLines(this.addressOnly(shipping)) } : {}),
        ...(email ? { buyerEmail: email } : {}),
        ...(phoneKv ? { buyerPhone: phoneKv.value.trim() } : {}),
        shippingCost: parseMoney(shippingKv?.value) ?? 0,
        ...(shippingKv?.detail
          ? { shippingMethod: shippingKv.detail }
          : first('shippingMethod')
            ? { shippingMethod: first('shippingMethod')!.value.trim() }
            : {}),
        ...(first('paymentMethod') ? { paymentMethod: first('paymentMethod')!.value.trim() } : {}),
        ...(commentLines?.length ? { comment: commentLines.join('\n') } : {}),
        ...(totalKv ? { total: parseMoney(totalKv.value) } : {}),
      },
    };
  }

  private subjectOrderNumber(subject: string): string | undefined {
    for (const pattern of this.profile.subjectOrderNumber) {
      const m = new RegExp(pattern, 'i').exec(subject);
      if (m?.[1]) return m[1];
    }
    return undefined;
  }

  private kvLines(lines: string[]): KvLine[] {
    const out: KvLine[] = [];
    lines.forEach((line, index) => {
      const m = KV.exec(line);
      if (m) out.push({ index, label: m[1]!, ...(m[2] ? { detail: m[2] } : {}), value: m[3] ?? '' });
    });
    return out;
  }

  /**
   * Lines after a block label ("Rechnungsadresse:") up to the next blank line; same-line value first.
   * A line the sender's client wrapped is one line again; contact lines ("E-Mail: …") stay apart.
   */
  private block(lines: string[], group: LabelGroup, keepInline = false): string[] | undefined {
    for (let i = 0; i < lines.length; i += 1) {
      const m = KV.exec(lines[i]!) ?? /^\s*(.+?)\s*$/.exec(lines[i]!);
      const label = m?.[1];
      if (!label || this.labels.get(norm(label)) !== group) continue;
      if (!KV.test(lines[i]!) && lines[i]!.trim().length > 60) continue;
      const out: string[] = [];
      const inline = KV.exec(lines[i]!)?.[3]?.trim();
      if (inline && keepInline) out.push(inline);
      for (let j = i + 1; j < lines.length && lines[j]!.trim(); j += 1) out.push(lines[j]!.trim());
      return joinWrapped(out, (l) => this.isLabelled(l));
    }
    return undefined;
  }

  /** "Label: value" with a label of the profile. */
  private isLabelled(line: string): boolean {
    const m = KV.exec(line);
    return !!m && (this.labels.has(norm(m[1]!)) || this.fields.has(norm(m[1]!)));
  }

  /** Address block without its contact lines (E-Mail:, Telefon:). */
  private addressOnly(block: string[]): string[] {
    return block.filter((l) => {
      const m = KV.exec(l);
      const g = m ? this.labels.get(norm(m[1]!)) : undefined;
      return g !== 'email' && g !== 'phone';
    });
  }

  private isTotalsLine(line: string): boolean {
    const first = line.split('|')[0] ?? '';
    const m = KV.exec(line) ?? /^\s*(.+?)\s*$/.exec(first);
    const label = m?.[1] ?? first;
    const g = this.labels.get(norm(label)) ?? this.labels.get(norm(first.replace(/\(.*\)/, '')));
    return g === 'subtotal' || g === 'shipping' || g === 'total' || g === 'vat' || g === 'paymentMethod' || g === 'billingAddress';
  }

  /** Item table: a header row whose cells are position field names, then one row per item. */
  private tablePositions(lines: string[]): ParsedPosition[] | undefined {
    for (let i = 0; i < lines.length; i += 1) {
      const header = splitCells(lines[i]!);
      if (header.length < 2) continue;
      const columns = header.map((h) => this.fields.get(norm(h)));
      if (!columns.includes('title') || columns.filter(Boolean).length < 2 || !columns.some((c) => c === 'quantity' || c === 'totalPrice'))
        continue;
      const out: ParsedPosition[] = [];
      const notARow = (line: string) => SEPARATOR.test(line) || this.isTotalsLine(line);
      const rows = lines[i]!.includes('|') ? joinWrappedRows(lines.slice(i + 1), header.length, notARow) : lines.slice(i + 1);
      for (const line of rows) {
        if (SEPARATOR.test(line)) continue;
        if (!line.trim()) {
          if (out.length) break;
          continue;
        }
        if (this.isTotalsLine(line)) break;
        const cells = splitCells(line);
        const get = (f: PositionField) => {
          const idx = columns.indexOf(f);
          return idx >= 0 ? cells[idx] : undefined;
        };
        out.push(
          this.position({
            title: get('title'),
            quantity: get('quantity'),
            sku: get('sku'),
            variant: get('variant'),
            unitPrice: get('unitPrice'),
            totalPrice: get('totalPrice'),
            taxRate: get('taxRate'),
          }),
        );
      }
      return out;
    }
    return undefined;
  }

  /**
   * Item blocks: a title line followed by indented "Label: value" lines (current Jimdo store layout).
   * A line the client wrapped continues the title or value before it.
   */
  private blockPositions(lines: string[]): ParsedPosition[] | undefined {
    const out: ParsedPosition[] = [];
    let current: Partial<Record<PositionField, string>> | undefined;
    let last: PositionField = 'title';
    let previous: string | undefined;
    const flush = () => {
      if (current?.title && (current.quantity || current.totalPrice)) out.push(this.position(current));
      current = undefined;
    };
    for (const line of lines) {
      if (this.isTotalsLine(line)) break;
      const after = previous;
      previous = line;
      if (current && !this.isLabelled(line) && mayBeWrapped(after ?? '', line)) {
        current[last] = `${current[last] ?? ''} ${line.trim()}`.trim();
        continue;
      }
      const m = KV.exec(line);
      const field = m ? this.fields.get(norm(m[1]!)) : undefined;
      if (m && field && field !== 'title' && current) {
        current[field] = m[3]!.trim();
        last = field;
        continue;
      }
      if (!line.trim()) continue;
      if (m && this.labels.get(norm(m[1]!))) {
        flush();
        continue;
      }
      flush();
      current = { title: line.trim() };
      last = 'title';
    }
    flush();
    return out.length ? out : undefined;
  }

  private position(cells: Partial<Record<PositionField, string>>): ParsedPosition {
    // A title cell may carry "Label: value" sub-lines (` ; `-separated, from HTML) for SKU and variant.
    const segments = (cells.title ?? '')
      .split(' ; ')
      .map((s) => s.trim())
      .filter(Boolean);
    let title = segments.shift() ?? '';
    let sku = cells.sku?.trim();
    let variant = cells.variant?.trim();
    for (const seg of segments) {
      const m = KV.exec(seg);
      const f = m ? this.fields.get(norm(m[1]!)) : undefined;
      if (f === 'sku') sku = m![3]!.trim();
      else if (f === 'variant') variant = m![3]!.trim();
      else variant = variant ? `${variant}, ${seg}` : seg;
    }
    if (variant) title = `${title} (${variant})`;
    if (sku !== undefined && (this.profile.emptySku as readonly string[]).includes(sku.toLowerCase())) sku = undefined;
    const qtyText = cells.quantity ?? '';
    const qtyMatch = /(\d+(?:[.,]\d+)?)/.exec(qtyText);
    const quantity = qtyMatch ? Number(qtyMatch[1]!.replace(',', '.')) : NaN;
    // "2 × 29,95 €" in a quantity cell also carries the unit price.
    const unitInQty = /[x×]\s*(.+)$/i.exec(qtyText)?.[1];
    const unitPrice = parseMoney(cells.unitPrice) ?? parseMoney(unitInQty);
    const totalPrice = parseMoney(cells.totalPrice) ?? (unitPrice !== undefined && quantity > 0 ? unitPrice * quantity : NaN);
    const taxRate = parseMoney(cells.taxRate);
    return {
      ...(sku ? { sku } : {}),
      title,
      quantity,
      unitPrice: unitPrice ?? (quantity > 0 ? totalPrice / quantity : NaN),
      totalPrice,
      ...(taxRate !== undefined ? { taxRate } : {}),
      currencyHint: cells.totalPrice ?? cells.unitPrice ?? unitInQty,
    };
  }
}

type ParsedPosition = JimdoOrderDraft['positions'][number] & { currencyHint?: string };

const SEPARATOR = /^\s*[-=_]{3,}\s*$/;

function splitCells(line: string): string[] {
  if (line.includes('|')) return line.split('|').map((c) => c.trim());
  if (line.includes('\t')) return line.split('\t').map((c) => c.trim());
  return line.trim().split(/\s{2,}/);
}

/**
 * HTML tables put an address block in one cell ("Rechnungsadresse ; Anna ; Hauptstr. 1 | Lieferadresse ; …").
 * Such cells become lines of their own, separated by blank lines, so text and HTML mails read the same.
 */
function explodeLabelledCells(lines: string[], labels: Map<string, LabelGroup>): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (!line.includes(' ; ')) {
      out.push(line);
      continue;
    }
    const cells = line.split(' | ');
    const labelled = cells.some((c) => {
      const g = labels.get(norm(c.split(' ; ')[0] ?? ''));
      return g === 'billingAddress' || g === 'shippingAddress' || g === 'comment';
    });
    if (!labelled) {
      out.push(line);
      continue;
    }
    for (const c of cells) out.push(...c.split(' ; ').map((s) => s.trim()), '');
  }
  return out;
}
