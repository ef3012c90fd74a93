import { berlinParts, type JimdoAddress, type JimdoOrder, type MailLocale } from './jimdo-order';

/**
 * Jimdo's real seller mail layout is not public (reference §2.3 "not found"), so these are plausible
 * renderings: Jimdo Creator's classic shop sends a plain, table-like mail; the Dolphin store a
 * card-style HTML mail. Both carry every field a parser needs.
 */

export function money(amount: number, locale: MailLocale, euro = '€'): string {
  const [int, dec] = amount.toFixed(2).split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'de' ? '.' : ',');
  return locale === 'de' ? `${grouped},${dec} ${euro}` : euro === '€' ? `€${grouped}.${dec}` : `${euro} ${grouped}.${dec}`;
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function orderDateText(order: JimdoOrder): string {
  const b = berlinParts(new Date(order.orderDate));
  const p2 = (n: number) => String(n).padStart(2, '0');
  return order.locale === 'de'
    ? `${p2(b.day)}.${p2(b.month)}.${b.year}, ${p2(b.hour)}:${p2(b.minute)} Uhr`
    : `${MONTHS_EN[b.month - 1]} ${b.day}, ${b.year}, ${p2(b.hour)}:${p2(b.minute)}`;
}

const COUNTRY = { de: { DE: 'Deutschland', AT: 'Österreich' }, en: { DE: 'Germany', AT: 'Austria' } } as const;

const L = {
  de: {
    subjectClassic: (o: JimdoOrder) => `Neue Bestellung Nr. ${o.orderNumber} in deinem Shop ${o.shopName}`,
    subjectDolphin: (o: JimdoOrder) => `Du hast eine neue Bestellung erhalten (#${o.orderNumber})`,
    hello: 'Hallo,',
    intro: (o: JimdoOrder) => `in deinem Jimdo-Shop „${o.shopName}“ ist eine neue Bestellung eingegangen.`,
    orderNumber: 'Bestellnummer',
    orderDate: 'Bestelldatum',
    article: 'Artikel',
    sku: 'Artikelnummer',
    variant: 'Variante',
    qty: 'Anzahl',
    unit: 'Einzelpreis',
    total: 'Gesamtpreis',
    subtotal: 'Zwischensumme',
    shipping: 'Versand',
    grandTotal: 'Gesamtsumme',
    vat: (rate: number) => `enthaltene MwSt. (${rate} %)`,
    payment: 'Zahlungsart',
    shippingMethod: 'Versandart',
    billing: 'Rechnungsadresse',
    delivery: 'Lieferadresse',
    email: 'E-Mail',
    phone: 'Telefon',
    comment: 'Anmerkung des Kunden',
    outro: 'Du kannst die Bestellung in deinem Jimdo-Backend unter Shop > Bestellungen bearbeiten.',
    bye: 'Viele Grüße\ndein Jimdo-Team',
  },
  en: {
    subjectClassic: (o: JimdoOrder) => `New order no. ${o.orderNumber} in your store ${o.shopName}`,
    subjectDolphin: (o: JimdoOrder) => `You've received a new order (#${o.orderNumber})`,
    hello: 'Hello,',
    intro: (o: JimdoOrder) => `you have received a new order in your Jimdo store "${o.shopName}".`,
    orderNumber: 'Order number',
    orderDate: 'Order date',
    article: 'Item',
    sku: 'SKU',
    variant: 'Variant',
    qty: 'Quantity',
    unit: 'Unit price',
    total: 'Total',
    subtotal: 'Subtotal',
    shipping: 'Shipping',
    grandTotal: 'Order total',
    vat: (rate: number) => `incl. VAT (${rate}%)`,
    payment: 'Payment method',
    shippingMethod: 'Shipping method',
    billing: 'Billing address',
    delivery: 'Shipping address',
    email: 'Email',
    phone: 'Phone',
    comment: 'Customer note',
    outro: 'You can manage this order in your Jimdo dashboard under Store > Orders.',
    bye: 'Best regards,\nYour Jimdo team',
  },
};

export function subjectOf(order: JimdoOrder): string {
  const l = L[order.locale];
  return order.shopKind === 'classic' ? l.subjectClassic(order) : l.subjectDolphin(order);
}

function addressLines(a: JimdoAddress, locale: MailLocale): string[] {
  return [
    a.company,
    `${a.firstName} ${a.lastName}`,
    a.street,
    a.addressAddition,
    `${a.zip} ${a.city}`,
    COUNTRY[locale][a.country as 'DE'] ?? a.country,
  ].filter((x): x is string => !!x);
}

