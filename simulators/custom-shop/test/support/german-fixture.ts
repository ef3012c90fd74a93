import { pick, seededRandom } from '@orderhub/sim-kit';
import type { GermanFakeData } from '../../src/fake-data';

/**
 * Seeded German stand-in for faker in jest: the repo's jest runs CommonJS and cannot load the
 * ESM-only faker 10 (see src/fake-data.ts). Same interface, small word lists.
 */
export function germanFixtureData(seed: number): GermanFakeData {
  const random = seededRandom(seed);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return {
    firstName: () => pick(random, ['Jörg', 'Anke', 'Lukas', 'Sabine', 'Jürgen', 'Lea', 'Björn']),
    lastName: () => pick(random, ['Müller', 'Schmidt', 'Weiß', 'Schäfer', 'Groß', 'Köhler']),
    street: () => pick(random, ['Hauptstraße', 'Schillerstraße', 'Am Mühlbach', 'Lindenallee']),
    buildingNumber: () => `${1 + Math.floor(random() * 120)}${pick(random, ['', '', 'a', 'b'])}`,
    zipCode: () => digits(5),
    city: () => pick(random, ['München', 'Köln', 'Lüneburg', 'Görlitz', 'Düsseldorf']),
    companyName: () => `${pick(random, ['Bäckerei', 'Möbelhaus', 'Schreinerei'])} ${pick(random, ['Huber', 'Krüger'])} GmbH`,
    phone: () => `0${digits(3)} ${digits(6)}`,
    userName: (first, last) => `${first}.${last}${digits(2)}`,
    email: (first, last) => `${first}.${last}@example.de`.toLowerCase(),
    productName: () =>
      `${pick(random, ['Handgemachte', 'Praktische', 'Elegante'])} ${pick(random, ['Tasse', 'Lampe', 'Decke', 'Schürze'])}`,
    productDescription: () => 'Hochwertig verarbeitet, ideal als Geschenk.',
  };
}
