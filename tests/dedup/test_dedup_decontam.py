"""Decontamination: n-gram, short-text and MinHash overlap with evaluation sets.

No assertion compares raw record text: hits are compared as (benchmark, id, kind) tuples and
counts, so a failure never prints a PubMedQA passage.
"""

from __future__ import annotations

import json

import pytest
from dedup_helpers import corpus  # noqa: F401  (pytest fixture)
from dedup_helpers import Corpus, shared_path, vocabulary

from medins.dedup import Decontaminator


@pytest.fixture(scope="module")
def pubmedqa() -> tuple[dict, list[str], list[str]]:
    folder = shared_path("pubmedqa")
    items = json.loads((folder / "ori_pqal.json").read_text(encoding="utf-8"))
    test_ids = set(json.loads((folder / "test_ground_truth.json").read_text(encoding="utf-8")))
    test = [k for k in items if k in test_ids]
    train = [k for k in items if k not in test_ids]
    return items, test, train


def _item_text(item: dict) -> str:
    return " ".join([item["QUESTION"], *item["CONTEXTS"]])


def test_planted_pubmedqa_test_question_is_caught(pubmedqa) -> None:
    items, test, train = pubmedqa
    evals = [("pubmedqa_test", k, _item_text(items[k])) for k in test]
    evals += [("pubmedqa_test_q", k, items[k]["QUESTION"]) for k in test]
    index = Decontaminator(evals)
    assert len(index) == 2 * len(test)

    long_q = next(k for k in test if 13 <= len(items[k]["QUESTION"].split()) <= 20)
    short_q = next(k for k in test if 8 <= len(items[k]["QUESTION"].split()) < 12)
    # training corpus: the 500 non-test PubMedQA items as instruction records, plus plants
    corpus = [
        f"Answer the question using the abstract.\nAbstract: {' '.join(items[k]['CONTEXTS'])}\n"
        f"Question: {items[k]['QUESTION']}\nAnswer: {items[k]['LONG_ANSWER']}"
        for k in train
    ]
    planted_full = len(corpus)
    corpus.append(
        "INSTRUCTION: read the passage and answer yes, no or maybe.\n"
        + " ".join(items[test[0]]["CONTEXTS"]).upper()  # case and layout changes do not hide it
        + "\nQ: "
        + items[test[0]]["QUESTION"]
    )
    planted_long_q = len(corpus)
    corpus.append(f"Patient forum post. {items[long_q]['QUESTION']} Thanks for any advice!")
    planted_short_q = len(corpus)
    corpus.append(f"Quiz: {items[short_q]['QUESTION'].lower()} (answer below)")

    hits = index.check(corpus)
    flagged = [i for i, h in enumerate(hits) if h]
    assert flagged == [planted_full, planted_long_q, planted_short_q]  # and no train item is flagged
    assert ("pubmedqa_test", test[0], "ngram13") in hits[planted_full]
    assert ("pubmedqa_test_q", long_q, "ngram13") in hits[planted_long_q]
    assert ("pubmedqa_test", long_q, "ngram13") in hits[planted_long_q]
    assert ("pubmedqa_test_q", short_q, "exact") in hits[planted_short_q]


def test_kinds_on_synthetic_items() -> None:
    vocab = vocabulary()
    words = vocab[:60]
    long_item = " ".join(words[:40])
    short_item = " ".join(words[40:52])  # 12 words: below the 13-gram size
    tiny_item = " ".join(words[52:56])  # 4 words: equality only
    index = Decontaminator(
        [("bench", long_item), ("bench", short_item), ("other", "x1", tiny_item)], ngram=13, threshold=0.8
    )
    texts = [
        "prefix words " + " ".join(words[10:23]) + " suffix",  # one shared 13-gram
        " ".join(words[40:51]),  # 11 of the 12 short words: no 13-gram, not contained, J = 7/8
        "Intro: " + short_item.upper() + "!",  # the short item, verbatim inside
        tiny_item.title(),  # tiny item, whole text equal
        "a " + tiny_item + " b",  # tiny item inside a longer text: too generic, not flagged
        " ".join(vocab[100:160]),  # unrelated
        "",
    ]
    hits = index.check(texts)
    assert hits[0] == [("bench", "0", "ngram13")]
    assert hits[1] == [("bench", "1", "minhash")]
    assert ("bench", "1", "exact") in hits[2]
    assert ("other", "x1", "exact") in hits[3]
    assert hits[4] == [] and hits[5] == [] and hits[6] == []


