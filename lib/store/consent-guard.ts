import { consentSk, userPk } from './keys';
import type { TransactItem } from './transact-write';

/**
 * The consent a financial write depends on, at the version the caller read. Every such write
 * carries this check in its own transaction, so a sync that was in flight when the person revoked
 * cannot write anything back after the revocation commits.
 */
export interface ConsentGuard {
  psid: string;
  consentId: string;
  version: number;
}

/** The condition check: the consent is still active, unchanged, and not past its end at `nowIso`. */
export const consentGuardCheck = (table: string, g: ConsentGuard, nowIso: string): TransactItem => ({
  ConditionCheck: {
    TableName: table,
    Key: { pk: userPk(g.psid), sk: consentSk(g.consentId) },
    ConditionExpression: '#status = :active AND version = :version AND expiresAt > :now',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':active': 'active', ':version': g.version, ':now': nowIso },
  },
});
