/**
 * A tiny document model that renders to both of EM's representations.
 *
 * EM's server serialises .NET data contracts: in XML a list is a run of repeated elements
 * (`<Ref/><Ref/>`), in JSON it is an array under the contract's property name (`"Refs":[…]`).
 * The two names differ, so the model keeps both instead of guessing one from the other.
 */
export type Scalar = string | number | boolean | null | undefined;

export interface Element {
  /** XML element name (and the JSON key when this element is a property of another). */
  name: string;
  /** XML attributes in XML order; `undefined` is left out of XML and becomes `null` in JSON. */
  attrs: Array<[string, Scalar]>;
  /** JSON property order of the attributes, when it differs from reversed XML order. */
  jsonAttrOrder?: string[];
  content: Content[];
}

export type Content =
  /** `<Name>value</Name>`; JSON `"Name": value`. `undefined`/`null` is left out of XML, `null` in JSON. */
  | { kind: 'field'; name: string; value: Scalar }
  /** A nested element; `null` is left out of XML and is `null` in JSON (an unused slot). */
  | { kind: 'child'; name: string; element: Element | null }
  /** Repeated elements: XML `<wrapper?><item/>…</wrapper?>`, JSON `"jsonKey": [ … ]` (or `null`). */
  | { kind: 'list'; jsonKey: string; xmlWrapper?: string; items: Element[] | null }
  /** Repeated scalar elements: XML `<name>a</name><name>b</name>`, JSON `"name": ["a","b"]`. */
  | { kind: 'scalars'; name: string; values: string[] };

export function el(name: string, attrs: Array<[string, Scalar]> = [], content: Content[] = []): Element {
  return { name, attrs, content };
}

export function field(name: string, value: Scalar): Content {
  return { kind: 'field', name, value };
}

export function child(element: Element | null, name?: string): Content {
  return { kind: 'child', name: name ?? element?.name ?? 'unknown', element };
}

/** A JSON-only null slot (XML leaves an absent element out). */
export function nullSlot(name: string): Content {
  return { kind: 'child', name, element: null };
}

export function list(jsonKey: string, items: Element[] | null, xmlWrapper?: string): Content {
  return { kind: 'list', jsonKey, items, xmlWrapper };
}

export function scalars(name: string, values: string[]): Content {
  return { kind: 'scalars', name, values };
}

export interface LinkSpec {
  rel: string;
  href: string;
  type?: string;
  name?: string;
}

/** EM `Link`: XML attribute order Rel, Type, Href, Name; JSON always carries all four keys. */
export function link(spec: LinkSpec): Element {
  return {
    name: 'Link',
    attrs: [
      ['Rel', spec.rel],
      ['Type', spec.type],
      ['Href', spec.href],
      ['Name', spec.name],
    ],
    jsonAttrOrder: ['Rel', 'Href', 'Name', 'Type'],
    content: [],
  };
}

/** The `Links` element of a resource: in JSON a bare array. */
export function links(specs: LinkSpec[]): Content {
  return list('Links', specs.map(link), 'Links');
}
