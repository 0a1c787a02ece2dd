"""The oracle's side of the chain: the Marketplace and LogisticsOracle from the deployment record,
attestations signed by the attester key and sent by the relayer key, reverts decoded by name."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass

from eth_abi import decode as abi_decode
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError

from indexer.deployment import Deployment

from .attestation import Delivery, Domain, sign_delivery
from .shipments import Shipment

log = logging.getLogger("oracle.chain")

ORACLE_CONTRACT = "LogisticsOracle"  # its name in the deployment record's "contracts"
# IMarketplace.LineStatus, in declaration order (the ABI carries an enum's type, not its names).
LINE_STATUSES = ("None", "Paid", "Accepted", "Shipped", "Delivered", "Completed", "Cancelled", "Rejected")
LINE_STATUSES += ("Expired", "Refunded", "Disputed", "Resolved")


class AttestationFailed(RuntimeError):
    """The chain refused an attestation; ``error`` names the contract's error, e.g.
    ``OracleTrackingMismatch(lineId=..., expected=0x…, got=0x…)``."""

    def __init__(self, error: str, tx_hash: str | None = None):
        super().__init__(error)
        self.error = error
        self.tx_hash = tx_hash


@dataclass(frozen=True)
class Attested:
    tx_hash: str
    block_number: int
    gas_used: int


class ErrorDecoder:
    """Custom errors (and Error(string), Panic(uint256)) from revert data, by the ABIs' selectors."""

    def __init__(self, *abis: list[dict]):
        builtin = [
            {"type": "error", "name": "Error", "inputs": [{"name": "message", "type": "string"}]},
            {"type": "error", "name": "Panic", "inputs": [{"name": "code", "type": "uint256"}]},
        ]
        self._errors = {}
        for item in [entry for abi in abis for entry in abi] + builtin:
            if item.get("type") == "error":
                types = [arg["type"] for arg in item["inputs"]]
                self._errors[keccak(text=f"{item['name']}({','.join(types)})")[:4]] = (item["name"], item["inputs"])

    def describe(self, error: BaseException) -> str:
        data = getattr(error, "data", None)
        if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
            return self.decode(bytes.fromhex(data[2:]))
        return str(error)

    def decode(self, data: bytes) -> str:
        known = self._errors.get(data[:4])
        if known is None:
            return "0x" + data.hex()
        name, inputs = known
        try:
            values = abi_decode([arg["type"] for arg in inputs], data[4:])
        except Exception:  # truncated or garbled data: the name is still worth reporting
            return f"{name}(0x{data[4:].hex()})"
        shown = (f"{arg['name']}={_show(arg['type'], v)}" for arg, v in zip(inputs, values, strict=True))
        return f"{name}({', '.join(shown)})"


def _show(kind: str, value) -> str:
    if kind == "address":
        return to_checksum_address(value)
    return "0x" + value.hex() if isinstance(value, bytes) else str(value)


