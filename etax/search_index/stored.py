"""Built catalogues kept on disk, so that a worker starts without indexing again what it indexed before.

Building the catalogue of the portal's functions (pinyin of every name suffix, the Whoosh segment)
is the largest single cost of a worker's start-up, and every worker of every start-up built the same
one. :func:`load_or_build` keys a built catalogue by everything it is made of — the documents, the
extra synonyms, the source and data files of this package (the analysers, the shipped synonyms and
intents) and the versions of Whoosh and pypinyin — and keeps it in a directory (``ETAX_VAR_DIR``):
the next start-up with the same documents reads it back (milliseconds) instead of building it. Any
change of documents, synonyms, code or library versions gives another key, hence a fresh build; a
file that cannot be read is rebuilt and replaced.

The files are pickles of the catalogue's tables and the Whoosh segment's bytes, written by this
process to a private directory of the application (whoever can write there can change the
application anyway). Writes go to a temporary file renamed into place, so workers starting
together never read a half-written file; the :data:`KEEP` most recently used files are kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import logging
import os
import pickle
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import msgspec
import whoosh

from .documents import SearchDocument
from .index import Catalogue, _MemoryStorage, build_catalogue, open_searcher
from .synonyms import SynonymTable

__all__ = ["KEEP", "catalogue_key", "load_or_build"]

log = logging.getLogger("etax.search")

FORMAT = b"etax-catalogue-1"
KEEP = 8
PREFIX = "catalogue-"
SUFFIX = ".pickle"
# Built per process, never stored: the reader lock and the memos of answered look-ups.
_TRANSIENT = frozenset({"_searcher", "_lock", "_memo", "_term_memo"})


@cache
def _code_fingerprint() -> bytes:
    """This package's source and data files and the index libraries' versions."""
    digest = hashlib.sha256(FORMAT)
    digest.update(whoosh.versionstring().encode())
    digest.update(importlib.metadata.version("pypinyin").encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.iterdir()):
        if path.suffix in (".py", ".tsv"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.digest()


def catalogue_key(documents: Sequence[SearchDocument], synonyms_fingerprint: bytes) -> str:
    """The key of the catalogue of ``documents`` with the extra synonyms ``synonyms_fingerprint`` names."""
    digest = hashlib.sha256(_code_fingerprint())
    digest.update(hashlib.sha256(synonyms_fingerprint).digest())
    digest.update(msgspec.msgpack.encode(list(documents)))
    return digest.hexdigest()[:40]


def _dump(catalogue: Catalogue) -> bytes:
    # The tax names' readings are stored with the catalogue: a worker reading it back answers typed pinyin
    # without loading pypinyin until some Han text must be read.
    catalogue.intents.tax_named_by_reading("")
    tables = {
        item.name: getattr(catalogue, item.name)
        for item in dataclasses.fields(Catalogue)
        if item.name not in _TRANSIENT
    }
    files = dict(catalogue._searcher._ix.storage.files)  # the catalogue's own index
    return pickle.dumps((FORMAT, tables, files), protocol=pickle.HIGHEST_PROTOCOL)


def _load(data: bytes) -> Catalogue:
    marker, tables, files = pickle.loads(data)  # written by this application (module doc)
    if marker != FORMAT:
        raise ValueError("not an etax catalogue")
    storage = _MemoryStorage()
    storage.files = files
    return Catalogue(**tables, _searcher=open_searcher(storage))


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another worker's clean-up
        return 0.0


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, then drop all but the :data:`KEEP` most recent files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=SUFFIX)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    stored = sorted(path.parent.glob(f"{PREFIX}*{SUFFIX}"), key=_last_used, reverse=True)
    for old in stored[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def load_or_build(
    documents: Sequence[SearchDocument],
    synonyms: SynonymTable | None,
    *,
    directory: Path,
    synonyms_fingerprint: bytes = b"",
) -> Catalogue:
    """The catalogue of ``documents`` (``synonyms`` as for :func:`build_catalogue`), read from
    ``directory`` when it was built before with the same inputs, else built and stored there.

    ``synonyms_fingerprint`` must differ whenever ``synonyms`` does (e.g. the extra synonyms encoded);
    a directory that cannot be written only costs the saving, never the index.
    """
    path = directory / f"{PREFIX}{catalogue_key(documents, synonyms_fingerprint)}{SUFFIX}"
    try:
        catalogue = _load(path.read_bytes())
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or foreign file: built again and replaced below
        log.warning("search index: %s could not be read; building the index again", path, exc_info=True)
    else:
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used: kept by the clean-up
        return catalogue
    catalogue = build_catalogue(documents, synonyms)
    try:
        _write(path, _dump(catalogue))
    except OSError:
        log.warning("search index: could not store the index in %s", directory, exc_info=True)
    return catalogue
