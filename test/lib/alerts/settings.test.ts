import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../../../lib/alerts/rules';
import { alertSettingsOf } from '../../../lib/alerts/settings';

describe('alert settings', () => {
  it('are the defaults, at home in the bank’s country, until the person chooses', () => {
    expect(alertSettingsOf(undefined, 'ES')).toEqual({ ...DEFAULT_ALERT_SETTINGS, homeCountry: 'ES' });
  });

  it('take what the person chose over the defaults', () => {
    expect(alertSettingsOf({ fraudAlerts: false, largeTransactionThreshold: null, lowBalanceThreshold: 100 }, 'US')).toEqual({
      fraudAlerts: false,
      largeTransactionThreshold: null,
      lowBalanceThreshold: 100,
      homeCountry: 'US',
    });
  });

  it('ignore a stored value that does not validate', () => {
    expect(alertSettingsOf({ fraudAlerts: 'no', lowBalanceThreshold: -5 }, 'US')).toEqual({ ...DEFAULT_ALERT_SETTINGS, homeCountry: 'US' });
  });
});
