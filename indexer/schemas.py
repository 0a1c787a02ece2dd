"""What the API returns: camelCase JSON, wei amounts as decimal strings (they overflow JS numbers)."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from .models import Account, Order, Product


class PublicModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class ProductPublic(PublicModel):
    id: int
    seller: str
    price: str
    stock: int
    metadata_uri: str
    name: str | None
    category: str | None
    description: str | None
    listed_block: int
    listed_tx: str

    @classmethod
    def of(cls, product: Product) -> "ProductPublic":
        return cls(**product.model_dump(exclude={"price"}), price=str(product.price))


class OrderPublic(PublicModel):
    id: int
    product_id: int
    product_name: str | None
    buyer: str
    seller: str
    quantity: int
    amount: str
    status: str
    placed_block: int
    placed_tx: str
    placed_at: int
    completed_block: int | None
    completed_tx: str | None

    @classmethod
    def of(cls, order: Order, product_name: str | None) -> "OrderPublic":
        return cls(**order.model_dump(exclude={"amount"}), amount=str(order.amount), product_name=product_name)


class AccountPublic(PublicModel):
    address: str
    credit: str
    earned: str
    withdrawn: str

    @classmethod
    def of(cls, account: Account) -> "AccountPublic":
        return cls(
            address=account.address,
            credit=str(account.credit or 0),
            earned=str(account.earned or 0),
            withdrawn=str(account.withdrawn or 0),
        )


T = TypeVar("T")


class Page(PublicModel, Generic[T]):
    items: list[T]
    total: int


class Health(PublicModel):
    status: str  # "ok" once something is indexed, "syncing" before
    chain_id: int
    indexed_block: int | None
    head_block: int | None
    lag: int | None


class ContractPublic(PublicModel):
    address: str
    abi: list[dict]


class ClientConfig(PublicModel):
    chain_id: int
    chain_name: str
    rpc_url: str
    start_block: int
    contracts: dict[str, ContractPublic]


class ErrorMessage(PublicModel):
    message: str
