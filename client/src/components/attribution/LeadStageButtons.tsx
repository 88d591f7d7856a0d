// Lead stage actions in the contact panel: one click each for qualified and lost; converted asks for the value
// (entered in major units, sent in minor units) and currency. The new stage arrives back through the live
// conversation update. Must never offer an action the current stage makes pointless.
import { useState, type FormEvent } from 'react';
import type { Conversation, LeadStageInput } from '../../../../shared/src/index.js';
import { attributionApi } from '../../api/attribution.js';
import { showToast } from '../../toast-store.js';

type Lead = Conversation['lead'];

export function formatMoney(minor: number | null, currency: string | null): string {
  if (minor === null) return '';
  const major = minor / 100;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency ?? 'EUR' }).format(major);
  } catch {
    return `${major.toFixed(2)} ${currency ?? ''}`.trim();
  }
}

export function LeadStageButtons(props: { conversationId: string; lead: Lead }) {
  const stage = props.lead?.stage ?? 'new';
  const [busy, setBusy] = useState(false);
  const [converting, setConverting] = useState(false);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(props.lead?.currency ?? 'EUR');

  async function set(body: LeadStageInput, label: string) {
    setBusy(true);
    try {
      await attributionApi.setLeadStage(props.conversationId, body);
      showToast('success', `Lead marked ${label}`);
      setConverting(false);
    } catch {
      /* the API client shows the error */
    } finally {
      setBusy(false);
    }
  }

  function submitConversion(e: FormEvent) {
    e.preventDefault();
    const value = Math.round(Number(amount.replace(',', '.')) * 100);
    if (!Number.isFinite(value) || value < 0 || amount.trim() === '') {
      showToast('error', 'Enter the sale value, e.g. 49.90');
      return;
    }
    void set({ stage: 'converted', value, currency: currency.trim().toUpperCase() }, 'converted');
  }

  return (
    <div className="lead-actions" data-testid="lead-actions">
      {props.lead?.stage === 'converted' && props.lead.value !== null ? (
        <p className="lead-value" data-testid="lead-value">
          Sale: <strong>{formatMoney(props.lead.value, props.lead.currency)}</strong>
        </p>
      ) : null}
      <div className="lead-buttons" role="group" aria-label="Lead stage">
        <button
          type="button"
          className="btn btn-small"
          disabled={busy || stage === 'qualified' || stage === 'converted'}
          onClick={() => void set({ stage: 'qualified' }, 'qualified')}
        >
          Qualified
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          aria-expanded={converting}
          onClick={() => setConverting((v) => !v)}
        >
          Converted…
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy || stage === 'lost'}
          onClick={() => void set({ stage: 'lost' }, 'lost')}
        >
          Lost
        </button>
      </div>
      {converting ? (
        <form className="lead-convert" onSubmit={submitConversion} aria-label="Conversion">
          <label>
            Value
            <input
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              placeholder="49.90"
              required
            />
          </label>
          <label>
            Currency
            <input
              value={currency}
              onChange={(e) => setCurrency(e.target.value)}
              maxLength={3}
              pattern="[A-Za-z]{3}"
              required
            />
          </label>
          <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
            Save sale
          </button>
        </form>
      ) : null}
    </div>
  );
}
