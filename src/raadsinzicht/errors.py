"""One exception tree for the whole package.

RaadsinzichtError
├── ConfigError          settings file or values unusable
├── InputError           a file cannot be ingested (one line: file and reason)
├── IndexError_          the index on disk cannot be used as is
│   └── EmbedderMismatchError   collection built with another embedder
├── BackendError         a local service (Chroma server, Ollama) failed
└── RemoteSourceError    a council information system (RIS API) failed or refused
"""

from __future__ import annotations

__all__ = [
    "BackendError",
    "ConfigError",
    "EmbedderMismatchError",
    "IndexError_",
    "InputError",
    "RaadsinzichtError",
    "RemoteSourceError",
]


class RaadsinzichtError(Exception):
    """Base class: every error the package raises on purpose. Its message is user-facing Dutch."""


class ConfigError(RaadsinzichtError):
    """The configuration cannot be used."""


class InputError(RaadsinzichtError):
    """A single input file cannot be ingested; the rest of the batch proceeds."""


class IndexError_(RaadsinzichtError):
    """The stored index cannot be used as it is."""


class EmbedderMismatchError(IndexError_):
    """The vector collection was built with a different embedder or dimension."""


class BackendError(RaadsinzichtError):
    """A local backend (Chroma server, Ollama) failed or is unreachable."""


class RemoteSourceError(RaadsinzichtError):
    """A remote council information system (RIS API, download host) failed or refused;
    what was synchronised before stays stored."""