def test_no_false_positives_and_ngram_parameter(corpus: Corpus) -> None:
    evals = [("synthetic", str(i), corpus.texts[i]) for i in range(3000, 3050)]
    index = Decontaminator(evals, ngram=8)
    hits = index.check(corpus.texts[400:3000])  # base documents, none of them planted
    assert not any(hits)
    own = index.check([corpus.texts[3010]])[0]
    assert ("synthetic", "3010", "ngram8") in own and ("synthetic", "3010", "minhash") in own
    with pytest.raises(ValueError):
        Decontaminator([("b", "i", "t", "extra")])  # type: ignore[list-item]


def test_ngrams_shared_by_many_eval_items_are_boilerplate_not_leakage():
    opening = "a 54 year old man presents to the emergency department with a two day history of "
    evals = [("b", str(i), opening + rest) for i, rest in enumerate(
        ["fever and cough after travel", "chest pain radiating to the jaw", "sudden weakness of the right arm"])]
    evals.append(("b", "x", "the patient was given intravenous ceftriaxone and azithromycin for community "
                             "acquired pneumonia and improved within three days"))
    train = ["Another case: " + opening + "headache",
             "notes: the patient was given intravenous ceftriaxone and azithromycin for community acquired "
             "pneumonia and improved quickly"]
    every = Decontaminator(evals).check(train)
    assert [h[1] for h in every[0]] == ["0", "1", "2"]
    filtered = Decontaminator(evals, ngram_max_items=2).check(train)
    assert filtered == [[], [("b", "x", "ngram13")]]


@pytest.mark.parametrize("max_items", [None, 1, 2])
def test_index_sorted_part_by_part_is_the_whole_sorted_index(corpus: Corpus, monkeypatch, max_items) -> None:
    import numpy as np

    from medins.dedup import decontam
    from medins.dedup.tokens import kgram_hashes, tokenize

    # Items that share n-grams: each takes a few sentences of the base documents, some twice.
    texts = [" ".join(corpus.texts[(i * 7 + j) % 400] for j in range(1 + i % 3)) for i in range(300)]
    texts += texts[:40]
    evals = [("b", str(i), t) for i, t in enumerate(texts)]
    monkeypatch.setattr(decontam, "_PART_KEYS", 256)  # many parts of a few hundred keys
    parted = Decontaminator(evals, ngram=5, ngram_max_items=max_items, batch_rows=64)
    monkeypatch.setattr(decontam, "_PART_KEYS", 1 << 40)  # one part
    whole = Decontaminator(evals, ngram=5, ngram_max_items=max_items, batch_rows=64)
    assert len(parted._ngrams) == len(whole._ngrams)
    assert np.array_equal(parted._ngrams.keys, whole._ngrams.keys)
    assert np.array_equal(parted._ngrams.items, whole._ngrams.items)
    # The rule itself, pair by pair.
    grams, offsets = kgram_hashes(tokenize(texts), 5, short="drop")
    holders: dict[int, set[int]] = {}
    pairs = []
    for item in range(len(texts)):
        for key in grams[offsets[item] : offsets[item + 1]].tolist():
            holders.setdefault(key, set()).add(item)
            pairs.append((key, item))
    if max_items is None:
        want = sorted(pairs)
    else:
        want = sorted({(k, i) for k, i in pairs if len(holders[k]) <= max_items})
    assert list(zip(parted._ngrams.keys.tolist(), parted._ngrams.items.tolist())) == want
    assert parted._ngrams.keys.size > 256 * 4  # the build did cut parts
    hits = parted.check(texts[:50])
    assert hits == whole.check(texts[:50])


