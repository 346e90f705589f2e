from medins import prompts


def test_zero_shot_messages():
    m = prompts.messages("Answer.", [], "Q?", "yes")
    assert m == [{"role": "system", "content": "Answer."}, {"role": "user", "content": "Q?"},
                 {"role": "assistant", "content": "yes"}]


def test_few_shot_follows_meds_ins_layout():
    text = prompts.few_shot_prompt("Answer.", [("q1", "a1"), ("q2", "a2")], "Q?")
    assert text.startswith("Input:\nq1\n\nOutput:\na1\n\nInput:\nq2\n\nOutput:\na2\n")
    cases_end = text.index("Answer.")
    assert text.index("q2") < cases_end < text.rindex("Input:\nQ?\nOutput:\n")
    assert text.endswith("Input:\nQ?\nOutput:\n")
    m = prompts.messages("Answer.", [("q1", "a1")], "Q?", "yes")
    assert [t["role"] for t in m] == ["user", "assistant"] and m[1]["content"] == "yes"


import pyarrow as pa  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from medins.schema import RECORD_SCHEMA, SHOT  # noqa: E402

MESSAGES = RECORD_SCHEMA.field("messages").type
_text = st.text(max_size=12)
_row = st.tuples(_text, st.lists(st.tuples(_text, _text), max_size=3), _text, _text)


@settings(max_examples=200, deadline=None)
@given(st.lists(_row, max_size=12))
def test_messages_column_equals_messages_of_each_row(rows):
    """The column the writer derives is, row by row, what `messages` gives: zero- and few-shot rows
    mixed, empty batches, empty and non-ASCII texts."""
    instruction = pa.array([r[0] for r in rows], pa.string())
    shots = pa.array([[{"input": i, "output": o} for i, o in r[1]] for r in rows], pa.list_(SHOT))
    query = pa.array([r[2] for r in rows], pa.string())
    answer = pa.array([r[3] for r in rows], pa.string())
    column = prompts.messages_array(instruction, shots, query, answer, MESSAGES)
    assert column.type == MESSAGES and column.null_count == 0
    assert column.to_pylist() == [prompts.messages(*r) for r in rows]
    # ...and the same array the row-by-row build gives, so the written bytes do not change
    assert column.equals(pa.array([prompts.messages(*r) for r in rows], MESSAGES))


def test_messages_column_takes_chunked_columns():
    chunked = pa.chunked_array([["a", "b"], ["c"]], pa.string())
    shots = pa.chunked_array([[[], [{"input": "x", "output": "y"}]], [[]]], pa.list_(SHOT))
    column = prompts.messages_array(chunked, shots, chunked, chunked, MESSAGES)
    assert [len(m) for m in column.to_pylist()] == [3, 2, 3]
    assert column.to_pylist()[1][0]["content"] == prompts.few_shot_prompt("b", [("x", "y")], "b")
