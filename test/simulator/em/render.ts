import { Element, Scalar } from './model';

export const EM_NAMESPACE = 'http://www.veeam.com/ent/v1.0';
export const XML_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n';

const TEXT_SPECIALS = /[&<>]/;
const ATTRIBUTE_SPECIALS = /[&<>"]/;

export function escapeXmlText(value: string): string {
  if (!TEXT_SPECIALS.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(value: string): string {
  if (!ATTRIBUTE_SPECIALS.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function scalarText(value: Scalar): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

function xmlAttributes(element: Element): string {
  let out = '';
  for (const [key, value] of element.attrs) {
    const text = scalarText(value);
    if (text !== undefined) out += ` ${key}="${escapeXmlAttribute(text)}"`;
  }
  return out;
}

function xmlElement(element: Element, out: string[], root: boolean): void {
  const ns = root ? ` xmlns="${EM_NAMESPACE}"` : '';
  out.push(`<${element.name}${ns}${xmlAttributes(element)}`);
  if (element.content.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const item of element.content) {
    switch (item.kind) {
      case 'field': {
        const text = scalarText(item.value);
        if (text !== undefined) out.push(`<${item.name}>${escapeXmlText(text)}</${item.name}>`);
        break;
      }
      case 'child':
        if (item.element) xmlElement(item.element, out, false);
        break;
      case 'list':
        if (item.items === null) break;
        if (item.xmlWrapper) out.push(`<${item.xmlWrapper}>`);
        for (const entry of item.items) xmlElement(entry, out, false);
        if (item.xmlWrapper) out.push(`</${item.xmlWrapper}>`);
        break;
      case 'scalars':
        for (const value of item.values) out.push(`<${item.name}>${escapeXmlText(value)}</${item.name}>`);
        break;
    }
  }
  out.push(`</${element.name}>`);
}

/** The whole XML document, with prolog and EM's default namespace on the root. */
export function toXml(root: Element): string {
  const out: string[] = [XML_PROLOG];
  xmlElement(root, out, true);
  return out.join('');
}

/** One element as an XML fragment (no prolog, no namespace): used to stream long lists. */
export function toXmlFragment(element: Element): string {
  const out: string[] = [];
  xmlElement(element, out, false);
  return out.join('');
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function jsonScalar(value: Scalar): Json {
  return value === undefined ? null : value;
}

/** EM's JSON: child properties first, then attributes; absent attributes are `null`. */
export function toJsonValue(element: Element): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const item of element.content) {
    switch (item.kind) {
      case 'field':
        out[item.name] = jsonScalar(item.value);
        break;
      case 'child':
        out[item.name] = item.element ? toJsonValue(item.element) : null;
        break;
      case 'list':
        out[item.jsonKey] = item.items === null ? null : item.items.map(toJsonValue);
        break;
      case 'scalars':
        out[item.name] = item.values;
        break;
    }
  }
  const attrs = new Map(element.attrs);
  const order = element.jsonAttrOrder ?? element.attrs.map(([key]) => key).reverse();
  for (const key of order) out[key] = jsonScalar(attrs.get(key));
  return out;
}

export function toJson(root: Element): string {
  return JSON.stringify(toJsonValue(root));
}
