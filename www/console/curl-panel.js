// The curl panel: the import request the form describes, as a command with the secrets replaced by
// `$TOKEN` and `$S3_SECRET_KEY` (the package masks them; the real values never reach this text).
import { byId } from './dom.js';

// Shapes the Authorization header only; masked output shows `$TOKEN` instead.
const TOKEN_PLACEHOLDER = 'placeholder';

export class CurlPanel {
  #api;
  #text = '';

  constructor({ api }) {
    this.#api = api;
    this.pre = byId('curl-text');
    this.copyButton = byId('copy-curl');
    this.status = byId('copy-status');
    this.copyButton.addEventListener('click', () => this.#copy());
  }

  /** Shows the command for a valid input, or says what is missing. */
  update(settings, input, valid) {
    this.status.textContent = '';
    if (!valid) {
      this.#text = '';
      this.pre.textContent = 'The command appears once the connection and import fields are valid.';
      this.copyButton.disabled = true;
      return;
    }
    try {
      const request = this.#api.buildRequest('importFromS3', { ...settings, token: TOKEN_PLACEHOLDER }, input, { reveal: false });
      this.#text = this.#api.toCurl(request, { reveal: false });
    } catch (error) {
      this.#text = '';
      this.pre.textContent = `No command: ${error?.message ?? error}`;
      this.copyButton.disabled = true;
      return;
    }
    this.pre.textContent = this.#text;
    this.copyButton.disabled = false;
  }

  async #copy() {
    try {
      await navigator.clipboard.writeText(this.#text);
      this.status.textContent = 'Copied. Set $TOKEN and $S3_SECRET_KEY before running it.';
    } catch {
      // No clipboard permission (or not a secure context): select the text for a manual copy.
      const range = document.createRange();
      range.selectNodeContents(this.pre);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      this.status.textContent = 'Copying is not allowed here; the command is selected: press Ctrl+C.';
    }
  }
}
