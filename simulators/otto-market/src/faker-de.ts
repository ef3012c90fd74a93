import { pick, seededRandom } from '@orderhub/sim-kit';

type FakerModule = typeof import('@faker-js/faker');

/** The German text the generator needs; structure (counts, states, ids) comes from the seeded PRNG. */
export interface GermanText {
  firstName(sex: 'female' | 'male'): string;
  lastName(): string;
  street(): string;
  buildingNumber(): string;
  zipCode(): string;
  city(): string;
  phone(): string;
  email(firstName: string, lastName: string): string;
  productAdjective(): string;
  productMaterial(): string;
  productDescription(): string;
  color(): string;
}

/**
 * faker (`de`, falling back to `en`) when it can be loaded. faker 10 ships ESM only: the simulator
 * process (Node 24, `require(esm)`) loads it, but the repo's jest runs CommonJS without
 * `--experimental-vm-modules` and cannot, so tests get a seeded German stand-in of the same shape.
 */
export function germanText(seed: number): GermanText {
  let faker: InstanceType<FakerModule['Faker']>;
  try {
    const { Faker, de, en, base } = require('@faker-js/faker') as FakerModule;
    faker = new Faker({ locale: [de, en, base] });
    faker.seed(seed);
  } catch {
    return fallbackGermanText(seed);
  }
  return {
    firstName: (sex) => faker.person.firstName(sex),
    lastName: () => faker.person.lastName(),
    street: () => faker.location.street(),
    buildingNumber: () => faker.location.buildingNumber(),
    zipCode: () => faker.location.zipCode('#####'),
    city: () => faker.location.city(),
    phone: () => faker.phone.number(),
    email: (firstName, lastName) => faker.internet.email({ firstName, lastName }).toLowerCase(),
    productAdjective: () => faker.commerce.productAdjective(),
    productMaterial: () => faker.commerce.productMaterial(),
    productDescription: () => faker.commerce.productDescription(),
    color: () => faker.color.human(),
  };
}

function fallbackGermanText(seed: number): GermanText {
  const random = seededRandom(seed ^ 0x5eed);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return {
    firstName: (sex) =>
      pick(
        random,
        sex === 'female'
          ? ['Anna', 'Lena', 'Sophie', 'Marie', 'Julia', 'Katrin', 'Ursula']
          : ['Lukas', 'Jonas', 'Felix', 'Maximilian', 'Jürgen', 'Stefan', 'Klaus'],
      ),
    lastName: () => pick(random, ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schäfer', 'Koch']),
    street: () => pick(random, ['Hauptstraße', 'Schillerstraße', 'Goethestraße', 'Bahnhofstraße', 'Lindenweg', 'Am Markt', 'Gartenstraße']),
    buildingNumber: () => String(1 + Math.floor(random() * 120)),
    zipCode: () => `${1 + Math.floor(random() * 9)}${digits(4)}`,
    city: () => pick(random, ['Hamburg', 'München', 'Köln', 'Leipzig', 'Düsseldorf', 'Nürnberg', 'Bremen', 'Freiburg']),
    phone: () => `0${digits(3)} ${digits(7)}`,
    email: (firstName, lastName) => `${firstName}.${lastName}@example.de`.toLowerCase(),
    productAdjective: () => pick(random, ['Elegant', 'Robust', 'Praktisch', 'Klassisch', 'Modern']),
    productMaterial: () => pick(random, ['Baumwolle', 'Holz', 'Edelstahl', 'Leder', 'Keramik']),
    productDescription: () => 'Hochwertig verarbeitet, langlebig und pflegeleicht.',
    color: () => pick(random, ['schwarz', 'weiß', 'blau', 'rot', 'grün', 'grau']),
  };
}

/**
 * The slice of faker's API the generator uses: structure from a seeded PRNG (deterministic on either
 * path), words and addresses from `germanText`.
 */
export function seededGermanFaker(seed: number) {
  const random = seededRandom(seed);
  const text = germanText(seed);
  const int = ({ min, max }: { min: number; max: number }) => min + Math.floor(random() * (max - min + 1));
  const chars = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const hex = (n: number) => chars('0123456789abcdef', n);
  return {
    number: { int, float: () => random() },
    helpers: {
      arrayElement: <T>(items: readonly T[]): T => pick(random, items),
      arrayElements: <T>(items: readonly T[], count: { min: number; max: number }): T[] => {
        const pool = [...items];
        const n = Math.min(pool.length, int(count));
        return Array.from({ length: n }, () => pool.splice(Math.floor(random() * pool.length), 1)[0] as T);
      },
      weightedArrayElement: <T>(choices: readonly { weight: number; value: T }[]): T => {
        let roll = random() * choices.reduce((sum, c) => sum + c.weight, 0);
        for (const c of choices) if ((roll -= c.weight) < 0) return c.value;
        return pick(random, choices).value;
      },
    },
    string: {
      uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(random, ['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`,
      numeric: (length: number) => chars('0123456789', length),
      alphanumeric: ({ length, casing }: { length: number; casing: 'upper' | 'lower' }) =>
        chars(casing === 'upper' ? 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789' : 'abcdefghijkmnopqrstuvwxyz0123456789', length),
    },
    commerce: {
      productAdjective: text.productAdjective,
      productMaterial: text.productMaterial,
      productDescription: text.productDescription,
      price: ({ min, max }: { min: number; max: number }) =>
        (int({ min, max: max - 1 }) + pick(random, [0.99, 0.95, 0.49, 0.9])).toFixed(2),
    },
    color: { human: text.color },
    person: { sexType: (): 'female' | 'male' => (random() < 0.5 ? 'female' : 'male'), firstName: text.firstName, lastName: text.lastName },
    location: { street: text.street, buildingNumber: text.buildingNumber, zipCode: (_format: string) => text.zipCode(), city: text.city },
    phone: { number: text.phone },
    internet: { email: ({ firstName, lastName }: { firstName: string; lastName: string }) => text.email(firstName, lastName) },
  };
}
export type SeededGermanFaker = ReturnType<typeof seededGermanFaker>;
