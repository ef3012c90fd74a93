import { z } from 'zod';

/** A page of a list; pass `nextCursor` back as `cursor` for the next page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional().describe('Pass as `cursor` for the next page') });

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
