import { h } from '../ui/dom';

/**
 * The token form, shown when the API asks for a bearer token. The token stays in this browser's
 * localStorage; nothing else is stored.
 */
export function loginView(root: HTMLElement, message: string | null, submit: (token: string) => void): void {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false', 'aria-describedby': 'token-help' });
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error', hidden: !message }, message ?? '');
  const form = h(
    'form',
    { class: 'panel login', 'aria-labelledby': 'login-h' },
    h('h2', { id: 'login-h' }, 'Sign in'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'muted' }, 'Paste the token printed by ', h('code', null, 'ccpulse user add'), '. It is kept in this browser only.'),
    error,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (token) submit(token);
  });
  root.replaceChildren(form);
  input.focus();
}
