// The error summary of a form that came back with errors: move focus to it, so a screen reader
// reads it at once, and make its links focus the field itself (a plain link only scrolls).
const summary = document.querySelector('[data-error-summary]');
if (summary) {
  summary.focus();
  summary.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#"]');
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`) || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
}
