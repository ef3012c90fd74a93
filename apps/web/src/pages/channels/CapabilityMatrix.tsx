import { Table } from '@mantine/core';
import type { ConnectionType } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { CAPABILITIES, CONNECTION_TYPES, TYPE_CAPABILITIES } from './channel-types';

/** CONN-2: which channel type can do what, as the seed's matrix shows it. */
export function CapabilityMatrix({ types = CONNECTION_TYPES }: { types?: ConnectionType[] }) {
  const { t } = useI18n();
  return (
    <Table withTableBorder striped data-testid="capability-matrix">
      <Table.Caption>{t('channels.matrix')}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('channels.capabilities')}</Table.Th>
          {types.map((type) => (
            <Table.Th scope="col" key={type}>
              {t(`type.${type}`)}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {CAPABILITIES.map((cap) => (
          <Table.Tr key={cap}>
            <Table.Th scope="row">{t(`cap.${cap}`)}</Table.Th>
            {types.map((type) => {
              const yes = TYPE_CAPABILITIES[type].includes(cap);
              return (
                <Table.Td key={type} aria-label={yes ? t('common.yes') : t('common.no')}>
                  {yes ? '✓' : '–'}
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
