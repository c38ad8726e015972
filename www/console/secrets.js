// Secrets (bearer token, service-account key, private key, S3 secret key) live in this module's
// memory and nowhere else: never localStorage/sessionStorage, never a URL, and not in the DOM after
// use — a secret field is emptied as soon as the user leaves it (or presses Enter), and the value
// moves here. Reloading the page forgets everything, by design.

export class SecretStore {
  #values = new Map();
  #listeners = new Set();

  get(name) {
    return this.#values.get(name);
  }

  has(name) {
    return this.#values.has(name);
  }

  set(name, value) {
    if (value === undefined || value === '') this.#values.delete(name);
    else this.#values.set(name, value);
    this.#notify();
  }

  clear() {
    this.#values.clear();
    this.#notify();
  }

  /** Called after every change (set or clear). */
  onChange(listener) {
    this.#listeners.add(listener);
  }

  #notify() {
    for (const listener of this.#listeners) listener();
  }

  // Keeps the values out of accidental dumps (console.log, JSON.stringify).
  toJSON() {
    return { secrets: [...this.#values.keys()] };
  }
}

/**
 * Binds a password input to the store: typing shows as dots, leaving the field (or Enter) moves
 * the value into memory and empties the input; the placeholder then says a value is set.
 * @returns {{ current(): string | undefined }}  the value being typed, else the stored one
 */
export function bindSecretInput(input, store, name, { setPlaceholder = 'set, kept in memory only (type to replace)' } = {}) {
  const emptyPlaceholder = input.placeholder;
  const commit = () => {
    if (input.value !== '') {
      store.set(name, input.value);
      input.value = '';
    }
  };
  input.addEventListener('change', commit);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') commit();
  });
  const refresh = () => {
    input.placeholder = store.has(name) ? setPlaceholder : emptyPlaceholder;
  };
  store.onChange(refresh);
  refresh();
  return { current: () => (input.value !== '' ? input.value : store.get(name)), commit };
}

/** Reads a text secret from a file picker into the store and resets the picker. */
export async function readSecretFile(input) {
  const file = input.files?.[0];
  input.value = '';
  return file ? file.text() : undefined;
}
