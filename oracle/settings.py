"""Configuration from the environment (or a .env file), with defaults for the local demo.

HOST and PORT may be given as ORACLE_HOST and ORACLE_PORT, which win: the indexer reads HOST and
PORT too, and a shared .env must not put both on one port.
"""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class ChainSettings(BaseSettings):
    """What both the service and the carrier simulator need: the chain and the deployment record."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    rpc_url: str = "http://127.0.0.1:8545"
    deployment_file: Path = REPO_ROOT / "deployments" / "31337.json"
    poll_interval: float = 1.0  # seconds between looks for new LineShipped events
    max_block_range: int = 2_000  # blocks per eth_getLogs call
    rpc_timeout: float = 10.0  # seconds per RPC request


class ServiceSettings(ChainSettings):
    """The webhook receiver and attester (``python -m oracle serve``)."""

    oracle_private_key: SecretStr  # the attester's key: signs Delivery attestations (ATTESTER_ROLE)
    relayer_private_key: SecretStr | None = None  # pays for attestDelivery; default: the attester's account
    # Shared with the carrier: the HMAC-SHA256 key of Carrier-Signature (at least 16 characters).
    webhook_secret: SecretStr = Field(min_length=16)
    webhook_tolerance: int = 300  # seconds a signed webhook stays acceptable (replays of old ones: 401)
    attestation_ttl: int = 3600  # seconds an attestation may wait to be mined (its EIP-712 deadline)
    receipt_timeout: float = 120.0  # seconds to wait for an attestation's transaction to be mined
    host: str = Field("127.0.0.1", validation_alias=AliasChoices("oracle_host", "host"))
    port: int = Field(8100, validation_alias=AliasChoices("oracle_port", "port"))


class SimulatorSettings(ChainSettings):
    """The carrier simulator (``python -m oracle simulate``)."""

    webhook_url: str = "http://127.0.0.1:8100/webhooks/carrier"
    webhook_secret: SecretStr = Field(min_length=16)
    delay: float = 20.0  # seconds from shipping to "delivered" ("in_transit" at half of it)
