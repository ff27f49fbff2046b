export interface Org {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}
