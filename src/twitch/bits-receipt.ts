import { jwtVerify } from 'jose';
import { z } from 'zod';

/** Receipts are short-lived JWTs; a little clock skew is tolerated, in seconds. */
const RECEIPT_CLOCK_SKEW_SECONDS = 60;

const receiptSchema = z.object({
  topic: z.literal('bits_transaction_receipt'),
  exp: z.number(),
  data: z.object({
    transactionId: z.string().min(1).max(128),
    time: z.string(),
    userId: z.string().regex(/^[0-9]{1,32}$/),
    product: z.object({
      domainId: z.string(),
      sku: z.string(),
      displayName: z.string().optional(),
      cost: z.object({ amount: z.coerce.number().int(), type: z.literal('bits') }),
    }),
  }),
});

export type BitsReceipt = z.infer<typeof receiptSchema>['data'];

/** A receipt that is not Twitch's, has expired, or is not a Bits transaction receipt. */
export class InvalidReceiptError extends Error {
  override readonly name = 'InvalidReceiptError';
}

/**
 * Verifies the transaction receipt that Twitch.ext.bits.onTransactionComplete hands the panel: a JWT
 * signed HS256 with the extension secret, topic `bits_transaction_receipt`, for this extension.
 */
export async function verifyBitsReceipt(
  receipt: string,
  secretBase64: string,
  clientId: string,
  now = Date.now(),
): Promise<BitsReceipt> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(receipt, new Uint8Array(Buffer.from(secretBase64, 'base64')), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      clockTolerance: RECEIPT_CLOCK_SKEW_SECONDS,
      currentDate: new Date(now),
    }));
  } catch (error) {
    throw new InvalidReceiptError(`the receipt is not valid: ${(error as Error).message}`);
  }
  const parsed = receiptSchema.safeParse(payload);
  if (!parsed.success)
    throw new InvalidReceiptError(`the receipt is not a Bits receipt: ${parsed.error.issues[0]?.message}`);
  const { data } = parsed.data;
  if (data.product.domainId !== `twitch.ext.${clientId}`) {
    throw new InvalidReceiptError('the receipt is for another extension');
  }
  return data;
}
