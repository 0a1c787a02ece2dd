"""Settings: required secrets, and ORACLE_HOST/ORACLE_PORT winning over the HOST/PORT the indexer reads."""

import pytest
from pydantic import ValidationError

from oracle.settings import ServiceSettings, SimulatorSettings

REQUIRED = {"ORACLE_PRIVATE_KEY": "0x" + "11" * 32, "WEBHOOK_SECRET": "whsec_test_0123456789abcdef"}


@pytest.fixture
def env(monkeypatch):
    for name in ("HOST", "PORT", "ORACLE_HOST", "ORACLE_PORT", "RELAYER_PRIVATE_KEY", *REQUIRED):
        monkeypatch.delenv(name, raising=False)
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_settings__defaults(env):
    settings = ServiceSettings(_env_file=None)
    assert (settings.host, settings.port, settings.relayer_private_key) == ("127.0.0.1", 8100, None)
    assert "11" * 32 not in repr(settings) and "whsec" not in repr(settings)  # secrets stay hidden


def test_settings__oracle_port_wins_over_the_shared_port(env):
    env.setenv("PORT", "8001")
    env.setenv("HOST", "0.0.0.0")
    assert (ServiceSettings(_env_file=None).host, ServiceSettings(_env_file=None).port) == ("0.0.0.0", 8001)
    env.setenv("ORACLE_PORT", "8200")
    env.setenv("ORACLE_HOST", "127.0.0.2")
    assert (ServiceSettings(_env_file=None).host, ServiceSettings(_env_file=None).port) == ("127.0.0.2", 8200)


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_settings__secrets_required(env, missing):
    env.delenv(missing)
    with pytest.raises(ValidationError, match=missing.lower()):
        ServiceSettings(_env_file=None)


@pytest.mark.parametrize("settings_class", [ServiceSettings, SimulatorSettings])
def test_settings__webhook_secret_too_short__refused(env, settings_class):
    env.setenv("WEBHOOK_SECRET", "short")
    with pytest.raises(ValidationError, match="webhook_secret"):
        settings_class(_env_file=None)
