/** Why a line was not taken. Rejections are values, never exceptions. */
export type RejectionReason =
  | 'malformed_json'
  | 'not_object'
  | 'too_large'
  | 'invalid_utf8'
  | 'too_deep'
  | 'bad_envelope';

export interface Rejection {
  ok: false;
  reason: RejectionReason;
  detail?: string;
}