export function renderText(order: JimdoOrder, euro = '€'): string {
  const l = L[order.locale];
  const m = (n: number) => money(n, order.locale, euro);
  const out: string[] = [l.hello, '', l.intro(order), ''];
  out.push(`${l.orderNumber}: ${order.orderNumber}`, `${l.orderDate}: ${orderDateText(order)}`, '');
  if (order.shopKind === 'classic') {
    out.push(`${l.qty} | ${l.article} | ${l.sku} | ${l.unit} | ${l.total}`, '-'.repeat(72));
    for (const p of order.positions) {
      const name = p.variant ? `${p.name} (${p.variant})` : p.name;
      out.push(`${p.quantity} x | ${name} | ${p.sku ?? '-'} | ${m(p.unitPrice)} | ${m(p.totalPrice)}`);
    }
    out.push('-'.repeat(72));
  } else {
    for (const p of order.positions) {
      out.push(p.name);
      if (p.variant) out.push(`  ${l.variant}: ${p.variant}`);
      if (p.sku) out.push(`  ${l.sku}: ${p.sku}`);
      out.push(`  ${l.qty}: ${p.quantity}`, `  ${l.unit}: ${m(p.unitPrice)}`, `  ${l.total}: ${m(p.totalPrice)}`, '');
    }
  }
  out.push(`${l.subtotal}: ${m(order.subtotal)}`, `${l.shipping} (${order.shippingMethod}): ${m(order.shippingCost)}`);
  out.push(`${l.grandTotal}: ${m(order.total)}`);
  for (const v of order.vat) out.push(`${l.vat(v.rate)}: ${m(v.amount)}`);
  out.push('', `${l.payment}: ${order.paymentMethod}`, `${l.shippingMethod}: ${order.shippingMethod}`, '');
  out.push(`${l.billing}:`, ...addressLines(order.billingAddress, order.locale));
  out.push(`${l.email}: ${order.buyerEmail}`);
  if (order.billingAddress.phone) out.push(`${l.phone}: ${order.billingAddress.phone}`);
  out.push('', `${l.delivery}:`, ...addressLines(order.shippingAddress, order.locale), '');
  if (order.comment) out.push(`${l.comment}:`, order.comment, '');
  out.push(l.outro, '', l.bye, '');
  return out.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderHtml(order: JimdoOrder, euro = '€'): string {
  const l = L[order.locale];
  const m = (n: number) => esc(money(n, order.locale, euro)).replace(/ /g, '&nbsp;');
  const addr = (a: JimdoAddress) => addressLines(a, order.locale).map(esc).join('<br>');
  const rows = order.positions
    .map((p) =>
      order.shopKind === 'classic'
        ? `<tr><td>${p.quantity}</td><td>${esc(p.name)}${p.variant ? `<br><small>${esc(p.variant)}</small>` : ''}</td><td>${esc(p.sku ?? '')}</td><td align="right">${m(p.unitPrice)}</td><td align="right">${m(p.totalPrice)}</td></tr>`
        : `<tr class="item"><td style="padding:12px 0;border-bottom:1px solid #eee"><strong>${esc(p.name)}</strong>${p.variant ? `<div style="color:#777">${esc(l.variant)}: ${esc(p.variant)}</div>` : ''}${p.sku ? `<div style="color:#777">${esc(l.sku)}: ${esc(p.sku)}</div>` : ''}</td><td style="text-align:center">${p.quantity}&nbsp;&times;&nbsp;${m(p.unitPrice)}</td><td style="text-align:right">${m(p.totalPrice)}</td></tr>`,
    )
    .join('\n');
  const head =
    order.shopKind === 'classic'
      ? `<tr><th>${l.qty}</th><th>${l.article}</th><th>${l.sku}</th><th>${l.unit}</th><th>${l.total}</th></tr>`
      : `<tr><th align="left">${l.article}</th><th>${l.qty}</th><th align="right">${l.total}</th></tr>`;
  const sums = [
    [l.subtotal, m(order.subtotal)],
    [`${l.shipping} (${esc(order.shippingMethod)})`, m(order.shippingCost)],
    [`<strong>${l.grandTotal}</strong>`, `<strong>${m(order.total)}</strong>`],
    ...order.vat.map((v) => [esc(l.vat(v.rate)), m(v.amount)]),
  ]
    .map(([k, v]) => `<tr><td colspan="${order.shopKind === 'classic' ? 4 : 2}" align="right">${k}</td><td align="right">${v}</td></tr>`)
    .join('\n');
  const style =
    order.shopKind === 'classic'
      ? 'font-family:Arial,Helvetica,sans-serif;font-size:13px'
      : 'font-family:-apple-system,Segoe UI,Roboto,sans-serif;font-size:15px;max-width:600px;margin:0 auto;background:#fff';
  return [
    '<!DOCTYPE html>',
    `<html lang="${order.locale}"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>${esc(subjectOf(order))}</title></head>`,
    `<body style="${style}">`,
    order.shopKind === 'dolphin'
      ? `<div class="header" style="padding:24px;background:#1a1a1a;color:#fff">${esc(order.shopName)}</div>`
      : `<h2>${esc(order.shopName)}</h2>`,
    `<p>${l.hello}<br>${esc(l.intro(order))}</p>`,
    `<p>${l.orderNumber}: <strong class="order-number">${esc(order.orderNumber)}</strong><br>${l.orderDate}: ${esc(orderDateText(order))}</p>`,
    `<table class="positions" cellpadding="4" cellspacing="0" border="${order.shopKind === 'classic' ? 1 : 0}" width="100%">`,
    head,
    rows,
    sums,
    '</table>',
    `<p>${l.payment}: ${esc(order.paymentMethod)}<br>${l.shippingMethod}: ${esc(order.shippingMethod)}</p>`,
    '<table width="100%"><tr>',
    `<td valign="top"><strong>${l.billing}</strong><br>${addr(order.billingAddress)}<br>${l.email}: <a href="mailto:${esc(order.buyerEmail)}">${esc(order.buyerEmail)}</a>${order.billingAddress.phone ? `<br>${l.phone}: ${esc(order.billingAddress.phone)}` : ''}</td>`,
    `<td valign="top"><strong>${l.delivery}</strong><br>${addr(order.shippingAddress)}</td>`,
    '</tr></table>',
    order.comment ? `<p><strong>${l.comment}:</strong><br>${esc(order.comment).replace(/\n/g, '<br>')}</p>` : '',
    `<p>${esc(l.outro)}</p>`,
    `<p>${esc(l.bye).replace(/\n/g, '<br>')}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}
