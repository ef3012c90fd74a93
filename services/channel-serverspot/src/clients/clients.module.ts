import { Module } from '@nestjs/common';
import { ShopClients } from './shop-clients';

@Module({ providers: [ShopClients], exports: [ShopClients] })
export class ClientsModule {}
