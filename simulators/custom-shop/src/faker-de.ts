import type { GermanFakeData } from './fake-data';

type FakerModule = typeof import('@faker-js/faker');

/**
 * faker with the `de` locale (falling back to `en` for what `de` lacks, e.g. product names).
 * Loaded lazily with `require` so that merely importing the app does not pull the ESM-only package
 * into environments that cannot load it (see fake-data.ts).
 */
export function fakerGermanData(seed: number): GermanFakeData {
  const { Faker, de, en, base } = require('@faker-js/faker') as FakerModule;
  const faker = new Faker({ locale: [de, en, base], seed });
  return {
    firstName: () => faker.person.firstName(),
    lastName: () => faker.person.lastName(),
    street: () => faker.location.street(),
    buildingNumber: () => faker.location.buildingNumber(),
    zipCode: () => faker.location.zipCode('#####'),
    city: () => faker.location.city(),
    companyName: () => faker.company.name(),
    phone: () => faker.phone.number(),
    userName: (firstName, lastName) => faker.internet.username({ firstName, lastName }),
    email: (firstName, lastName) => faker.internet.email({ firstName, lastName }).toLowerCase(),
    productName: () => faker.commerce.productName(),
    productDescription: () => faker.commerce.productDescription(),
  };
}
