"""Zero- and few-shot prompt rendering, in the MedS-Ins layout.

Zero-shot: the instruction is the system turn, the input the user turn, the output the assistant
turn. Few-shot (MedS-Ins): the demonstration cases come first, each as `Input:` / `Output:`, then the
instruction with a request to learn from the cases, then the query as `Input: ... Output:`, all in
one user turn. Demonstrations are chosen by the engine from the task's train split, never the query
itself and never a test example (MedS-Ins' own evaluation code could pick the query as its own
demonstration; we do not).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FEW_SHOT_BRIDGE = "Learn from the cases above and complete the task for the new input."


def case_block(inp: str, out: str) -> str:
    return f"Input:\n{inp}\n\nOutput:\n{out}\n"


def few_shot_prompt(instruction: str, shots: Sequence[tuple[str, str]], query: str) -> str:
    cases = "\n".join(case_block(i, o) for i, o in shots)
    return f"{cases}\n{instruction}\n{FEW_SHOT_BRIDGE}\n\nInput:\n{query}\nOutput:\n"


def messages(instruction: str, shots: Sequence[tuple[str, str]], query: str, answer: str) -> list[dict[str, str]]:
    """The chat turns of one sample, ready for a tokenizer's chat template."""
    if not shots:
        return [
            {"role": "system", "content": instruction},
            {"role": "user", "content": query},
            {"role": "assistant", "content": answer},
        ]
    return [
        {"role": "user", "content": few_shot_prompt(instruction, shots, query)},
        {"role": "assistant", "content": answer},
    ]


#: Roles of the chat turns, in the order a zero-shot sample has them; a few-shot one has the last two.
ROLES = ("system", "user", "assistant")


def messages_array(instruction: pa.Array, shots: pa.Array, query: pa.Array, answer: pa.Array,
                   message_type: pa.DataType) -> pa.Array:
    """The `messages` column of records, as `messages` gives each row, built column-wise from the other
    columns: zero-shot turns are taken from the instruction, input and output arrays as they are, and only
    few-shot rows (whose one user turn is a new string) go through Python.

    Records carry no copy of their text in `messages` until they are written out: the column is derived
    from the others, so the build's work files hold each text once.
    """
    n = len(query)
    counts = pc.fill_null(pc.list_value_length(shots), 0).to_numpy(zero_copy_only=False)
    few = np.flatnonzero(counts)
    prompts = []
    if few.size:
        picked = [a.take(pa.array(few)).to_pylist() for a in (instruction, shots, query)]
        prompts = [few_shot_prompt(ins, [(s["input"], s["output"]) for s in cases], q)
                   for ins, cases, q in zip(*picked)]
    turns = np.where(counts > 0, 2, 3)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(turns, out=offsets[1:])
    row = np.repeat(np.arange(n, dtype=np.int64), turns)
    turn = np.arange(offsets[-1], dtype=np.int64) - offsets[:-1].astype(np.int64).repeat(turns)
    is_few = np.repeat(counts > 0, turns)
    rank = np.zeros(n, dtype=np.int64)
    rank[few] = np.arange(few.size)
    # Texts: instruction, input and output of every row, then the few-shot prompts, as one array.
    zero_source = turn * n + row
    few_source = np.where(turn == 0, 3 * n + rank[row], 2 * n + row)
    texts = pa.concat_arrays([_plain(a) for a in (instruction, query, answer)] + [pa.array(prompts, pa.string())])
    contents = texts.take(pa.array(np.where(is_few, few_source, zero_source)))
    roles = pa.array(ROLES, pa.string()).take(pa.array(np.where(is_few, turn + 1, turn)))
    values = pa.StructArray.from_arrays([roles, contents], fields=list(message_type.value_type))
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=message_type)


def _plain(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.string())
