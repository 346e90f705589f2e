"""Benchmark decontamination: find training texts that overlap evaluation items.

Three tests, all on normalised words (:func:`~medins.dedup.normalize.normalize`), each reported with
its own ``kind``:

``"ngram13"`` (``f"ngram{n}"`` for other ``n``)
    the training text shares at least one word n-gram (default 13, the GPT-3 / PaLM contamination
    convention) with an evaluation item of at least ``n`` words. Catches an evaluation question or
    passage copied *inside* a longer training record.
``"exact"``
    for evaluation items shorter than ``n`` words, which have no n-gram: the whole normalised item
    equals the whole normalised training text, or - when the item has at least ``min_phrase_words``
    words (default 8) - appears in the training text as a contiguous run of words. Below that length
    a phrase is too generic ("what are the symptoms of") to mean contamination, so only equality is
    tested.
``"minhash"``
    estimated Jaccard similarity of 5-word shingle sets ``>= threshold`` (default 0.8), through banded
    LSH over the evaluation signatures: near-copies with edits spread everywhere, which leave no
    13-gram intact. Texts of fewer than 5 words are one shingle, i.e. they match by equality only.

The index holds sorted ``uint64`` arrays (n-gram hashes, phrase hashes per length, whole-text digests,
band keys) plus the evaluation signatures; ``check`` is vectorised per batch with ``searchsorted``.
A 64-bit hash collision can only add a false hit with probability ~ (#grams)^2 / 2^64.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np

from .lsh import LSHParams, band_keys
from .minhash import MinHasher
from .tokens import TokenBatch, doc_digests, kgram_hashes, tokenize

__all__ = ["Decontaminator", "Hit", "IndexPart"]

#: One finding: (benchmark name, evaluation item id, kind).
Hit = tuple[str, str, str]

_EXACT, _NGRAM, _MINHASH = 0, 1, 2


def _chunks(items: Iterable[tuple[str, ...]], size: int) -> Iterator[list[tuple[str, ...]]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _drain(arrays: list[np.ndarray], dtype, row: tuple[int, ...] = ()) -> np.ndarray:
    """The arrays (of rows of shape ``row``) concatenated into one of ``dtype``, emptying the list as
    they are copied: the concatenation and its parts are never all held at once."""
    out = np.empty((sum(len(a) for a in arrays), *row), dtype=dtype)
    at = 0
    arrays.reverse()
    while arrays:
        a = arrays.pop()
        out[at : at + len(a)] = a
        at += len(a)
    return out


def _numbers(base: int, positions: np.ndarray) -> np.ndarray:
    """Item numbers ``base + positions``, as int32 while they fit (half the index's item column)."""
    out = base + positions.astype(np.int64, copy=False)
    return out.astype(np.int32) if base + int(positions.max(initial=0)) < 2**31 else out


#: Keys that the index sorts at once, as one part of its build.
_PART_KEYS = 1 << 20


def _map_in_order(fn, items: Iterable, threads: int) -> list:
    """``[fn(x) for x in items]``, on ``threads`` threads when more than one: for NumPy work that lets
    go of the GIL. At most ``threads`` calls run (and hold their temporaries) at once."""
    items = list(items)
    if threads <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(threads, len(items))) as pool:
        return list(pool.map(fn, items))


