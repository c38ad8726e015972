// The confirmation before a restore starts: a modal <dialog> (focus stays inside, Escape cancels)
// that lists what will happen. Resolves true only for "Start restore".
import { byId, h, replaceChildren } from './dom.js';

/** @param {[string, string][]} facts  term/value pairs shown in the dialog (never secrets) */
export function confirmRestore(title, facts) {
  const dialog = byId('confirm-dialog');
  const start = byId('confirm-start');
  const cancel = byId('confirm-cancel');
  const opener = document.activeElement;
  byId('confirm-title').textContent = title;
  replaceChildren(byId('confirm-summary'), facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
  return new Promise((resolve) => {
    const finish = (confirmed) => {
      start.removeEventListener('click', onStart);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(confirmed);
    };
    const onStart = () => finish(true);
    const onCancel = (event) => {
      event.preventDefault();
      finish(false);
    };
    start.addEventListener('click', onStart);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    // Starting is one deliberate step further: Cancel has the focus, "Start restore" is next.
    cancel.focus();
  });
}
