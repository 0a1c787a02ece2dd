"""Configuration from the environment (or a .env file), with defaults for the local demo."""

from functools import cached_property
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    rpc_url: str = "http://127.0.0.1:8545"
    # What the browser's wallet is told to use (wallet_addEthereumChain); the indexer may reach
    # the node by a different address than users do.
    public_rpc_url: str | None = None
    chain_name: str = "Mall local (anvil)"
    database_url: str = f"sqlite:///{REPO_ROOT / 'mall.db'}"
    deployment_file: Path = REPO_ROOT / "deployments" / "31337.json"
    frontend_dir: Path = REPO_ROOT / "frontend"

    poll_interval: float = 0.2  # seconds between looks at the chain head (an idle look: two cheap calls)
    max_block_range: int = 2_000  # blocks per eth_getLogs call (halved while the provider refuses)
    confirmations: int = 0  # index up to head - confirmations (0 on the local chain)
    reorg_depth: int = 64  # how many recent blocks the store remembers to undo a reorg
    rpc_timeout: float = 10.0  # seconds per RPC request
    retry_max_delay: float = 30.0  # cap of the backoff while the RPC is unavailable
    web_concurrency: int = 1  # API worker processes (ingest stays in one)
    response_cache: bool = True  # keep API responses until the indexed data changes
    host: str = "127.0.0.1"
    port: int = 8000

    @cached_property
    def wallet_rpc_url(self) -> str:
        return self.public_rpc_url or self.rpc_url
