"""Exact and near-duplicate deduplication and benchmark decontamination for medins.

Public API (all pure functions over batches, so the build engine can run them in-process or inside
Ray ``map_batches`` / ``groupby(...).map_groups`` steps):

* :func:`normalize`, :func:`exact_key` - canonical text and its exact-dedup key;
* :class:`MinHasher` - vectorised batch MinHash signatures;
* :class:`LSHParams`, :func:`band_keys`, :func:`candidate_pairs` - banded LSH and the group-by body;
* :func:`near_duplicate_clusters`, :func:`connected_components`, :func:`choose_keep` - clustering and
  the keep policy;
* :func:`dedup_table`, :func:`dedup_batches` - the reference streaming driver;
* :class:`Decontaminator` - n-gram / MinHash overlap with evaluation sets.

CLI entry points live in :mod:`medins.dedup.cli`.
"""

from .clusters import (
    LICENSE_RANKS,
    UnionFind,
    choose_keep,
    connected_components,
    exact_jaccard,
    license_class,
    license_rank,
    near_duplicate_clusters,
    verify_pairs_minhash,
)
from .decontam import Decontaminator, IndexPart
from .driver import DedupInputError, DedupResult, dedup_batches, dedup_table
from .lsh import LSHParams, band_keys, band_rows, bucket_pairs, candidate_pairs, collision_probability
from .minhash import MinHasher, estimate_jaccard
from .normalize import exact_key, normalize, normalize_words

__all__ = [
    "LICENSE_RANKS",
    "Decontaminator",
    "IndexPart",
    "DedupInputError",
    "DedupResult",
    "LSHParams",
    "MinHasher",
    "UnionFind",
    "band_keys",
    "band_rows",
    "bucket_pairs",
    "candidate_pairs",
    "choose_keep",
    "collision_probability",
    "connected_components",
    "dedup_batches",
    "dedup_table",
    "estimate_jaccard",
    "exact_jaccard",
    "exact_key",
    "license_class",
    "license_rank",
    "near_duplicate_clusters",
    "normalize",
    "normalize_words",
    "verify_pairs_minhash",
]
