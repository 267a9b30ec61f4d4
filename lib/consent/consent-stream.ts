import type { DynamoDBRecord } from 'aws-lambda';
import { decodeConsentChange } from '../store/stream-records';
import type { ReadResult } from '../stream/ordered-batch';
import type { Consent } from './model/consent';

/** A consent change from the table's stream: the consent before and after. */
export interface ConsentChange {
  before: Consent | undefined;
  after: Consent;
}

/** Each consent's versions in order; one effect per version (its id in the logs). */
export function readConsentChange(record: DynamoDBRecord): ReadResult<ConsentChange> {
  const read = decodeConsentChange(record);
  if (!read.ok) return read;
  const { sequenceNumber, partition, value } = read;
  return {
    ok: true,
    entry: { sequenceNumber, partition, order: value.after.version, value, id: `${value.after.consentId}:v${value.after.version}` },
  };
}
