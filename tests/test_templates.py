import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from medins.templates import InstructionPool, PoolError, compile_template, render


def test_strict_undefined_fails_loudly():
    with pytest.raises(UndefinedError):
        render("Question: {{ QUESTON }}", {"QUESTION": "x"})


def test_sandbox_blocks_python_internals():
    with pytest.raises(SecurityError):
        render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {})


def test_filters():
    assert render("{{ o | options }}", {"o": {"A": "x", "B": "y"}}) == "A. x\nB. y"
    assert render("{{ o | options }}", {"o": ["x", "y"]}) == "A. x\nB. y"
    assert render("{{ m | entity_list }}", {"m": ["a", "b", "a"]}) == "a, b"
    assert render("{{ m | entity_list }}", {"m": []}) == "None"


def test_pool_loads_human_then_paraphrases(tmp_path):
    p = tmp_path / "r.t.yaml"
    p.write_text("task: r.t\nhuman:\n  - {id: h01, text: Do it.}\nparaphrases:\n"
                 "  - {id: p0001, text: Please do it., parent: h01, model: m}\n")
    pool = InstructionPool.load(p, "r.t")
    assert [i.id for i in pool.instructions] == ["h01", "p0001"]
    assert pool.paraphrases[0].meta["parent"] == "h01"


@pytest.mark.parametrize(
    "body, message",
    [
        ("task: other.t\nhuman:\n  - {id: h01, text: x}\n", "declares task"),
        ("task: r.t\nhuman:\n  - {id: h01, text: x}\n  - {id: h01, text: y}\n", "duplicate instruction id"),
        ("task: r.t\nhuman:\n  - {id: h01}\n", "needs a non-empty"),
        ("task: r.t\nhuman:\n  - {id: h01, text: '{{ broken'}\n", "not a valid template"),
        ("task: r.t\nhuman: [\n", "not valid YAML"),
        ("task: r.t\n", "no instructions"),
    ],
)
def test_pool_errors_name_the_file(tmp_path, body, message):
    p = tmp_path / "r.t.yaml"
    p.write_text(body)
    with pytest.raises(PoolError) as exc:
        InstructionPool.load(p, "r.t")
    assert str(p) in str(exc.value) and message in str(exc.value)


# -- the fast path renders exactly what Jinja renders ------------------------------------------------

FAST_TEMPLATES = [
    "Context: {{ CONTEXTS | join(' ') }}\nQuestion: {{ QUESTION }}",
    "{{ a }}",
    "{{ a.b }} and {{ a['b'] }}",
    "{{ a.items }}",  # an attribute of dict: Jinja's answer, not the item
    "{{ a[0] }} {{ a[-1] }}",
    "{{ a | options }}",
    "{{ a | entity_list('none') }}",
    "{{ a | upper | trim }}",
    "{{ a | join(', ') }}\n",
    "text only",
    "{{ missing }}",
]
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["b", "items", "x"]), inner,
                                                                  max_size=3),
    max_leaves=6,
)


def _outcome(fn):
    try:
        return "ok", fn()
    except Exception as exc:  # the same error class, whichever path raised it
        return "error", type(exc).__name__


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FAST_TEMPLATES), st.dictionaries(st.sampled_from(["a", "CONTEXTS", "QUESTION"]), values))
def test_fast_path_renders_what_jinja_renders(source, context):
    assert _outcome(lambda: render(source, context)) == _outcome(
        lambda: compile_template(source).render(context))
