// Building and finding DOM nodes without innerHTML: every text the console shows (API messages,
// database names, paths) goes in as text, never as markup.

/** The element with this id; a missing one is a bug in index.html, so say which. */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`console: #${id} is missing from index.html`);
  return element;
}

/**
 * `h('button', { type: 'button', class: 'link', onclick }, 'Text', child…)`
 * Attributes starting with `on` become listeners; `false`/`null`/`undefined` attributes are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(element, ...children) {
  element.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** Shows or hides an element (the `hidden` attribute, so assistive technology agrees). */
export function show(element, visible) {
  element.hidden = !visible;
}
