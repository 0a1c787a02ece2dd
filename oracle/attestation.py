"""Delivery attestations as LogisticsOracle verifies them: EIP-712 typed data signed by an attester key.

The domain is read from the contract (ERC-5267 ``eip712Domain()``), never copied by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_utils import keccak

DELIVERY_FIELDS = [
    {"name": "lineId", "type": "uint256"},
    {"name": "trackingHash", "type": "bytes32"},
    {"name": "deliveredAt", "type": "uint64"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


@dataclass(frozen=True)
class Domain:
    name: str
    version: str
    chain_id: int
    verifying_contract: str

    @classmethod
    def from_eip5267(cls, values) -> Domain:
        """From what ``eip712Domain()`` returns: (fields, name, version, chainId, verifyingContract, salt,
        extensions)."""
        _fields, name, version, chain_id, verifying_contract, *_ = values
        return cls(name=name, version=version, chain_id=int(chain_id), verifying_contract=str(verifying_contract))


@dataclass(frozen=True)
class Delivery:
    """ILogisticsOracle.Delivery."""

    line_id: int
    tracking_hash: bytes  # keccak256 of the tracking reference
    delivered_at: int  # unix seconds
    nonce: int
    deadline: int  # unix seconds

    def as_tuple(self) -> tuple:
        """The struct as contract calls take it."""
        return (self.line_id, self.tracking_hash, self.delivered_at, self.nonce, self.deadline)


def tracking_hash(tracking_ref: str) -> bytes:
    """What the Marketplace stores when a line is shipped: keccak256(bytes(trackingRef))."""
    return keccak(text=tracking_ref)


def delivery_message(domain: Domain, delivery: Delivery) -> SignableMessage:
    return encode_typed_data(
        full_message={
            "types": {"EIP712Domain": DOMAIN_FIELDS, "Delivery": DELIVERY_FIELDS},
            "primaryType": "Delivery",
            "domain": {
                "name": domain.name,
                "version": domain.version,
                "chainId": domain.chain_id,
                "verifyingContract": domain.verifying_contract,
            },
            "message": {
                "lineId": delivery.line_id,
                "trackingHash": delivery.tracking_hash,
                "deliveredAt": delivery.delivered_at,
                "nonce": delivery.nonce,
                "deadline": delivery.deadline,
            },
        }
    )


def sign_delivery(private_key, domain: Domain, delivery: Delivery) -> bytes:
    """The 65-byte signature (r || s || v) the contract recovers the attester from."""
    return bytes(Account.sign_message(delivery_message(domain, delivery), private_key).signature)
