"""Deploy the logistics oracle behind a UUPS proxy and give it the Marketplace's ORACLE_ROLE (not an
ape script: the leading underscore; scripts/deploy.py calls it)."""

from __future__ import annotations

from ape import project


def deploy_oracle(deployer, marketplace, *, admin=None, attesters=()):
    """Deploy a LogisticsOracle implementation bound to ``marketplace`` and its MallProxy, initialised
    for ``admin`` (default: the deployer: DEFAULT_ADMIN_ROLE and UPGRADER_ROLE) with ``attesters``
    (addresses or accounts) holding ATTESTER_ROLE; then grant the proxy ORACLE_ROLE on the
    Marketplace, which the deployer must administer.

    Returns ``(oracle_at_proxy, implementation)``.
    """
    implementation = deployer.deploy(project.LogisticsOracle, marketplace)
    init_data = implementation.initialize.encode_input(admin or deployer, [str(a) for a in attesters])
    proxy = deployer.deploy(project.MallProxy, implementation, init_data)
    marketplace.grantRole(marketplace.ORACLE_ROLE(), proxy, sender=deployer)
    return project.LogisticsOracle.at(proxy.address), implementation
