// Staff sign-in (/staff/sign-in): checks the fields, signs in through the JSON API (the token kept
// in sessionStorage, the device's token in localStorage: see staff-session.js) and opens the
// console. Mistakes and refusals (wrong password, too many attempts with Retry-After, a busy
// server) are shown in the error summary, which takes the focus, and next to the field.
import { signIn } from './staff-session.js';

const root = document.querySelector('[data-sign-in]');
const words = JSON.parse(root.dataset.words);
const form = root.querySelector('[data-form]');
const summary = root.querySelector('[data-errors]');
const list = root.querySelector('[data-error-list]');
const email = form.querySelector('#email');
const password = form.querySelector('#password');
const busy = root.querySelector('[data-busy]');
const submit = form.querySelector('[data-submit]');
const baseTitle = document.title;
let working = false;

function fill(text, value) {
  return text.replace('{0}', String(value));
}

function fieldError(input, message) {
  const field = input.closest('.field');
  const error = document.getElementById(input.id + '-error');
  field.classList.toggle('field-error', !!message);
  input.classList.toggle('input-error', !!message);
  error.hidden = !message;
  error.textContent = message || '';
  if (message) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', error.id);
  } else {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

/** errors: [{field: input or null, text}] */
function showErrors(errors) {
  fieldError(email, null);
  fieldError(password, null);
  if (errors.length === 0) {
    summary.hidden = true;
    document.title = baseTitle;
    return;
  }
  list.replaceChildren(...errors.map((e) => {
    const item = document.createElement('li');
    if (e.field) {
      const link = document.createElement('a');
      link.href = '#' + e.field.id;
      link.textContent = e.text;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        e.field.focus();
      });
      item.append(link);
      fieldError(e.field, e.text);
    } else {
      item.textContent = e.text;
    }
    return item;
  }));
  summary.hidden = false;
  document.title = (document.documentElement.lang === 'en' ? 'Error: ' : 'Fel: ') + baseTitle;
  summary.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (working) {
    return;
  }
  const errors = [];
  if (!email.value.trim()) {
    errors.push({ field: email, text: words.emailMissing });
  }
  if (!password.value) {
    errors.push({ field: password, text: words.passwordMissing });
  }
  if (errors.length) {
    showErrors(errors);
    return;
  }
  working = true;
  busy.hidden = false;
  submit.setAttribute('aria-disabled', 'true');
  const result = await signIn(email.value.trim(), password.value);
  working = false;
  busy.hidden = true;
  submit.removeAttribute('aria-disabled');
  if (result.ok) {
    password.value = '';
    location.assign(root.dataset.console);
    return;
  }
  password.value = '';
  if (result.status === 401 || result.status === 422) {
    showErrors([{ field: password, text: words.wrong }]);
  } else if (result.status === 429) {
    showErrors([{ field: null, text: fill(words.tooMany, result.retryAfter || 60) }]);
  } else if (result.status === 503) {
    showErrors([{ field: null, text: fill(words.busyServer, result.retryAfter || 5) }]);
  } else {
    showErrors([{ field: null, text: words.failed }]);
  }
});
