"""EIP-2612 permits signed off chain, as a wallet's eth_signTypedData_v4 would (for the gas
benchmark and the tests; not an ape script: the leading underscore)."""

from ape import chain
from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data


def permit_message(token, owner: str, spender: str, value: int, nonce: int, deadline: int) -> SignableMessage:
    """The EIP-712 message that authorises `spender` to take `value` of `owner`'s `token`."""
    return encode_typed_data(
        full_message={
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Permit": [
                    {"name": "owner", "type": "address"},
                    {"name": "spender", "type": "address"},
                    {"name": "value", "type": "uint256"},
                    {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"},
                ],
            },
            "primaryType": "Permit",
            "domain": {
                "name": token.name(),
                "version": "1",
                "chainId": chain.chain_id,
                "verifyingContract": str(token.address),
            },
            "message": {
                "owner": str(owner),
                "spender": str(spender),
                "value": value,
                "nonce": nonce,
                "deadline": deadline,
            },
        }
    )


def sign_permit(token, owner, spender, value: int, deadline: int, signer=None) -> tuple[int, bytes, bytes]:
    """(v, r, s) of `owner`'s permit at its current nonce, signed by `signer` (default: the owner;
    both ape test accounts, which hold their private keys)."""
    message = permit_message(token, owner.address, spender, value, token.nonces(owner), deadline)
    signed = Account.sign_message(message, (signer or owner).private_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
