// The upload panel: pick or drop a local .bak, stream it to the form's bucket in parts with a
// progress bar, then fill the file row and import it. Not in this version of the package yet: the
// panel says so, and drops on it are caught so the browser does not navigate away to the file.
import { h } from './dom.js';

export class UploadPanel {
  constructor(container) {
    this.input = h('input', { type: 'file', id: 'upload-file', accept: '.bak', disabled: true, 'aria-describedby': 'upload-status' });
    this.status = h('p', { id: 'upload-status', class: 'hint', role: 'status' },
      'Not available in this version yet: uploading a local .bak to the bucket (in parts, with progress) '
      + 'comes with a later version of the package. Upload with your S3 tool, then list the file above.');
    this.dropZone = h('div', { class: 'drop-zone', 'aria-disabled': 'true' },
      h('label', { for: 'upload-file' }, 'Backup file (.bak)'), this.input,
      h('p', { class: 'hint' }, 'or drop a file here'));
    this.progress = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true, 'aria-label': 'Upload progress' });
    container.append(this.dropZone, this.progress, this.status);
    this.dropZone.addEventListener('dragover', (event) => event.preventDefault());
    this.dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      this.status.textContent = 'Upload is not available in this version yet.';
    });
  }
}