def _rare(k: np.ndarray, v: np.ndarray, max_items: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct sorted (key, item) pairs whose key at most ``max_items`` distinct items hold."""
    if not k.size:
        return k, v
    first = np.empty(k.size, dtype=bool)  # first row of each key's run
    first[0] = True
    np.not_equal(k[1:], k[:-1], out=first[1:])
    pair = first.copy()  # first row of each distinct (key, item)
    pair[1:] |= v[1:] != v[:-1]
    starts = np.flatnonzero(first)
    distinct = np.add.reduceat(pair.astype(np.int32), starts)
    keep = np.repeat(distinct <= max_items, np.diff(np.append(starts, k.size)))
    keep &= pair
    return k[keep], v[keep]


class _SortedIndex:
    """Sorted ``uint64`` keys with an item number each; lookup of many keys at once.

    Most looked-up keys are absent (a training text shares no 13-gram with any evaluation item), and a
    binary search in a large index misses the cache at every step. So the index also keeps a bitset
    of its keys' top bits, 16 bits per key: a key whose bit is clear is surely absent, and the search
    runs for the ~6% others. The keys are well-mixed hashes, so their top bits spread evenly.
    """

    def __init__(self, keys: list[np.ndarray], items: list[np.ndarray], max_items: int | None = None,
                 threads: int = 1) -> None:
        """Index the pairs of ``keys[i]`` and ``items[i]`` (the lists are emptied as they are read).

        With ``max_items``, keys that more than that many distinct items hold are left out, and so are
        repeated pairs. Item numbers must not decrease in the order given (callers number evaluation
        items as they read them): one stable sort by key then gives the (key, item) order.

        The pairs are sorted part by part, a part being the keys with the same top bits, about a
        million keys each: only one part's sort and its temporaries are held at a time, besides the
        pairs themselves, and dropping frequent keys shrinks each part before the next is sorted.
        With ``threads`` > 1, that many parts are sorted at once (NumPy sorts without the GIL); each
        part's result is the same, so the index is too.
        """
        total = sum(len(a) for a in keys)
        bits = min(8, (total // _PART_KEYS).bit_length())
        dtype = np.int64 if any(a.dtype == np.int64 for a in items) else np.int32
        keys.reverse()
        items.reverse()
        chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        while keys:  # each chunk reordered by part once; the list lets go of the original
            k, v = keys.pop(), items.pop()
            if bits:
                part = (k >> np.uint64(64 - bits)).astype(np.uint16)
                order = np.argsort(part, kind="stable")
                k, v = k[order], v[order]
                bounds = np.zeros((1 << bits) + 1, dtype=np.int64)
                np.cumsum(np.bincount(part, minlength=1 << bits), out=bounds[1:])
            else:
                bounds = np.array([0, len(k)], dtype=np.int64)
            chunks.append((k, v, bounds))

        def sort_part(p: int) -> tuple[np.ndarray, np.ndarray]:
            k = np.concatenate([c[0][c[2][p] : c[2][p + 1]] for c in chunks] or [np.empty(0, np.uint64)])
            v = np.concatenate([c[1][c[2][p] : c[2][p + 1]] for c in chunks] or [np.empty(0, dtype)])
            if v.size > 1 and not (v[1:] >= v[:-1]).all():
                order = np.lexsort((v, k))
            else:
                order = np.argsort(k, kind="stable")
            k, v = k[order], v[order].astype(dtype, copy=False)
            return _rare(k, v, max_items) if max_items is not None else (k, v)

        sorted_parts = _map_in_order(sort_part, range(1 << bits), threads)
        out_k = [k for k, _ in sorted_parts]
        out_v = [v for _, v in sorted_parts]
        del chunks, sorted_parts
        self.keys = _drain(out_k, np.uint64)
        self.items = _drain(out_v, dtype)
        self._build_filter()

    def _build_filter(self) -> None:
        bits = max(int(self.keys.size * 16 - 1).bit_length(), 6)
        self._shift = np.uint64(64 - bits)
        self._filter = np.zeros(1 << (bits - 3), dtype=np.uint8)
        if not self.keys.size:
            return
        top = self.keys >> self._shift  # sorted, as the keys are: the bits of one byte are neighbours
        byte = (top >> np.uint64(3)).astype(np.int64)
        flag = np.left_shift(np.uint8(1), (top & np.uint64(7)).astype(np.uint8))
        starts = np.flatnonzero(np.r_[True, byte[1:] != byte[:-1]])
        self._filter[byte[starts]] = np.bitwise_or.reduceat(flag, starts)

    def _maybe(self, query: np.ndarray) -> np.ndarray:
        """Positions of the queries that may be keys (all that are, and a few that are not)."""
        top = query.astype(np.uint64, copy=False) >> self._shift
        byte = self._filter[(top >> np.uint64(3)).astype(np.int64)]
        return np.flatnonzero((byte >> (top & np.uint64(7)).astype(np.uint8)) & np.uint8(1))

    def __len__(self) -> int:
        return int(self.keys.size)

    def lookup(self, query: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All (owner, item) for which ``query[i]`` equals an indexed key (``owner[i]`` is the doc)."""
        if not self.keys.size or not query.size:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        # The filter leaves the queries that may be keys; one search finds where each would sit, and the
        # search for the end of the run of equal keys is made for those that are there.
        maybe = self._maybe(query)
        left = np.searchsorted(self.keys, query[maybe], side="left")
        found = np.flatnonzero(self.keys[np.minimum(left, self.keys.size - 1)] == query[maybe])
        if not found.size:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        hit = maybe[found]
        left = left[found]
        cnt_h = np.searchsorted(self.keys, query[hit], side="right") - left
        rep_owner = np.repeat(owner[hit], cnt_h)
        first = np.repeat(left, cnt_h)
        step = np.arange(int(cnt_h.sum()), dtype=np.int64) - np.repeat(np.cumsum(cnt_h) - cnt_h, cnt_h)
        return rep_owner, self.items[first + step]


def _with_ids(entries: Iterable[tuple[str, ...]]) -> Iterator[tuple[str, str, str]]:
    """``(benchmark, eval_id, text)`` entries; a ``(benchmark, text)`` entry's id is its 0-based position
    among its benchmark's entries."""
    counters: dict[str, int] = {}
    for entry in entries:
        if len(entry) == 2:
            bench, text = entry
            eid = str(counters.get(bench, 0))
        elif len(entry) == 3:
            bench, eid, text = entry
        else:
            raise ValueError("eval_texts entries must be (benchmark, text) or (benchmark, eval_id, text)")
        counters[bench] = counters.get(bench, 0) + 1
        yield bench, eid, text


def _empty_pair() -> tuple[np.ndarray, np.ndarray]:
    return np.empty(0, np.uint64), np.empty(0, np.int64)


@dataclass
class IndexPart:
    """The features of some evaluation items (`Decontaminator.features`), items numbered from 0: what
    the index is assembled from. Keys are paired with item positions; `bands` pairs each band-key row
    with its item."""

    benchmarks: list[str]
    eval_ids: list[str]
    ngrams: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pair)
    whole: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pair)
    phrases: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    signatures: np.ndarray = field(default_factory=lambda: np.empty((0, 0), np.uint64))
    bands: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.empty((0, 0), np.uint64),
                                                                          np.empty(0, np.int64)))

    def __len__(self) -> int:
        return len(self.eval_ids)

    def save(self, path: str | Path) -> None:
        """Write the part to `path` (an uncompressed `.npz`, atomically)."""
        arrays = {"benchmarks": np.array(self.benchmarks, dtype=str), "eval_ids": np.array(self.eval_ids, dtype=str),
                  "ngram_keys": self.ngrams[0], "ngram_items": self.ngrams[1],
                  "whole_keys": self.whole[0], "whole_items": self.whole[1],
                  "signatures": self.signatures, "band_keys": self.bands[0], "band_items": self.bands[1]}
        for length, (keys, items) in self.phrases.items():
            arrays[f"phrase{length}_keys"], arrays[f"phrase{length}_items"] = keys, items
        part = Path(f"{path}.part")
        with open(part, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(part, path)

    @classmethod
    def load(cls, path: str | Path) -> IndexPart:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        lengths = sorted(int(name[6:-5]) for name in arrays if name.startswith("phrase") and name.endswith("_keys"))
        return cls(arrays["benchmarks"].tolist(), arrays["eval_ids"].tolist(),
                   ngrams=(arrays["ngram_keys"], arrays["ngram_items"]),
                   whole=(arrays["whole_keys"], arrays["whole_items"]),
                   phrases={n: (arrays[f"phrase{n}_keys"], arrays[f"phrase{n}_items"]) for n in lengths},
                   signatures=arrays["signatures"], bands=(arrays["band_keys"], arrays["band_items"]))


class Decontaminator:
    """Index of evaluation items; :meth:`check` lists the items each training text overlaps.

    ``eval_texts`` yields ``(benchmark, text)`` - the item id is then its 0-based position within that
    benchmark, as a string - or ``(benchmark, eval_id, text)``; with None, the index is empty until
    :meth:`add_parts` builds it from items' :meth:`features`. ``ngrams=False`` leaves out the long
    n-gram index, for callers that count only whole-text and MinHash matches (it is most of the work).
    ``ngram_max_items=k`` leaves out every n-gram found in more than ``k`` evaluation items: boilerplate
    that templated items share (a case-history opening, a note header) is not leakage of any one item.
    """

    def __init__(
        self,
        eval_texts: Iterable[tuple[str, str] | tuple[str, str, str]] | None,
        ngram: int = 13,
        threshold: float = 0.8,
        *,
        num_perm: int = 128,
        shingle: int = 5,
        seed: int = 1,
        min_phrase_words: int = 8,
        params: LSHParams | None = None,
        batch_rows: int = 4096,
        ngrams: bool = True,
        ngram_max_items: int | None = None,
        signature_file: str | Path | None = None,
    ) -> None:
        if ngram < 1:
            raise ValueError("ngram must be >= 1")
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.ngram = int(ngram)
        self.threshold = float(threshold)
        self.min_phrase_words = int(min_phrase_words)
        self.kind_ngram = f"ngram{self.ngram}"
        self.hasher = MinHasher(num_perm=num_perm, shingle=shingle, seed=seed)
        self.params = params or LSHParams.for_threshold(min(threshold, 0.99), num_perm)
        self.batch_rows = int(batch_rows)
        self.benchmarks: list[str] = []
        self.eval_ids: list[str] = []

        self._sig_file = None if signature_file is None else str(signature_file)
        self._sig_map: np.ndarray | None = None
        self._sigs = np.empty((0, num_perm), np.uint64)
        self._ngram_max_items = ngram_max_items
        if eval_texts is not None:
            chunks = _chunks(_with_ids(eval_texts), self.batch_rows)
            self.add_parts(self.features(chunk, ngrams=ngrams) for chunk in chunks)

    @classmethod
    def from_parts(cls, parts: Iterable[IndexPart], **kwargs) -> Decontaminator:
        """The index of items whose features were computed apart (`features`, maybe by other
        processes, with the same parameters), in the order given: the same index as one built from
        the items' texts in that order."""
        index = cls(None, **kwargs)
        index.add_parts(parts)
        return index

    def features(self, entries: Sequence[tuple[str, str, str]], ngrams: bool = True) -> IndexPart:
        """What the index keeps of some ``(benchmark, eval_id, text)`` items: the per-item work of a
        build (tokens, n-gram hashes, MinHash signatures), items numbered from 0 in the order given."""
        benchmarks = [str(e[0]) for e in entries]
        ids = [str(e[1]) for e in entries]
        texts = [e[2] for e in entries]
        tokens = tokenize(texts)
        lengths = tokens.lengths()
        part = IndexPart(benchmarks, ids)
        if ngrams:
            grams, goff = kgram_hashes(tokens, self.ngram, short="drop")
            part.ngrams = (grams, np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(goff)))
        short = np.flatnonzero((lengths > 0) & (lengths < self.ngram))
        if short.size:
            part.whole = (doc_digests(tokens)[short, 0], short)
            for length in np.unique(lengths[short]).tolist():
                if length < self.min_phrase_words:
                    continue
                docs = short[lengths[short] == length]
                g, _ = kgram_hashes(_subset(tokens, docs), length, short="drop")  # exactly one gram per doc
                part.phrases[length] = (g, docs)
        part.signatures = self.hasher.signatures_from_shingles(*kgram_hashes(tokens, self.hasher.shingle,
                                                                             short="whole"))
        live = np.flatnonzero(lengths > 0)
        part.bands = (band_keys(part.signatures[live], self.params), live)
        return part

    def add_parts(self, parts: Iterable[IndexPart], threads: int = 1) -> None:
        """Build the index from `parts` (once, on an empty index), its sorts on up to ``threads``
        threads (the same index for any number)."""
        if self.eval_ids:
            raise ValueError("the index is built already")
        ng_keys: list[np.ndarray] = []
        ng_items: list[np.ndarray] = []
        phrase: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = {}
        whole_keys: list[np.ndarray] = []
        whole_items: list[np.ndarray] = []
        band_k: list[list[np.ndarray]] = [[] for _ in range(self.params.bands)]
        band_i: list[np.ndarray] = []
        sigs: list[np.ndarray] = []
        spill = None if self._sig_file is None else open(f"{self._sig_file}.part", "wb")  # noqa: SIM115
        try:
            for part in parts:
                if not len(part):
                    continue
                base = len(self.eval_ids)
                self.benchmarks += part.benchmarks
                self.eval_ids += part.eval_ids
                ng_keys.append(part.ngrams[0])
                ng_items.append(_numbers(base, part.ngrams[1]))
                whole_keys.append(part.whole[0])
                whole_items.append(_numbers(base, part.whole[1]))
                for length, (g, docs) in part.phrases.items():
                    ks, its = phrase.setdefault(length, ([], []))
                    ks.append(g)
                    its.append(_numbers(base, docs))
                if spill is None:
                    sigs.append(part.signatures)
                else:
                    spill.write(np.ascontiguousarray(part.signatures, np.uint64).tobytes())
                keys, live = part.bands
                for j in range(self.params.bands):
                    band_k[j].append(keys[:, j])
                band_i.append(_numbers(base, live))
        except BaseException:
            if spill is not None:
                spill.close()
                os.unlink(spill.name)
            raise
        self._ngrams = _SortedIndex(ng_keys, ng_items, self._ngram_max_items, threads=threads)
        self._phrases = {length: _SortedIndex(*v, threads=threads) for length, v in sorted(phrase.items())}
        self._whole = _SortedIndex(whole_keys, whole_items, threads=threads)
        # One band's index is a few sorts of its own: the bands are built side by side instead.
        self._bands = _map_in_order(lambda j: _SortedIndex(band_k[j], list(band_i)), range(self.params.bands),
                                    threads)
        del band_k
        if spill is None:
            self._sigs = _drain(sigs, np.uint64, (self.hasher.num_perm,))
        else:
            spill.close()
            os.replace(spill.name, self._sig_file)

    @property
    def signatures(self) -> np.ndarray:
        """The evaluation items' MinHash signatures, ``(len(self), num_perm)`` ``uint64``.

        With ``signature_file`` they were written there as the index was built, and are read (mapped)
        as MinHash candidates need them: a few rows per checked batch, where the array in memory
        would be the largest part of the index (1 KiB per item).
        """
        if self._sig_file is None:
            return self._sigs
        if self._sig_map is None:
            shape = (len(self.eval_ids), self.hasher.num_perm)
            self._sig_map = (np.memmap(self._sig_file, dtype=np.uint64, mode="r", shape=shape) if shape[0]
                             else np.empty(shape, np.uint64))
        return self._sig_map

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_sig_map"] = None  # a mapping is opened again where the index is used
        return state

    def __len__(self) -> int:
        return len(self.eval_ids)

    def check(self, texts: Sequence[str]) -> list[list[Hit]]:
        """For each text, the sorted, distinct ``(benchmark, eval_id, kind)`` it overlaps."""
        out: list[list[Hit]] = []
        for s in range(0, len(texts), self.batch_rows):
            out.extend(self._check_batch(texts[s : s + self.batch_rows]))
        return out

    def check_arrays(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised form of :meth:`check` for one batch: parallel arrays (doc, item, kind code).

        Kind codes: 0 exact, 1 n-gram, 2 MinHash. Rows are unique and sorted by (doc, kind, item).
        """
        n = len(texts)
        tokens = tokenize(texts)
        lengths = tokens.lengths()
        docs: list[np.ndarray] = []
        items: list[np.ndarray] = []
        kinds: list[np.ndarray] = []

        def add(d: np.ndarray, it: np.ndarray, kind: int) -> None:
            docs.append(d)
            items.append(it)
            kinds.append(np.full(d.size, kind, dtype=np.int64))

        # n-grams
        if len(self._ngrams):
            grams, goff = kgram_hashes(tokens, self.ngram, short="drop")
            owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(goff))
            add(*self._ngrams.lookup(grams, owner), _NGRAM)
        # short items: whole-text equality, then contiguous phrases
        if len(self._whole):
            dig = doc_digests(tokens)
            d, it = self._whole.lookup(dig[:, 0], np.arange(n, dtype=np.int64))
            add(d, it, _EXACT)
        for length, index in self._phrases.items():
            if not (lengths >= length).any():
                continue
            g, goff = kgram_hashes(tokens, length, short="drop")
            owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(goff))
            add(*index.lookup(g, owner), _EXACT)
        # MinHash
        live = np.flatnonzero(lengths > 0)
        if live.size and len(self.eval_ids):
            sig = self.hasher.signatures_from_shingles(
                *kgram_hashes(_subset(tokens, live), self.hasher.shingle)
            )
            keys = band_keys(sig, self.params)
            cand_d: list[np.ndarray] = []
            cand_i: list[np.ndarray] = []
            local = np.arange(live.size, dtype=np.int64)
            for j, index in enumerate(self._bands):
                d, it = index.lookup(keys[:, j], local)
                cand_d.append(d)
                cand_i.append(it)
            d = np.concatenate(cand_d)
            it = np.concatenate(cand_i)
            if d.size:
                code = np.unique((d.astype(np.uint64) << np.uint64(32)) | it.astype(np.uint64))
                d = (code >> np.uint64(32)).astype(np.int64)
                it = (code & np.uint64(0xFFFFFFFF)).astype(np.int64)
                est = (sig[d] == self.signatures[it]).mean(axis=1)
                ok = est >= self.threshold - 1e-12
                add(live[d[ok]], it[ok], _MINHASH)
        if not docs:
            e = np.empty(0, np.int64)
            return e, e, e
        d = np.concatenate(docs)
        it = np.concatenate(items)
        k = np.concatenate(kinds)
        order = np.lexsort((it, k, d))
        d, it, k = d[order], it[order], k[order]
        keep = np.ones(d.size, dtype=bool)
        keep[1:] = (d[1:] != d[:-1]) | (it[1:] != it[:-1]) | (k[1:] != k[:-1])
        return d[keep], it[keep], k[keep]

    def kind_name(self, code: int) -> str:
        return ("exact", self.kind_ngram, "minhash")[code]

    def _check_batch(self, texts: Sequence[str]) -> list[list[Hit]]:
        d, it, k = self.check_arrays(texts)
        out: list[list[Hit]] = [[] for _ in texts]
        for doc, item, kind in zip(d.tolist(), it.tolist(), k.tolist()):
            out[doc].append((self.benchmarks[item], self.eval_ids[item], self.kind_name(kind)))
        for doc in np.unique(d).tolist():  # the texts with a hit: most have none
            out[doc].sort()
        return out


def _subset(tokens: TokenBatch, docs: np.ndarray) -> TokenBatch:
    """The word hashes of the selected documents, as a new batch."""
    off = tokens.offsets
    lengths = off[docs + 1] - off[docs]
    new_off = np.zeros(docs.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_off[1:])
    idx = np.repeat(off[docs] - new_off[:-1], lengths) + np.arange(int(new_off[-1]), dtype=np.int64)
    return TokenBatch(hashes=tokens.hashes[idx], offsets=new_off)
