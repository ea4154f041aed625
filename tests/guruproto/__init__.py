"""GuruConnect's wire protocol in Python, for the tests and the vector generator (docs/protocol.md).

One implementation, independent of the agent's C++, the server's Swift and the viewer's JavaScript:
Python's struct for the layouts and pyca/cryptography (OpenSSL) for ECDH, HKDF and AES-GCM. It is
checked against every vector in protocol/vectors by tests/integration/test_guruproto_vectors.py.

- `envelope`: the frames the server reads (§2): encode, decode (with every error the vectors name)
  and one builder per message.
- `inner`: the end-to-end messages, the plaintext of sealed records (§4).
- `e2e`: the key exchange, key schedule and sealed records of the end-to-end channel (§3).
- `trailer`: the signed trailer of a one-time support agent (docs/support.md §4).
- `vectors`: the JSON shape of the vectors (hex bytes, decimal u64) to and from Python values.

Import it as `import guruproto` with tests/ on sys.path: the pytest suites' conftest.py files put
it there, and the standalone scripts (agent/tests/net, protocol/tools) insert it themselves.
"""
from guruproto import e2e, envelope, inner, trailer, vectors  # noqa: F401

__all__ = ["e2e", "envelope", "inner", "trailer", "vectors"]
