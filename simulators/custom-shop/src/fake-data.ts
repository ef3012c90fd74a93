/**
 * The German text the generator needs (names, addresses, products). Kept behind this small interface
 * because faker 10 is ESM-only: the simulator process loads it fine (Node 24 `require(esm)`), but the
 * repo's jest runs CommonJS without `--experimental-vm-modules` and cannot load it, so tests plug in a
 * seeded stand-in with the same shape.
 */
export interface GermanFakeData {
  firstName(): string;
  lastName(): string;
  street(): string;
  buildingNumber(): string;
  zipCode(): string;
  city(): string;
  companyName(): string;
  phone(): string;
  userName(firstName: string, lastName: string): string;
  email(firstName: string, lastName: string): string;
  productName(): string;
  productDescription(): string;
}

/** One source per shop, seeded, so a shop's data is the same on every run. */
export type GermanFakeDataFactory = (seed: number) => GermanFakeData;
