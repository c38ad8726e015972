// Validation issues next to the fields they belong to. A field is an element with `data-field` set
// to the package's input path (`databaseName`, `s3.files[1].path`, `projectId`); an issue goes to
// the visible field with its path, else to the nearest enclosing path (`s3.files[1].path` →
// `s3.files[1]` → `s3.files` → `s3`). Errors mark the control `aria-invalid` and are announced
// through `aria-describedby`; warnings are shown the same way without blocking.
import { h } from './dom.js';

/** `s3.files[1].path` → `s3.files[1]` → `s3.files` → `s3` → ''. */
export function parentPath(path) {
  const match = /^(.*)(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return match ? match[1] : '';
}

const CONTROL = '[data-control], input:not([type="radio"]):not([type="file"]), select, textarea';
let nextId = 0;

export class FieldMessages {
  #roots;
  #touched = new Set();
  #placed = [];
  #marked = [];

  /** @param {Element[]} roots  where this form's fields are (other forms may reuse paths) */
  constructor(roots) {
    this.#roots = roots;
    for (const root of roots) {
      // A field counts as touched once the user typed in it or left it; only then are its
      // problems shown beside it (all problems are listed in the summary regardless).
      const touch = (event) => {
        const field = event.target.closest?.('[data-field]');
        if (field) this.#touched.add(field);
      };
      // Capture phase: marked before the change listeners (bubbling) validate.
      root.addEventListener('input', touch, true);
      root.addEventListener('focusout', touch, true);
    }
  }

  /** Shows every field's problems from now on (e.g. after a failed attempt). */
  touchAll() {
    for (const root of this.#roots) for (const field of root.querySelectorAll('[data-field]')) this.#touched.add(field);
  }

  /** The visible field element for an input path, or null. */
  fieldFor(path) {
    for (let current = path; current !== ''; current = parentPath(current)) {
      for (const root of this.#roots) {
        const match = [...root.querySelectorAll(`[data-field="${CSS.escape(current)}"]`)].find((el) => !el.closest('[hidden]'));
        if (match) return match;
      }
    }
    return null;
  }

  /** The control to focus for a field element. */
  controlOf(field) {
    return field.matches(CONTROL) ? field : field.querySelector(CONTROL);
  }

  /** The human label of a field: its label, legend or `.label` text. */
  labelOf(field, fallback) {
    const label = field?.querySelector('label, legend, .label');
    return label ? label.textContent.trim() : fallback;
  }

  /**
   * @param {{ errors: {field: string, code: string, message: string}[], warnings?: object[] }} issues
   * @returns {{ issue: object, field: Element | null }[]} every error with where it was placed
   */
  render({ errors, warnings = [] }) {
    for (const element of this.#placed) element.remove();
    this.#placed = [];
    for (const control of this.#marked) {
      control.removeAttribute('aria-invalid');
      restoreDescribedBy(control);
    }
    this.#marked = [];
    const byField = new Map();
    const placedErrors = [];
    for (const [kind, list] of [['error', errors], ['warning', warnings]]) {
      for (const issue of list) {
        const field = this.fieldFor(issue.field);
        if (kind === 'error') placedErrors.push({ issue, field });
        if (!field) continue;
        if (!byField.has(field)) byField.set(field, []);
        byField.get(field).push({ kind, issue });
      }
    }
    for (const [field, issues] of byField) {
      if (!this.#touched.has(field)) continue;
      const control = this.controlOf(field);
      const ids = [];
      for (const { kind, issue } of issues) {
        const id = `field-message-${(nextId += 1)}`;
        ids.push(id);
        const message = h('p', { class: `field-message field-${kind}`, id },
          h('span', { class: 'visually-hidden' }, kind === 'error' ? 'Error: ' : 'Warning: '),
          issue.message);
        // Inside a fieldset the message goes after its own controls, not after nested fields.
        field.append(message);
        this.#placed.push(message);
      }
      if (control) {
        if (issues.some((i) => i.kind === 'error')) control.setAttribute('aria-invalid', 'true');
        addDescribedBy(control, ids);
        this.#marked.push(control);
      }
    }
    return placedErrors;
  }
}

function addDescribedBy(control, ids) {
  if (control.dataset.describedby === undefined) control.dataset.describedby = control.getAttribute('aria-describedby') ?? '';
  control.setAttribute('aria-describedby', [control.dataset.describedby, ...ids].filter(Boolean).join(' '));
}

function restoreDescribedBy(control) {
  if (control.dataset.describedby === undefined) return;
  if (control.dataset.describedby) control.setAttribute('aria-describedby', control.dataset.describedby);
  else control.removeAttribute('aria-describedby');
}