def test_index_sorted_on_threads_is_the_index_sorted_on_one(corpus: Corpus, monkeypatch) -> None:
    import numpy as np

    from medins.dedup import decontam

    # Long items (n-grams), short ones (whole-text and phrase keys) and shared sentences, in many parts.
    texts = [" ".join(corpus.texts[(i * 7 + j) % 400] for j in range(1 + i % 3)) for i in range(300)]
    texts += texts[:40] + [" ".join(t.split()[:9]) for t in texts[:20]]
    evals = [("b", str(i), t) for i, t in enumerate(texts)]
    monkeypatch.setattr(decontam, "_PART_KEYS", 256)
    one = Decontaminator(None, ngram_max_items=2)
    one.add_parts([one.features(evals)], threads=1)
    many = Decontaminator(None, ngram_max_items=2)
    many.add_parts([many.features(evals)], threads=4)
    assert one._ngrams.keys.size > 256 * 4  # many parts, sorted side by side
    assert sorted(one._phrases) == sorted(many._phrases) and one._phrases
    for mine, theirs in [(many._ngrams, one._ngrams), (many._whole, one._whole),
                         *zip(many._phrases.values(), one._phrases.values()), *zip(many._bands, one._bands)]:
        assert np.array_equal(mine.keys, theirs.keys) and np.array_equal(mine.items, theirs.items)
        assert np.array_equal(mine._filter, theirs._filter)
    assert len(many._bands) == len(one._bands) == one.params.bands
    assert many.check(texts[:60]) == one.check(texts[:60])


def test_signatures_kept_in_a_file_give_the_same_hits(corpus: Corpus, tmp_path) -> None:
    import pickle

    import numpy as np

    evals = [("synthetic", str(i), corpus.texts[i]) for i in range(3000, 3050)]
    in_memory = Decontaminator(evals, ngram=8)
    spilled = Decontaminator(evals, ngram=8, signature_file=tmp_path / "sigs.minhash")
    assert (tmp_path / "sigs.minhash").stat().st_size == 50 * 128 * 8
    assert np.array_equal(spilled.signatures, in_memory.signatures)
    probe = corpus.texts[2990:3060]
    want = in_memory.check(probe)
    assert any(("synthetic", str(i), "minhash") in hits for i, hits in zip(range(2990, 3060), want))
    assert spilled.check(probe) == want
    shipped = pickle.loads(pickle.dumps(spilled))  # as a Ray worker gets it: the file, not its rows
    assert len(pickle.dumps(in_memory)) - len(pickle.dumps(spilled)) > 0.95 * in_memory.signatures.nbytes
    assert shipped.check(probe) == want


def test_index_assembled_from_saved_parts_is_the_index_built_from_texts(corpus: Corpus, tmp_path) -> None:
    import numpy as np

    from medins.dedup import IndexPart

    # Long items, short items (whole-text and phrase keys) and an empty one, cut into uneven parts.
    texts = [corpus.texts[i] for i in range(3000, 3060)]
    texts += [" ".join(t.split()[:9]) for t in texts[:10]] + [" ".join(t.split()[:3]) for t in texts[10:15]] + [""]
    evals = [("bench", f"q{i}", t) for i, t in enumerate(texts)]
    whole = Decontaminator(evals, ngram_max_items=2)
    built = Decontaminator(None, ngram_max_items=2)
    paths = []
    for j, (a, b) in enumerate([(0, 0), (0, 7), (7, 50), (50, len(evals))]):
        paths.append(tmp_path / f"part{j}.npz")
        built.features(evals[a:b]).save(paths[-1])
    parts = [IndexPart.load(p) for p in paths]
    assert [len(p) for p in parts] == [0, 7, 43, len(evals) - 50]
    assembled = Decontaminator.from_parts(parts, ngram_max_items=2, signature_file=tmp_path / "s.minhash")
    assert assembled.eval_ids == whole.eval_ids and assembled.benchmarks == whole.benchmarks
    assert np.array_equal(assembled.signatures, whole.signatures)
    for mine, theirs in [(assembled._ngrams, whole._ngrams), (assembled._whole, whole._whole),
                         *zip(assembled._bands, whole._bands)]:
        assert np.array_equal(mine.keys, theirs.keys) and np.array_equal(mine.items, theirs.items)
    assert sorted(assembled._phrases) == sorted(whole._phrases) == [9]
    probe = corpus.texts[2990:3070] + [f"quiz: {t} ?" for t in texts[60:75]]
    want = whole.check(probe)
    assert sum(map(bool, want)) >= 70  # long copies, phrases and near copies are all there to find
    assert assembled.check(probe) == want


def test_a_failed_build_leaves_no_signature_file(tmp_path) -> None:
    def entries():
        yield ("b", "1", "a text of a few words")
        raise OSError("the items' file broke off")

    with pytest.raises(OSError):
        Decontaminator(entries(), signature_file=tmp_path / "s.minhash")
    assert list(tmp_path.iterdir()) == []
