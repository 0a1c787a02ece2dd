"""Deploy the provenance register, the reviews and the profiles behind UUPS proxies (not an ape
script: the leading underscore; scripts/deploy.py calls it)."""

from __future__ import annotations

from ape import project

# Deployment order; each reads the Marketplace only.
TRACE_CONTRACTS = ("Provenance", "Reviews", "Profiles")


def deploy_trace(deployer, marketplace, *, admin=None) -> dict:
    """Deploy each contract's implementation (bound to ``marketplace``) and its MallProxy,
    initialised for ``admin`` (default: the deployer), who holds DEFAULT_ADMIN_ROLE and UPGRADER_ROLE.

    Returns ``{"Provenance": (contract_at_proxy, implementation), "Reviews": ..., "Profiles": ...}``.
    """
    deployed = {}
    for name in TRACE_CONTRACTS:
        container = getattr(project, name)
        implementation = deployer.deploy(container, marketplace)
        init_data = implementation.initialize.encode_input(admin or deployer)
        proxy = deployer.deploy(project.MallProxy, implementation, init_data)
        deployed[name] = (container.at(proxy.address), implementation)
    return deployed
