// The signed-in member of staff, shared by the staff pages (sign-in, console). The access token
// lives in this tab's sessionStorage (a reload keeps it, closing the tab ends it) and is never put
// in a page's address; the device's deviceToken, per account, in localStorage, so that later
// sign-ins from this device are not held up by someone guessing elsewhere. Tokens last
// jwtTtlMinutes (15): a page that stays open exchanges its token before it runs out.
const SESSION = 'servicepunkt.staff.session';
const DEVICE = 'servicepunkt.staff.device.';
const EARLY_MS = 120000; // refresh two minutes before expiry (or at three quarters of a shorter life)

export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION) || 'null');
    return s && s.token && s.expiresAt > Date.now() ? s : null;
  } catch (e) {
    return null;
  }
}

function keep(answer, email) {
  const s = {
    token: answer.accessToken,
    expiresAt: Date.now() + (answer.expiresIn || 900) * 1000,
    lifetime: (answer.expiresIn || 900) * 1000,
    staffId: answer.staffId,
    organisationId: answer.organisationId,
    roles: answer.roles || [],
    email: email != null ? email : (session() || {}).email,
  };
  sessionStorage.setItem(SESSION, JSON.stringify(s));
  return s;
}

export function forget() {
  sessionStorage.removeItem(SESSION);
}

export function deviceToken(email) {
  return localStorage.getItem(DEVICE + email.toLowerCase());
}

/**
 * Signs in; resolves to {ok: true, session} or {ok: false, status, retryAfter}. A first sign-in
 * from this device answers with a deviceToken, kept for the next ones.
 */
export async function signIn(email, password) {
  const body = { email, password };
  const device = deviceToken(email);
  if (device) {
    body.deviceToken = device;
  }
  let response;
  try {
    response = await fetch('/api/v1/auth/login', {
      method: 'POST', cache: 'no-store', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
  } catch (e) {
    return { ok: false, status: 0 };
  }
  if (!response.ok) {
    return { ok: false, status: response.status, retryAfter: Number(response.headers.get('Retry-After')) || null };
  }
  const answer = await response.json();
  if (answer.deviceToken) {
    localStorage.setItem(DEVICE + email.toLowerCase(), answer.deviceToken);
  }
  return { ok: true, session: keep(answer, email) };
}

let refreshTimer = null;

/** Keeps the token fresh while the page is open; onLost() when the session can no longer be kept. */
export function keepFresh(onLost) {
  clearTimeout(refreshTimer);
  const s = session();
  if (!s) {
    onLost();
    return;
  }
  const early = Math.min(EARLY_MS, (s.lifetime || 900000) / 4);
  const delay = Math.max(1000, s.expiresAt - Date.now() - early);
  refreshTimer = setTimeout(async () => {
    const status = await refresh();
    if (status === 401) {
      onLost();
    } else if (status !== 200) {
      // the network or a busy server: try again soon, while the token still stands
      refreshTimer = setTimeout(() => keepFresh(onLost), 15000);
      return;
    }
    keepFresh(onLost);
  }, delay);
}

/** Exchanges the token for a fresh one now; the answer's status (0 without network). */
export async function refresh() {
  const s = session();
  if (!s) {
    return 401;
  }
  try {
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST', cache: 'no-store', headers: { Authorization: 'Bearer ' + s.token },
    });
    if (response.ok) {
      keep(await response.json());
    } else if (response.status === 401) {
      forget();
    }
    return response.status;
  } catch (e) {
    return 0;
  }
}

/** Signs out everywhere (the API ends every token of this member of staff) and forgets the token. */
export async function signOut() {
  const s = session();
  clearTimeout(refreshTimer);
  forget();
  if (s) {
    try {
      await fetch('/api/v1/auth/logout', { method: 'POST', cache: 'no-store', headers: { Authorization: 'Bearer ' + s.token } });
    } catch (e) {
      // the token is forgotten here anyway, and expires by itself
    }
  }
}

/**
 * A call to the JSON API with the token: {status, body, retryAfter}; status 0 without network.
 * A 401 means the session has ended (signed out elsewhere, deactivated): the token is forgotten.
 */
export async function api(method, path, body) {
  const s = session();
  if (!s) {
    return { status: 401, body: null };
  }
  const headers = { Authorization: 'Bearer ' + s.token };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch('/api/v1' + path, {
      method, cache: 'no-store', headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { status: 0, body: null };
  }
  if (response.status === 401) {
    forget();
  }
  let parsed = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      parsed = await response.json();
    } catch (e) {
      parsed = null;
    }
  }
  return { status: response.status, body: parsed, retryAfter: Number(response.headers.get('Retry-After')) || null };
}
