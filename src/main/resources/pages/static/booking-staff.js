// Booking on a resident's behalf (a phone or desk booking, opened from the counter console with
// personal=1): the residents' own questions, and on the check page this script sends the form
// with the member of staff's bearer token from this tab's session (never in the address), so
// the booking is recorded as theirs. Without a session it books nothing and says so.
import { session } from './staff-session.js';

const form = document.querySelector('[data-staff-form]');
const box = document.querySelector('[data-staff-booking]');
const problem = box.querySelector('[data-staff-problem]');
const words = box.dataset;

function say(text) {
  problem.textContent = text;
  problem.hidden = !text;
}

const me = session();
if (me && me.email) {
  box.querySelector('[data-staff-who]').textContent = words.signedInAs.replace('{0}', me.email);
}

let sending = false;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (sending) {
    return;
  }
  const s = session();
  if (!s) {
    say(words.signIn);
    return;
  }
  sending = true;
  say('');
  const button = form.querySelector('button[type=submit]');
  button.setAttribute('aria-disabled', 'true');
  let response = null;
  try {
    response = await fetch(form.action, {
      method: 'POST', cache: 'no-store', redirect: 'follow',
      headers: { Authorization: 'Bearer ' + s.token },
      body: new URLSearchParams(new FormData(form)),
    });
  } catch (e) {
    response = null;
  }
  if (response && response.ok && response.redirected) {
    location.assign(response.url); // the confirmation (or the day's times, when the time was taken meanwhile)
    return;
  }
  sending = false;
  button.removeAttribute('aria-disabled');
  say(response && response.status === 401 ? words.signIn : words.failed);
});