class OracleChain:
    def __init__(
        self,
        w3: Web3,
        deployment: Deployment,
        *,
        attester_key: str,
        relayer_key: str | None = None,
        attestation_ttl: int = 3600,
        receipt_timeout: float = 120.0,
    ):
        self.w3 = w3
        self.chain_id = deployment.chain_id
        self.marketplace = _contract(w3, deployment, "Marketplace")
        self.oracle = _contract(w3, deployment, ORACLE_CONTRACT)
        self.attester = Account.from_key(attester_key)
        self.relayer = Account.from_key(relayer_key) if relayer_key else self.attester
        self.domain = Domain.from_eip5267(self.oracle.functions.eip712Domain().call())
        self.errors = ErrorDecoder(self.oracle.abi, self.marketplace.abi)
        self._ttl = attestation_ttl
        self._receipt_timeout = receipt_timeout
        self._status_index = _output_index(self.marketplace.abi, "getLine", "status")
        self._send_lock = threading.Lock()
        # Unordered nonces: a random start per process never meets an earlier run's nonces, and
        # counting up from it keeps 255 of 256 attestations on an already written bitmap word.
        self._next_nonce = secrets.randbits(192) << 64
        self._next_tx_nonce = 0

    def readiness_problems(self) -> list[str]:
        """What would make every attestation revert (empty: ready)."""
        problems = []
        if self.w3.eth.chain_id != self.chain_id:
            problems.append(f"the RPC serves chain {self.w3.eth.chain_id}, the deployment record chain {self.chain_id}")
        if not self.oracle.functions.hasRole(keccak(text="ATTESTER_ROLE"), self.attester.address).call():
            problems.append(f"attester {self.attester.address} lacks ATTESTER_ROLE on the oracle")
        oracle_role = keccak(text="ORACLE_ROLE")
        if not self.marketplace.functions.hasRole(oracle_role, self.oracle.address).call():
            problems.append(f"the oracle {self.oracle.address} lacks ORACLE_ROLE on the marketplace")
        if self.w3.eth.get_balance(self.relayer.address) == 0:
            problems.append(f"relayer {self.relayer.address} has no ether for gas")
        return problems

    def line_status(self, line_id: int) -> str:
        """The line's IMarketplace.LineStatus, by name ("Shipped", "Delivered", ...)."""
        return LINE_STATUSES[self.marketplace.functions.getLine(line_id).call()[self._status_index]]

    def attest(self, shipments: list[Shipment], delivered_at: int) -> Attested:
        """Sign a Delivery for each shipment and send them in one transaction; wait for it to be mined.
        Raises AttestationFailed with the decoded error if the chain refuses (before sending, when
        the gas estimate reverts, or once mined)."""
        now = self.w3.eth.get_block("latest")["timestamp"]
        # The contract refuses a delivery time after the block's: the carrier's clock may run ahead.
        delivered_at = min(delivered_at, now)
        with self._send_lock:
            call = self._attestation_call(shipments, delivered_at, deadline=now + self._ttl)
            try:
                tx_nonce = max(self._next_tx_nonce, self.w3.eth.get_transaction_count(self.relayer.address, "pending"))
                transaction = call.build_transaction(
                    {"from": self.relayer.address, "nonce": tx_nonce, "chainId": self.chain_id}
                )
            except ContractLogicError as err:
                raise AttestationFailed(self.errors.describe(err)) from err
            signed = self.relayer.sign_transaction(transaction)
            tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
            self._next_tx_nonce = tx_nonce + 1
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=self._receipt_timeout)
        if receipt["status"] != 1:
            raise AttestationFailed(self._why_reverted(call, receipt["blockNumber"]), tx_hash.to_0x_hex())
        return Attested(tx_hash.to_0x_hex(), receipt["blockNumber"], receipt["gasUsed"])

    def _attestation_call(self, shipments: list[Shipment], delivered_at: int, *, deadline: int):
        deliveries = []
        for shipment in shipments:
            nonce, self._next_nonce = self._next_nonce, self._next_nonce + 1
            deliveries.append(Delivery(shipment.line_id, shipment.tracking_hash, delivered_at, nonce, deadline))
        signatures = [sign_delivery(self.attester.key, self.domain, delivery) for delivery in deliveries]
        functions = self.oracle.functions
        if len(deliveries) == 1:
            return functions.attestDelivery(deliveries[0].as_tuple(), signatures[0])
        return functions.attestDeliveries([delivery.as_tuple() for delivery in deliveries], signatures)

    def _why_reverted(self, call, block_number: int) -> str:
        try:
            call.call({"from": self.relayer.address}, block_identifier=block_number)
        except ContractLogicError as err:
            return self.errors.describe(err)
        return "reverted on chain (the call succeeds at its block: a race with another transaction)"


def _contract(w3: Web3, deployment: Deployment, name: str):
    record = deployment.contracts.get(name)
    if record is None:
        raise LookupError(f"no {name} in the deployment record")
    return w3.eth.contract(address=to_checksum_address(record.address), abi=record.abi)


def _output_index(abi: list[dict], function: str, field: str) -> int:
    """Where ``field`` sits in the struct ``function`` returns (web3 returns structs as tuples)."""
    (item,) = [entry for entry in abi if entry.get("type") == "function" and entry["name"] == function]
    return [component["name"] for component in item["outputs"][0]["components"]].index(field)
