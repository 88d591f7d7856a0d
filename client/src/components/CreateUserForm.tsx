// The admin "Add a user" form: validates with the shared schema, then POST /api/users; server validation errors
// (400 invalid_input, 409 email_taken) are shown next to the field they name. Must never keep the password after
// a successful create and must never log it.
import { useState, type FormEvent } from 'react';
import { CreateUserBodySchema, ROLES, roleCan, type Channel, type Role, type User } from '../../../shared/src/index.js';
import { api, ApiRequestError } from '../api/client.js';
import { ROLE_LABELS } from '../nav.js';
import { showToast } from '../toast-store.js';
import { ChannelChecklist } from './ChannelChecklist.js';

type Field = 'name' | 'email' | 'role' | 'password';
type Errors = Partial<Record<Field | 'form', string>>;

const LABELS: Record<Field, string> = { name: 'Name', email: 'Email', role: 'Role', password: 'Password' };
const EMPTY = { name: '', email: '', role: 'agent' as Role, password: '' };

function validate(values: typeof EMPTY): Errors {
  const errors: Errors = {};
  if (!values.name.trim()) errors.name = 'Name is required';
  if (!values.email.trim()) errors.email = 'Email is required';
  if (!values.password) errors.password = 'Password is required';
  if (Object.keys(errors).length) return errors;
  const parsed = CreateUserBodySchema.safeParse(values);
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as Field;
    if (!(field in LABELS) || errors[field]) continue;
    errors[field] = /^[a-z]/.test(issue.message) ? `${LABELS[field]} ${issue.message}` : issue.message;
  }
  return errors;
}

/** Which field a server error is about: email_taken → email; invalid_input → the field its message names. */
function fieldOf(err: ApiRequestError): Field | 'form' {
  if (err.code === 'email_taken') return 'email';
  const prefix = /^(\w+):/.exec(err.message)?.[1];
  if (prefix && prefix in LABELS) return prefix as Field;
  const message = err.message.toLowerCase();
  for (const f of ['email', 'password', 'role', 'name'] as const) {
    if (new RegExp(`\\b${f}\\b`).test(message)) return f;
  }
  return 'form';
}

/** "password: must be …" shown under the password field reads "Password must be …". */
function messageFor(field: Field | 'form', message: string): string {
  if (field === 'form' || !message.startsWith(`${field}:`)) return message;
  const rest = message.slice(field.length + 1).trim();
  return /^[a-z]/.test(rest) ? `${LABELS[field]} ${rest}` : `${LABELS[field]}: ${rest}`;
}

/** Roles whose conversations depend on channel membership (agents). */
const picksChannels = (role: Role) => roleCan(role, 'conversations:read') && !roleCan(role, 'conversations:read_all');

export function CreateUserForm(props: { channels: readonly Channel[] | null; onCreated(user: User): void }) {
  const [values, setValues] = useState(EMPTY);
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);

  const set = (field: Field, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => (e[field] || e.form ? { ...e, [field]: undefined, form: undefined } : e));
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (submitting) return;
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length) return;
    setSubmitting(true);
    try {
      const user = await api.createUser(
        {
          name: values.name.trim(),
          email: values.email.trim(),
          role: values.role,
          password: values.password,
          ...(channelIds.length && picksChannels(values.role) ? { channelIds } : {}),
        },
        { quiet: true },
      );
      props.onCreated(user);
      setValues(EMPTY);
      setChannelIds([]);
      showToast('success', `Created ${user.name} (${ROLE_LABELS[user.role]})`);
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 400 || err.status === 409)) {
        const field = fieldOf(err);
        setErrors({ [field]: messageFor(field, err.message) });
      } else {
        const message = err instanceof Error ? err.message : 'Could not create the user';
        setErrors({ form: message });
        showToast('error', message);
      }
    } finally {
      setSubmitting(false);
    }
  }

  const fieldProps = (field: Field) => ({
    id: `new-user-${field}`,
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? `new-user-${field}-error` : undefined,
    disabled: submitting,
  });
  const fieldError = (field: Field) =>
    errors[field] ? (
      <span className="field-error" id={`new-user-${field}-error`} role="alert">
        {errors[field]}
      </span>
    ) : null;

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="create-user-title">
      <div className="field">
        <label className="field-label" htmlFor="new-user-name">
          Name
        </label>
        <input
          {...fieldProps('name')}
          type="text"
          autoComplete="off"
          maxLength={120}
          value={values.name}
          onChange={(e) => set('name', e.target.value)}
        />
        {fieldError('name')}
      </div>
      <div className="field">
        <label className="field-label" htmlFor="new-user-email">
          Email
        </label>
        <input
          {...fieldProps('email')}
          type="email"
          autoComplete="off"
          value={values.email}
          onChange={(e) => set('email', e.target.value)}
        />
        {fieldError('email')}
      </div>
      <div className="field">
        <label className="field-label" htmlFor="new-user-role">
          Role
        </label>
        <select {...fieldProps('role')} value={values.role} onChange={(e) => set('role', e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        {fieldError('role')}
        {values.role === 'agent' ? (
          <span className="field-hint">Agents see the conversations of the channels they are a member of.</span>
        ) : null}
      </div>
      {picksChannels(values.role) ? (
        <fieldset className="field fieldset">
          <legend className="field-label">Channels</legend>
          {props.channels ? (
            <ChannelChecklist
              idPrefix="new-user-channel"
              channels={props.channels}
              selected={channelIds}
              disabled={submitting}
              onChange={setChannelIds}
            />
          ) : (
            <span className="field-hint">Channels could not be loaded; set membership later from the table.</span>
          )}
        </fieldset>
      ) : null}
      <div className="field">
        <label className="field-label" htmlFor="new-user-password">
          Password
        </label>
        <input
          {...fieldProps('password')}
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => set('password', e.target.value)}
        />
        {fieldError('password') ?? (
          <span className="field-hint">At least 10 characters. Share it with the person securely.</span>
        )}
      </div>
      {errors.form ? (
        <div className="form-error" role="alert">
          {errors.form}
        </div>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {submitting ? 'Creating…' : 'Create user'}
      </button>
    </form>
  );
}
